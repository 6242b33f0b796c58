import Foundation
import TestSupport
import Testing

/// The dashboard and `/metrics` as served after a check of the seed scenario, on the test clock: golden files, so a
/// change to either page is seen in review (re-record with TOKENWARDEN_RECORD=1).
@Suite struct PageGoldenTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  @Test func theDashboardAndMetricsAfterACheck() async throws {
    let harness = try await Harness.start(prepare: ServiceTests.recentCheck)
    await harness.ready()
    let dashboard = try await harness.request("GET", "/")
    #expect(dashboard.status == 200)
    Golden.check(dashboard.text, against: Self.directory.appendingPathComponent("dashboard.html"))
    let metrics = try await harness.request("GET", "/metrics")
    #expect(metrics.status == 200)
    Golden.check(metrics.text, against: Self.directory.appendingPathComponent("metrics.txt"))
    await harness.stop()
  }
}
