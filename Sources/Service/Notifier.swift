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
}
