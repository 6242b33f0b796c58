import Basics
import Foundation
import Health
import History
import TokenModel

/// Health, status, heal, history and probe reports for people: the seed's cron-log lines, kubectl-like tables.
/// Emoji markers on a terminal with colour; plain `[ok]`, `[warn]`, `[fail]` otherwise.
package struct HealthRenderer: Sendable {
  package let style: TextStyle

  package init(style: TextStyle) { self.style = style }

  var emoji: Bool { style.color }

  func marker(_ level: Recommendation.Level) -> String { emoji ? level.emoji : level.plain }

  func state(_ state: HealthState) -> String {
    switch state {
    case .healthy: return style.green(state.rawValue)
    case .degraded: return style.yellow(state.rawValue)
    case .unhealthy: return style.red(state.rawValue)
    }
  }

  /// `Token health check completed. Overall: degraded (score 68)`, one line per token, the recommendations.
  package func health(_ report: HealthReport, recommendations: Bool = true) -> String {
    var out = "Token health check completed. Overall: \(state(report.overallStatus)) (score \(report.overallScore))\n\n"
    for token in report.tokens { out += tokenLine(token) + "\n" }
    if recommendations { out += "\n" + self.recommendations(report) }
    return out
  }

  /// `account_token: ✅ valid, ⚠️ 2 permissions missing`
  package func tokenLine(_ token: TokenHealth) -> String {
    var parts: [String] = []
    switch token.isValid {
    case true?: parts.append("\(marker(.ok)) valid")
    case false?: parts.append("\(marker(.error)) invalid")
    case nil: parts.append("\(marker(.error)) \(token.error ?? "not checked")")
    }
    if token.isValid == true, token.isActive != true {
      let active = token.condition(.active)
      let words =
        active?.reason == .expired
        ? "expired" : active?.reason == .notYetValid ? "not yet valid" : token.status ?? "status unknown"
      parts.append("\(marker(.error)) \(words)")
    }
    let missing = token.missingGrants.count
    switch token.condition(.permissionsSatisfied)?.status {
    case .true?: parts.append("\(marker(.ok)) all permissions present")
    case .false?:
      let healable = token.missingGrants.allSatisfy(\.healable)
      let words = "\(plural(missing, "permission")) missing"
      parts.append(healable ? "\(marker(.warning)) \(words)" : "\(marker(.error)) \(words), cannot be healed")
    default: parts.append("\(marker(.error)) permissions unknown (the token could not be read)")
    }
    if token.condition(.expiringSoon)?.reason == .withinWarningWindow, let days = token.daysUntilExpiry {
      parts.append("\(marker(.warning)) expires in \(plural(days, "day"))")
    }
    if token.condition(.drifted)?.status == .true { parts.append("\(marker(.warning)) changed outside TokenWarden") }
    return "\(style.bold(token.name)): " + parts.joined(separator: ", ")
  }

  package func recommendations(_ report: HealthReport) -> String {
    var out = "Recommendations:\n"
    for recommendation in report.recommendations {
      out += "  \(marker(recommendation.level)) \(recommendation.message)\n"
    }
    return out
  }

  /// The compact table of `status`.
  package func status(_ report: HealthReport) -> String {
    var rows = [["TOKEN", "TYPE", "VALID", "ACTIVE", "MISSING", "EXPIRES", "HEALTH", "SCORE"].map { Cell($0) }]
    for token in report.tokens {
      rows.append([
        Cell(token.name), Cell(token.tokenType), Cell(Self.yesNo(token.isValid)), Cell(Self.yesNo(token.isActive)),
        Cell(token.condition(.permissionsSatisfied)?.status == .unknown ? "?" : String(token.missingPermissionsCount)),
        Cell(token.daysUntilExpiry.map { "in \(plural($0, "day"))" } ?? (token.expiresOn == nil ? "never" : "-")),
        Cell(token.health.rawValue, state(token.health)), Cell(String(token.score)),
      ])
    }
    return Self.table(rows)
      + "\nOverall: \(state(report.overallStatus)) (score \(report.overallScore)), checked \(report.timestamp)\n"
  }

  /// Health before, what the heal did, health after, and before/after side by side.
  package func heal(_ report: HealReport) -> String {
    var out = health(report.before, recommendations: false) + "\n"
    let attempted = report.results.filter { $0.outcome != .skipped || !$0.success }
    if attempted.isEmpty {
      out += "Nothing to heal: every token has the permissions the policy requires.\n"
    } else {
      out += "Healing:\n"
      for result in attempted {
        let via = result.healer.map { " via \($0)" } ?? ""
        let added = result.permissionsAdded.isEmpty ? "" : " (\(result.permissionsAdded.joined(separator: ", ")))"
        out += "  \(marker(result.success ? .ok : .error)) \(result.name)\(via): \(result.detail)\(added)\n"
      }
    }
    out += "\n" + health(report.after, recommendations: false) + "\n"
    var rows = [[Cell(""), Cell("BEFORE"), Cell("AFTER")]]
    for token in report.after.tokens {
      let before = report.before.token(named: token.name)
      rows.append([
        Cell(token.name),
        before.map { Cell("\($0.health.rawValue) (\($0.score))", state($0.health) + " (\($0.score))") } ?? Cell("-"),
        Cell("\(token.health.rawValue) (\(token.score))", state(token.health) + " (\(token.score))"),
      ])
    }
    out += Self.table(rows) + "\n" + recommendations(report.after) + "\n"
    out += style.bold(report.message) + "\n"
    return out
  }

  /// The last checks, newest first.
  package func history(_ checks: [CheckRecord]) -> String {
    guard !checks.isEmpty else { return "No health checks recorded yet. Run 'tokenwarden health POLICY'.\n" }
    var rows = [["TIME", "OVERALL", "SCORE", "HEAL", "TOKENS"].map { Cell($0) }]
    for check in checks {
      let tokens = check.tokens.map { token in
        token.name + " " + token.state + (token.missing.isEmpty ? "" : " (\(token.missing.count) missing)")
      }.joined(separator: ", ")
      let overall = HealthState(rawValue: check.overall)
      rows.append([
        Cell(Self.time(check.time)), Cell(check.overall, overall.map(state) ?? check.overall),
        Cell(String(check.score)), Cell(check.healAttempted ? check.healResult ?? "attempted" : "-"), Cell(tokens),
      ])
    }
    return Self.table(rows)
  }

  /// The last plans and applies, newest first.
  package func runs(_ runs: [RunRecord]) -> String {
    guard !runs.isEmpty else { return "No plans or applies recorded yet.\n" }
    var rows = [["TIME", "KIND", "RESULT", "PLAN DIGEST", "TOKENS"].map { Cell($0) }]
    for run in runs {
      let tokens = run.tokens.map { token in
        token.name + " " + token.outcome.rawValue + (token.added.isEmpty ? "" : " +\(token.added.count)")
          + (token.editor.map { " via \($0)" } ?? "")
      }.joined(separator: ", ")
      rows.append([
        Cell(Self.time(run.time)), Cell(run.kind), Cell(run.result), Cell(String(run.planDigest.prefix(19))),
        Cell(tokens),
      ])
    }
    return Self.table(rows)
  }

  /// The rotation journal: each rotation, how far it got, the old and new ids.
  package func rotations(_ rotations: [RotationRecord]) -> String {
    guard !rotations.isEmpty else { return "No rotations recorded yet.\n" }
    var rows = [["STARTED", "TOKEN", "STRATEGY", "STATE", "OLD ID", "NEW ID", "NOTE"].map { Cell($0) }]
    for rotation in rotations {
      rows.append([
        Cell(Self.time(rotation.started)), Cell(rotation.token), Cell(rotation.strategy), Cell(rotation.state.rawValue),
        Cell(rotation.oldID), Cell(rotation.newID ?? "-"), Cell(rotation.message),
      ])
    }
    return Self.table(rows)
  }

  /// Each token's calls with PASS/FAIL next to what the policy says, then the surprises.
  package func probe(_ report: ProbeReport) -> String {
    var out = ""
    var current: String?
    var rows: [[Cell]] = []
    func flush() {
      if !rows.isEmpty { out += Self.table(rows, indent: "  ") }
      rows = []
    }
    for result in report.results {
      if result.token != current {
        flush()
        if current != nil { out += "\n" }
        out += style.bold(result.token) + "\n"
        current = result.token
      }
      let mark: String
      switch result.result {
      case .pass: mark = style.green("PASS")
      case .fail: mark = result.asExpected ? style.dim("FAIL") : style.red("FAIL")
      case .skipped: mark = style.dim("SKIP")
      }
      let expected =
        result.result == .skipped
        ? result.detail ?? "" : "expected \(result.expected.rawValue)" + (result.asExpected ? "" : "  ← unexpected")
      rows.append([Cell(result.result.rawValue, mark), Cell(result.title), Cell("GET " + result.path), Cell(expected)])
    }
    flush()
    out += "\n"
    let checked = report.checked.count
    let surprises = report.surprises
    if surprises.isEmpty {
      out += style.bold(checked == 1 ? "The result is as expected." : "All \(checked) results as expected.") + "\n"
    } else {
      out += style.bold("\(surprises.count) of \(plural(checked, "result")) not as expected:") + "\n"
      for result in surprises {
        let meaning =
          result.expected == .pass
          ? "\(result.because), but the call failed: \(result.detail ?? "refused"); run 'tokenwarden health' to see what is missing"
          : "\(result.because), but the call passed: the token can do more than the policy says; review its permissions"
        out += "  \(marker(.warning)) \(result.token): \(result.title): \(meaning)\n"
      }
    }
    let skipped = report.results.count - checked
    if skipped > 0 { out += "\(plural(skipped, "call")) skipped: no secret for the token.\n" }
    return out
  }

  // MARK: Helpers

  /// A table cell: the plain text sets the width, the styled text is printed.
  struct Cell {
    let plain: String
    let styled: String
    init(_ plain: String, _ styled: String? = nil) {
      self.plain = plain
      self.styled = styled ?? plain
    }
  }

  static func table(_ rows: [[Cell]], indent: String = "") -> String {
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.plain.count) }
    }
    return rows.map { row in
      indent
        + row.enumerated().map { index, cell in
          index == row.count - 1
            ? cell.styled : cell.styled + String(repeating: " ", count: widths[index] - cell.plain.count)
        }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }

  static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

  static func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "?" }
}
