import Basics
import CloudflareAPI
import Foundation
import Simulator
import Synchronization
import Testing
import TokenModel

/// Cloudflare's rate-limit headers, old and new, and a limiter that honours them without ever waiting in silence.
@Suite struct RateLimitHeaderTests {
  @Test func theIETFHeadersAreReadAndTheTightestLimitWins() {
    let headers = RateLimitHeaders([
      "ratelimit": #""default";r=50;t=30, "burst";r=5;t=2"#,
      "ratelimit-policy": #""default";q=1200;w=300, "burst";q=100;w=60"#,
    ])
    #expect(headers.quotas.count == 2)
    let tightest = headers.tightest
    #expect(tightest?.name == "burst")
    #expect(tightest?.remaining == 5)
    #expect(tightest?.resetSeconds == 2)
    #expect(tightest?.quota == 100)
    #expect(tightest?.windowSeconds == 60)
  }

  @Test func theOlderHeadersStillCountAndTheNewOnesWinWhenBothCome() {
    let old = RateLimitHeaders(
      [
        "x-ratelimit-remaining": "7", "x-ratelimit-limit": "1200", "x-ratelimit-reset": "Wed, 02 Dec 2026 17:00:30 GMT",
      ],
      now: ISO8601DateFormatter().date(from: "2026-12-02T17:00:00Z")!)
    #expect(old.tightest?.remaining == 7)
    #expect(old.tightest?.quota == 1200)
    #expect(old.tightest?.resetSeconds == 30)
    let both = RateLimitHeaders(["x-ratelimit-remaining": "7", "ratelimit": #""default";r=900;t=100"#])
    #expect(both.tightest?.remaining == 900)
  }

  @Test(arguments: [
    (#""default";r=50;t=30"#, 50), (#"default;r=3;t=1"#, 3), (#""a,b";r=4;t=1"#, 4), (#""x";r=9;t=1;pk=:YWJj:"#, 9),
    (#""bad";r=-1;t=1, "good";r=8;t=1"#, 8), (#""bad";r=lots;t=1, "good";r=6;t=1"#, 6),
  ])
  func itemsAreReadOrSkippedNeverGuessed(_ header: String, _ remaining: Int) {
    #expect(RateLimitHeaders(["ratelimit": header]).tightest?.remaining == remaining)
  }

  @Test func retryAfterIsSecondsOrAnHTTPDate() {
    #expect(RateLimitHeaders(["retry-after": "2"]).retryAfter == 2)
    let now = ISO8601DateFormatter().date(from: "2026-12-02T17:00:00Z")!
    #expect(RateLimitHeaders(["retry-after": "Wed, 02 Dec 2026 17:00:09 GMT"], now: now).retryAfter == 9)
    #expect(RateLimitHeaders(["retry-after": "soon"]).retryAfter == nil)
  }

  /// Random text in the headers: never a crash, never a negative budget, never a budget from a malformed item.
  @Test func fuzzedHeadersNeverCrashOrGoNegative() {
    var rng = SplitMix64(seed: 7)
    let alphabet = Array(#"" ;=,rtqw0123456789-abc\:."#)
    for _ in 0..<20_000 {
      let length = Int(rng.next() % 40)
      let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
      let headers = RateLimitHeaders(["ratelimit": text, "ratelimit-policy": text, "retry-after": text])
      for quota in headers.quotas {
        #expect(quota.remaining >= 0, "\(text)")
        #expect((quota.resetSeconds ?? 0) >= 0, "\(text)")
      }
      #expect((headers.retryAfter ?? 0) >= 0)
    }
  }
}

@Suite struct RateLimitWaitTests {
  static let limited = #"{"success":false,"errors":[{"code":971,"message":"Please wait"}],"messages":[],"result":null}"#

  /// A client whose limiter runs on `time` (Cloudflare's 1,200 per 5 minutes) and whose long waits go to `notices`.
  static func client(
    _ transport: ScriptedTransport, time: InstantTime, notices: LogLines = LogLines(), maxWait: Double = 60
  ) -> CloudflareClient {
    var configuration = ClientConfiguration()
    configuration.maxWait = maxWait
    return CloudflareClient(
      baseURL: ClientTests.base, transport: transport, configuration: configuration,
      rateLimiter: RateLimiter(limit: 1200, window: 300, time: time), time: time, notice: { notices.append($0) },
      jitter: { 1 })
  }

  @Test func aRetryAfterOfTwoSecondsWaitsAboutTwoSecondsAndIsNotAnnounced() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(429, Self.limited, headers: ["Retry-After": "2", "Ratelimit": #""default";r=0;t=300"#]),
      ScriptedTransport.json(200, ClientTests.ok, headers: ["Ratelimit": #""default";r=1199;t=300"#]),
    ])
    let time = InstantTime()
    let notices = LogLines()
    let client = Self.client(transport, time: time, notices: notices)
    _ = try await client.verify(.user, as: ClientTests.me)
    // Not the 300 s of the window the 429's headers report: what Retry-After says.
    #expect(time.now() == 2)
    #expect(notices.all.isEmpty)
  }

  @Test func aLongWaitIsSaidOnceWhoeverWaits() async throws {
    let transport = ScriptedTransport(
      [ScriptedTransport.json(429, Self.limited, headers: ["Retry-After": "12"])]
        + Array(repeating: ScriptedTransport.json(200, ClientTests.ok), count: 4))
    let time = InstantTime()
    let notices = LogLines()
    let client = Self.client(transport, time: time, notices: notices)
    _ = try await client.verify(.user, as: ClientTests.me)
    _ = try await client.verify(.user, as: ClientTests.me)
    #expect(notices.all == ["waiting 12 s: Cloudflare answered 429 (rate limited) and asked to retry after that"])
  }

  @Test func cloudflaresWaitsBeyondMaxWaitFailAndZeroFailsAtOnce() async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(429, Self.limited, headers: ["Retry-After": "5"])])
    let time = InstantTime()
    let client = Self.client(transport, time: time, maxWait: 0)
    do {
      _ = try await client.verify(.user, as: ClientTests.me)
      Issue.record("expected a refusal")
    } catch {
      guard case .rateLimited(_, let retryAfter) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(retryAfter == 5)
      #expect(error.message.contains("rate limited by Cloudflare, which asks to wait 5 s (until "))
    }
    #expect(time.now() == 0)
    #expect(transport.requests.count == 1)
  }

  /// The simulator with a budget of 30 requests a minute, on the same virtual clock as the client: pacing keeps
  /// every one of 100 requests clear of a 429, and takes the time the budget needs.
  @Test(arguments: [false, true])
  func pacingWithALowBudgetMeetsNo429(_ legacyHeaders: Bool) async throws {
    let time = InstantTime()
    let origin = Date(timeIntervalSinceReferenceDate: 800_000_000)
    var state = Scenario.seed(invisible: false)
    state.settings.rateLimit = 30
    state.settings.rateWindowSeconds = 60
    state.settings.legacyRateLimitHeaders = legacyHeaders
    let simulator = Simulator(state: state, now: { origin.addingTimeInterval(time.now()) })
    let base = URL(string: "https://api.cloudflare.test/client/v4")!
    let client = CloudflareClient(
      baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base),
      rateLimiter: RateLimiter(limit: 1200, window: 300, time: time), time: time, jitter: { 1 })
    let token = simulator.snapshot.tokens.first { $0.name == "user_token" }!
    let credential = Credential(label: "user_token", tokenID: token.id, secret: Secret(token.secret))
    for _ in 0..<100 { _ = try await client.verify(.user, as: credential) }
    #expect(client.counter.all.rateLimited.isEmpty, "legacy headers: \(legacyHeaders)")
    #expect(time.now() >= 60 * 2, "100 requests at 30 a minute take over two minutes")
  }

  @Test func theEstimateSaysHowLongARunOverTheBudgetTakes() {
    let limiter = RateLimiter(limit: 1200, window: 300, time: InstantTime())
    #expect(limiter.estimate(requests: 1_000) == nil)
    #expect(limiter.estimate(requests: 1_394) == "1,394 requests: about 5 min at Cloudflare's 1,200 per 5 minutes")
    #expect(limiter.estimate(requests: 30_000) == "30,000 requests: about 2 h at Cloudflare's 1,200 per 5 minutes")
  }
}
