import Foundation
import Health

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Posts Slack-compatible messages (`{"text": …}`) to a webhook when a token's state changes and after each heal;
/// retried with exponential backoff. Messages hold names, states and permission names: never a secret.
package struct Notifier: Sendable {
  package let url: URL
  package var attempts = 4
  package var baseDelay: TimeInterval = 1
  let log: @Sendable (String) -> Void

  package init(url: URL, log: @escaping @Sendable (String) -> Void) {
    self.url = url
    self.log = log
  }

  /// Sends one message; returns whether a 2xx answer came within the attempts.
  @discardableResult
  package func send(_ text: String) async -> Bool {
    guard let body = try? JSONEncoder().encode(["text": text]) else { return false }
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = body
    request.timeoutInterval = 10
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 10
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    for attempt in 1...max(1, attempts) {
      var failure = ""
      do {
        let (_, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if (200..<300).contains(status) { return true }
        failure = "HTTP \(status)"
      } catch {
        failure = error.localizedDescription
      }
      guard attempt < attempts else {
        log("notification to \(url.host ?? "the webhook") failed after \(attempts) attempts: \(failure)")
        return false
      }
      try? await Task.sleep(for: .milliseconds(Int(baseDelay * pow(2, Double(attempt - 1)) * 1000)))
    }
    return false
  }

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
