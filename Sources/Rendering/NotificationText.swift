import Health

/// What a notification says: the tokens whose state changed, and what a heal did, in a few lines each.
package enum NotificationText {
  /// One line per token whose state changed between `before` (from the last check) and `after`; nil when none did.
  package static func transitions(from before: [String: HealthState], to after: HealthReport) -> String? {
    var lines: [String] = []
    for token in after.tokens {
      guard let previous = before[token.name], previous != token.health else { continue }
      let marker = token.health == .healthy ? "✅" : token.health == .degraded ? "⚠️" : "❌"
      var line = "\(marker) \(token.name) is now \(token.health.rawValue) (was \(previous.rawValue))"
      if let advice = token.recommendations.first(where: { $0.level == .error || $0.level == .warning }) {
        line += ": \(advice.message)"
      }
      lines.append(line)
    }
    guard !lines.isEmpty else { return nil }
    return "TokenWarden: token health changed (overall \(after.overallStatus.rawValue))\n"
      + lines.joined(separator: "\n")
  }

  /// What a heal did, in a few lines.
  package static func healMessage(_ heal: HealReport) -> String {
    var lines = [
      "TokenWarden heal: \(heal.message) Overall: \(heal.before.overallStatus.rawValue) → \(heal.after.overallStatus.rawValue)"
    ]
    for result in heal.results where result.outcome != .skipped {
      let added = result.permissionsAdded.isEmpty ? "" : " (\(result.permissionsAdded.joined(separator: ", ")))"
      lines.append(
        "\(result.success ? "✅" : "❌") \(result.name)\(result.healer.map { " via \($0)" } ?? ""): \(result.detail)\(added)"
      )
    }
    return lines.joined(separator: "\n")
  }
}
