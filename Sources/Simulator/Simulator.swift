import Basics
import CloudflareAPI
import Foundation
import JSON
import Synchronization
import TokenModel

/// A request as the simulator sees it, from the in-process transport or the loopback server.
package struct SimRequest: Sendable {
  package var method: String
  /// Path below the API base, e.g. `/user/tokens/verify`.
  package var path: String
  package var query: [String: String]
  package var headers: [String: String]
  package var body: Data
  package var clientIP: String

  package init(
    method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data(),
    clientIP: String = "127.0.0.1"
  ) {
    self.method = method
    self.path = path
    self.query = query
    var lowered: [String: String] = [:]
    for (name, value) in headers { lowered[name.lowercased()] = value }
    self.headers = lowered
    self.body = body
    self.clientIP = clientIP
  }
}

/// An answer; `resetConnection` means no answer at all (the connection is dropped).
package struct SimResponse: Sendable {
  package var status: Int
  package var headers: [String: String]
  package var body: Data
  package var resetConnection = false
  /// Latency in milliseconds: the answer is given this long after the request arrived. The simulator's own work
  /// counts inside it, as a server's does inside a network round trip — it shares the cores with the client being
  /// measured, which a real server does not.
  package var delayMilliseconds = 0

  /// Waits out the latency of a request that arrived at `arrival`.
  package func delay(since arrival: ContinuousClock.Instant) async throws {
    guard delayMilliseconds > 0 else { return }
    try await Task.sleep(until: arrival + .milliseconds(delayMilliseconds), clock: .continuous)
  }

  package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// Cloudflare's token API in memory, as its documentation and observed behaviour describe it: envelope and
/// pagination, authentication, permission checks, visibility by family, replace-on-PUT with fresh policy ids and
/// reordering, validation against the catalog, the escalation check, IP conditions, roll, rate limiting — and seeded
/// faults.
package final class Simulator: Sendable {
  let state: Mutex<SimulatorState>
  let catalog: PermissionCatalog
  /// Each group's name by id, as rendered into every token read.
  let groupNames: [String: String]
  let now: @Sendable () -> Date
  let random: Mutex<SplitMix64>
  /// Requests per rate bucket (user or account) in the window, and penalties.
  let rate = Mutex<[String: RateBucket]>([:])
  /// Called after every change, with the new state (the sandbox persists it).
  let onChange: (@Sendable (SimulatorState) -> Void)?
  /// Where each token is in `state.tokens`, by id and by secret (lock order: `state`, then `index`).
  let index = Mutex(TokenIndex())
  /// Requests answered over HTTP (`requestCountPath`).
  let answeredRequests = Mutex(0)
  /// Called with each request and its answer once the answer is made, before the client has it. Kept in a class:
  /// a closure read out of a `Mutex` through `inout` comes back wrapped in one more reabstraction thunk each time,
  /// and after 25,000 requests each call went through 25,000 of them.
  let answered = Mutex<AnswerHook?>(nil)

  final class AnswerHook: Sendable {
    let body: @Sendable (SimRequest, SimResponse) -> Void
    init(_ body: @escaping @Sendable (SimRequest, SimResponse) -> Void) { self.body = body }
  }

  struct RateBucket {
    var times: [Double] = []
    var blockedUntil: Double = -.infinity
  }

  package init(
    state: SimulatorState, catalog: PermissionCatalog = .bundled, now: @escaping @Sendable () -> Date = { Date() },
    onChange: (@Sendable (SimulatorState) -> Void)? = nil
  ) {
    self.state = Mutex(state)
    let catalog = state.catalog(catalog)
    self.catalog = catalog
    groupNames = Dictionary(catalog.groups.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
    self.now = now
    self.random = Mutex(SplitMix64(seed: state.faults.seed))
    self.onChange = onChange
  }

  /// A copy of the current state.
  package var snapshot: SimulatorState { state.withLock { $0 } }

  /// Changes state outside the API (tests: edits "made in the dashboard").
  package func mutate(_ body: (inout SimulatorState) -> Void) {
    let updated = state.withLock { current -> SimulatorState in
      body(&current)
      return current
    }
    onChange?(updated)
  }

  /// Runs `hook` after each request is answered and before the client sees the answer: tests make an edit "in the
  /// dashboard" at an exact point between two of TokenWarden's requests (through `mutate`). nil removes it.
  package func afterEachAnswer(_ hook: (@Sendable (SimRequest, SimResponse) -> Void)?) {
    answered.withLock { $0 = hook.map(AnswerHook.init) }
  }

  /// Takes a state another process wrote, without calling `onChange` (it is already saved).
  package func replaceState(_ new: SimulatorState) {
    state.withLock { $0 = new }
  }

  package func setFaults(_ faults: FaultSettings) {
    mutate { $0.faults = faults }
    random.withLock { $0 = SplitMix64(seed: faults.seed) }
  }

  // MARK: Handling

  package func handle(_ request: SimRequest) -> SimResponse {
    let faults = state.withLock { $0.faults }
    let roll = random.withLock { rng -> (Double, Double, Double, Double) in
      (rng.unit(), rng.unit(), rng.unit(), rng.unit())
    }
    var response: SimResponse
    if roll.0 < faults.resetRate {
      response = SimResponse(status: 0)
      response.resetConnection = true
    } else if roll.1 < faults.errorRate {
      response = SimResponse(
        status: 502, headers: ["Content-Type": "text/html"],
        body: Data("<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>".utf8))
    } else if roll.2 < faults.rateLimitedRate {
      response = Self.failure(429, 971, "Please wait and consider throttling your request speed")
      response.headers["Retry-After"] = "1"
    } else {
      response = route(request, appliedButFailed: request.method == "PUT" && roll.3 < faults.appliedButFailedRate)
    }
    response.delayMilliseconds = faults.latencyMilliseconds
    if let hook = answered.withLock({ $0 }) { hook.body(request, response) }
    return response
  }

  func route(_ request: SimRequest, appliedButFailed: Bool) -> SimResponse {
    let parts = request.path.split(separator: "/").map(String.init)
    // /user/tokens[/…] or /accounts/{id}/tokens[/…]
    let family: TokenFamily
    let rest: ArraySlice<String>
    if parts.count >= 2 && parts[0] == "user" && parts[1] == "tokens" {
      family = .user
      rest = parts[2...]
    } else if parts.count >= 3 && parts[0] == "accounts" && parts[2] == "tokens", let account = HexID(parts[1]) {
      family = .account(account)
      rest = parts[3...]
    } else if parts.count == 6 && parts[0] == "accounts" && parts[2] == "workers" && parts[3] == "scripts"
      && parts[5] == "secrets", let account = HexID(parts[1])
    {
      return workerSecrets(request, account: account, script: parts[4])
    } else if request.method == "GET" && (parts == ["accounts"] || parts == ["zones"]) {
      return directory(request, zones: parts == ["zones"])
    } else if let (area, account) = ProbeArea.matching(path: request.path) {
      return probe(request, area: area, account: account)
    } else {
      return Self.failure(404, 7003, "No route for the URI")
    }
    let caller: SimToken
    switch authenticate(request, verifying: rest.first == "verify" && rest.count == 1) {
    case .failure(let response): return response
    case .success(let token): caller = token
    }
    if let limited = countRequest(for: caller) { return limited }
    var response: SimResponse
    switch (request.method, Array(rest)) {
    case ("GET", ["verify"]): response = verify(caller, family: family)
    case ("GET", ["permission_groups"]): response = permissionGroups(caller, family: family, query: request.query)
    case ("GET", []): response = list(caller, family: family, query: request.query)
    case ("POST", []): response = create(caller, family: family, body: request.body)
    case ("GET", let path) where path.count == 1: response = details(caller, family: family, id: path[0])
    case ("PUT", let path) where path.count == 1:
      response = update(caller, family: family, id: path[0], body: request.body)
      if appliedButFailed && response.status == 200 {
        response = Self.failure(500, 10001, "Internal server error")
      }
    case ("PUT", let path) where path.count == 2 && path[1] == "value":
      response = roll(caller, family: family, id: path[0])
    case (_, let path) where path.count <= 2:
      response = Self.failure(405, 10405, "Method not allowed")
    default:
      response = Self.failure(404, 7003, "No route for the URI")
    }
    response.headers.merge(rateHeaders(for: caller)) { current, _ in current }
    return response
  }

  // MARK: Envelope

  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  static func success<T: Encodable>(_ result: T, info: ResultInfo? = nil, messages: [APIMessage] = []) -> SimResponse {
    let data = (try? encoder().encode(SuccessBody(messages: messages, result: result, resultInfo: info))) ?? Data()
    return SimResponse(status: 200, headers: ["Content-Type": "application/json"], body: data)
  }

  /// The same envelope written without `JSONEncoder`, for token records (a list of 10,000 tokens is most of what a
  /// benchmark's simulator does, and it shares the cores with the client being measured): `result` writes the result.
  static func success(info: ResultInfo? = nil, result: (inout JSONWriter) -> Void) -> SimResponse {
    var writer = JSONWriter()
    writer.object { body in
      body.key("errors")
      body.array { _ in }
      body.key("messages")
      body.array { _ in }
      body.key("result")
      result(&body)
      body.field("result_info", info)
      body.key("success")
      body.bool(true)
    }
    return SimResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(writer.bytes))
  }

  static func success(token: APIToken) -> SimResponse { success { token.write(json: &$0) } }

  static func failure(_ status: Int, _ code: Int, _ message: String) -> SimResponse {
    struct Body: Encodable {
      let success = false
      let errors: [APIMessage]
      let messages: [APIMessage] = []
      let result: String? = nil

      func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(success, forKey: .success)
        try c.encode(errors, forKey: .errors)
        try c.encode(messages, forKey: .messages)
        try c.encodeNil(forKey: .result)
      }
      enum Keys: String, CodingKey { case success, errors, messages, result }
    }
    let data = (try? encoder().encode(Body(errors: [APIMessage(code: code, message: message)]))) ?? Data()
    return SimResponse(status: status, headers: ["Content-Type": "application/json"], body: data)
  }
}

