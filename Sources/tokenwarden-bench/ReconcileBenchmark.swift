import CloudflareAPI
import Foundation
import Reconciler
import Simulator
import Synchronization
import TokenModel

/// Plan and apply over the `many` scenario: requests made, wall time against the floor, peak memory.
enum ReconcileBenchmark {
  /// The `many` scenario with 20 ms latency, a client to it, and a policy requiring the common set of every token.
  struct Fixture {
    /// ⌈tokens/50⌉ summed over the accounts: the list requests a full read takes.
    let pages: Int
    let client: CloudflareClient
    let configuration: ClientConfiguration
    let desired: DesiredState
    let credentials: [String: Credential]
    let sandbox: Process?
    /// In-process only: the simulator, whose answers the window measurement watches.
    var simulator: Simulator? = nil
  }

  /// The `many` scenario with 20 ms latency and no per-user budget (1,200 requests per 5 minutes would pace the
  /// benchmark, which measures TokenWarden, not the budget).
  static func scenario(tokens: Int) -> SimulatorState {
    var state = Scenario.many(count: tokens)
    state.faults.latencyMilliseconds = 20
    state.settings.rateLimit = 1_000_000
    return state
  }

  /// What the benchmark needs of each token; with `--loopback` only this is read back from the scenario file.
  struct TokenRecord {
    let id: HexID
    let name: String
    let owner: SimOwner
    let secret: String
    let env: String?
  }

