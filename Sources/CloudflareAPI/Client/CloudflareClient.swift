import Foundation
import JSON
import Synchronization
import TokenModel

/// Settings of the client; defaults suit Cloudflare's published limits.
package struct ClientConfiguration: Sendable {
  /// Attempts per request, the first included.
  package var maxAttempts = 4
  /// Backoff: full jitter over `baseDelay × 2^attempt`, capped at `maxDelay` (seconds).
  package var baseDelay = 0.5
  package var maxDelay = 8.0
  /// Waits Cloudflare imposes (a 429's `Retry-After`, a budget its headers report spent) longer than this fail the
  /// request at once, saying when to try again; 0 fails at the first. Our own pacing is not bounded by it.
  package var maxWait = 60.0
  /// Total deadline of one attempt, reads and writes.
  package var readTimeout = 30.0
  package var writeTimeout = 15.0
  /// Requests in flight at once.
  package var concurrency = 8
  /// Page size of list calls (Cloudflare allows 5 to 50).
  package var pageSize = 50
  /// More tokens than any family holds: a list past it (a `total_count` above it, or full pages without end) is a
  /// broken answer.
  package var maxListedTokens = 1_000_000

  package init() {}
}

/// One line per request, for `--debug`: never an Authorization header or a token value.
package typealias APILogger = @Sendable (String) -> Void

