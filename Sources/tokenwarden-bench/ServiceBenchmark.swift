import CloudflareAPI
import Foundation
import Health
import Operations
import Service
import Simulator
import TokenModel

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `/tokens/status` of the service under wrk: 100 keep-alive connections over loopback, resident memory sampled
/// every 5 seconds to show it stays flat.
enum ServiceBenchmark {
  /// `versusNginx`: also serve the same bytes from nginx (the system's, as the reference) and measure both, one after
  /// the other in the same run.
  static func run(seconds: Int, connections: Int, path: String = "/tokens/status", versusNginx: Bool = false) async {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tokenwarden-service-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let simulator = Simulator(state: Scenario.seed(invisible: false))
    let base = URL(string: "https://bench.test/client/v4")!
    let client = CloudflareClient(baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base))
    var credentials: [String: Credential] = [:]
    for token in simulator.snapshot.tokens {
      credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
    }
    guard let fixture = ReconcileBenchmark.seedDesired() else { return }
    let check = HealthCheck(
      client: client, desired: fixture, catalog: .bundled, credentials: credentials, missingSecrets: [:],
      toolVersion: "bench", policyDigest: "-", source: "bench")
    let recorder = HistoryRecorder(stateDirectory: directory.path, environment: [:]) { print($0) }
    let runner = HealthRunner(check: check, recorder: recorder, stateDirectory: directory.path, now: { Date() })
    var options = TokenWardenService.Options()
    options.port = 0
    options.schedules = TokenWardenService.Options.defaultSchedules()
    options.clientToken = Secret("bench-client-token")
    // wrk's connections all come from one address.
    options.maxConnectionsPerClient = 0
    let service: TokenWardenService
    do { service = try TokenWardenService(runner: runner, options: options, clock: SystemClock()) { _ in } } catch {
      print("cannot start the service: \(error)")
      return
    }
    while await service.monitor.snapshot == nil { try? await Task.sleep(for: .milliseconds(50)) }
    if versusNginx {
      await compareWithNginx(
        service: service, path: path, seconds: seconds, connections: connections, directory: directory)
      await service.stop(grace: 1)
      return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-H", "Authorization: Bearer bench-client-token",
      service.baseURL + path,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let before = ServerBenchmark.residentKilobytes()
    do { try process.run() } catch {
      print("wrk is needed: apt-get install wrk")
      return
    }
    var samples: [Int] = []
    for _ in 0..<(seconds / 5) {
      try? await Task.sleep(for: .seconds(5))
      samples.append(ServerBenchmark.residentKilobytes() / 1024)
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    print(String(decoding: data, as: UTF8.self))
    print(
      "resident memory: \(before / 1024) MB before; every 5 s during the run: \(samples.map(String.init).joined(separator: ", ")) MB"
    )
    let statistics = service.server.statistics
    print(
      "served \(statistics.served) requests, shed \(statistics.shed); Cloudflare requests during the run: \(client.counter.total)"
    )
    await service.stop(grace: 1)
  }

  /// wrk against nginx serving the bytes the service answers at `path`, then against the service: requests/s of each.
  static func compareWithNginx(
    service: TokenWardenService, path: String, seconds: Int, connections: Int, directory: URL
  ) async {
    let url = URL(string: service.baseURL + path)!
    var request = URLRequest(url: url)
    request.setValue("Bearer bench-client-token", forHTTPHeaderField: "Authorization")
    guard let (body, response) = try? await URLSession.shared.data(for: request),
      let http = response as? HTTPURLResponse, http.statusCode == 200
    else {
      print("cannot read \(path) from the service")
      return
    }
    let root = directory.appendingPathComponent("www")
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try? body.write(to: root.appendingPathComponent("page"))
    let type = http.value(forHTTPHeaderField: "Content-Type") ?? "application/octet-stream"
    let port = 18_791
    let configuration = """
      daemon off; worker_processes auto; pid \(directory.path)/nginx.pid; error_log \(directory.path)/error.log;
      events { worker_connections 4096; }
      http { access_log off; server { listen 127.0.0.1:\(port); root \(root.path);
        location / { default_type "\(type)"; try_files /page =404; } } }
      """
    let configurationFile = directory.appendingPathComponent("nginx.conf")
    try? Data(configuration.utf8).write(to: configurationFile)
    let nginx = Process()
    nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
    nginx.arguments = ["-c", configurationFile.path, "-p", directory.path]
    nginx.standardError = FileHandle.nullDevice
    do { try nginx.run() } catch {
      print("nginx is not installed (apt-get install nginx): measured the service alone is what 'service' does")
      return
    }
    defer { nginx.terminate() }
    try? await Task.sleep(for: .milliseconds(500))
    func wrk(_ target: String) -> Double? {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "-H", "Authorization: Bearer bench-client-token", target,
      ]
      let output = Pipe()
      process.standardOutput = output
      process.standardError = output
      guard (try? process.run()) != nil else { return nil }
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }) else {
        print(text)
        return nil
      }
      return Double(line.split(separator: " ").last ?? "")
    }
    guard let reference = wrk("http://127.0.0.1:\(port)/"), let ours = wrk(service.baseURL + path) else {
      print("wrk did not run (apt-get install wrk)")
      return
    }
    print(
      String(
        format: "%@ (%d bytes): nginx %.0f requests/s, TokenWarden %.0f requests/s: %.0f%% of nginx", path, body.count,
        reference, ours, ours * 100 / reference))
  }
}