  /// `loopback`: the sandbox runs as a separate `tokenwarden sandbox` process, and a child process writes its
  /// scenario, so the peak memory measured is TokenWarden's alone.
  static func fixture(tokens count: Int, loopback: Bool, trace: Bool = false) -> Fixture? {
    let configuration = ClientConfiguration()
    let client: CloudflareClient
    var sandbox: Process?
    var inProcess: Simulator?
    let tokens: [TokenRecord]
    if loopback {
      guard let file = writeScenarioInChild(tokens: count), let (process, base) = startSandbox(file),
        let records = readTokenList(file.appendingPathExtension("tsv"))
      else { return nil }
      sandbox = process
      tokens = records
      client = CloudflareClient(
        baseURL: base, transport: URLSessionTransport(), configuration: configuration,
        rateLimiter: RateLimiter(limit: 1_000_000), logger: trace ? tracer() : nil)
    } else {
      let state = scenario(tokens: count)
      tokens = state.tokens.map {
        TokenRecord(id: $0.id, name: $0.name, owner: $0.owner, secret: $0.secret, env: $0.env)
      }
      let simulator = Simulator(state: state)
      inProcess = simulator
      let base = URL(string: "https://bench.test/client/v4")!
      client = CloudflareClient(
        baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base), configuration: configuration,
        rateLimiter: RateLimiter(limit: 1_000_000), logger: trace ? tracer() : nil)
    }
    print(loopback ? "sandbox in a separate process, over loopback HTTP" : "sandbox in-process")
    let catalog = PermissionCatalog.bundled
    let common = [
      "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Queues Write", "Workers Tail Read",
      "Workers R2 Storage Write", "Vectorize Write", "Hyperdrive Write",
    ]
    var desired: [DesiredToken] = []
    var credentials: [String: Credential] = [:]
    var perAccount: [HexID: Int] = [:]
    var accountNames: [HexID: String] = [:]
    for token in tokens {
      credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
      guard case .account(let account) = token.owner else { continue }
      perAccount[account, default: 0] += 1
      // As a policy names accounts: a short name ("account main"), one per account.
      let accountName = accountNames[account] ?? "account \(accountNames.count)"
      accountNames[account] = accountName
      let grants = common.map { name in
        DesiredGrant(
          group: catalog.groups(named: name)[0].id, resource: .account(account), groupName: name,
          resourceName: accountName)
      }
      desired.append(
        DesiredToken(
          name: token.name, id: token.id, owner: .account(account), ownerName: accountName,
          secretVariable: token.env ?? "", healer: .token("admin"), warnBeforeSeconds: nil, grants: grants,
          location: "bench"))
    }
    guard let admin = tokens.first(where: { $0.name == "admin" }) else { return nil }
    desired.append(
      DesiredToken(
        name: "admin", id: admin.id, owner: .user, ownerName: "user", secretVariable: "ADMIN_TOKEN", healer: .automatic,
        warnBeforeSeconds: nil, grants: [], location: "bench"))
    return Fixture(
      pages: perAccount.values.map { ($0 + 49) / 50 }.reduce(0, +),
      client: client, configuration: configuration, desired: DesiredState(tokens: desired),
      credentials: credentials, sandbox: sandbox, simulator: inProcess)
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
      id(name).map {
        DesiredGrant(group: $0, resource: .account(account), groupName: name, resourceName: "account main")
      }
    }
    guard grants.count == names.count, let apiTokens = id("API Tokens Write") else { return nil }
    return DesiredState(tokens: [
      DesiredToken(
        name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
        secretVariable: "CLOUDFLARE_ACCOUNT_TOKEN", healer: .token("user_token"), warnBeforeSeconds: nil,
        grants: grants,
        location: "bench"),
      DesiredToken(
        name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user",
        secretVariable: "CLOUDFLARE_USER_TOKEN",
        healer: .token("account_token"), warnBeforeSeconds: nil,
        grants: [DesiredGrant(group: apiTokens, resource: .user, groupName: "API Tokens Write", resourceName: "user")],
        location: "bench"),
    ])
  }

  /// `planOnly`: stop after the plan. `trace`: print each request as it completes.
  static func run(tokens: Int, loopback: Bool = false, planOnly: Bool = false, trace: Bool = false) async {
    guard let fixture = fixture(tokens: tokens, loopback: loopback, trace: trace) else { return }
    defer { fixture.sandbox?.terminate() }
    // The scenario itself is not kept: with --loopback it lives in the sandbox process, so the memory measured is
    // TokenWarden's (the policy, the secrets, what it reads and writes).
    let (pages, client, configuration) = (fixture.pages, fixture.client, fixture.configuration)
    print("resident memory before planning: \(ServerBenchmark.residentKilobytes() / 1024) MB")
    let (desiredState, credentials) = (fixture.desired, fixture.credentials)
    let observer = Observer(client: client, credentials: credentials, missingSecrets: [:])
    let planStart = ContinuousClock.now
    if trace { print(String(format: "%8.3f s  plan starts", seconds(ContinuousClock.now - origin))) }
    // As `tokenwarden plan` does: the live catalog is read alongside the tokens (by the user token).
    let (_, plan, _) = await observer.observeAndPlan(
      desiredState,
      inputs: {
        guard let admin = credentials["admin"], let groups = try? await client.permissionGroups(.user, as: admin) else {
          return (desiredState, .bundled)
        }
        return (desiredState, PermissionCatalog(live: groups, family: .user, origin: "live catalog"))
      }, toolVersion: "bench", policyDigest: "-", source: "bench")
    let planTime = ContinuousClock.now - planStart
    if trace { print(String(format: "%8.3f s  planned", seconds(ContinuousClock.now - origin))) }
    let planRequests = client.counter.total
    print(
      "plan: \(plan.toAdd) permissions to add across \(plan.changedTokens) of \(tokens) tokens, \(plan.blockedCount) blocked"
    )
    if let blocked = plan.tokens.first(where: { !$0.blocked.isEmpty }) {
      print("  first blocked: \(blocked.name): \(blocked.remediation ?? blocked.blocked[0].reason)")
    }
    print(
      "  requests: \(planRequests) (⌈N/50⌉ per account = \(pages), plus the catalog, plus 1 for the admin token reading itself)"
    )
    report(planTime, requests: planRequests, concurrency: configuration.concurrency)
    // The least any client can do: every request known at once, 8 at a time, each taking 20 ms.
    let width = configuration.concurrency
    let rounds = (planRequests + width - 1) / width
    print(
      String(
        format: "  least possible, %d requests %d at a time: %d rounds × 20 ms = %.2f s; ratio %.2f×", planRequests,
        width,
        rounds, Double(rounds) * 0.020, seconds(planTime) / (Double(rounds) * 0.020)))
    print("resident memory after planning: \(ServerBenchmark.residentKilobytes() / 1024) MB")
    if planOnly {
      print("peak resident memory: \(peakKilobytes() / 1024) MB")
      return
    }
    // The window apply leaves open: from the moment the simulator answers a token's GET to the moment its PUT
    // arrives, as the server sees it. In-process the answer travels for the 20 ms latency and the request arrives at
    // once, so the window is 20 ms plus TokenWarden's work between the two.
    let answered = Mutex<[String: ContinuousClock.Instant]>([:])
    let windows = Mutex<[Double]>([])
    fixture.simulator?.afterEachAnswer { request, _ in
      let now = ContinuousClock.now
      let id = String(request.path.split(separator: "/").last ?? "")
      if request.method == "GET", id.count == 32 {
        answered.withLock { $0[id] = now }
      } else if request.method == "PUT", let got = answered.withLock({ $0.removeValue(forKey: id) }) {
        windows.withLock { $0.append(seconds(now - got)) }
      }
    }
    let before = client.counter.total
    let applyStart = ContinuousClock.now
    let results = await Applier(client: client, credentials: credentials).apply(plan, desired: desiredState)
    let applyTime = ContinuousClock.now - applyStart
    let applyRequests = client.counter.total - before
    let applied = results.filter { $0.outcome == .applied }.count
    print("apply: \(applied) tokens applied, \(results.count - applied) not")
    print(
      "  requests: \(applyRequests) (per changed token a fresh read, the PUT and a verifying read = \(3 * plan.changedTokens))"
    )
    report(applyTime, requests: applyRequests, concurrency: configuration.concurrency)
    let measured = windows.withLock { $0 }.sorted()
    if !measured.isEmpty {
      func at(_ share: Double) -> Double {
        measured[min(measured.count - 1, Int(Double(measured.count) * share))] * 1000
      }
      print(
        String(
          format:
            "  window (GET answered → PUT arrived, 20 ms latency included): median %.2f ms, p99 %.2f ms, max %.2f ms",
          at(0.5), at(0.99), measured.last! * 1000))
    }
    print("peak resident memory: \(peakKilobytes() / 1024) MB")
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(
      String(
        format: "CPU of this process (the sandbox apart with --loopback): %.2f s user, %.2f s system",
        Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
        Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6))
  }

  /// The child also writes `FILE.tsv`: id, name, owner, env and secret per line — what a policy and its environment
  /// would give TokenWarden, read here without decoding the whole scenario.
  static func readTokenList(_ file: URL) -> [TokenRecord]? {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 5, let id = HexID(fields[0]), let owner = ownerOf(fields[2]) else { return nil }
      return TokenRecord(
        id: id, name: fields[1], owner: owner, secret: fields[4], env: fields[3].isEmpty ? nil : fields[3])
    }
  }

  static func ownerOf(_ text: String) -> SimOwner? {
    let parts = text.split(separator: ":").map(String.init)
    guard parts.count == 2, let id = HexID(parts[1]) else { return nil }
    return parts[0] == "user" ? .user(id) : .account(id)
  }

  static var directory: URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-bench-\(getpid())")
  }

  /// `tokenwarden-bench write-scenario N FILE`, run as a child: the scenario is built and encoded there.
  static func writeScenarioInChild(tokens: Int) -> URL? {
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("scenario.json")
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["write-scenario", String(tokens), file.path]
    do { try child.run() } catch { return nil }
    child.waitUntilExit()
    return child.terminationStatus == 0 ? file : nil
  }

  static func writeScenario(tokens: Int, to path: String) -> Int32 {
    let state = scenario(tokens: tokens)
    let list = state.tokens.map { "\($0.id)\t\($0.name)\t\($0.owner)\t\($0.env ?? "")\t\($0.secret)" }.joined(
      separator: "\n")
    guard let data = try? JSONEncoder().encode(state), (try? data.write(to: URL(fileURLWithPath: path))) != nil,
      (try? Data(list.utf8).write(to: URL(fileURLWithPath: path + ".tsv"))) != nil
    else { return 1 }
    return 0
  }

  /// Starts `tokenwarden sandbox` (built beside this benchmark) on a scenario file.
  static func startSandbox(_ scenario: URL) -> (Process, URL)? {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
      "tokenwarden")
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

  /// When the benchmark's clock started (first use), for `--trace`.
  static let origin = ContinuousClock.now

  /// Each request with the time it completed.
  static func tracer() -> APILogger {
    _ = origin
    return { line in print(String(format: "%8.3f s  ", seconds(ContinuousClock.now - origin)) + line) }
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  static func report(_ elapsed: Duration, requests: Int, concurrency: Int) {
    let seconds = seconds(elapsed)
    let floor = Double(requests) * 0.020 / Double(concurrency)
    print(
      String(
        format: "  wall time %.2f s; floor (requests × 20 ms ÷ %d) %.2f s; ratio %.2f×", seconds, concurrency, floor,
        seconds / floor))
  }

  static func peakKilobytes() -> Int { ProcessStatus.kilobytes("VmHWM:") }
}
