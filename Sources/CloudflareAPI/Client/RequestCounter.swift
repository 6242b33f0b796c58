import Synchronization

/// Counts of requests sent, of errors (HTTP 4xx/5xx other than 429, no response, timeout) and of 429s, each by
/// "METHOD pattern" (`GET /accounts/{id}/tokens`).
package final class RequestCounter: Sendable {
  package struct Counts: Sendable {
    package var requests: [String: Int] = [:]
    package var errors: [String: Int] = [:]
    package var rateLimited: [String: Int] = [:]
  }

  private let counts = Mutex(Counts())

  package func count(_ method: String, pattern: String) {
    counts.withLock { $0.requests[method + " " + pattern, default: 0] += 1 }
  }

  package func countError(_ method: String, pattern: String) {
    counts.withLock { $0.errors[method + " " + pattern, default: 0] += 1 }
  }

  package func countRateLimited(_ method: String, pattern: String) {
    counts.withLock { $0.rateLimited[method + " " + pattern, default: 0] += 1 }
  }

  package var all: Counts { counts.withLock { $0 } }

  private let answers = Mutex<(answered: Int, lastUnanswered: String?)>((0, nil))

  package func countAnswered() { answers.withLock { $0.answered += 1 } }
  package func noteUnanswered(_ why: String) { answers.withLock { $0.lastUnanswered = why } }

  /// Why Cloudflare could not be reached, when requests were sent and not one was answered (with any status).
  package var unreachable: String? {
    guard total > 0 else { return nil }
    return answers.withLock { $0.answered == 0 ? ($0.lastUnanswered ?? "no answer") : nil }
  }
  package var snapshot: [String: Int] { counts.withLock { $0.requests } }
  package var total: Int { counts.withLock { $0.requests.values.reduce(0, +) } }
}
