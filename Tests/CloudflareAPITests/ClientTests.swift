import Basics
import CloudflareAPI
import Foundation
import Simulator
import Synchronization
import Testing
import TokenModel

/// The client against scripted answers: decoding, error typing, retries, backoff, deadlines, rate limiting.
@Suite struct ClientTests {
  static let base = URL(string: "https://api.cloudflare.test/client/v4")!
  static let me = Credential(
    label: "tester", tokenID: HexID("a753e62f6ffe44a7762befbce7a9eddf"), secret: Secret("cfut_value_under_test"))
  static let ok =
    #"{"success":true,"errors":[],"messages":[],"result":{"id":"a753e62f6ffe44a7762befbce7a9eddf","status":"active"}}"#

  static func client(
    _ transport: ScriptedTransport, time: InstantTime = InstantTime(),
    configure: (inout ClientConfiguration) -> Void = { _ in },
    logger: APILogger? = nil
  ) -> CloudflareClient {
    var configuration = ClientConfiguration()
    configure(&configuration)
    return CloudflareClient(
      baseURL: base, transport: transport, configuration: configuration,
      rateLimiter: RateLimiter(limit: 10_000, window: 300, time: time), time: time, logger: logger, jitter: { 1 })
  }

  @Test func decodesRealPayloadsKeepingWhatItDoesNotInterpret() async throws {
    let fixture = String(decoding: try Fixture.data("token-details.json"), as: UTF8.self)
    let transport = ScriptedTransport([ScriptedTransport.json(200, fixture)])
    let token = try await Self.client(transport).token(
      HexID("ed17574386854bf78a67040be0a770b0")!, in: .user, as: Self.me)
    #expect(token.status == .other("revoked (exposed)"))
    #expect(token.issuedOn == "2018-07-01T05:20:00.123456Z")
    #expect(token.expiresDate == CloudflareDate.parse("2020-01-01T00:00:00Z"))
    #expect(CloudflareDate.parse("2018-07-01T05:20:00.123456Z") != nil)
    #expect(token.condition?.objectValue?.keys.first == "request.ip")
    #expect(token.policies.count == 2)
    #expect(token.policies[0].permissionGroups[0].meta != nil)
    #expect(token.policies[1].resources.objectValue?.values.first?.objectValue != nil)
    // Echoing writes back exactly what was read, key spelling included, and only group ids.
    let body = try JSONEncoder().encode(APITokenUpdate(echoing: token, policies: token.policies))
    let text = String(decoding: body, as: UTF8.self)
    #expect(text.contains("\"request.ip\""))
    #expect(!text.contains("Zone Read"))
    #expect(!text.contains("f267e341f3dd4697bd3b9f71dd96247f"))
    #expect(text.contains("\"status\":\"revoked (exposed)\""))
  }