struct SuccessBody<R: Encodable>: Encodable {
  let success = true
  let errors: [APIMessage] = []
  let messages: [APIMessage]
  let result: R
  let resultInfo: ResultInfo?

  enum CodingKeys: String, CodingKey {
    case success, errors, messages, result
    case resultInfo = "result_info"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(success, forKey: .success)
    try c.encode(errors, forKey: .errors)
    try c.encode(messages, forKey: .messages)
    try c.encode(result, forKey: .result)
    try c.encodeIfPresent(resultInfo, forKey: .resultInfo)
  }
}

/// Positions of tokens in the state by id and by secret, so that authenticating and finding a token are not a scan
/// of every token (10,000 in the benchmarks, on every request). Checked on every use and rebuilt when stale (a token
/// added, removed or rolled), so it is never wrong.
struct TokenIndex {
  var byID: [String: Int] = [:]
  var bySecret: [String: Int] = [:]

  mutating func position(id: String, in tokens: [SimToken]) -> Int? {
    if let known = byID[id], known < tokens.count, tokens[known].id.rawValue == id { return known }
    rebuild(tokens)
    return byID[id]
  }

  mutating func position(secret: String, in tokens: [SimToken]) -> Int? {
    if let known = bySecret[secret], known < tokens.count, tokens[known].secret == secret { return known }
    rebuild(tokens)
    return bySecret[secret]
  }

  mutating func rebuild(_ tokens: [SimToken]) {
    byID = [:]
    bySecret = [:]
    // The first of duplicates wins, as a scan from the start would find it.
    for (position, token) in tokens.enumerated().reversed() {
      byID[token.id.rawValue] = position
      bySecret[token.secret] = position
    }
  }
}

extension Simulator {
  /// The sandbox's stand-in for a deployment that now reads a rotated token's secret: the environment variable the
  /// old token's value was given under is given the new token's instead.
  package func moveEnvironment(from oldID: String, to newID: String) {
    let updated = state.withLock { current -> SimulatorState? in
      guard let old = current.tokens.firstIndex(where: { $0.id.rawValue == oldID }),
        let new = current.tokens.firstIndex(where: { $0.id.rawValue == newID }), let env = current.tokens[old].env
      else { return nil }
      current.tokens[new].env = env
      current.tokens[old].env = nil
      return current
    }
    if let updated { onChange?(updated) }
  }
}
