import CloudflareAPI
import Foundation
import Health
import Service
import Simulator
import TokenModel

/// `/tokens/status` of the service under wrk: 100 keep-alive connections over loopback, resident memory sampled
/// every 5 seconds to show it stays flat.
enum ServiceBenchmark {
  static func run(seconds: Int, connections: Int, path: String = "/tokens/status") async {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-service-bench-\(getpid())")
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
    let recorder = HistoryRecorder(stateDirectory: directory.path, environment: [:]) { print($0, terminator: "") }
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
    print("resident memory: \(before / 1024) MB before; every 5 s during the run: \(samples.map(String.init).joined(separator: ", ")) MB")
    let statistics = service.server.statistics
    print("served \(statistics.served) requests, shed \(statistics.shed); Cloudflare requests during the run: \(client.counter.total)")
    await service.stop(grace: 1)
  }
}