  @Test func theAuthorizationHeaderCarriesTheSecretAndTheLogNever() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(200, Self.ok, headers: ["X-RateLimit-Remaining": "1199", "X-RateLimit-Limit": "1200"])
    ])
    let lines = LogLines()
    _ = try await Self.client(transport, logger: { lines.append($0) }).verify(.user, as: Self.me)
    #expect(transport.requests.first?.headers["Authorization"] == "Bearer cfut_value_under_test")
    #expect(transport.requests.first?.url.absoluteString == "https://api.cloudflare.test/client/v4/user/tokens/verify")
    let log = lines.all.joined()
    #expect(log.contains("GET /client/v4/user/tokens/verify as tester (a753…eddf) → 200"))
    #expect(log.contains("rate-limit 1199/1200"))
    #expect(!log.contains("cfut_value_under_test"))
  }

  @Test(arguments: [
    (
      401, #"{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}"#,
      "invalidToken"
    ),
    (
      400, #"{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}"#,
      "invalidToken"
    ),
    (
      403, #"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null}"#,
      "missingPermission"
    ),
    (
      403,
      #"{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}"#,
      "missingPermission"
    ),
    (
      403,
      #"{"success":false,"errors":[{"code":9109,"message":"Cannot use the access token from location: 1.2.3.4"}],"messages":[],"result":null}"#,
      "locationDenied"
    ),
    (
      400,
      #"{"success":false,"errors":[{"code":1001,"message":"Failed common permission check"}],"messages":[],"result":null}"#,
      "validation"
    ),
    (404, #"{"success":false,"errors":[{"code":7003,"message":"No route"}],"messages":[],"result":null}"#, "notFound"),
    (200, #"{"success":true,"errors":[],"messages":[],"result":{"id":5}}"#, "malformedResponse"),
    (200, #"not json at all"#, "malformedResponse"),
    (200, "", "malformedResponse"),
    (200, #"{"success":tr"#, "malformedResponse"),
    (418, #"<html>teapot</html>"#, "malformedResponse"),
  ])
  func errorsAreTypedWithWhatToDo(_ status: Int, _ body: String, _ kind: String) async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(status, body)])
    do {
      _ = try await Self.client(transport).verify(.user, as: Self.me)
      Issue.record("expected \(kind)")
    } catch {
      #expect(String(describing: error).hasPrefix(kind + "("), "\(error)")
      #expect(!error.remedy.isEmpty)
      #expect(transport.requests.count == 1, "4xx and malformed answers are not retried")
    }
  }

  @Test func readsAreRetriedOnServerErrorsWithExponentialBackoff() async throws {
    let html = "<html><head><title>502 Bad Gateway</title></head></html>"
    let transport = ScriptedTransport([
      ScriptedTransport.json(502, html), ScriptedTransport.json(503, html),
      { _ in throw TransportFailure.connection("reset") }, ScriptedTransport.json(200, Self.ok),
    ])
    let time = InstantTime()
    let result = try await Self.client(transport, time: time).verify(.user, as: Self.me)
    #expect(result.status == .active)
    #expect(transport.requests.count == 4)
    #expect(time.sleeps == [0.5, 1.0, 2.0])
  }

  @Test func retriesAreBounded() async throws {
    let transport = ScriptedTransport(Array(repeating: ScriptedTransport.json(500, "{}"), count: 10))
    await #expect(throws: CloudflareError.self) { _ = try await Self.client(transport).verify(.user, as: Self.me) }
    #expect(transport.requests.count == 4)
  }

  @Test func writesAreNotRepeatedUnlessTheCallerSaysSo() async throws {
    let token = APIToken(id: "a753e62f6ffe44a7762befbce7a9eddf", name: "t", status: .active, policies: [])
    let update = APITokenUpdate(echoing: token, policies: [])
    let once = ScriptedTransport([ScriptedTransport.json(500, "{}"), ScriptedTransport.json(200, Self.ok)])
    await #expect(throws: CloudflareError.self) {
      _ = try await Self.client(once).updateToken(HexID(token.id)!, in: .user, update, as: Self.me)
    }
    #expect(once.requests.count == 1)
    let tokenJSON =
      #"{"success":true,"errors":[],"messages":[],"result":{"id":"a753e62f6ffe44a7762befbce7a9eddf","name":"t","status":"active","policies":[]}}"#
    let safe = ScriptedTransport([ScriptedTransport.json(500, "{}"), ScriptedTransport.json(200, tokenJSON)])
    _ = try await Self.client(safe).updateToken(HexID(token.id)!, in: .user, update, as: Self.me, retrySafe: true)
    #expect(safe.requests.count == 2)
  }

  /// URLSession's own idle timer can end a request before the client's deadline: the error says how long was waited,
  /// not the deadline (a test on a loaded machine once read "no response within 120 s" after 30).
  @Test func aTransportsOwnTimeoutIsReportedAsTheTimeWaited() async throws {
    let silent = ScriptedTransport([{ _ in throw TransportFailure.timedOut }])
    // A deadline no busy machine reaches: the transport's own timeout (at once, here) is what ends the request.
    let client = Self.client(silent) {
      $0.maxAttempts = 1
      $0.writeTimeout = 3_600
    }
    do {
      let update = APITokenUpdate(echoing: APIToken(id: "", name: "t", status: .active, policies: []), policies: [])
      _ = try await client.updateToken(HexID("4d841f1aa61bc019800506e138085f66")!, in: .user, update, as: Self.me)
      Issue.record("expected a timeout")
    } catch {
      guard case .timeout(_, let seconds) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(seconds < 3_600)
    }
  }

  @Test func a429IsRetriedAfterWhatRetryAfterSays() async throws {
    let limited = #"{"success":false,"errors":[{"code":971,"message":"Please wait"}],"messages":[],"result":null}"#
    let transport = ScriptedTransport([
      ScriptedTransport.json(429, limited, headers: ["Retry-After": "7"]), ScriptedTransport.json(200, Self.ok),
    ])
    let time = InstantTime()
    _ = try await Self.client(transport, time: time).verify(.user, as: Self.me)
    #expect(time.sleeps == [7])
    // A wait longer than the client accepts fails at once, naming the wait.
    let long = ScriptedTransport([ScriptedTransport.json(429, limited, headers: ["Retry-After": "300"])])
    do {
      _ = try await Self.client(long).verify(.user, as: Self.me)
    } catch {
      guard case .rateLimited(_, let retryAfter) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(retryAfter == 300)
    }
  }

  /// URLSession's own timeout is only an idle timer on Linux; the client enforces a total deadline itself.
  @Test func aHangingRequestTimesOutAtTheDeadline() async throws {
    let transport = ScriptedTransport([
      { _ in
        try await Task.sleep(for: .seconds(60))
        return HTTPResponse(status: 200)
      }
    ])
    let client = Self.client(transport) {
      $0.readTimeout = 0.2
      $0.maxAttempts = 1
    }
    do {
      _ = try await client.verify(.user, as: Self.me)
      Issue.record("expected a timeout")
    } catch {
      guard case .timeout(_, let seconds) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(seconds == 0.2)
      #expect(error.outcomeUnknown)
    }
  }

  @Test func oversizedAnswersAreRefused() async throws {
    let huge = Data(count: CloudflareClient.maxResponseBytes + 1)
    let transport = ScriptedTransport([{ _ in HTTPResponse(status: 200, body: huge) }])
    do {
      _ = try await Self.client(transport).verify(.user, as: Self.me)
      Issue.record("expected a refusal")
    } catch {
      guard case .malformedResponse(_, _, let detail) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(detail.contains("over the 16 MiB limit"))
    }
  }

  @Test func listingWithoutATotalWalksUntilAShortPage() async throws {
    func page(_ ids: Range<Int>) -> @Sendable (HTTPRequest) async throws -> HTTPResponse {
      let tokens = ids.map {
        #"{"id":"\#(String(format: "%032x", $0))","name":"t\#($0)","status":"active","policies":[]}"#
      }
      return ScriptedTransport.json(
        200, #"{"success":true,"errors":[],"messages":[],"result":[\#(tokens.joined(separator: ","))]}"#)
    }
    let transport = ScriptedTransport([page(0..<50), page(50..<100), page(100..<103)])
    let tokens = try await Self.client(transport).listTokens(.user, as: Self.me)
    #expect(tokens.count == 103)
    // Expired tokens are asked for too: a policy token that expired is reported as expired, not as unseen.
    #expect(
      transport.requests.map { $0.url.query ?? "" } == [
        "include_expired=true&page=1&per_page=50", "include_expired=true&page=2&per_page=50",
        "include_expired=true&page=3&per_page=50",
      ])
  }

  /// A count no account has (or one that would overflow) is a broken answer, not millions of requests.
  @Test(arguments: ["1e18", "2000000", "-1"]) func anImplausibleTotalIsRefused(total: String) async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(
        200,
        #"{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":50,"total_count":\#(total)}}"#
      )
    ])
    do {
      _ = try await Self.client(transport).listTokens(.user, as: Self.me)
      Issue.record("expected a refusal")
    } catch {
      guard case .malformedResponse(_, _, let detail) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(detail.contains("not a plausible number of tokens"))
    }
    #expect(transport.requests.count == 1)
  }
}

