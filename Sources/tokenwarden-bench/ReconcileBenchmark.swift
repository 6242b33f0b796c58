import CloudflareAPI
import Foundation
import Reconciler
import Simulator
import TokenModel

/// Plan and apply over the `many` scenario: requests made, wall time against the floor, peak memory.
enum ReconcileBenchmark {
  /// The `many` scenario with 20 ms latency, a client to it, and a policy requiring the common set of every token.
  struct Fixture {
    let state: SimulatorState
    let client: CloudflareClient
    let configuration: ClientConfiguration
    let desired: DesiredState
    let credentials: [String: Credential]
    let sandbox: Process?
  }

  /// `loopback`: the sandbox runs as a separate `tokenwarden sandbox` process, so peak memory is TokenWarden's alone.
  static func fixture(tokens: Int, loopback: Bool) -> Fixture? {
    var state = Scenario.many(count: tokens)
    state.faults.latencyMilliseconds = 20
    // The benchmark measures TokenWarden, not the per-user budget (1,200 requests per 5 minutes would pace it).
    state.settings.rateLimit = 1_000_000
    let configuration = ClientConfiguration()
    let client: CloudflareClient
    var sandbox: Process?
    if loopback {
      guard let (process, base) = startSandbox(state) else { return nil }
      sandbox = process
      client = CloudflareClient(
        baseURL: base, transport: URLSessionTransport(), configuration: configuration,
        rateLimiter: RateLimiter(limit: 1_000_000))
    } else {
      let simulator = Simulator(state: state)
      let base = URL(string: "https://bench.test/client/v4")!
      client = CloudflareClient(
        baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base), configuration: configuration,
        rateLimiter: RateLimiter(limit: 1_000_000))
    }
    print(loopback ? "sandbox in a separate process, over loopback HTTP" : "sandbox in-process")
    let catalog = PermissionCatalog.bundled
    let common = [
      "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Queues Write", "Workers Tail Read",
      "Workers R2 Storage Write", "Vectorize Write", "Hyperdrive Write",
    ]
    var desired: [DesiredToken] = []
    var credentials: [String: Credential] = [:]
    for token in state.tokens {
      credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
      guard case .account(let account) = token.owner else { continue }
      let grants = common.map { name in
        DesiredGrant(
          group: catalog.groups(named: name)[0].id, resource: .account(account), groupName: name,
          resourceName: "account \(account.short)")
      }
      desired.append(
        DesiredToken(
          name: token.name, id: token.id, owner: .account(account), ownerName: "account \(account.short)",
          secretVariable: token.env ?? "", healer: .token("admin"), warnBeforeSeconds: nil, grants: grants,
          location: "bench"))
    }
    let admin = state.tokens.first { $0.name == "admin" }!
    desired.append(
      DesiredToken(
        name: "admin", id: admin.id, owner: .user, ownerName: "user", secretVariable: "ADMIN_TOKEN", healer: .automatic,
        warnBeforeSeconds: nil, grants: [], location: "bench"))
    return Fixture(
      state: state, client: client, configuration: configuration, desired: DesiredState(tokens: desired),
      credentials: credentials, sandbox: sandbox)
  }

  /// The seed's policy, built in code (the benchmarks do not read policy files).
  static func seedDesired() -> DesiredState? {
    let catalog = PermissionCatalog.bundled
    func id(_ name: String) -> HexID? { catalog.groups(named: name).first?.id }
    let account = Scenario.mainAccount
    let names = [
      "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Workers R2 Storage Write", "Workers AI Write",
      "AI Gateway Write", "Queues Write", "Vectorize Write", "Hyperdrive Write", "Workers Tail Read", "Pages Write",
      "Images Write", "Cloudflare Tunnel Write", "Account Analytics Read",
    ]
    let grants = names.compactMap { name in
      id(name).map { DesiredGrant(group: $0, resource: .account(account), groupName: name, resourceName: "account main") }
    }
    guard grants.count == names.count, let apiTokens = id("API Tokens Write") else { return nil }
    return DesiredState(tokens: [
      DesiredToken(
        name: "account-token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
        secretVariable: "CLOUDFLARE_ACCOUNT_TOKEN", healer: .token("user-token"), warnBeforeSeconds: nil, grants: grants,
        location: "bench"),
      DesiredToken(
        name: "user-token", id: Scenario.userTokenID, owner: .user, ownerName: "user", secretVariable: "CLOUDFLARE_USER_TOKEN",
        healer: .token("account-token"), warnBeforeSeconds: nil,
        grants: [DesiredGrant(group: apiTokens, resource: .user, groupName: "API Tokens Write", resourceName: "user")],
        location: "bench"),
    ])
  }

  static func run(tokens: Int, loopback: Bool = false) async {
    guard let fixture = fixture(tokens: tokens, loopback: loopback) else { return }
    defer { fixture.sandbox?.terminate() }
    let (state, client, configuration) = (fixture.state, fixture.client, fixture.configuration)
    let (desiredState, credentials, catalog) = (fixture.desired, fixture.credentials, PermissionCatalog.bundled)
    let observer = Observer(client: client, credentials: credentials, missingSecrets: [:])
    let planStart = ContinuousClock.now
    let observation = await observer.observe(desiredState)
    let plan = Planner.plan(
      desired: desiredState, observation: observation, catalog: catalog, toolVersion: "bench", policyDigest: "-",
      source: "bench")
    let planTime = ContinuousClock.now - planStart
    let planRequests = client.counter.total
    let pages = state.accounts.map { account in (state.tokens.filter { $0.owner == .account(account.id) }.count + 49) / 50 }
      .reduce(0, +)
    print("plan: \(plan.toAdd) permissions to add across \(plan.changedTokens) of \(tokens) tokens, \(plan.blockedCount) blocked")
    if let blocked = plan.tokens.first(where: { !$0.blocked.isEmpty }) { print("  first blocked: \(blocked.name): \(blocked.remediation ?? blocked.blocked[0].reason)") }
    print("  requests: \(planRequests) (⌈N/50⌉ per account = \(pages), plus 1 for the admin token reading itself)")
    report(planTime, requests: planRequests, concurrency: configuration.concurrency)
    let before = client.counter.total
    let applyStart = ContinuousClock.now
    let results = await Applier(client: client, credentials: credentials).apply(plan, desired: desiredState)
    let applyTime = ContinuousClock.now - applyStart
    let applyRequests = client.counter.total - before
    let applied = results.filter { $0.outcome == .applied }.count
    print("apply: \(applied) tokens applied, \(results.count - applied) not")
    print("  requests: \(applyRequests) (fresh list reads ⌈N/50⌉ per account = \(pages), then per changed token 1 PUT and 1 verifying read = \(2 * plan.changedTokens))")
    report(applyTime, requests: applyRequests, concurrency: configuration.concurrency)
    print("peak resident memory: \(peakKilobytes() / 1024) MB")
  }

  /// Writes the scenario to a file and starts `tokenwarden sandbox` on it (built beside this benchmark).
  static func startSandbox(_ state: SimulatorState) -> (Process, URL)? {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let scenario = directory.appendingPathComponent("scenario.json")
    guard let data = try? JSONEncoder().encode(state), (try? data.write(to: scenario)) != nil else { return nil }
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tokenwarden")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["sandbox", "--scenario", scenario.path, "--listen", "127.0.0.1:0", "--reset"]
    process.environment = ["TOKENWARDEN_STATE_DIR": directory.path]
    do { try process.run() } catch {
      print("cannot start \(binary.path): build it with 'swift build -c release'")
      return nil
    }
    process.waitUntilExit()
    let server = Process()
    server.executableURL = binary
    server.arguments = ["sandbox", "--listen", "127.0.0.1:0"]
    server.environment = ["TOKENWARDEN_STATE_DIR": directory.path]
    let output = Pipe()
    server.standardOutput = output
    do { try server.run() } catch { return nil }
    var text = ""
    while !text.contains("/client/v4\n") {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { return nil }
      text += String(decoding: chunk, as: UTF8.self)
    }
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Sandbox") }),
      let url = line.split(separator: " ").last.flatMap({ URL(string: String($0)) })
    else { return nil }
    return (server, url)
  }

  static func report(_ elapsed: Duration, requests: Int, concurrency: Int) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let floor = Double(requests) * 0.020 / Double(concurrency)
    print(String(format: "  wall time %.2f s; floor (requests × 20 ms ÷ %d) %.2f s; ratio %.2f×", seconds, concurrency, floor, seconds / floor))
  }

  static func peakKilobytes() -> Int { ProcessStatus.kilobytes("VmHWM:") }
}
