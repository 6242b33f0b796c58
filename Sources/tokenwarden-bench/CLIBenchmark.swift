import Foundation
import Simulator

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// The command users run: the `tokenwarden` executable as a child process, a generated policy file on disk, the
/// loopback sandbox (a separate process) with 20 ms latency, history written. Wall time against the floor, the
/// requests the sandbox answered, the child's peak resident memory (`wait4`), and what the run added to `history.db`.
enum CLIBenchmark {
  static let latency = 0.020
  static let inFlight = 8

  struct Run {
    let wall: Double
    let requests: Int
    let peakKB: Int
    let historyBytes: Int
    let status: Int32
  }

  static func run(command: String, tokens: Int, runs: Int) async {
    guard ["plan", "apply", "health"].contains(command) else {
      print("usage: tokenwarden-bench cli plan|apply|health [N] [--runs R]")
      return
    }
    let directory = ReconcileBenchmark.directory
    defer { try? FileManager.default.removeItem(at: directory) }
    guard let scenario = ReconcileBenchmark.writeScenarioInChild(tokens: tokens),
      let records = ReconcileBenchmark.readTokenList(scenario.appendingPathExtension("tsv")),
      var (sandbox, base) = ReconcileBenchmark.startSandbox(scenario)
    else {
      print("could not start the sandbox (build everything with 'swift build -c release')")
      return
    }
    defer {
      sandbox.terminate()
      sandbox.waitUntilExit()
    }
    let policy = directory.appendingPathComponent("policy.yaml")
    let text = Self.policy(records)
    guard (try? Data(text.utf8).write(to: policy)) != nil else { return }
    let state = directory.appendingPathComponent("state")
    try? FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    var environment = ["TOKENWARDEN_STATE_DIR": state.path]
    for record in records { if let env = record.env { environment[env] = record.secret } }
    print(
      "tokenwarden \(command) of \(tokens) tokens: policy file \(text.utf8.count / 1024) KB, sandbox in a separate process over loopback, 20 ms latency, \(runs) runs"
    )
    let binary = Self.binary
    // Start-up and policy loading on their own: a run's floor at 1,000 tokens is a few latency rounds.
    let startup = (0..<runs).compactMap { _ in spawn([binary, "--version"], environment: environment)?.wall }
    let loading = (0..<runs).compactMap { _ in spawn([binary, "validate", policy.path], environment: environment)?.wall
    }
    var results: [Run] = []
    for run in 0..<runs {
      // An apply changes the sandbox: each run gets one started afresh from the scenario (the sandbox server owns
      // its state while it runs, so resetting the file under it would not do).
      if command == "apply" && run > 0 {
        sandbox.terminate()
        sandbox.waitUntilExit()
        guard let fresh = ReconcileBenchmark.startSandbox(scenario) else { return }
        (sandbox, base) = fresh
      }
      environment["CLOUDFLARE_API_BASE_URL"] = base.absoluteString
      let history = historySize(state)
      let before = await requestCount(base)
      var arguments = [binary, command, policy.path]
      if command == "apply" { arguments.insert("--auto-approve", at: 2) }
      // A profiler for the measured run, e.g. TOKENWARDEN_BENCH_WRAP="/usr/bin/perf record -e cpu-clock -g -o FILE".
      if let wrap = ProcessInfo.processInfo.environment["TOKENWARDEN_BENCH_WRAP"], !wrap.isEmpty {
        arguments = wrap.split(separator: " ").map(String.init) + arguments
      }
      guard let child = spawn(arguments, environment: environment) else { return }
      if child.status != 0 && !(command == "plan" && child.status == 2) {
        let errors = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
        print(
          "tokenwarden \(command) exited \(child.status):\n"
            + errors.split(separator: "\n").prefix(10).joined(separator: "\n"))
      }
      let requests = await requestCount(base) - before
      results.append(
        Run(
          wall: child.wall, requests: requests, peakKB: child.peakKB, historyBytes: historySize(state) - history,
          status: child.status))
    }
    report(results, startup: startup, loading: loading)
  }

