import Foundation
import Service
import Testing

@Suite struct CronTests {
  static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

  struct Case: CustomTestStringConvertible, Sendable {
    let expression: String
    let after: String
    let next: String
    var testDescription: String { "'\(expression)' after \(after)" }
  }

  static let cases: [Case] = [
    Case(expression: "0 */6 * * *", after: "2026-11-22T12:00:00Z", next: "2026-11-22T18:00:00Z"),
    Case(expression: "0 */6 * * *", after: "2026-11-22T23:59:59Z", next: "2026-11-23T00:00:00Z"),
    Case(expression: "0 0 * * *", after: "2026-12-31T12:00:00Z", next: "2027-01-01T00:00:00Z"),
    Case(expression: "* * * * *", after: "2026-11-22T12:00:30Z", next: "2026-11-22T12:01:00Z"),
    Case(expression: "*/15 9-17 * * MON-FRI", after: "2026-11-21T10:00:00Z", next: "2026-11-23T09:00:00Z"),
    Case(expression: "30 8 1,15 * *", after: "2026-11-15T08:30:00Z", next: "2026-12-01T08:30:00Z"),
    Case(expression: "0 12 * FEB sun", after: "2026-11-22T12:00:00Z", next: "2027-02-07T12:00:00Z"),
    Case(expression: "0 0 29 2 *", after: "2026-03-01T00:00:00Z", next: "2028-02-29T00:00:00Z"),
    // Both day fields restricted: either matches (the 13th, or any Friday).
    Case(expression: "0 0 13 * 5", after: "2026-11-22T00:00:00Z", next: "2026-11-27T00:00:00Z"),
    Case(expression: "5/20 * * * *", after: "2026-11-22T12:06:00Z", next: "2026-11-22T12:25:00Z"),
    Case(expression: "0 0 * * 7", after: "2026-11-22T00:00:00Z", next: "2026-11-29T00:00:00Z"),
    Case(expression: "CRON_TZ=Europe/Paris 0 9 * * *", after: "2026-11-22T12:00:00Z", next: "2026-11-23T08:00:00Z"),
    Case(expression: "TZ=America/New_York 0 9 * * *", after: "2026-07-01T00:00:00Z", next: "2026-07-01T13:00:00Z"),
  ]

  @Test(arguments: cases) func nextFire(_ testCase: Case) throws {
    let cron = try CronExpression(testCase.expression)
    #expect(cron.next(after: Self.date(testCase.after)) == Self.date(testCase.next))
  }

  @Test(arguments: [
    ("0 */6 * *", "4 fields"), ("60 * * * *", "minute '60' is not in 0–59"), ("* * * FOO *", "month 'FOO'"),
    ("*/0 * * * *", "step '0' is not a positive number"), ("5-1 * * * *", "runs backwards"),
    ("CRON_TZ=Mars/Olympus 0 0 * * *", "unknown time zone 'Mars/Olympus'"), ("0 0 * * 8", "day of week '8'"),
  ])
  func badExpressionsSayWhatIsWrong(_ expression: String, _ message: String) {
    let error = #expect(throws: CronExpression.ParseError.self) { try CronExpression(expression) }
    #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    #expect(error?.description.contains("expected 5 fields") == true)
  }

  @Test func impossibleDatesNeverFire() throws {
    #expect(try CronExpression("0 0 30 2 *").next(after: Self.date("2026-01-01T00:00:00Z")) == nil)
  }

  @Test func theShortestIntervalDecidesCatchUp() throws {
    let scheduler = Scheduler(
      schedules: [try CronExpression("0 */6 * * *"), try CronExpression("0 0 * * *")], clock: SystemClock())
    let now = Self.date("2026-11-22T12:00:00Z")
    #expect(scheduler.interval(at: now) == TimeInterval(6 * 3_600))
    #expect(scheduler.catchUpDue(lastRun: nil, at: now))
    #expect(scheduler.catchUpDue(lastRun: now.addingTimeInterval(-7 * 3_600), at: now))
    #expect(!scheduler.catchUpDue(lastRun: now.addingTimeInterval(-5 * 3_600), at: now))
    for attempt in 1...10 {
      let delay = scheduler.backoff(attempt: attempt, jitter: 1)
      #expect(delay == min(3_600, 60 * pow(2, Double(attempt - 1))))
      #expect(scheduler.backoff(attempt: attempt, jitter: 0) >= 1)
    }
  }
}
