import Basics
import Foundation
import Health
import JSON
import Rendering

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Tells people about transitions (state changes, heals, a check that could not run), on every channel configured:
/// a generic webhook (`{"text": …}`), Slack (Block Kit), e-mail through the system's `sendmail -t`. HTTP posts are
/// retried with exponential backoff. Messages hold names, states and permission names: never a secret.
package struct Notifier: Sendable {
  package enum Channel: Sendable {
    case webhook(URL)
    case slack(URL)
    /// The program (`sendmail`, found on PATH when the service starts) and the recipient.
    case sendmail(program: String, to: String)
  }

  package let channels: [Channel]
  /// The dashboard's external address, linked from messages (`--public-url`).
  package var dashboard: URL?
  package var attempts = 4
  package var baseDelay: TimeInterval = 1
  let log: @Sendable (String) -> Void
  let now: @Sendable () -> Date

  package init(
    channels: [Channel], dashboard: URL? = nil, now: @escaping @Sendable () -> Date = { Date() },
    log: @escaping @Sendable (String) -> Void
  ) {
    self.channels = channels
    self.dashboard = dashboard
    self.now = now
    self.log = log
  }

  /// A generic webhook only.
  package init(url: URL, log: @escaping @Sendable (String) -> Void) {
    self.init(channels: [.webhook(url)], log: log)
  }

  /// Sends the event on every channel; returns whether each accepted it.
  @discardableResult
  package func notify(_ event: NotificationEvent) async -> Bool {
    var delivered = true
    for channel in channels {
      switch channel {
      case .webhook(let url):
        guard let text = NotificationText.text(event) else { continue }
        delivered = await post(.object(["text": .string(text)]), to: url) && delivered
      case .slack(let url):
        guard let payload = NotificationText.slack(event, dashboard: dashboard) else { continue }
        delivered = await post(payload, to: url) && delivered
      case .sendmail(let program, let to):
        guard let message = NotificationText.email(event, to: to, dashboard: dashboard, date: now()) else { continue }
        delivered = mail(message, program: program) && delivered
      }
    }
    return delivered
  }

  /// Posts JSON; retried on failure.
  func post(_ payload: JSONValue, to url: URL) async -> Bool {
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(payload.canonical.utf8)
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

  /// Pipes the message to `sendmail -t`, as cron does; at most 30 s.
  func mail(_ message: String, program: String) -> Bool {
    switch ProgramInput.run(program, arguments: ["-t"], input: Data(message.utf8), timeout: 30) {
    case .exited(0, _): return true
    case .exited(let status, _): log("e-mail notification failed: \(program) exited with status \(status)")
    case .timedOut: log("e-mail notification failed: \(program) did not finish within 30 s")
    case .cannotStart(let why): log("e-mail notification failed: cannot start \(program): \(why)")
    }
    return false
  }
}
