import Foundation
import Operations
import Service
import Testing
import TokenModel

/// The service refuses a schedule whose checks alone would spend more than half of Cloudflare's request budget.
@Suite struct RequestBudgetTests {
  static func policy(tokens: Int) -> DesiredState {
    let account = HexID("b3304b14848de15c72c24a14b0cd187d")!
    return DesiredState(
      tokens: (0..<tokens).map { index in
        DesiredToken(
          name: "t\(index)", id: HexID(String(format: "%032x", index + 1))!, owner: .account(account),
          ownerName: "account main",
          secretVariable: "T\(index)", healer: .automatic, warnBeforeSeconds: nil, grants: [], location: "t")
      })
  }

  static let start = ISO8601DateFormatter().date(from: "2026-12-02T12:00:00Z")!

  @Test func aCheckCostsAVerifyPerTokenTheListPagesAndTheCatalog() {
    #expect(RequestBudget.requestsPerCheck(Self.policy(tokens: 2)) == 2 + 1 + 1)
    #expect(RequestBudget.requestsPerCheck(Self.policy(tokens: 120)) == 120 + 3 + 1)
  }

  @Test func theBusiestFiveMinutesOfTheSchedulesCount() throws {
    let defaults = [try CronExpression("0 */6 * * *"), try CronExpression("0 0 * * *")]
    #expect(RequestBudget.runsPerWindow(defaults, from: Self.start) == 2)
    #expect(RequestBudget.runsPerWindow([try CronExpression("* * * * *")], from: Self.start) == 5)
  }

  @Test func theSeedFitsAndLargePoliciesOrShortIntervalsAreRefusedWithTheNumbers() throws {
    let defaults = [try CronExpression("0 */6 * * *"), try CronExpression("0 0 * * *")]
    #expect(
      RequestBudget.refusal(Self.policy(tokens: 2), healthInterval: 30, schedules: defaults, from: Self.start) == nil)
    // 40 verifies + 1 page + the catalog = 42 a check; 10 on demand and 2 scheduled: 504, under half.
    #expect(
      RequestBudget.refusal(Self.policy(tokens: 40), healthInterval: 30, schedules: defaults, from: Self.start) == nil)
    // 50 tokens: 52 a check, 624 in 5 minutes.
    let busy = try #require(
      RequestBudget.refusal(Self.policy(tokens: 50), healthInterval: 30, schedules: defaults, from: Self.start))
    #expect(
      busy.hasPrefix(
        "the checks would use 624 of Cloudflare's 1200 requests per 5 minutes (52 requests a check for 50 tokens"))
    #expect(busy.hasSuffix("use --health-interval 34 or more"))
    #expect(
      RequestBudget.refusal(Self.policy(tokens: 50), healthInterval: 34, schedules: defaults, from: Self.start) == nil)
    let unbounded = try #require(
      RequestBudget.refusal(Self.policy(tokens: 2), healthInterval: 0, schedules: defaults, from: Self.start))
    #expect(unbounded.contains("--health-interval 0 lets every GET /tokens/health start a check"))
    let huge = try #require(
      RequestBudget.refusal(Self.policy(tokens: 1_000), healthInterval: 3_600, schedules: defaults, from: Self.start))
    #expect(huge.contains("one check of this policy alone needs 1021 requests"))
  }
}
