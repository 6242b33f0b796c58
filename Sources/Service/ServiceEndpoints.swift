import Basics
import CloudflareAPI
import Foundation
import HTTPServer
import Health
import History
import Reconciler
import Rendering
import Synchronization
import TokenModel

/// The REST endpoints, the dashboard, metrics and the OpenAPI document, behind the client token.
package struct ServiceEndpoints: Sendable {
  package let monitor: Monitor
  /// `CLIENT_AUTH_TOKEN`; nil only when the service was explicitly told to run unauthenticated on loopback.
  let clientToken: Secret?
  let client: CloudflareClient
  let clock: any ServiceClock
  let startedAt: Date
  /// The client token's digest, computed once.
  let expectedDigest: [UInt8]?
  let cache = ResponseCache()
  /// The service's own names and origins.
  package let origin: ServiceOrigin

  package init(
    monitor: Monitor, clientToken: Secret?, client: CloudflareClient, clock: any ServiceClock,
    origin: ServiceOrigin = ServiceOrigin(listenHost: "127.0.0.1", port: 0, publicURL: nil, allowedHosts: [])
  ) {
    self.origin = origin
    self.monitor = monitor
    self.clientToken = clientToken
    self.client = client
    self.clock = clock
    self.startedAt = clock.now()
    self.expectedDigest = clientToken?.withValue { SHA256.digest(Array($0.utf8)) }
  }

  /// Encoded bodies of the served snapshot, re-encoded when it or its age (in whole seconds) changes: polling
  /// `/tokens/status` costs a lookup, not an encoding.
  final class ResponseCache: Sendable {
    private let entries = Mutex<[String: (key: String, body: Data, etag: String)]>([:])

    func body(for endpoint: String, key: String, make: () -> Data) -> Data {
      entry(for: endpoint, key: key, make: make).body
    }

    /// The body and its entity tag (a digest of the bytes), made once per key.
    func entry(for endpoint: String, key: String, make: () -> Data) -> (body: Data, etag: String) {
      if let hit = hit(endpoint, key: key) { return hit }
      return store(endpoint, key: key, body: make())
    }

    func hit(_ endpoint: String, key: String) -> (body: Data, etag: String)? {
      guard let hit = entries.withLock({ $0[endpoint] }), hit.key == key else { return nil }
      return (hit.body, hit.etag)
    }

    func store(_ endpoint: String, key: String, body: Data) -> (body: Data, etag: String) {
      let etag = "\"" + SHA256.hex([UInt8](body), digits: 32) + "\""
      entries.withLock { $0[endpoint] = (key, body, etag) }
      return (body, etag)
    }
  }

  /// A page made once per `key` and served from memory: 304 when the client already has these bytes
  /// (`If-None-Match`), and `Cache-Control: no-cache` so that browsers and scrapers ask every time.
  func cached(
    _ endpoint: String, key: String, request: ServerRequest, headers: [(String, String)], make: () async -> Data
  ) async -> ServerResponse {
    let (body, etag) =
      if let hit = cache.hit(endpoint, key: key) { hit } else { cache.store(endpoint, key: key, body: await make()) }
    let common = [("ETag", etag), ("Cache-Control", "no-cache")]
    if let presented = request.headers["if-none-match"],
      presented.split(separator: ",").contains(where: {
        $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*"
      })
    {
      return ServerResponse(status: 304, headers: common)
    }
    return ServerResponse(status: 200, headers: headers + common, body: body)
  }

  // MARK: Errors and auth

  /// The error shape of every endpoint: `{"format_version": "2", "success": false, "error": {"status": 400, "code":
  /// "bad_request", "message": "…"}}`.
  package static func error(_ status: Int, _ message: String, headers: [(String, String)] = []) -> ServerResponse {
    let codes = [
      400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
      409: "conflict", 421: "misdirected_request", 503: "unavailable",
    ]
    let body = ServiceJSON.error(status: status, code: codes[status] ?? "error", message: message)
    return .json(status, Data(body.utf8), headers: headers)
  }

  static let challenges: [(String, String)] = [
    ("WWW-Authenticate", #"Basic realm="TokenWarden", charset="UTF-8""#),
    ("WWW-Authenticate", #"Bearer realm="TokenWarden""#),
  ]

  /// Whether the request carries the client token: `Bearer TOKEN`, or HTTP Basic with it as the password. Compared
  /// in constant time (over digests, so the length does not show either).
  func authorized(_ request: ServerRequest) -> Bool {
    guard let expected = expectedDigest else { return true }
    guard let header = request.headers["authorization"] else { return false }
    var presented: String?
    // The scheme is case-insensitive (RFC 9110 §11.1).
    let scheme = HTTPText.lowercase(header.prefix { $0 != " " })
    if scheme == "bearer" {
      presented = HTTPText.trim(header.dropFirst(7))
    } else if scheme == "basic",
      let data = Data(base64Encoded: HTTPText.trim(header.dropFirst(6))),
      let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":")
    {
      presented = String(pair[pair.index(after: colon)...])
    }
    guard let presented else { return false }
    let given = SHA256.digest(Array(presented.utf8))
    var difference: UInt8 = 0
    for (left, right) in zip(expected, given) { difference |= left ^ right }
    return difference == 0 && expected.count == given.count
  }

  // MARK: Routing

  package var handler: ServerHandler {
    var router = Router { status, message, headers in Self.error(status, message, headers: headers) }
    let endpoints = self
    router.add("GET", "/healthz") { _, _ in .json(200, Data(#"{"status":"ok"}"#.utf8)) }
    router.add("GET", "/tokens/health") { request, _ in await endpoints.health(request) }
    router.add("POST", "/tokens/heal") { request, _ in await endpoints.heal(request) }
    router.add("GET", "/tokens/status") { request, _ in await endpoints.status(request) }
    router.add("GET", "/tokens/history") { request, _ in await endpoints.history(request) }
    router.add("GET", "/metrics") { request, _ in await endpoints.metrics(request) }
    router.add("GET", "/openapi.json") { request, _ in
      if let refusal = Self.unexpected(request.query, allowed: []) { return refusal }
      return .json(200, Data(OpenAPIDocument.text.utf8))
    }
    router.add("GET", "/") { request, _ in await endpoints.dashboard(request) }
    let routes = router
    let origin = self.origin
    return { request in
      // Probes and scrapers call /healthz by address, and it tells nothing.
      let exempt = request.path == "/healthz"
      let response: ServerResponse
      if !exempt && !origin.answers(host: request.headers["host"]) {
        response = Self.error(
          421,
          "this service does not answer to the name this request was sent to; name it with --allowed-host or --public-url when it is reached through another name"
        )
      } else if !exempt && !endpoints.authorized(request) {
        response = Self.error(
          401,
          "missing or wrong client token: send 'Authorization: Bearer TOKEN' (or HTTP Basic with it as the password)",
          headers: Self.challenges)
      } else if Self.changesState(request) && !ServiceOrigin.hasBearer(request) && !origin.isSameOrigin(request) {
        response = Self.error(
          403,
          "a request that changes something needs 'Authorization: Bearer TOKEN', or must come from the service's own pages (another site's page cannot start a heal); nothing was done"
        )
      } else {
        response = await routes.handle(request)
      }
      return Self.secured(response)
    }
  }

  /// Whether a request can change anything: a heal, by POST or through `GET /tokens/health?auto_heal=true`, and any
  /// method but GET and HEAD.
  static func changesState(_ request: ServerRequest) -> Bool {
    if request.method != "GET" && request.method != "HEAD" { return true }
    return request.path == "/tokens/health" && request.query["auto_heal"].flatMap(flag) == true
  }

  /// Every answer: never sniffed as another type, never framed, no referrer sent from the dashboard's links.
  static func secured(_ response: ServerResponse) -> ServerResponse {
    var response = response
    for (name, value) in securityHeaders
    where !response.headers.contains(where: {
      $0.0.utf8.count == name.utf8.count && HTTPText.lowercase($0.0) == HTTPText.lowercase(name)
    }) {
      response.headers.append((name, value))
    }
    return response
  }

  static let securityHeaders = [
    ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
  ]

  static func unexpected(_ query: [String: String], allowed: Set<String>) -> ServerResponse? {
    guard let unknown = query.keys.sorted().first(where: { !allowed.contains($0) }) else { return nil }
    let accepted =
      allowed.isEmpty
      ? "this endpoint takes no query parameters" : "accepted: " + allowed.sorted().joined(separator: ", ")
    return error(400, "unknown query parameter '\(unknown)'; \(accepted)")
  }

  // MARK: Endpoints

  /// A document made from the last check, with the service's fields beside it (when it was checked, how old it is,
  /// whether it is stale), encoded once per check and age.
  func served(
    _ endpoint: String, _ snapshot: Monitor.Snapshot,
    _ document: @escaping (HealthReport, ServiceJSON.Freshness) -> String
  ) -> ServerResponse {
    let age = max(0, Int(clock.now().timeIntervalSince(snapshot.checkedAt)))
    let key =
      "\(snapshot.checkedAt.timeIntervalSince1970)|\(snapshot.report.timestamp)|\(snapshot.stale)|\(snapshot.lastError ?? "")|\(snapshot.report.heal != nil)|\(age)"
    let body = cache.body(for: endpoint, key: key) {
      let freshness = ServiceJSON.Freshness(
        checkedAt: snapshot.checkedAt, ageSeconds: age, stale: snapshot.stale, lastError: snapshot.lastError)
      return Data(document(snapshot.report, freshness).utf8)
    }
    return .json(200, body)
  }

  func health(_ request: ServerRequest) async -> ServerResponse {
    if let refusal = Self.unexpected(request.query, allowed: ["auto_heal"]) { return refusal }
    var autoHeal = false
    if let value = request.query["auto_heal"] {
      guard let flag = Self.flag(value) else {
        return Self.error(400, "auto_heal must be true or false, not '\(value)'")
      }
      autoHeal = flag
    }
    let snapshot = await monitor.health(autoHeal: autoHeal)
    return served("health", snapshot) { ServiceJSON.health($0, freshness: $1) }
  }

  static func flag(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: return nil
    }
  }

  func heal(_ request: ServerRequest) async -> ServerResponse {
    if let refusal = Self.unexpected(request.query, allowed: []) { return refusal }
    switch await monitor.heal() {
    case .success(let report): return .json(200, Data(ServiceJSON.heal(report).utf8))
    case .failure(let held): return Self.error(409, "\(held)")
    }
  }

  func status(_ request: ServerRequest) async -> ServerResponse {
    if let refusal = Self.unexpected(request.query, allowed: []) { return refusal }
    guard let snapshot = await monitor.snapshot else {
      return Self.error(503, "no check has completed yet; the first one runs at start", headers: [("Retry-After", "5")])
    }
    return served("status", snapshot) { ServiceJSON.status($0, freshness: $1) }
  }

  func history(_ request: ServerRequest) async -> ServerResponse {
    if let refusal = Self.unexpected(request.query, allowed: ["limit"]) { return refusal }
    var limit = 10
    if let text = request.query["limit"] {
      guard let value = Int(text), (1...1_000).contains(value) else {
        return Self.error(400, "limit must be a whole number from 1 to 1000, not '\(text)'")
      }
      limit = value
    }
    guard let store = monitor.runner.recorder.store else {
      return Self.error(503, "the history database is not available; see the service's log")
    }
    do {
      return .json(200, Data(ServiceJSON.history(try store.recentChecks(limit: limit), limit: limit).utf8))
    } catch {
      return Self.error(503, error.description)
    }
  }

  /// Rendered at most once a second (its ages count seconds), whatever the number of scrapers.
  func metrics(_ request: ServerRequest) async -> ServerResponse {
    if let refusal = Self.unexpected(request.query, allowed: []) { return refusal }
    let now = clock.now()
    let monitor = self.monitor
    let requests = client.counter
    let startedAt = self.startedAt
    // The monitor is asked only when the page is made, not for every scrape.
    return await cached(
      "metrics", key: String(Int(now.timeIntervalSince1970)), request: request,
      headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]
    ) {
      let snapshot = await monitor.snapshot
      let counters = await monitor.counters
      return Data(
        Metrics.render(snapshot: snapshot, counters: counters, requests: requests.all, now: now, startedAt: startedAt)
          .utf8)
    }
  }

  /// Rendered when a check completes or the history changes (and once a minute, for the ages it shows), then
  /// served from memory.
  func dashboard(_ request: ServerRequest) async -> ServerResponse {
    if let refusal = Self.unexpected(request.query, allowed: []) { return refusal }
    let store = monitor.runner.recorder.store
    let now = clock.now()
    let generation = store.map { Self.fileGeneration($0.path) } ?? "none"
    // What the page shows changes with the snapshot, the history, or the minute (ages): the monitor is asked for the
    // snapshot only when one of those changed.
    let key =
      String(monitor.snapshotGeneration.withLock { $0 }) + "|" + generation + "|"
      + String(Int(now.timeIntervalSince1970) / 60)
    let monitor = self.monitor
    return await cached(
      "dashboard", key: key, request: request,
      headers: [
        ("Content-Type", "text/html; charset=utf-8"),
        (
          "Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        ),
      ]
    ) { Data(renderDashboard(snapshot: await monitor.snapshot, now: now).utf8) }
  }

  /// What changes whenever the history is written, by this process or another: the database's and its write-ahead
  /// log's sizes and modification times. One `stat` each: a page served from memory must not cost a query.
  static func fileGeneration(_ path: String) -> String {
    var parts: [String] = []
    for file in [path, path + "-wal"] {
      var info = stat()
      if stat(file, &info) == 0 {
        parts.append("\(info.st_size).\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
      } else {
        parts.append("-")
      }
    }
    return parts.joined(separator: "|")
  }

  func renderDashboard(snapshot: Monitor.Snapshot?, now: Date) -> String {
    let store = monitor.runner.recorder.store
    let checks = (try? store?.recentChecks(limit: 60)) ?? []
    let runs = (try? store?.recentRuns(limit: 8)) ?? []
    return Dashboard.render(
      snapshot: snapshot, checks: checks, runs: runs, now: now,
      warnWindows: Dictionary(
        monitor.runner.check.desired.tokens.map {
          ($0.name, $0.warnBeforeSeconds ?? HealthEvaluator.defaultWarnBeforeSeconds)
        },
        uniquingKeysWith: { first, _ in first }),
      healers: Dictionary(
        monitor.runner.check.desired.tokens.map { token in
          switch token.healer {
          case .token(let name): (token.name, name)
          case .selfEdit: (token.name, "itself")
          case .automatic: (token.name, "chosen automatically")
          }
        }, uniquingKeysWith: { first, _ in first }),
      refreshSeconds: Int(max(monitor.minInterval, 30)))
  }
}
