import Foundation

/// What was being asked when something failed: for messages.
package struct APICall: Sendable, Hashable, CustomStringConvertible {
  package var method: String
  package var path: String
  /// The calling token, by name or id — never by value.
  package var caller: String

  package init(method: String, path: String, caller: String) {
    self.method = method
    self.path = path
    self.caller = caller
  }

  package var description: String { "\(method) \(path) as \(caller)" }
}

/// A failed call to Cloudflare, typed by what the caller can do about it.
package enum CloudflareError: Error, Sendable, Hashable {
  /// Code 1000: the secret is unknown, revoked, expired or not valid yet (or an account token on /user/tokens/verify).
  case invalidToken(APICall)
  /// Code 10000 (or 9109 "Unauthorized"): the token lacks the permission group this endpoint needs.
  case missingPermission(APICall, String)
  /// Code 9109 "Cannot use the access token from location": the token's IP condition excludes this client.
  case locationDenied(APICall, String)
  /// Code 1001 and other 400s: the request was refused as invalid.
  case validation(APICall, [APIMessage])
  case notFound(APICall)
  /// HTTP 429, after the retries allowed.
  case rateLimited(APICall, retryAfterSeconds: Int?)
  /// HTTP 5xx, after the retries allowed; `detail` is a short excerpt of the body (an edge HTML page, say).
  case server(APICall, status: Int, detail: String)
  /// No response: connection refused or reset. For a write the outcome is unknown: read the token again.
  case transport(APICall, String)
  /// No response within the deadline. For a write the outcome is unknown: read the token again.
  case timeout(APICall, seconds: Double)
  /// A response that is not Cloudflare's JSON envelope, or not the shape expected.
  case malformedResponse(APICall, status: Int, String)
  /// Any other refusal.
  case unexpected(APICall, status: Int, [APIMessage])

  package var call: APICall {
    switch self {
    case .invalidToken(let call), .missingPermission(let call, _), .locationDenied(let call, _),
      .validation(let call, _), .notFound(let call), .rateLimited(let call, _), .server(let call, _, _),
      .transport(let call, _), .timeout(let call, _), .malformedResponse(let call, _, _), .unexpected(let call, _, _):
      return call
    }
  }

  /// Whether repeating the same request later can succeed without a person changing something.
  package var isTransient: Bool {
    switch self {
    case .rateLimited, .server, .transport, .timeout: return true
    default: return false
    }
  }

  /// For a write: the request may have been applied although no success was seen.
  package var outcomeUnknown: Bool {
    switch self {
    case .transport, .timeout, .server: return true
    default: return false
    }
  }

  /// The row of Cloudflare's answers this error was classified by; nil for no answer, or one that is not Cloudflare's.
  package var row: CloudflareErrorTable.Row? {
    switch self {
    case .invalidToken: CloudflareErrorTable.row(status: 400, errors: [APIMessage(code: 1000, message: "")])
    case .missingPermission: CloudflareErrorTable.row(status: 403, errors: [APIMessage(code: 10000, message: "")])
    case .locationDenied: CloudflareErrorTable.row(status: 403, errors: [APIMessage(code: 9109, message: "location")])
    case .validation(_, let messages):
      CloudflareErrorTable.row(status: 400, errors: messages) ?? CloudflareErrorTable.row(status: 400, errors: [])
    case .notFound: CloudflareErrorTable.row(status: 404, errors: [])
    case .rateLimited: CloudflareErrorTable.row(status: 429, errors: [])
    case .server(_, let status, _): CloudflareErrorTable.row(status: status, errors: [])
    case .transport, .timeout, .malformedResponse, .unexpected: nil
    }
  }

  /// What happened, in one line.
  package var message: String {
    let meaning = row?.meaning ?? ""
    switch self {
    case .invalidToken(let call):
      return "\(call): \(meaning)"
    case .missingPermission(let call, let detail), .locationDenied(let call, let detail):
      return "\(call): \(meaning) (\(detail))"
    case .validation(let call, let messages):
      return "\(call): \(meaning): " + Self.describe(messages)
    case .notFound(let call):
      return "\(call): \(meaning)"
    case .rateLimited(let call, let retryAfter):
      return "\(call): \(meaning)"
        + (retryAfter.map {
          ", which asks to wait \(RateLimiter.duration(Double($0))) (until \(Self.clockTime(after: $0)))"
        } ?? "")
    case .server(let call, let status, let detail):
      return "\(call): Cloudflare answered HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)")
    case .transport(let call, let detail):
      return "\(call): no response (\(detail))"
    case .timeout(let call, let seconds):
      return "\(call): no response within \(Self.format(seconds)) s"
    case .malformedResponse(let call, let status, let detail):
      return "\(call): unreadable response (HTTP \(status)): \(detail)"
    case .unexpected(let call, let status, let messages):
      return "\(call): HTTP \(status): " + Self.describe(messages)
    }
  }

  /// What a person can do about it: from the table of Cloudflare's answers.
  package var remedy: String {
    if let row { return row.remedy(for: call) }
    switch self {
    case .transport, .timeout: return CloudflareErrorTable.transport
    case .malformedResponse(_, _, let detail) where detail.hasPrefix("HTML page"): return CloudflareErrorTable.edgePage
    case .malformedResponse: return CloudflareErrorTable.malformed
    default: return CloudflareErrorTable.unexpected
    }
  }

  static func describe(_ messages: [APIMessage]) -> String {
    messages.isEmpty ? "no details" : messages.map { "\($0.message) (code \($0.code))" }.joined(separator: "; ")
  }

  /// The wall-clock time `seconds` from now, in UTC: "17:05:30 UTC".
  static func clockTime(after seconds: Int) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "HH:mm:ss 'UTC'"
    return formatter.string(from: Date().addingTimeInterval(Double(seconds)))
  }

  static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
  }
}
