import CloudflareAPI
import Foundation
import HTTPServer
import Health
import Operations
import Service
import Simulator
import Synchronization
import Testing
import TokenModel

#if canImport(Glibc)
  import Glibc
#endif

/// A clock that moves only when the test says so; `sleep` suspends until then.
final class TestClock: ServiceClock {
  struct Sleeper {
    let id: Int
    let until: Date
    let continuation: CheckedContinuation<Void, Error>
  }

  struct State {
    var now: Date
    var sleepers: [Sleeper] = []
    var nextID = 0
    var watchers: [CheckedContinuation<Date, Never>] = []
  }

  let state: Mutex<State>

  init(_ now: Date) { state = Mutex(State(now: now)) }

  func now() -> Date { state.withLock { $0.now } }

  func sleep(until date: Date) async throws {
    let id = state.withLock { current -> Int in
      current.nextID += 1
      return current.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
        let resumeNow = state.withLock { current -> Bool in
          if date <= current.now { return true }
          current.sleepers.append(Sleeper(id: id, until: date, continuation: continuation))
          for watcher in current.watchers { watcher.resume(returning: date) }
          current.watchers.removeAll()
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let sleeper = state.withLock { current -> Sleeper? in
        guard let index = current.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
        return current.sleepers.remove(at: index)
      }
      sleeper?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Waits until something sleeps on this clock; returns when it wants to wake.
  func nextSleeper() async -> Date {
    await withCheckedContinuation { continuation in
      let existing = state.withLock { current -> Date? in
        if let first = current.sleepers.map(\.until).min() { return first }
        current.watchers.append(continuation)
        return nil
      }
      if let existing { continuation.resume(returning: existing) }
    }
  }

  /// Moves to `date`, waking every sleeper due by then.
  func advance(to date: Date) {
    let due = state.withLock { current -> [Sleeper] in
      current.now = date
      let due = current.sleepers.filter { $0.until <= date }
      current.sleepers.removeAll { $0.until <= date }
      return due
    }
    for sleeper in due { sleeper.continuation.resume() }
  }
}

/// Lines collected from several tasks.
final class Lines: Sendable {
  let lines = Mutex<[String]>([])
  func append(_ line: String) { lines.withLock { $0.append(line) } }
  func withLock<T>(_ body: ([String]) -> T) -> T { lines.withLock { body($0) } }
}

/// A service on a loopback port over an in-process simulator, with its state directory.
struct Harness {
  let service: TokenWardenService
  let simulator: Simulator
  let client: CloudflareClient
  let directory: URL
  let clock: TestClock
  let log: Lines

  static let token = "client-secret-for-tests"
  static let start = ISO8601DateFormatter().date(from: "2026-11-22T11:59:30Z") ?? Date()

  static func desired() -> DesiredState {
    func id(_ name: String) -> HexID { PermissionCatalog.bundled.groups(named: name)[0].id }
    let account = Scenario.mainAccount
    let groups = [
      "Workers KV Storage Write", "Workers R2 Storage Write", "Workers AI Write", "AI Gateway Write", "Queues Write",
      "Vectorize Write", "Hyperdrive Write", "Workers Tail Read", "Pages Write", "Images Write",
      "Cloudflare Tunnel Write", "Account Analytics Read", "Workers Scripts Write", "D1 Write",
    ]
    return DesiredState(tokens: [
      DesiredToken(
        name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
        secretVariable: "CLOUDFLARE_ACCOUNT_TOKEN", healer: .token("user_token"), warnBeforeSeconds: 14 * 86_400,
        grants: groups.map {
          DesiredGrant(group: id($0), resource: .account(account), groupName: $0, resourceName: "account main")
        },
        location: "t"),
      DesiredToken(
        name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user",
        secretVariable: "CLOUDFLARE_USER_TOKEN",
        healer: .token("account_token"), warnBeforeSeconds: 14 * 86_400,
        grants: [
          DesiredGrant(
            group: id("API Tokens Write"), resource: .user, groupName: "API Tokens Write", resourceName: "user")
        ],
        location: "t"),
    ])
  }

  /// `prepare` runs before the service starts (to record history, say).
  static func start(
    schedules: [String] = ["0 */6 * * *"], monitorOnly: Bool = false, healthInterval: TimeInterval = 30,
    notifier: Notifier? = nil, source: String = "the sandbox (scenario seed)", authenticated: Bool = true,
    publicURL: URL? = nil, allowedHosts: [String] = [], maxConnectionsPerClient: Int = 64,
    prepare: (HealthRunner) async -> Void = { _ in }
  ) async throws -> Harness {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tokenwarden-service-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let clock = TestClock(start)
    let simulator = Simulator(state: Scenario.seed(invisible: false), now: { clock.now() })
    let base = URL(string: "https://api.test/client/v4")!
    var configuration = ClientConfiguration()
    configuration.maxAttempts = 1
    let client = CloudflareClient(
      baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base), configuration: configuration,
      rateLimiter: RateLimiter(limit: 100_000))
    var credentials: [String: Credential] = [:]
    for token in simulator.snapshot.tokens {
      credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
    }
    let log = Lines()
    let recorder = HistoryRecorder(stateDirectory: directory.path, environment: [:]) { problem in
      log.append("\(problem)")
    }
    let check = HealthCheck(
      client: client, desired: desired(), catalog: .bundled, credentials: credentials, missingSecrets: [:],
      toolVersion: "test", policyDigest: "sha256:test", source: source)
    let runner = HealthRunner(check: check, recorder: recorder, stateDirectory: directory.path, now: { clock.now() })
    await prepare(runner)
    var options = TokenWardenService.Options()
    options.port = 0
    options.schedules = try schedules.map { text throws(CronExpression.ParseError) in try CronExpression(text) }
    options.monitorOnly = monitorOnly
    options.healthInterval = healthInterval
    options.clientToken = authenticated ? Secret(token) : nil
    options.publicURL = publicURL
    options.allowedHosts = allowedHosts
    options.maxConnectionsPerClient = maxConnectionsPerClient
    options.notifier = notifier
    let service = try TokenWardenService(runner: runner, options: options, clock: clock) { line in log.append(line) }
    return Harness(service: service, simulator: simulator, client: client, directory: directory, clock: clock, log: log)
  }

  func stop() async {
    await service.stop(grace: 5)
    try? FileManager.default.removeItem(at: directory)
  }

  struct Response {
    let status: Int
    let headers: [String: String]
    let body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any]) }
    /// The `data` of a REST answer, after checking its envelope.
    func data() throws -> [String: Any] {
      let document = try json()
      #expect(document["format_version"] as? String == "2")
      #expect(document["success"] as? Bool == true)
      return try #require(document["data"] as? [String: Any])
    }
  }

  enum Auth {
    case none
    case bearer(String)
    case basic(String, String)
  }

  /// One request on a fresh loopback connection (`Connection: close`), on a thread of its own: blocking sockets never
  /// hold the cooperative pool the service runs on. (URLSession on Linux hangs on a 401 carrying a Basic challenge.)
  func request(
    _ method: String, _ target: String, auth: Auth = .bearer(Harness.token), host: String = "127.0.0.1",
    headers extra: [(String, String)] = []
  ) async throws -> Response {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\nContent-Length: 0\r\n"
    for (name, value) in extra { head += "\(name): \(value)\r\n" }
    switch auth {
    case .none: break
    case .bearer(let token): head += "Authorization: Bearer \(token)\r\n"
    case .basic(let user, let password):
      head += "Authorization: Basic " + Data("\(user):\(password)".utf8).base64EncodedString() + "\r\n"
    }
    let bytes = Array((head + "\r\n").utf8)
    let port = service.server.port
    let raw = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], Error>) in
      Thread { continuation.resume(with: Result { try Self.exchange(bytes, port: port) }) }.start()
    }
    guard let end = Self.find([13, 10, 13, 10], in: raw) else { throw POSIXError(.EPROTO) }
    let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers[name] = headers[name].map { $0 + ", " + value } ?? value
    }
    return Response(status: status, headers: headers, body: Data(raw[(end + 4)...]))
  }

  static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for index in 0...(haystack.count - needle.count) where Array(haystack[index..<(index + needle.count)]) == needle {
      return index
    }
    return nil
  }

  /// Sends the request and reads until the server closes the connection.
  static func exchange(_ request: [UInt8], port: UInt16) throws -> [UInt8] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var response = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let count = recv(fd, &chunk, chunk.count, 0)
      if count <= 0 { break }
      response += chunk[0..<count]
    }
    return response
  }

  /// Waits until the scheduler sleeps: the check or run it makes at start is over. Returns when it will wake.
  @discardableResult
  func ready() async -> Date { await clock.nextSleeper() }
}
