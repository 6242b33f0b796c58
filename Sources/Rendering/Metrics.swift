import CloudflareAPI
import Foundation
import Health
import Operations

/// `/metrics` in the Prometheus text format (version 0.0.4): the last check, each token's health, heal counters and
/// Cloudflare requests, errors and 429s by endpoint. Served from memory: never calls Cloudflare.
package enum Metrics {
  struct Family {
    let name: String
    let type: String
    let help: String
    var samples: [(labels: [(String, String)], value: Double)] = []
  }

  package static func render(
    snapshot: CheckSnapshot?, counters: ServiceCounters, requests: RequestCounter.Counts, now: Date, startedAt: Date
  ) -> String {
    var families: [Family] = []
    func gauge(
      _ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)], type: String = "gauge"
    ) {
      families.append(Family(name: name, type: type, help: help, samples: samples))
    }
    gauge("tokenwarden_up", "1 while the service runs.", [([], 1)])
    gauge(
      "tokenwarden_start_time_seconds", "When the service started (Unix time).", [([], startedAt.timeIntervalSince1970)]
    )
    if let snapshot {
      let report = snapshot.report
      gauge(
        "tokenwarden_last_check_timestamp_seconds", "When the served check ran (Unix time).",
        [([], snapshot.checkedAt.timeIntervalSince1970)])
      gauge(
        "tokenwarden_last_check_age_seconds", "Age of the served check.",
        [([], max(0, now.timeIntervalSince(snapshot.checkedAt)))])
      gauge(
        "tokenwarden_last_check_stale", "1 when Cloudflare could not be reached since the served check.",
        [([], snapshot.stale ? 1 : 0)])
      gauge(
        "tokenwarden_overall_health", "1 for the overall state of the served check.",
        HealthState.allCases.map { ([("state", $0.rawValue)], report.overallStatus == $0 ? 1 : 0) })
      gauge("tokenwarden_overall_score", "Overall health score, 0 to 100.", [([], Double(report.overallScore))])
      gauge(
        "tokenwarden_token_health", "1 for each token's state.",
        report.tokens.flatMap { token in
          HealthState.allCases.map { ([("token", token.name), ("state", $0.rawValue)], token.health == $0 ? 1 : 0) }
        })
      gauge(
        "tokenwarden_token_score", "Each token's health score, 0 to 100.",
        report.tokens.map { ([("token", $0.name)], Double($0.score)) })
      gauge(
        "tokenwarden_token_valid", "1 when Cloudflare accepts the token, 0 when not (absent when unknown).",
        report.tokens.compactMap { token in token.isValid.map { ([("token", token.name)], $0 ? 1 : 0) } })
      gauge(
        "tokenwarden_token_active", "1 when the token is active (absent when unknown).",
        report.tokens.compactMap { token in token.isActive.map { ([("token", token.name)], $0 ? 1 : 0) } })
      gauge(
        "tokenwarden_token_missing_permissions", "Required permissions the token lacks.",
        report.tokens.map { ([("token", $0.name)], Double($0.missingPermissionsCount)) })
      gauge(
        "tokenwarden_token_days_until_expiry", "Days until the token expires (absent when it never does).",
        report.tokens.compactMap { token in token.daysUntilExpiry.map { ([("token", token.name)], Double($0)) } })
    }
    gauge(
      "tokenwarden_checks_total", "Health checks run by the service.", [([], Double(counters.checks))], type: "counter")
    gauge(
      "tokenwarden_check_failures_total", "Checks that could not reach Cloudflare.",
      [([], Double(counters.failedChecks))], type: "counter")
    gauge(
      "tokenwarden_scheduled_runs_total", "Scheduled runs started.", [([], Double(counters.scheduledRuns))],
      type: "counter")
    gauge(
      "tokenwarden_heal_attempts_total", "Heals that had something to add.", [([], Double(counters.healAttempts))],
      type: "counter")
    gauge(
      "tokenwarden_heal_results_total", "Heal attempts by result.",
      [
        ([("result", "success")], Double(counters.healSuccesses)),
        ([("result", "failure")], Double(counters.healFailures)),
      ],
      type: "counter")
    func byEndpoint(_ counts: [String: Int]) -> [(labels: [(String, String)], value: Double)] {
      counts.keys.sorted().map { key in
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        return (
          [("method", parts.first ?? ""), ("endpoint", parts.count > 1 ? parts[1] : "")], Double(counts[key] ?? 0)
        )
      }
    }
    gauge(
      "tokenwarden_cloudflare_requests_total", "Requests sent to Cloudflare, by endpoint.",
      byEndpoint(requests.requests), type: "counter")
    gauge(
      "tokenwarden_cloudflare_errors_total",
      "Cloudflare requests that failed (4xx other than 429, 5xx, no answer), by endpoint.",
      byEndpoint(requests.errors), type: "counter")
    gauge(
      "tokenwarden_cloudflare_rate_limited_total", "Cloudflare answers 429, by endpoint.",
      byEndpoint(requests.rateLimited), type: "counter")

    var out = ""
    for family in families {
      out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
      for sample in family.samples {
        let labels =
          sample.labels.isEmpty
          ? "" : "{" + sample.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
        out += "\(family.name)\(labels) \(format(sample.value))\n"
      }
    }
    return out
  }

  /// Label values escape backslash, double quote and newline.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }
}
