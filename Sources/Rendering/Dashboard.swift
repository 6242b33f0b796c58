import Basics
import Foundation
import Health
import History
import Operations
import TokenModel

/// The dashboard at `/`: server-rendered HTML with a small inline stylesheet, readable without JavaScript; pictures
/// (health over the recorded checks, days until expiry against each warning window) drawn as inline SVG here.
/// Everything printed goes through `escape`.
package enum Dashboard {
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  static func color(_ state: String) -> String {
    switch state {
    case "healthy": return "#2e7d32"
    case "degraded": return "#e0a100"
    case "unhealthy": return "#c62828"
    default: return "#9e9e9e"
    }
  }

  static let style = """
    body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
    header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
    header p{margin:4px 0 0;color:#c9cfdb}main{padding:8px 28px 40px;max-width:1200px}
    section{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:14px 18px;margin:16px 0}
    h2{font-size:17px;margin:0 0 10px}table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
    th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5b6475}
    .badge{display:inline-block;padding:1px 9px;border-radius:10px;color:#fff;font-weight:600;font-size:13px}
    .stale{background:#fff4e5;border-color:#f0c36d}.muted{color:#6b7385}.small{font-size:13px}
    ul{margin:0;padding-left:20px}code{font-size:13px}svg text{font:12px system-ui,sans-serif;fill:#1d2330}
    @media (max-width:700px){main{padding:4px 10px 24px}header{padding:14px 12px}section{padding:10px 12px}
    table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}table.cards tr.head{display:none}
    table.cards tr{border:1px solid #dde1e8;border-radius:6px;margin:0 0 10px;padding:4px 0}
    table.cards td{border:0;padding:3px 10px;overflow-wrap:anywhere}table.cards td[data-label]::before{content:attr(data-label) ": ";
    font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5b6475}svg{max-width:100%;height:auto}}
    """

  static func badge(_ state: String) -> String {
    "<span class=\"badge\" style=\"background:\(color(state))\">\(escape(state))</span>"
  }

  /// `healers`: each token's healer as the policy says ("user_token", "self", "chosen automatically").
  /// `refreshSeconds`: the page reloads itself this often (a meta refresh: the page stays free of scripts).
  package static func render(
    snapshot: CheckSnapshot?, checks: [CheckRecord], runs: [RunRecord], now: Date, warnWindows: [String: Int],
    healers: [String: String] = [:], refreshSeconds: Int = 60
  ) -> String {
    var html = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <meta http-equiv="refresh" content="\(max(5, refreshSeconds))">
      <title>TokenWarden</title><style>\(style)</style></head><body>
      """
    guard let snapshot else {
      return html
        + "<header><h1>TokenWarden</h1><p>No check has completed yet; the first one runs at start.</p></header></body></html>\n"
    }
    let report = snapshot.report
    let age = Int(now.timeIntervalSince(snapshot.checkedAt))
    html +=
      "<header><h1>TokenWarden</h1><p>Overall: \(badge(report.overallStatus.rawValue)) · score \(report.overallScore)"
    html += " · checked \(escape(report.timestamp)) (\(escape(ago(age)))) · \(escape(report.source))</p></header><main>"
    if snapshot.stale {
      html += "<section class=\"stale\"><strong>Stale:</strong> Cloudflare could not be reached since this check: "
      html += "\(escape(snapshot.lastError ?? "unknown error")). Showing the last known state.</section>"
    }
    html += tokensTable(report, healers: healers)
    html += "<section><h2>Recommendations</h2><ul>"
    for recommendation in report.recommendations { html += "<li>\(escape(recommendation.text))</li>" }
    html += "</ul></section>"
    html += "<section><h2>Health over time</h2>\(timeline(checks))</section>"
    html += "<section><h2>Days until expiry</h2>\(expiryChart(report, warnWindows: warnWindows))</section>"
    html += "<section><h2>Uses over time</h2>\(usageChart(report, checks: checks))</section>"
    html += conditions(report)
    html += runsTable(runs)
    html += "</main></body></html>\n"
    return html
  }

  /// Minutes at the finest: the page is made once a minute at most between checks.
  static func ago(_ seconds: Int) -> String {
    if seconds < 60 { return "less than a minute ago" }
    if seconds < 3_600 { return "\(seconds / 60) min ago" }
    if seconds < 172_800 { return "\(seconds / 3_600) h ago" }
    return "\(seconds / 86_400) days ago"
  }

  /// One row per token; on a narrow screen each row is a card with its labels.
  static func tokensTable(_ report: HealthReport, healers: [String: String] = [:]) -> String {
    var html =
      "<section><h2>Tokens</h2><table class=\"cards\"><tr class=\"head\"><th>Token</th><th>State</th><th>Score</th><th>Valid</th>"
    html +=
      "<th>Status</th><th>Expires</th><th>Last used</th><th>Missing permissions</th><th>Extra permissions</th><th>Healer</th></tr>"
    for token in report.tokens {
      let valid = token.isValid.map { $0 ? "yes" : "no" } ?? "unknown"
      let expires =
        token.expiresOn.map { "\($0) (\(token.daysUntilExpiry.map { "\($0) days" } ?? "expired"))" } ?? "never"
      let missing = token.missingGrants.map {
        "\($0.permissionGroup) on \($0.resource)" + ($0.healable ? "" : " (cannot be added)")
      }
      html +=
        "<tr><td><strong>\(escape(token.name))</strong><br><span class=\"muted small\">\(escape(token.tokenType))-owned · "
      html +=
        "<code>\(escape(String(token.tokenID.prefix(4))))…\(escape(String(token.tokenID.suffix(4))))</code></span></td>"
      // Not read: what it holds, and so what it lacks, is unknown — never "none".
      let read = token.conditions.first { $0.type == .permissionsSatisfied }?.status != .unknown
      let unknown = "unknown (the token could not be read)"
      html +=
        "<td data-label=\"State\">\(badge(token.health.rawValue))</td><td data-label=\"Score\">\(token.score)</td>"
      html += "<td data-label=\"Valid\">\(escape(valid))</td>"
      html +=
        "<td data-label=\"Status\">\(escape(token.status ?? token.error ?? "unknown"))</td><td data-label=\"Expires\">\(escape(expires))</td>"
      html += "<td data-label=\"Last used\">\(escape(lastUsed(token.lastUsedOn, at: report.timestamp)))</td>"
      html += "<td data-label=\"Missing\">\(list(missing, empty: read ? "none" : unknown))</td>"
      html += "<td data-label=\"Extra\">\(list(token.extraPermissions, empty: read ? "none" : unknown))</td>"
      html +=
        "<td data-label=\"Healer\">\(escape(token.healer ?? healers[token.name] ?? "chosen automatically"))</td></tr>"
    }
    return html + "</table></section>"
  }

  static func list(_ items: [String], empty: String) -> String {
    guard !items.isEmpty else { return "<span class=\"muted\">\(escape(empty))</span>" }
    return "<ul class=\"small\">" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
  }

  static func conditions(_ report: HealthReport) -> String {
    var html =
      "<section><h2>Conditions</h2><table class=\"cards\"><tr class=\"head\"><th>Token</th><th>Type</th><th>Status</th><th>Reason</th>"
    html += "<th>Message</th><th>Since</th></tr>"
    for token in report.tokens {
      for condition in token.conditions {
        html +=
          "<tr><td><strong>\(escape(token.name))</strong></td><td data-label=\"Type\">\(escape(condition.type.rawValue))</td>"
        html += "<td data-label=\"Status\">\(escape(condition.status.rawValue))</td>"
        html +=
          "<td data-label=\"Reason\">\(escape(condition.reason.rawValue))</td><td class=\"small\">\(escape(condition.message))</td>"
        html += "<td class=\"small\" data-label=\"Since\">\(escape(condition.lastTransitionTime))</td></tr>"
      }
    }
    return html + "</table></section>"
  }

  static func runsTable(_ runs: [RunRecord]) -> String {
    var html = "<section><h2>Latest plans and applies</h2>"
    guard !runs.isEmpty else { return html + "<p class=\"muted\">None recorded yet.</p></section>" }
    html +=
      "<table class=\"cards\"><tr class=\"head\"><th>Time</th><th>Kind</th><th>Result</th><th>Tokens</th><th>Plan digest</th></tr>"
    for run in runs {
      let tokens = run.tokens.filter { $0.outcome != .none }.map {
        "\($0.name): \($0.outcome)" + ($0.added.isEmpty ? "" : " +\($0.added.count)")
          + ($0.editor.map { " via \($0)" } ?? "")
      }
      html +=
        "<tr><td class=\"small\">\(escape(ISO8601DateFormatter().string(from: run.time)))</td><td data-label=\"Kind\">\(escape(run.kind))</td>"
      html +=
        "<td data-label=\"Result\">\(escape(run.result))</td><td data-label=\"Tokens\">\(list(tokens, empty: "no change"))</td>"
      html += "<td data-label=\"Plan\"><code>\(escape(String(run.planDigest.prefix(19))))…</code></td></tr>"
    }
    return html + "</table></section>"
  }

  /// One row for the overall state and one per token, one column per recorded check (oldest left).
  /// `today`, `yesterday`, `12 days ago`, or `never` (Cloudflare reports no use), as of the check.
  static func lastUsed(_ lastUsedOn: String?, at timestamp: String) -> String {
    guard let used = lastUsedOn.flatMap(CloudflareDate.parse) else { return "never" }
    let days = max(0, Int(((CloudflareDate.parse(timestamp) ?? used).timeIntervalSince(used)) / 86_400))
    return days == 0 ? "today" : days == 1 ? "yesterday" : "\(days) days ago"
  }

  /// A row per token, a mark on each day Cloudflare's `last_used_on` moved to, as the recorded checks saw it: when
  /// each token was used, as far as the history knows.
  static func usageChart(_ report: HealthReport, checks: [CheckRecord]) -> String {
    var days: [String: Set<String>] = [:]
    for check in checks {
      for token in check.tokens {
        if let used = token.lastUsedOn { days[token.name, default: []].insert(String(used.prefix(10))) }
      }
    }
    for token in report.tokens {
      if let used = token.lastUsedOn { days[token.name, default: []].insert(String(used.prefix(10))) }
    }
    let all = days.values.reduce(into: Set<String>()) { $0.formUnion($1) }.sorted()
    guard let first = all.first.flatMap({ CloudflareDate.parse($0 + "T00:00:00Z") }),
      let last = all.last.flatMap({ CloudflareDate.parse($0 + "T00:00:00Z") })
    else { return "<p class=\"muted\">Cloudflare has reported no use of any token yet.</p>" }
    let span = max(1, Int(last.timeIntervalSince(first) / 86_400))
    let label = 150.0
    let plot = 600.0
    let row = 24.0
    let names = report.tokens.map(\.name)
    let height = row * Double(names.count) + 30
    var svg =
      "<svg role=\"img\" aria-label=\"Days each token was used\" width=\"\(Int(label + plot + 20))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
    for (index, name) in names.enumerated() {
      let y = Double(index) * row + 4
      svg += "<text x=\"0\" y=\"\(y + 15)\">\(escape(String(name.prefix(22))))</text>"
      svg += "<line x1=\"\(label)\" x2=\"\(label + plot)\" y1=\"\(y + 10)\" y2=\"\(y + 10)\" stroke=\"#dde1e8\"/>"
      for day in (days[name] ?? []).sorted() {
        guard let date = CloudflareDate.parse(day + "T00:00:00Z") else { continue }
        let x = label + plot * Double(Int(date.timeIntervalSince(first) / 86_400)) / Double(span)
        svg +=
          "<circle cx=\"\(x)\" cy=\"\(y + 10)\" r=\"5\" fill=\"#2e7d32\"><title>\(escape(name)): used \(day)</title></circle>"
      }
    }
    let axis = Double(names.count) * row + 20
    svg += "<text x=\"\(label)\" y=\"\(axis)\" fill=\"#5b6475\">\(escape(all.first ?? ""))</text>"
    svg +=
      "<text x=\"\(label + plot)\" y=\"\(axis)\" text-anchor=\"end\" fill=\"#5b6475\">\(escape(all.last ?? ""))</text>"
    return svg + "</svg><p class=\"small muted\">A mark on each day a check found a new last use.</p>"
  }

  static func timeline(_ newestFirst: [CheckRecord]) -> String {
    let checks = Array(newestFirst.reversed())
    guard !checks.isEmpty else { return "<p class=\"muted\">No checks recorded yet.</p>" }
    // Every token that appears, in order of appearance; each check's states by name, and its time as text, made once
    // (a policy of 1,000 tokens over 50 checks is 50,000 cells).
    var names: [String] = []
    var seen: Set<String> = []
    for check in checks {
      for token in check.tokens where seen.insert(token.name).inserted { names.append(token.name) }
    }
    let states = checks.map { check in
      Dictionary(check.tokens.map { ($0.name, $0.state) }, uniquingKeysWith: { first, _ in first })
    }
    let formatter = ISO8601DateFormatter()
    let times = checks.map { escape(formatter.string(from: $0.time)) }
    let label = 150.0
    let cell = min(18.0, max(6.0, 900.0 / Double(checks.count)))
    let row = 24.0
    let width = max(label + cell * Double(checks.count) + 10, label + 420)
    let height = row * Double(names.count + 1) + 34
    var svg =
      "<svg role=\"img\" aria-label=\"Health over the last \(plural(checks.count, "check"))\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
    let rows: [(String, (Int) -> String?)] =
      [("overall", { checks[$0].overall })] + names.map { name in (name, { states[$0][name] }) }
    for (index, (title, state)) in rows.enumerated() {
      let y = Double(index) * row + 4
      svg +=
        "<text x=\"0\" y=\"\(y + 15)\"\(index == 0 ? " font-weight=\"bold\"" : "")>\(escape(String(title.prefix(22))))</text>"
      for column in checks.indices {
        let value = state(column) ?? "unknown"
        let x = label + Double(column) * cell
        svg +=
          "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(max(1, cell - 1))\" height=\"\(row - 6)\" rx=\"2\" fill=\"\(color(value))\">"
        svg += "<title>\(times[column]): \(escape(value))</title></rect>"
      }
    }
    let axis = Double(rows.count) * row + 20
    let span =
      checks.count == 1
      ? formatter.string(from: checks[0].time)
      : "\(formatter.string(from: checks[0].time)) → \(formatter.string(from: checks[checks.count - 1].time))"
    svg += "<text x=\"\(label)\" y=\"\(axis)\" fill=\"#5b6475\">\(escape(span))</text>"
    svg += "</svg>"
    let legend = ["healthy", "degraded", "unhealthy"].map { "\(badge($0))" }.joined(separator: " ")
    return svg + "<p class=\"small muted\">\(plural(checks.count, "recorded check")), oldest left. \(legend)</p>"
  }

  /// A bar per token: days until expiry, against its warning window (the shaded band).
  static func expiryChart(_ report: HealthReport, warnWindows: [String: Int]) -> String {
    let label = 150.0
    let plot = 600.0
    let row = 26.0
    let windows = report.tokens.map {
      Double(warnWindows[$0.name] ?? HealthEvaluator.defaultWarnBeforeSeconds) / 86_400
    }
    let longest = report.tokens.compactMap(\.daysUntilExpiry).max().map(Double.init) ?? 0
    let scale = max(30, (windows.max() ?? 7) * 3, longest * 1.1)
    let height = row * Double(report.tokens.count) + 30
    var svg =
      "<svg role=\"img\" aria-label=\"Days until each token expires\" width=\"\(Int(label + plot + 120))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
    for (index, token) in report.tokens.enumerated() {
      let y = Double(index) * row + 4
      let window = windows[index]
      svg += "<text x=\"0\" y=\"\(y + 15)\">\(escape(String(token.name.prefix(22))))</text>"
      svg +=
        "<rect x=\"\(label)\" y=\"\(y)\" width=\"\(plot * min(1, window / scale))\" height=\"\(row - 8)\" fill=\"#fdecea\"><title>warning window: \(Int(window)) days</title></rect>"
      if let days = token.daysUntilExpiry {
        let fill = Double(days) <= window ? color("degraded") : color("healthy")
        svg +=
          "<rect x=\"\(label)\" y=\"\(y + 4)\" width=\"\(max(2, plot * min(1, Double(days) / scale)))\" height=\"\(row - 16)\" fill=\"\(fill)\"/>"
        svg += "<text x=\"\(label + plot + 8)\" y=\"\(y + 15)\">\(days) days</text>"
      } else if token.expiresOn != nil {
        svg += "<text x=\"\(label + 6)\" y=\"\(y + 15)\" fill=\"#c62828\">expired</text>"
      } else {
        svg +=
          "<line x1=\"\(label)\" x2=\"\(label + plot)\" y1=\"\(y + 9)\" y2=\"\(y + 9)\" stroke=\"#9e9e9e\" stroke-dasharray=\"4 4\"/>"
        svg += "<text x=\"\(label + plot + 8)\" y=\"\(y + 15)\">never expires</text>"
      }
    }
    let axis = row * Double(report.tokens.count) + 20
    svg +=
      "<text x=\"\(label)\" y=\"\(axis)\">0</text><text x=\"\(label + plot)\" y=\"\(axis)\" text-anchor=\"end\">\(Int(scale)) days</text>"
    return svg
      + "</svg><p class=\"small muted\">Shaded: each token's warning window; a bar inside it means rotate soon.</p>"
  }
}