/// The typed client of Cloudflare's token endpoints, both families.
package final class CloudflareClient: Sendable {
  package let baseURL: URL
  package let configuration: ClientConfiguration
  let transport: any HTTPTransport
  package let rateLimiter: RateLimiter
  let time: any TimeSource
  let deadlineTime: any TimeSource
  let semaphore: AsyncSemaphore
  let logger: APILogger?
  /// Hears of long waits (over `RateLimiter.announceAfter`): one line each, for stderr.
  let notice: APILogger?
  let jitter: @Sendable () -> Double
  /// Requests sent, by method and path pattern; for benchmarks and metrics.
  package let counter = RequestCounter()
  /// The budget Cloudflare last reported (its tightest limit's remaining requests), for progress lines.
  package let lastRemaining = Mutex<Int?>(nil)

  package init(
    baseURL: URL, transport: any HTTPTransport, configuration: ClientConfiguration = ClientConfiguration(),
    rateLimiter: RateLimiter = .shared, time: any TimeSource = SystemTime(),
    deadlineTime: any TimeSource = SystemTime(), logger: APILogger? = nil, notice: APILogger? = nil,
    jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
  ) {
    self.baseURL = baseURL
    self.transport = transport
    self.configuration = configuration
    self.rateLimiter = rateLimiter
    self.time = time
    self.deadlineTime = deadlineTime
    self.semaphore = AsyncSemaphore(limit: configuration.concurrency)
    self.logger = logger
    self.notice = notice
    self.jitter = jitter
  }

  // MARK: Endpoints

  /// Every token of a family, all pages; expired ones included (`include_expired=true`): a token the policy
  /// requires that has expired is reported as expired, not as one nobody can see.
  package func listTokens(_ family: TokenFamily, as credential: Credential, expected: Int = 0)
    async throws(CloudflareError)
    -> [APIToken]
  {
    try await listTokens(family, as: credential, expected: expected) { $0 }
  }

  /// Every token of a family, each boiled down by `transform` as its page arrives (in a task of its own, behind the
  /// requests still to make), so the records are never all held.
  ///
  /// `expected` is how many tokens the caller knows the family to hold (a policy's tokens of it): the pages those
  /// fill (at most `maxEarlyPages`) are asked for at once, together with the first, instead of one round trip later.
  /// Pages beyond them are asked for as soon as the first page's `total_count` is read. A page asked for early that
  /// the count puts past the end (tokens of the policy that no longer exist) is dropped, whatever it answered.
  package func listTokens<T: Sendable>(
    _ family: TokenFamily, as credential: Credential, expected: Int = 0,
    _ transform: @escaping @Sendable (APIToken) -> T
  ) async throws(CloudflareError) -> [T] {
    let size = configuration.pageSize
    let path = family.tokensPath
    let call = APICall(method: "GET", path: path, caller: credential.display)
    let early = max(1, min((max(0, expected) + size - 1) / size, Self.maxEarlyPages))
    typealias Fetched = ListedPage<T>
    @Sendable func records(_ page: Page<TokenPage>) -> [T] { page.result.tokens.map(transform) }
    /// One page as it came: converted later, apart from the fetch.
    @Sendable func read(_ page: Int) async -> Result<Fetched, CloudflareError> {
      do {
        let answer: Page<TokenPage> = try await send(
          "GET", path, query: ["page": "\(page)", "per_page": "\(size)", "include_expired": "true"], as: credential)
        return .success(Fetched(raw: answer, count: answer.result.tokens.count, total: answer.info?.totalCount))
      } catch {
        return .failure(error)
      }
    }
    typealias Step = ListStep<T>
    // Pages read, failures, and the page count once page 1 tells it (nil: no total, walk to a short page).
    var fetched: [Int: Fetched] = [:]
    var failures: [Int: CloudflareError] = [:]
    var pages: Int?
    var firstFailure: CloudflareError?
    var implausible: Int?
    await withTaskGroup(of: Step.self) { group in
      // Fetches go ahead of conversions: an answer to hand on or a request to send gates the next round trip,
      // converting a page gates nothing. Each page is converted in a task of its own as it arrives.
      func fetch(_ page: Int) { group.addTask(priority: .high) { .fetched(page, await read(page)) } }
      for page in 1...early { fetch(page) }
      for await step in group {
        let page: Int
        let result: Result<Fetched, CloudflareError>
        switch step {
        case .converted(let number, let records):
          fetched[number]?.records = records
          fetched[number]?.raw = nil
          continue
        case .fetched(let number, let outcome):
          page = number
          result = outcome
        }
        switch result {
        case .success(let value):
          fetched[page] = value
          if let raw = value.raw { group.addTask(priority: .low) { .converted(page, records(raw)) } }
        case .failure(let error): failures[page] = error
        }
        guard page == 1 else {
          // A page that must be there failed: nothing more is worth waiting for.
          if failures[page] != nil, let pages, page <= pages {
            group.cancelAll()
            return
          }
          continue
        }
        guard case .success(let first) = result else {
          firstFailure = failures[1]
          group.cancelAll()
          return
        }
        if let total = first.total {
          // A page count from a broken answer must not become millions of requests (or an overflow).
          guard (0...configuration.maxListedTokens).contains(total) else {
            implausible = total
            group.cancelAll()
            return
          }
          let count = max(1, (total + size - 1) / size)
          pages = count
          if count > early { for page in (early + 1)...count { fetch(page) } }
          if failures.keys.contains(where: { $0 <= count }) {
            group.cancelAll()
            return
          }
        }
      }
    }
    if let firstFailure { throw firstFailure }
    if let implausible {
      throw .malformedResponse(
        call, status: 200, "result_info.total_count is \(implausible), not a plausible number of tokens")
    }
    guard fetched[1] != nil else { throw .transport(call, "cancelled") }
    /// A page's records: converted by its task, or here if that never ran.
    func converted(_ page: Fetched) -> [T] { page.raw.map(records) ?? page.records }
    if let pages {
      if let failed = failures.keys.filter({ $0 <= pages }).min(), let error = failures[failed] { throw error }
      var all: [T] = []
      for page in 1...pages {
        guard let known = fetched[page] else { throw .transport(call, "cancelled") }
        all += converted(known)
      }
      return all
    }
    // No total: the pages in order up to the first short one, then one at a time past those asked for early.
    var all: [T] = []
    var page = 1
    while true {
      let current: Fetched
      if page <= early {
        if let error = failures[page] { throw error }
        guard let known = fetched[page] else { throw .transport(call, "cancelled") }
        current = known
      } else {
        current = try await read(page).get()
      }
      all += converted(current)
      if current.count < size { return all }
      // Full pages without end: a broken answer, not an account.
      guard all.count < configuration.maxListedTokens else {
        throw .malformedResponse(
          call, status: 200, "over \(configuration.maxListedTokens) tokens listed without a result_info.total_count")
      }
      page += 1
    }
  }

  package func token(_ id: HexID, in family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> APIToken
  {
    try await send("GET", family.tokensPath + "/" + id.rawValue, as: credential).result
  }

  /// PUT: replaces the whole token. `retrySafe` only when repeating it cannot do harm (the caller re-reads first).
  package func updateToken(
    _ id: HexID, in family: TokenFamily, _ update: APITokenUpdate, as credential: Credential, retrySafe: Bool = false
  ) async throws(CloudflareError) -> APIToken {
    let body: Data
    do { body = try JSONEncoder().encode(update) } catch {
      throw .malformedResponse(
        APICall(method: "PUT", path: family.tokensPath, caller: credential.display), status: 0,
        "cannot encode the update")
    }
    return try await send(
      "PUT", family.tokensPath + "/" + id.rawValue, body: body, as: credential, retrySafe: retrySafe
    )
    .result
  }

  /// POST: a new token of the family, with the update's fields. Never retried: a lost answer would leave a token
  /// whose value nobody has.
  package func createToken(_ family: TokenFamily, _ update: APITokenUpdate, as credential: Credential)
    async throws(CloudflareError) -> CreatedToken
  {
    let body: Data
    do { body = try JSONEncoder().encode(update) } catch {
      throw .malformedResponse(
        APICall(method: "POST", path: family.tokensPath, caller: credential.display), status: 0,
        "cannot encode the token")
    }
    return try await send("POST", family.tokensPath, body: body, as: credential).result
  }

  /// The calling token's own status, through its family's verify endpoint.
  package func verify(_ family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> APITokenVerification
  {
    try await send("GET", family.tokensPath + "/verify", as: credential).result
  }

  /// A read-only GET of any endpoint below the base URL, its `result` as JSON: what `probe` calls.
  package func get(_ path: String, as credential: Credential) async throws(CloudflareError) -> JSONValue {
    try await send("GET", path, as: credential).result
  }

  /// The live catalog of permission groups the family can grant.
  package func permissionGroups(_ family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> [APIPermissionGroup]
  {
    try await send("GET", family.tokensPath + "/permission_groups", as: credential).result
  }

  /// Rolls the token's value; the old value stops working at once. Never retried.
  package func rollToken(_ id: HexID, in family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> Secret
  {
    let value: Page<String> = try await send(
      "PUT", family.tokensPath + "/" + id.rawValue + "/value", body: Data("{}".utf8), as: credential)
    return Secret(value.result)
  }

  // MARK: Requests

  /// A page of a list fetched, or converted.
  enum ListStep<T: Sendable>: Sendable {
    case fetched(Int, Result<ListedPage<T>, CloudflareError>)
    case converted(Int, [T])
  }

  /// One page of a list: the answer as it came until it is converted, then its records; and its counts.
  struct ListedPage<T: Sendable>: Sendable {
    var records: [T] = []
    var raw: Page<TokenPage>?
    let count: Int
    let total: Int?
  }

  struct Page<Result: JSONResult>: Sendable {
    let result: Result
    let info: ResultInfo?
  }

  func send<Result: JSONResult>(
    _ method: String, _ path: String, query: [String: String] = [:], body: Data? = nil, as credential: Credential,
    retrySafe: Bool = false
  ) async throws(CloudflareError) -> Page<Result> {
    let call = APICall(method: method, path: path, caller: credential.display)
    guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
      throw .transport(call, "invalid base URL \(baseURL)")
    }
    let basePath =
      components.percentEncodedPath.hasSuffix("/")
      ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
    components.percentEncodedPath = basePath + path
    if !query.isEmpty {
      components.queryItems = query.keys.sorted().map { URLQueryItem(name: $0, value: query[$0]) }
    }
    guard let url = components.url else { throw .transport(call, "invalid base URL \(baseURL)") }
    var headers = ["Accept": "application/json", "User-Agent": "tokenwarden"]
    credential.secret.withValue { headers["Authorization"] = "Bearer " + $0 }
    if body != nil { headers["Content-Type"] = "application/json" }
    let request = HTTPRequest(method: method, url: url, headers: headers, body: body)
    let mayRetry = method == "GET" || retrySafe
    var attempt = 0
    while true {
      attempt += 1
      let outcome = await attemptOnce(request, call: call)
      switch outcome {
      case .success(let response):
        do {
          return try decode(response, call: call)
        } catch {
          guard attempt < configuration.maxAttempts, error.isTransient else { throw error }
          if case .rateLimited = error {
            // The limiter has the 429's Retry-After and holds every request until then (Cloudflare refuses them all);
            // without one, back off. Past --max-wait the next attempt fails with when to try again.
            if response.headers["retry-after"] == nil { rateLimiter.block(for: backoff(attempt)) }
          } else {
            guard mayRetry else { throw error }
            try await pause(backoff(attempt), call: call)
          }
        }
      case .failure(let error):
        // A wait Cloudflare imposes beyond --max-wait: retrying sooner would only be refused again.
        if case .rateLimited = error { throw error }
        guard attempt < configuration.maxAttempts, mayRetry else { throw error }
        try await pause(backoff(attempt), call: call)
      }
    }
  }

  func backoff(_ attempt: Int) -> Double {
    let ceiling = min(configuration.maxDelay, configuration.baseDelay * pow(2, Double(attempt - 1)))
    return ceiling * jitter()
  }

  func pause(_ seconds: Double, call: APICall) async throws(CloudflareError) {
    do { try await time.sleep(seconds: seconds) } catch { throw .transport(call, "cancelled") }
  }

  /// One attempt under the concurrency limit, the rate limit and a total deadline.
  func attemptOnce(_ request: HTTPRequest, call: APICall) async -> Result<HTTPResponse, CloudflareError> {
    await semaphore.wait()
    defer { semaphore.signal() }
    do {
      let notice = self.notice
      let logger = self.logger
      try await rateLimiter.acquire(maxWait: configuration.maxWait) { line in
        notice?(line)
        logger?(line)
      }
    } catch let tooLong as RateLimiter.WaitTooLong {
      return .failure(.rateLimited(call, retryAfterSeconds: Int(tooLong.seconds.rounded(.up))))
    } catch {
      return .failure(.transport(call, "cancelled"))
    }
    let deadline = request.method == "GET" ? configuration.readTimeout : configuration.writeTimeout
    let started = deadlineTime.now()
    let pattern = Self.pattern(call.path)
    counter.count(request.method, pattern: pattern)
    let transport = self.transport
    let deadlineTime = self.deadlineTime
    do {
      let response = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
        // The exchange itself runs ahead of whatever its caller does with answers: other requests wait on its slot.
        group.addTask(priority: .high) { try await transport.send(request) }
        group.addTask {
          try await deadlineTime.sleep(seconds: deadline)
          throw TransportFailure.timedOut
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TransportFailure.timedOut }
        return first
      }
      counter.countAnswered()
      let budget = RateLimitHeaders(response.headers)
      let tightest = budget.tightest
      if let tightest { lastRemaining.withLock { $0 = tightest.remaining } }
      rateLimiter.observe(budget)
      log(
        request, call: call, status: "\(response.status)", started: started, remaining: tightest?.remaining,
        limit: tightest?.quota.map(String.init))
      if response.status == 429 {
        counter.countRateLimited(request.method, pattern: pattern)
      } else if response.status >= 400 {
        counter.countError(request.method, pattern: pattern)
      }
      return .success(response)
    } catch TransportFailure.timedOut {
      // The total deadline, or the transport's own idle timer (URLSession's), whichever ran out first: what is
      // reported is how long this attempt actually waited.
      let waited = min(deadline, max(0, deadlineTime.now() - started))
      let seconds = waited >= deadline * 0.99 ? deadline : (waited * 10).rounded() / 10
      log(request, call: call, status: "timeout", started: started, remaining: nil, limit: nil)
      counter.countError(request.method, pattern: pattern)
      counter.noteUnanswered("no response within \(CloudflareError.format(seconds)) s")
      return .failure(.timeout(call, seconds: seconds))
    } catch let TransportFailure.connection(detail) {
      log(request, call: call, status: "connection failed", started: started, remaining: nil, limit: nil)
      counter.countError(request.method, pattern: pattern)
      counter.noteUnanswered(detail)
      return .failure(.transport(call, detail))
    } catch {
      counter.countError(request.method, pattern: pattern)
      return .failure(.transport(call, "\(error)"))
    }
  }

  func log(_ request: HTTPRequest, call: APICall, status: String, started: Double, remaining: Int?, limit: String?) {
    guard let logger else { return }
    let milliseconds = Int((deadlineTime.now() - started) * 1000)
    let budget = remaining.map { " rate-limit \($0)/\(limit ?? "?")" } ?? ""
    logger("\(request.method) \(request.target) as \(call.caller) → \(status) in \(milliseconds) ms\(budget)")
  }

  /// `/accounts/{id}/tokens/{id}` for counting requests by kind.
  static func pattern(_ path: String) -> String {
    "/"
      + path.split(separator: "/").map { $0.count == 32 && HexID(String($0)) != nil ? "{id}" : String($0) }
      .joined(separator: "/")
  }

  // MARK: Responses

  /// Pages asked for before the first answer says how many there are: 50,000 tokens at 50 a page.
  package static let maxEarlyPages = 1_000

  /// Larger answers are refused unread: no token endpoint returns anything near this.
  package static let maxResponseBytes = 16 << 20

  func decode<Result: JSONResult>(_ response: HTTPResponse, call: APICall) throws(CloudflareError) -> Page<Result> {
    guard response.body.count <= Self.maxResponseBytes else {
      throw .malformedResponse(
        call, status: response.status,
        "the answer is \(response.body.count) bytes, over the \(Self.maxResponseBytes >> 20) MiB limit")
    }
    let ok = (200..<300).contains(response.status)
    if ok, let scanned = Self.scan(Result.self, response.body) { return scanned }
    let envelope: Envelope?
    do {
      envelope = Envelope(try JSONReader.parse(response.body))
    } catch {
      if ok { throw .malformedResponse(call, status: response.status, Self.describe(error, body: response.body)) }
      envelope = nil
    }
    if ok, let envelope, envelope.success == nil {
      throw .malformedResponse(call, status: response.status, "missing field 'success' or not a boolean")
    }
    if ok, let envelope, envelope.success == true {
      guard let json = envelope.result else {
        throw .malformedResponse(call, status: response.status, "the response has no result")
      }
      do {
        return Page(result: try Result(json: json, path: "result"), info: envelope.resultInfo)
      } catch {
        throw .malformedResponse(call, status: response.status, error.description)
      }
    }
    let errors = envelope?.errors ?? []
    throw Self.classify(
      status: response.status, errors: errors, body: response.body, headers: response.headers, call: call)
  }

  /// A success answer read straight from its bytes, when `Result` can be and the answer has the expected shape.
  static func scan<Result: JSONResult>(_ type: Result.Type, _ body: Data) -> Page<Result>? {
    guard let scanned = type as? any ScannedResult.Type, let (result, info) = scanned.scan(body),
      let result = result as? Result
    else { return nil }
    return Page(result: result, info: info)
  }

  /// What a failed answer means: by the table of Cloudflare's answers, or as no answer of Cloudflare's API at all.
  package static func classify(
    status: Int, errors: [APIMessage], body: Data, headers: [String: String], call: APICall
  ) -> CloudflareError {
    let text = errors.map(\.message).joined(separator: "; ")
    // An answer without Cloudflare's envelope (an HTML page from the edge, a proxy's text) is not Cloudflare's API
    // speaking, unless its status says enough on its own.
    if errors.isEmpty && ![404, 429].contains(status) && status < 500 {
      return .malformedResponse(call, status: status, excerpt(body))
    }
    guard let row = CloudflareErrorTable.row(status: status, errors: errors) else {
      return .unexpected(call, status: status, errors)
    }
    switch row.kind {
    case .rateLimited: return .rateLimited(call, retryAfterSeconds: headers["retry-after"].flatMap { Int($0) })
    case .invalidToken: return .invalidToken(call)
    case .locationDenied: return .locationDenied(call, text)
    case .missingPermission: return .missingPermission(call, text.isEmpty ? "HTTP \(status)" : text)
    case .server: return .server(call, status: status, detail: errors.isEmpty ? excerpt(body) : text)
    case .notFound: return .notFound(call)
    case .validation: return .validation(call, errors)
    case .unexpected: return .unexpected(call, status: status, errors)
    }
  }

  /// A short, single-line excerpt of a body: the title of an HTML page, or the first characters of text.
  static func excerpt(_ body: Data) -> String {
    let text = String(decoding: body.prefix(4096), as: UTF8.self)
    if let start = text.range(of: "<title>", options: .caseInsensitive),
      let end = text.range(of: "</title>", options: .caseInsensitive, range: start.upperBound..<text.endIndex)
    {
      return "HTML page '" + text[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        + "'"
    }
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    if flat.isEmpty { return "empty body" }
    return flat.count > 120 ? String(flat.prefix(120)) + "…" : flat
  }

  static func describe(_ error: JSONReadError, body: Data) -> String {
    if body.isEmpty { return "empty body" }
    return "not JSON (\(error)): " + excerpt(body)
  }
}

/// Counts of requests sent, of errors (HTTP 4xx/5xx other than 429, no response, timeout) and of 429s, each by
/// "METHOD pattern" (`GET /accounts/{id}/tokens`).
package final class RequestCounter: Sendable {
  package struct Counts: Sendable {
    package var requests: [String: Int] = [:]
    package var errors: [String: Int] = [:]
    package var rateLimited: [String: Int] = [:]
  }

  private let counts = Mutex(Counts())

  package func count(_ method: String, pattern: String) {
    counts.withLock { $0.requests[method + " " + pattern, default: 0] += 1 }
  }

  package func countError(_ method: String, pattern: String) {
    counts.withLock { $0.errors[method + " " + pattern, default: 0] += 1 }
  }

  package func countRateLimited(_ method: String, pattern: String) {
    counts.withLock { $0.rateLimited[method + " " + pattern, default: 0] += 1 }
  }

  package var all: Counts { counts.withLock { $0 } }

  private let answers = Mutex<(answered: Int, lastUnanswered: String?)>((0, nil))

  package func countAnswered() { answers.withLock { $0.answered += 1 } }
  package func noteUnanswered(_ why: String) { answers.withLock { $0.lastUnanswered = why } }

  /// Why Cloudflare could not be reached, when requests were sent and not one was answered (with any status).
  package var unreachable: String? {
    guard total > 0 else { return nil }
    return answers.withLock { $0.answered == 0 ? ($0.lastUnanswered ?? "no answer") : nil }
  }
  package var snapshot: [String: Int] { counts.withLock { $0.requests } }
  package var total: Int { counts.withLock { $0.requests.values.reduce(0, +) } }
}
