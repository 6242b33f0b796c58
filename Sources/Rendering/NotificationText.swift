import Foundation
import Health
import JSON

/// Something worth telling people: only transitions (a state change, a heal, a check that could not run after one
/// that could), never a periodic "all is well". Names, states and permission names: never a secret.
package enum NotificationEvent: Sendable {
  case changed(from: [String: HealthState], to: HealthReport)
  case healed(HealReport)
  case checkFailed(String)
  /// The service rotated a token on schedule, or tried to: the sinks it wrote, or why not.
  case rotated(token: String, succeeded: Bool, detail: String)
}

/// What a notification says, for each channel: plain text (webhooks), Slack's Block Kit, an e-mail.
package enum NotificationText {
  /// One line per token whose state changed between `before` (from the last check) and `after`; nil when none did.
  package static func transitions(from before: [String: HealthState], to after: HealthReport) -> String? {
    let lines = changedLines(from: before, to: after)
    guard !lines.isEmpty else { return nil }
    return "TokenWarden: token health changed (overall \(after.overallStatus.rawValue))\n"
      + lines.joined(separator: "\n")
  }

  static func changedLines(from before: [String: HealthState], to after: HealthReport) -> [String] {
    var lines: [String] = []
    for token in after.tokens {
      guard let previous = before[token.name], previous != token.health else { continue }
      var line = "\(marker(token.health)) \(token.name) is now \(token.health.rawValue) (was \(previous.rawValue))"
      if let advice = token.recommendations.first(where: { $0.level == .error || $0.level == .warning }) {
        line += ": \(advice.message)"
      }
      lines.append(line)
    }
    return lines
  }

  static func marker(_ state: HealthState) -> String {
    state == .healthy ? "✅" : state == .degraded ? "⚠️" : "❌"
  }

  /// What a heal did, in a few lines.
  package static func healMessage(_ heal: HealReport) -> String {
    ([healSummary(heal)] + healLines(heal)).joined(separator: "\n")
  }

  static func healSummary(_ heal: HealReport) -> String {
    "TokenWarden heal: \(heal.message) Overall: \(heal.before.overallStatus.rawValue) → \(heal.after.overallStatus.rawValue)"
  }

  static func healLines(_ heal: HealReport) -> [String] {
    heal.results.filter { $0.outcome != .skipped }.map { result in
      let added = result.permissionsAdded.isEmpty ? "" : " (\(result.permissionsAdded.joined(separator: ", ")))"
      return
        "\(result.success ? "✅" : "❌") \(result.name)\(result.healer.map { " via \($0)" } ?? ""): \(result.detail)\(added)"
    }
  }

  /// The event as plain text (the generic webhook's `text`); nil when there is nothing to say.
  package static func text(_ event: NotificationEvent) -> String? {
    switch event {
    case .changed(let before, let after): transitions(from: before, to: after)
    case .healed(let heal): healMessage(heal)
    case .checkFailed(let why): "TokenWarden: the health check could not run: \(why)"
    case .rotated(let token, let succeeded, let detail):
      succeeded ? "🔄 TokenWarden rotated \(token): \(detail)" : "❌ TokenWarden could not rotate \(token): \(detail)"
    }
  }

  /// A subject line for e-mail and Slack's header.
  static func title(_ event: NotificationEvent) -> String {
    switch event {
    case .changed(_, let after): "TokenWarden: token health changed (overall \(after.overallStatus.rawValue))"
    case .healed(let heal):
      "TokenWarden heal: \(heal.before.overallStatus.rawValue) → \(heal.after.overallStatus.rawValue)"
    case .checkFailed: "TokenWarden: the health check could not run"
    case .rotated(let token, let succeeded, _):
      succeeded ? "TokenWarden rotated \(token)" : "TokenWarden could not rotate \(token)"
    }
  }

  /// Slack's incoming-webhook payload: a header, the state change, the tokens affected, what was done, and a link to
  /// the dashboard when the service knows its external URL.
  package static func slack(_ event: NotificationEvent, dashboard: URL?) -> JSONValue? {
    guard let fallback = text(event) else { return nil }
    func section(_ markdown: String) -> JSONValue {
      .object(["type": "section", "text": .object(["type": "mrkdwn", "text": .string(markdown)])])
    }
    var blocks: [JSONValue] = [
      .object([
        "type": "header", "text": .object(["type": "plain_text", "text": .string(String(title(event).prefix(150)))]),
      ])
    ]
    switch event {
    case .changed(let before, let after):
      blocks.append(
        section(
          "*Overall:* \(marker(after.overallStatus)) \(after.overallStatus.rawValue), score \(after.overallScore)"))
      let lines = changedLines(from: before, to: after)
      blocks.append(section("*Tokens affected*\n" + lines.prefix(20).joined(separator: "\n")))
    case .healed(let heal):
      blocks.append(section("*What was done:* \(heal.message)"))
      let lines = healLines(heal)
      if !lines.isEmpty { blocks.append(section("*Tokens*\n" + lines.prefix(20).joined(separator: "\n"))) }
    case .checkFailed(let why):
      blocks.append(section("*Why:* \(why)"))
    case .rotated(_, _, let detail):
      blocks.append(section("*What was done:* \(detail)"))
    }
    if let dashboard {
      blocks.append(
        .object([
          "type": "context",
          "elements": [
            .object(["type": "mrkdwn", "text": .string("<\(dashboard.absoluteString)|Open the dashboard>")])
          ],
        ]))
    }
    return .object(["text": .string(fallback), "blocks": .array(blocks)])
  }

  /// An RFC 5322 message for `sendmail -t`: the recipient in `To:`, the event as the body.
  package static func email(_ event: NotificationEvent, to: String, dashboard: URL?, date: Date) -> String? {
    guard let body = text(event) else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
    // Header values on one line each: a name or message with a line break must not add a header.
    func header(_ text: String) -> String {
      text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
    var lines = [
      "To: \(header(to))", "Subject: \(header(title(event)))", "Date: \(formatter.string(from: date))",
      "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
      "Auto-Submitted: auto-generated", "",
    ]
    lines += body.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasPrefix(".") ? "." + $0 : String($0)
    }
    if let dashboard { lines += ["", "Dashboard: \(dashboard.absoluteString)"] }
    return lines.joined(separator: "\r\n") + "\r\n"
  }
}
