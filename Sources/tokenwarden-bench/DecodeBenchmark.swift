import CloudflareAPI
import Foundation
import JSON
import LiveState
import Reconciler
import Simulator
import TokenModel

/// Per-token CPU of reading a list page, on one core: the general JSON reader and mapping, the client's list path
/// (which reads pages straight from their bytes), and boiling records down to what planning keeps. Pages of 50 tokens
/// as the simulator renders them for the `many` scenario.
enum DecodeBenchmark {
  static func run(rounds: Int) async {
    let state = Scenario.many(count: 1000)
    let simulator = Simulator(state: state)
    guard let admin = state.tokens.first(where: { $0.name == "admin" }), let account = state.accounts.first else {
      return
    }
    let request = SimRequest(
      method: "GET", path: "/accounts/\(account.id)/tokens", query: ["page": "1", "per_page": "50"],
      headers: ["authorization": "Bearer \(admin.secret)"], body: Data())
    let body = simulator.handle(request).body
    guard let page = try? JSONReader.parse(body), let result = page.objectValue?["result"],
      let tokens = try? [APIToken](json: result, path: "result")
    else {
      print("cannot read the page")
      return
    }
    print("a page of \(tokens.count) tokens, \(body.count) bytes; \(rounds) rounds")
    let perToken = Double(rounds * tokens.count)
    func report(_ label: String, _ elapsed: Duration) {
      let microseconds = ReconcileBenchmark.seconds(elapsed) * 1e6 / perToken
      print(
        "  " + label.padding(toLength: 52, withPad: " ", startingAt: 0)
          + String(format: "%6.2f µs a token", microseconds))
    }
    func measure(_ label: String, _ body: () -> Int) {
      var sink = 0
      report(label, ContinuousClock().measure { for _ in 0..<rounds { sink &+= body() } })
      if sink == -1 { print(sink) }
    }
    measure("simulator: answer the list call (in-process)") { simulator.handle(request).body.count }
    measure("general reader: parse (JSONReader)") { (try? JSONReader.parse(body)).map { _ in 1 } ?? 0 }
    measure("general reader: map to APIToken") { (try? [APIToken](json: result, path: "result"))?.count ?? 0 }
    // The client's path: one GET answered at once with the page, read straight from its bytes.
    let base = URL(string: "https://bench.test/client/v4")!
    let client = CloudflareClient(
      baseURL: base, transport: CannedTransport(body: body), rateLimiter: RateLimiter(limit: 1_000_000))
    let credential = Credential(label: "admin", tokenID: admin.id, secret: Secret(admin.secret))
    let clock = ContinuousClock()
    var listed = 0
    let elapsed = await clock.measure {
      for _ in 0..<rounds { listed += (try? await client.listTokens(.account(account.id), as: credential).count) ?? 0 }
    }
    report("client list call (request, fast reader, APIToken)", elapsed)
    measure("LiveToken (grants, interning, hash)") { tokens.map(LiveToken.init).count }
    if listed != rounds * tokens.count { print("  (the client read \(listed) tokens, not \(rounds * tokens.count))") }
  }
}

/// Answers every request with the same page, at once; its total is the page's own count, so one request reads it all.
struct CannedTransport: HTTPTransport {
  let body: Data

  init(body: Data) {
    if case .object(var fields)? = try? JSONReader.parse(body) {
      var items = 0
      if case .array(let list)? = fields["result"] { items = list.count }
      let count = JSONValue.number(Double(items))
      fields["result_info"] = .object([
        "page": .number(1), "per_page": .number(50), "count": count, "total_count": count,
      ])
      self.body = JSONValue.object(fields).jsonData
    } else {
      self.body = body
    }
  }

  func send(_ request: HTTPRequest) async throws -> HTTPResponse { HTTPResponse(status: 200, body: body) }
}
