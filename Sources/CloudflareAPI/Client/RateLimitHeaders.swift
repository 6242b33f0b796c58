import Foundation

/// Cloudflare's view of the request budget, from a response's headers.
///
/// Current responses carry the IETF headers: `Ratelimit: "default";r=50;t=30` (per limit, the requests remaining and
/// the seconds until its window resets) and `Ratelimit-Policy: "burst";q=100;w=60` (per limit, the quota and its
/// window in seconds); several limits may apply at once, and the tightest one decides. Older responses carry
/// `X-RateLimit-Remaining`, `X-RateLimit-Limit` and, on a 429, `X-RateLimit-Reset` (an HTTP date). The new family wins
/// when both come.
package struct RateLimitHeaders: Sendable, Hashable {
  /// One limit that applies to the caller.
  package struct Quota: Sendable, Hashable {
    package var name: String
    /// Requests left in the current window.
    package var remaining: Int
    /// Seconds until the window resets, when known.
    package var resetSeconds: Double?
    /// The limit's quota and window, when `Ratelimit-Policy` (or `X-RateLimit-Limit`) gives them.
    package var quota: Int?
    package var windowSeconds: Double?
  }

  package var quotas: [Quota]
  /// Seconds to wait before trying again (`Retry-After`, only on a 429).
  package var retryAfter: Double?

  /// The quota that leaves the fewest requests (on a tie, the one that takes longer to reset).
  package var tightest: Quota? {
    quotas.min { lhs, rhs in
      lhs.remaining != rhs.remaining ? lhs.remaining < rhs.remaining : (lhs.resetSeconds ?? 0) > (rhs.resetSeconds ?? 0)
    }
  }

  /// Reads the headers (names in lower case, as the transports give them); `now` dates `X-RateLimit-Reset`.
  package init(_ headers: [String: String], now: Date = Date()) {
    retryAfter = headers["retry-after"].flatMap { Self.retryAfter($0, now: now) }
    let policies = headers["ratelimit-policy"].map(Self.items) ?? []
    if let current = headers["ratelimit"].map(Self.items), !current.isEmpty {
      quotas = current.compactMap { item in
        guard let remaining = item.integers["r"] else { return nil }
        let policy =
          policies.first { $0.name == item.name } ?? (policies.count == 1 && current.count == 1 ? policies.first : nil)
        return Quota(
          name: item.name, remaining: max(0, remaining), resetSeconds: item.integers["t"].map { Double(max(0, $0)) },
          quota: policy?.integers["q"], windowSeconds: policy?.integers["w"].map(Double.init))
      }
      return
    }
    guard let remaining = headers["x-ratelimit-remaining"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
    else {
      quotas = []
      return
    }
    let reset = headers["x-ratelimit-reset"].flatMap { Self.retryAfter($0, now: now) }
    quotas = [
      Quota(
        name: "default", remaining: max(0, remaining), resetSeconds: reset,
        quota: headers["x-ratelimit-limit"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, windowSeconds: nil
      )
    ]
  }

  /// `Retry-After` (and `X-RateLimit-Reset`): delay seconds, or an HTTP date.
  static func retryAfter(_ text: String, now: Date) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let seconds = Double(trimmed), seconds.isFinite { return max(0, seconds) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    guard let date = formatter.date(from: trimmed) else { return nil }
    return max(0, date.timeIntervalSince(now))
  }

  /// One item of a structured-field list: a name (a quoted string or a token) and its integer parameters.
  struct Item: Hashable {
    var name: String
    var integers: [String: Int]
  }

  /// A list such as `"default";r=50;t=30, "burst";r=5;t=2`. Malformed items are skipped, never guessed at.
  static func items(_ text: String) -> [Item] {
    var items: [Item] = []
    for member in splitOutsideQuotes(text, on: ",") {
      let parts = splitOutsideQuotes(member, on: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let first = parts.first, !first.isEmpty else { continue }
      let name: String
      if first.hasPrefix("\"") {
        guard first.count >= 2, first.hasSuffix("\"") else { continue }
        name = String(first.dropFirst().dropLast())
      } else {
        name = first
      }
      var integers: [String: Int] = [:]
      var valid = true
      for parameter in parts.dropFirst() where !parameter.isEmpty {
        let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard pair.count == 2, !pair[0].isEmpty else { continue }
        // A parameter this client reads must be a plain integer; others (`pk=:…:`) are ignored.
        if ["r", "t", "q", "w"].contains(pair[0]) {
          guard let value = Int(pair[1]), value >= 0 else {
            valid = false
            break
          }
          integers[pair[0]] = value
        }
      }
      if valid { items.append(Item(name: name, integers: integers)) }
    }
    return items
  }

  static func splitOutsideQuotes(_ text: String, on separator: Character) -> [String] {
    var parts: [String] = []
    var current = ""
    var quoted = false
    var escaped = false
    for character in text {
      if escaped {
        escaped = false
      } else if quoted && character == "\\" {
        escaped = true
      } else if character == "\"" {
        quoted.toggle()
      } else if character == separator && !quoted {
        parts.append(current)
        current = ""
        continue
      }
      current.append(character)
    }
    parts.append(current)
    return parts
  }
}