  static func report(_ results: [Run], startup: [Double], loading: [Double]) {
    func spread(_ values: [Double], _ format: String) -> String {
      let sorted = values.sorted()
      guard let first = sorted.first, let last = sorted.last else { return "-" }
      return String(format: "\(format)–\(format), median \(format)", first, last, sorted[sorted.count / 2])
    }
    guard let first = results.first else { return }
    // Rounds of at most 8 requests in flight, each one latency long.
    let floor = Double((first.requests + inFlight - 1) / inFlight) * latency
    print(
      "  exit status \(first.status); requests answered by the sandbox: \(results.map(\.requests).map(String.init).joined(separator: ", "))"
    )
    print(String(format: "  floor (⌈requests ÷ %d⌉ rounds × 20 ms): %.3f s", inFlight, floor))
    print("  wall time: " + spread(results.map(\.wall), "%.3f") + " s")
    print("  wall / floor: " + spread(results.map { $0.wall / floor }, "%.2f") + "×")
    print("  peak resident memory of tokenwarden: " + spread(results.map { Double($0.peakKB) / 1024 }, "%.0f") + " MB")
    print("  added to history.db: " + spread(results.map { Double($0.historyBytes) / 1_048_576 }, "%.2f") + " MB")
    print("  process start-up alone (tokenwarden --version): " + spread(startup, "%.3f") + " s")
    print("  policy loading alone (tokenwarden validate, offline): " + spread(loading, "%.3f") + " s")
  }

  /// The `many` scenario's policy: every account-owned token requires the scenario's common set on its account and is
  /// healed by `admin`, which manages the user's tokens.
  static func policy(_ records: [ReconcileBenchmark.TokenRecord]) -> String {
    var accounts: [String: String] = [:]
    for record in records {
      if case .account(let id) = record.owner, accounts[id.rawValue] == nil {
        accounts[id.rawValue] = "a\(accounts.count)"
      }
    }
    var text = "version: 1\n\naccounts:\n"
    for (id, name) in accounts.sorted(by: { $0.value < $1.value }) { text += "  \(name): \(id)\n" }
    text += "\ntokens:\n"
    let common =
      "[Workers Scripts Write, Workers KV Storage Write, D1 Write, Queues Write, Workers Tail Read, Workers R2 Storage Write, Vectorize Write, Hyperdrive Write]"
    for record in records {
      guard let env = record.env else { continue }
      text += "  \(record.name):\n    id: \"\(record.id.rawValue)\"\n    secret: $\(env)\n"
      switch record.owner {
      case .account(let id):
        let name = accounts[id.rawValue] ?? ""
        text += "    owner: account \(name)\n    healer: admin\n    grants:\n      - resource: account \(name)\n"
        text += "        permissions: \(common)\n"
      case .user:
        text += "    owner: user\n    grants:\n      - resource: user\n        permissions: [API Tokens Write]\n"
      }
    }
    return text
  }

  static var errorsPath: String { ReconcileBenchmark.directory.appendingPathComponent("stderr.txt").path }

  static var binary: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tokenwarden")
      .path
  }

  static func requestCount(_ base: URL) async -> Int {
    var components = URLComponents(url: base, resolvingAgainstBaseURL: false)
    components?.path = Simulator.requestCountPath
    guard let url = components?.url, let (data, _) = try? await URLSession.shared.data(from: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
    else { return 0 }
    return object["requests"] ?? 0
  }

  static func historySize(_ state: URL) -> Int {
    ["history.db", "history.db-wal"].reduce(0) { total, name in
      let path = state.appendingPathComponent(name).path
      return total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
    }
  }

  /// Runs a child with its output discarded; its wall time, exit status and peak resident memory (from `wait4`,
  /// which reports the child alone).
  static func spawn(_ arguments: [String], environment: [String: String]) -> (wall: Double, status: Int32, peakKB: Int)?
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    // Errors are kept, to say why a run failed.
    posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let start = ContinuousClock.now
    guard posix_spawn(&pid, arguments[0], &actions, nil, argv, envp) == 0 else { return nil }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = ReconcileBenchmark.seconds(ContinuousClock.now - start)
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (wall, exit, Int(usage.ru_maxrss))
  }
}
