import Foundation
import Health

// What the service knows between checks, shared with its pages (rendered in Rendering).

/// The last check as served: `stale` when Cloudflare could not be reached since, with the error.
package struct CheckSnapshot: Sendable {
  package let report: HealthReport
  package let checkedAt: Date
  package var stale: Bool
  package var lastError: String?

  package init(report: HealthReport, checkedAt: Date, stale: Bool, lastError: String?) {
    self.report = report
    self.checkedAt = checkedAt
    self.stale = stale
    self.lastError = lastError
  }
}

/// What the service has done since it started, for `/metrics`.
package struct ServiceCounters: Sendable {
  package var checks = 0
  package var failedChecks = 0
  package var healAttempts = 0
  package var healSuccesses = 0
  package var healFailures = 0
  package var scheduledRuns = 0

  package init() {}
}
