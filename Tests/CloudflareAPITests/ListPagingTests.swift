import Basics
import CloudflareAPI
import Foundation
import JSON
import Simulator
import Synchronization
import Testing
import TokenModel

/// How list calls page: the pages a caller expects are asked for at once, pages past the end are dropped, and list
/// pages read straight from their bytes give exactly what the general reader gives.
@Suite struct ListPagingTests {
  static let account = Scenario.many(count: 0).accounts[0].id

  /// Scenario.many(count: 600) puts 120 tokens in the first account: 3 pages.
  @Test(arguments: [Route.inProcess, Route.loopback])
  func expectedPagesGoOutTogetherAndTheResultIsTheSame(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.many(count: 600), route: route)
    let admin = sandbox.credential("admin")
    let plain = try await sandbox.client.listTokens(.account(Self.account), as: admin)
    #expect(plain.count == 120)
    #expect(Set(plain.map(\.id)).count == 120)
    // (expected, requests): the policy's count exact, too low, and too high (tokens that no longer exist: the pages
    // asked for past the end are wasted, and dropped).
    for (expected, requests) in [(120, 3), (60, 3), (1, 3), (250, 5)] {
      let before = sandbox.client.counter.total
      let listed = try await sandbox.client.listTokens(.account(Self.account), as: admin, expected: expected)
      #expect(listed == plain, "expected \(expected)")
      #expect(sandbox.client.counter.total - before == requests, "expected \(expected)")
    }
  }

  /// Page 1 is held back until pages 2 and 3 have arrived: only a client that asks for them before page 1's count
  /// is read can finish (otherwise page 1 times out).
  @Test func expectedPagesDoNotWaitForTheFirstPage() async throws {
    let arrived = Latch(count: 2)
    let transport = PagedTransport(total: 120) { page in
      if page == 1 { await arrived.wait() } else { arrived.arrive() }
    }
    let client = Self.client(transport) { $0.readTimeout = 30 }
    let tokens = try await client.listTokens(.account(Self.account), as: ClientTests.me, expected: 120)
    #expect(tokens.map(\.name) == (0..<120).map { "token-\($0)" })
    #expect(transport.pages.sorted() == [1, 2, 3])
  }

  @Test func aPageAskedForEarlyThatProvesToBePastTheEndIsDroppedEvenWhenItFailed() async throws {
    // 50 tokens: one page. The policy expects 80, so page 2 goes out too, and fails.
    let transport = PagedTransport(total: 50, failing: [2])
    let tokens = try await Self.client(transport).listTokens(.account(Self.account), as: ClientTests.me, expected: 80)
    #expect(tokens.count == 50)
    #expect(transport.pages.sorted() == [1, 2])
  }

  @Test func aNeededPageThatFailsFailsTheList() async throws {
    let transport = PagedTransport(total: 80, failing: [2])
    await #expect(throws: CloudflareError.self) {
      _ = try await Self.client(transport).listTokens(.account(Self.account), as: ClientTests.me, expected: 80)
    }
    let late = PagedTransport(total: 180, failing: [4])
    await #expect(throws: CloudflareError.self) {
      _ = try await Self.client(late).listTokens(.account(Self.account), as: ClientTests.me, expected: 80)
    }
  }

  @Test func withoutATotalThePagesRunToTheFirstShortOne() async throws {
    // 80 tokens, no result_info: page 2 is short. Page 3, asked for early, fails and is dropped.
    let transport = PagedTransport(total: 80, failing: [3], withInfo: false)
    let tokens = try await Self.client(transport).listTokens(.account(Self.account), as: ClientTests.me, expected: 120)
    #expect(tokens.count == 80)
    // Expecting nothing, the same pages are walked one at a time.
    let walked = PagedTransport(total: 100, withInfo: false)
    #expect(try await Self.client(walked).listTokens(.account(Self.account), as: ClientTests.me).count == 100)
    #expect(walked.pages == [1, 2, 3])
  }

  @Test func fullPagesWithoutEndAreRefused() async throws {
    // No total, and every page full: a broken server, stopped at the client's limit instead of read forever.
    let transport = PagedTransport(total: 10_000, withInfo: false)
    let client = Self.client(transport) { $0.maxListedTokens = 500 }
    do {
      _ = try await client.listTokens(.account(Self.account), as: ClientTests.me)
      Issue.record("an endless list was accepted")
    } catch {
      #expect(error.message.contains("over 500 tokens listed without a result_info.total_count"), "\(error)")
    }
    #expect(transport.pages == Array(1...10))
  }

  @Test func anImplausibleTotalIsRefusedBeforeAnyOtherPage() async throws {
    let transport = PagedTransport(total: 2_000_000)
    await #expect(throws: CloudflareError.self) {
      _ = try await Self.client(transport).listTokens(.account(Self.account), as: ClientTests.me)
    }
    #expect(transport.pages == [1])
  }

  /// Mutated list pages, answered with 200: the client's list must succeed exactly when the general reader
  /// (JSONReader, the envelope's rules, `[APIToken](json:)`) accepts the page, with the same tokens; otherwise it
  /// fails.
  @Test func pagesReadStraightFromTheBytesMatchTheGeneralReader() async throws {
    var rng = SplitMix64(seed: 2026)
    let alphabet = Array("{}[]\",:0123456789aeilnrstu \\".utf8) + [0x00, 0xFF, 0xC3, 0x0A]
    var accepted = 0
    var refused = 0
    for (number, base) in try Self.bases().enumerated() {
      #expect(Self.reference(base) != nil, "every base page is valid")
      for round in 0..<250 {
        var bytes = [UInt8](base)
        if round > 4 {
          for _ in 0..<(1 + round % 6) {
            guard !bytes.isEmpty else { break }
            let index = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 4 {
            case 0, 1: bytes[index] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            case 2: bytes.remove(at: index)
            default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: index)
            }
          }
        }
        // Edits at the edges, where random ones seldom land: text after the document, or before it.
        switch round {
        case 1: bytes += Array(" x".utf8)
        case 2: bytes += Array("}".utf8)
        case 3: bytes = Array("[".utf8) + bytes
        case 4: bytes += Array(",{}".utf8)
        default: break
        }
        let body = Data(bytes)
        let expected = Self.reference(body)
        let transport = ScriptedTransport([{ _ in HTTPResponse(status: 200, body: body) }])
        let client = Self.client(transport) { $0.maxAttempts = 1 }
        do {
          let tokens = try await client.listTokens(.user, as: ClientTests.me)
          #expect(
            expected == tokens,
            "base \(number), round \(round): accepted what the general reader refuses, or read it differently")
          accepted += 1
        } catch {
          #expect(
            expected == nil, "base \(number), round \(round): refused a page the general reader accepts: \(error)")
          refused += 1
        }
      }
    }
    #expect(accepted > 50)
    #expect(refused > 50)
  }

  /// Edits that random ones seldom make, each in a field the fast path skips or a flag it reads: both readers must
  /// agree on every one (the list is refused, or read the same).
  @Test func targetedEditsOfSkippedFieldsAndFlags() async throws {
    let base = String(decoding: try Self.bases()[3], as: UTF8.self)
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    let edits: [(String, String)] = [
      ("kept out of", "kept\u{0A}out of"), ("kept out of", "kept\u{00}out of"),
      ("kept out of", "kept\u{7F}out\u{80}of"),
      ("long enough", "long\u{0A}enough"), ("long enough", "long\u{00}enough"), ("long enough", "long\u{1F}enough"),
      ("long enough", #"long \ud800 enough"#), ("long enough", #"long \x enough"#),
      (#""success": true }"#, #""success": 1 }"#), (#""success": true }"#, #""success": "true" }"#),
      (#""success": true }"#, #""success": null }"#), (#""success": true }"#, #""success": tru }"#),
      ("[1, -2.5e3", "[01, -2.5e3"), ("[1, -2.5e3", "[1, -2.5e"), ("[1, -2.5e3", "[1, - 2"),
      ("[1, -2.5e3", "[1, 1e999"),
      (#""kept out"#, deep + #", "kept out"#), (#""kept out"#, fine + #", "kept out"#),
      (#""also skipped"#, #""also skipped\"#), (#"{"nested""#, #"{nested""#), (#"{"nested""#, #"{"nested" 1,"#),
      (#""policies": [], "policies": []"#, #""policies": [], "policies": {}"#),
      (#""policies": [], "policies": []"#, #""policies": [], "policies": [1]"#),
    ]
    for (index, (target, replacement)) in edits.enumerated() {
      let text = base.replacingOccurrences(of: target, with: replacement)
      #expect(text != base, "edit \(index) applies")
      let body = Data(text.utf8)
      let expected = Self.reference(body)
      let client = Self.client(ScriptedTransport([{ _ in HTTPResponse(status: 200, body: body) }]))
      let listed = try? await client.listTokens(.user, as: ClientTests.me)
      #expect(listed == expected, "edit \(index): \(replacement.suffix(40))")
    }
  }

  /// What the general reader makes of a list page: its tokens, or nil where it refuses it.
  static func reference(_ body: Data) -> [APIToken]? {
    guard case .object(let fields)? = try? JSONReader.parse(body), case .bool(true)? = fields["success"],
      let result = fields["result"], result != .null
    else { return nil }
    return try? [APIToken](json: result, path: "result")
  }

  /// Valid pages of fewer than 50 tokens and without result_info (so one request reads them): as the simulator
  /// renders them, and written by hand with what is valid but unusual.
  static func bases() throws -> [Data] {
    let state = Scenario.many(count: 100)
    let simulator = Simulator(state: state)
    let admin = state.tokens.first { $0.name == "admin" }!
    let rendered = simulator.handle(
      SimRequest(
        method: "GET", path: "/accounts/\(Self.account)/tokens", query: ["page": "1", "per_page": "12"],
        headers: ["authorization": "Bearer \(admin.secret)"], body: Data())
    ).body
    guard case .object(var page) = try JSONReader.parse(rendered) else { throw CocoaError(.coderReadCorrupt) }
    page["result_info"] = nil
    let fixture = try JSONReader.parse(try Fixture.data("token-details.json"))
    let detail = fixture.objectValue?["result"] ?? .null
    let unusual = #"""
      \#u{FEFF}  { "messages" : [ ] , "result" : [
        {"id": "ed17574386854bf78a67040be0a770b0", "name": "d\u00e9j\u00e0 vu \ud83d\ude00", "status": "revoked (exposed)",
         "issued_on": null, "modified_on": "2018-07-02T05:20:00Z", "expires_on": "2020-01-01T00:00:00.5Z",
         "not_before": null, "last_used_on": null, "unknown": {"deep": [1, -2.5e3, true, false, null, "x"]},
         "condition": {"request.ip": {"in": ["192.0.2.0/24"], "not_in": []}},
         "policies": [
           {"id": "p1", "effect": "allow", "effect": "deny", "resources": {"com.cloudflare.api.account.zone.*": "*"},
            "permission_groups": [{"id": "c8fed203ed3043cba015a93ad1616f1f", "name": null, "meta": {"key": "k", "value": "v"}},
                                  {"name": "Zone Read", "id": "82e64a83756745bbbb1c9c2701bf816b"}]},
           {"effect": "allow", "resources": null, "permission_groups": []}
         ]},
        {"id": "4d841f1aa61bc019800506e138085f66", "name": "", "status": "active", "policies": [], "policies": [],
         "condition": null, "expires_on": null, "issued_on": "2018-07-01T05:20:00Z", "issued_on": null,
         "description": "a field TokenWarden does not read, long enough that random edits land in it: \/ \" \u00e9 é …",
         "notes": ["kept out of the records", {"nested": "also skipped, checked as strictly as read fields"}]}
      ], "success" : false, "errors": [{"code": 1, "message": "ignored"}], "success": true }
      """#
    // A key spelled with an escape is still the key: the fast path leaves such pages to the general reader.
    let escapedKey =
      #"{"success":true,"result":[{"i\u0064":"ed17574386854bf78a67040be0a770b0","name":"n","status":"active","policies":[],"expires_on":null}]}"#
    return [
      JSONValue.object(page).jsonData,
      Data(escapedKey.utf8),
      JSONValue.object([
        "success": .bool(true), "errors": .array([]), "messages": .array([]), "result": .array([detail, detail]),
      ]).jsonData,
      Data(unusual.utf8),
    ]
  }

  static func client(_ transport: any HTTPTransport, configure: (inout ClientConfiguration) -> Void = { _ in })
    -> CloudflareClient
  {
    var configuration = ClientConfiguration()
    configuration.maxAttempts = 1
    configure(&configuration)
    return CloudflareClient(
      baseURL: ClientTests.base, transport: transport, configuration: configuration,
      rateLimiter: RateLimiter(limit: 10_000, window: 300, time: InstantTime()), time: InstantTime(), jitter: { 1 })
  }
}

/// Pages of `total` small tokens by the `page` query; pages in `failing` answer 500. `gate` runs before each answer.
final class PagedTransport: HTTPTransport {
  let total: Int
  let failing: Set<Int>
  let withInfo: Bool
  let gate: @Sendable (Int) async -> Void
  private let seen = Mutex<[Int]>([])

  init(
    total: Int, failing: Set<Int> = [], withInfo: Bool = true, gate: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.total = total
    self.failing = failing
    self.withInfo = withInfo
    self.gate = gate
  }

  var pages: [Int] { seen.withLock { $0 } }

  func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
    let page = Int(query.first { $0.name == "page" }?.value ?? "") ?? 0
    let size = Int(query.first { $0.name == "per_page" }?.value ?? "") ?? 0
    seen.withLock { $0.append(page) }
    await gate(page)
    if failing.contains(page) {
      return HTTPResponse(
        status: 500,
        body: Data(#"{"success":false,"errors":[{"code":10001,"message":"boom"}],"messages":[],"result":null}"#.utf8))
    }
    let first = (page - 1) * size
    let tokens = first < total ? Array(first..<min(total, first + size)) : []
    let result = tokens.map {
      #"{"id":"\#(String(format: "%032x", $0))","name":"token-\#($0)","status":"active","policies":[]}"#
    }
    let info =
      withInfo
      ? #","result_info":{"page":\#(page),"per_page":\#(size),"count":\#(tokens.count),"total_count":\#(total)}"# : ""
    let body = #"{"success":true,"errors":[],"messages":[],"result":[\#(result.joined(separator: ","))]\#(info)}"#
    return HTTPResponse(status: 200, body: Data(body.utf8))
  }
}

/// Opens once `count` arrivals have happened; waiters before that are held.
final class Latch: Sendable {
  private struct State {
    var remaining: Int
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state: Mutex<State>

  init(count: Int) { state = Mutex(State(remaining: count)) }

  func arrive() {
    let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.remaining -= 1
      guard state.remaining <= 0 else { return [] }
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in released { waiter.resume() }
  }

  func wait() async {
    await withCheckedContinuation { continuation in
      let open = state.withLock { state in
        if state.remaining <= 0 { return true }
        state.waiters.append(continuation)
        return false
      }
      if open { continuation.resume() }
    }
  }
}
