import Basics
import JSON
import TokenModel

/// What was read of a token: enough to tell, field by field, whether someone changed it between the plan and the
/// write. The condition and the grants are kept as digests (a plan of 10,000 tokens stays small).
package struct TokenReadState: Sendable, Hashable, Codable {
  package var name: String
  package var modifiedOn: String?
  package var status: String
  package var expiresOn: String?
  package var notBefore: String?
  /// sha256 of the condition's canonical JSON with its key spelled `request.ip`; absent without a condition.
  package var conditionDigest: String?
  /// `LiveGrant.hash` of the grants, allows and denies.
  package var grantsDigest: String
  package var grantCount: Int

  enum CodingKeys: String, CodingKey {
    case name, status
    case modifiedOn = "modified_on"
    case expiresOn = "expires_on"
    case notBefore = "not_before"
    case conditionDigest = "condition_digest"
    case grantsDigest = "grants_digest"
    case grantCount = "grant_count"
  }

  package init(
    name: String, modifiedOn: String?, status: TokenStatus, expiresOn: String?, notBefore: String?,
    condition: JSONValue?, grantsHash: String, grantCount: Int
  ) {
    self.name = name
    self.modifiedOn = modifiedOn
    self.status = status.rawValue
    self.expiresOn = expiresOn
    self.notBefore = notBefore
    conditionDigest = Self.conditionDigest(condition)
    grantsDigest = grantsHash
    self.grantCount = grantCount
  }

  /// Cloudflare answers the IP condition as `request.ip` or `request_ip` depending on the endpoint's version: the same
  /// condition either way.
  static func conditionDigest(_ condition: JSONValue?) -> String? {
    guard let condition, condition != .null else { return nil }
    var normalised = condition
    if case .object(var fields) = condition, let ip = fields.removeValue(forKey: "request_ip") {
      fields["request.ip"] = ip
      normalised = .object(fields)
    }
    return "sha256:" + SHA256.hex(normalised.canonical)
  }

  /// What differs from `self` in `other`, field by field.
  package func changes(to other: TokenReadState) -> [TokenChange] {
    var changes: [TokenChange] = []
    if name != other.name { changes.append(.name(from: name, to: other.name)) }
    if status != other.status { changes.append(.status(from: status, to: other.status)) }
    if grantsDigest != other.grantsDigest { changes.append(.grants(from: grantCount, to: other.grantCount)) }
    if conditionDigest != other.conditionDigest { changes.append(.condition) }
    if !Self.sameDate(expiresOn, other.expiresOn) { changes.append(.expiresOn(from: expiresOn, to: other.expiresOn)) }
    if !Self.sameDate(notBefore, other.notBefore) { changes.append(.notBefore(from: notBefore, to: other.notBefore)) }
    // An edit of what no field above shows (a policy's `meta`) still moves `modified_on`.
    if changes.isEmpty && !Self.sameDate(modifiedOn, other.modifiedOn) {
      changes.append(.modified(from: modifiedOn, to: other.modifiedOn))
    }
    return changes
  }

  /// The same instant, however it is spelled (`…:00Z` or `…:00.000Z`).
  static func sameDate(_ lhs: String?, _ rhs: String?) -> Bool {
    if lhs == rhs { return true }
    guard let lhs, let rhs, let left = CloudflareDate.parse(lhs), let right = CloudflareDate.parse(rhs) else {
      return false
    }
    return left == right
  }
}

/// One field of a token that someone else changed.
package enum TokenChange: Sendable, Hashable, CustomStringConvertible {
  case name(from: String, to: String)
  case status(from: String, to: String)
  case grants(from: Int, to: Int)
  case condition
  case expiresOn(from: String?, to: String?)
  case notBefore(from: String?, to: String?)
  /// Nothing else differs, but `modified_on` moved.
  case modified(from: String?, to: String?)

  package var description: String {
    func date(_ text: String?) -> String { text ?? "none" }
    switch self {
    case .name(let from, let to): return "renamed from '\(from)' to '\(to)'"
    case .status(let from, let to): return "status \(from) → \(to)"
    case .grants(let from, let to): return "grants changed (\(from) → \(to))"
    case .condition: return "condition changed"
    case .expiresOn(let from, let to): return "expires_on \(date(from)) → \(date(to))"
    case .notBefore(let from, let to): return "not_before \(date(from)) → \(date(to))"
    case .modified(_, let to): return "modified \(date(to))"
    }
  }
}