/// The response decoder on mutated real payloads: always a token or a typed error, never a crash.
@Suite struct DecoderFuzzTests {
  @Test func mutatedPayloadsGiveTypedErrors() async throws {
    let fixture = [UInt8](try Fixture.data("token-details.json"))
    var rng = SplitMix64(seed: 99)
    let alphabet = Array("{}[]\",:0123456789aezn \\".utf8) + [0x00, 0xFF, 0xC3]
    var steps: [@Sendable (HTTPRequest) async throws -> HTTPResponse] = []
    for round in 0..<600 {
      var bytes = fixture
      for _ in 0..<(1 + round % 8) {
        let index = Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 3 {
        case 0: bytes[index] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
        case 1: bytes.remove(at: index)
        default: bytes = Array(bytes[..<index])
        }
        if bytes.isEmpty { break }
      }
      let status = [200, 400, 403, 500][round % 4]
      let body = Data(bytes)
      steps.append { _ in HTTPResponse(status: status, body: body) }
    }
    let transport = ScriptedTransport(steps)
    let client = ClientTests.client(transport) { $0.maxAttempts = 1 }
    var decoded = 0
    var failed = 0
    for _ in 0..<600 {
      do {
        _ = try await client.token(HexID("ed17574386854bf78a67040be0a770b0")!, in: .user, as: ClientTests.me)
        decoded += 1
      } catch {
        #expect(!error.message.isEmpty)
        failed += 1
      }
    }
    #expect(decoded + failed == 600)
    #expect(failed > 0)
  }
}

@Suite struct RateLimiterTests {
  @Test func neverAdmitsMoreThanTheLimitPerWindow() async throws {
    let time = InstantTime()
    let limiter = RateLimiter(limit: 5, window: 10, time: time)
    for _ in 0..<12 { try await limiter.acquire() }
    // 5 at t=0, 5 at t=10, 2 at t=20.
    #expect(time.now() == 20)
    #expect(limiter.remaining == 3)
  }

  @Test func pacesWhenCloudflareSaysTheBudgetIsNearlySpent() async throws {
    let time = InstantTime()
    let limiter = RateLimiter(limit: 1200, window: 300, time: time)
    limiter.observe(remaining: 10)
    for _ in 0..<4 { try await limiter.acquire() }
    // 300 s / 10 left = 30 s, then 300/9, 300/8: evenly spread instead of a burst.
    #expect(time.now() > 90)
  }
}

/// Collects log lines across tasks.
final class LogLines: Sendable {
  let lines = Mutex<[String]>([])
  func append(_ line: String) { lines.withLock { $0.append(line) } }
  var all: [String] { lines.withLock { $0 } }
}

@Suite struct RateLimiterPacingTests {
  /// Pacing follows Cloudflare's own limit, whatever ours is set to.
  @Test func noPacingWhileCloudflareReportsAmpleBudget() async throws {
    let time = InstantTime()
    let limiter = RateLimiter(limit: 100_000, window: 300, time: time)
    limiter.observe(remaining: 1100, limit: 1200)
    for _ in 0..<20 { try await limiter.acquire() }
    #expect(time.now() == 0)
  }
}
