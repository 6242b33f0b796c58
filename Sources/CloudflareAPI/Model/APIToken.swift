import Foundation
import JSON
import TokenModel

/// A token's status as Cloudflare reports it; values outside the spec (such as `revoked (exposed)`) are kept.
public enum TokenStatus: Sendable, Hashable, Codable, CustomStringConvertible {
  case active
  case disabled
  case expired
  case other(String)

  public init(_ raw: String) {
    switch raw {
    case "active": self = .active
    case "disabled": self = .disabled
    case "expired": self = .expired
    default: self = .other(raw)
    }
  }

  public var rawValue: String {
    switch self {
    case .active: return "active"
    case .disabled: return "disabled"
    case .expired: return "expired"
    case .other(let raw): return raw
    }
  }

  public var description: String { rawValue }

  public init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// A permission group inside a policy: only `id` is sent on writes; `name` and `meta` are kept as read.
public struct APIPermissionGroupRef: Sendable, Hashable, Codable {
  public var id: String
  public var name: String?
  public var meta: JSONValue?

  public init(id: String, name: String? = nil, meta: JSONValue? = nil) {
    self.id = id
    self.name = name
    self.meta = meta
  }
}

/// One policy of a token: an effect, permission groups and resources (flat or nested, kept as read).
public struct APIPolicy: Sendable, Hashable, Codable {
  public var id: String?
  public var effect: String
  public var permissionGroups: [APIPermissionGroupRef]
  public var resources: JSONValue

  enum CodingKeys: String, CodingKey {
    case id, effect, resources
    case permissionGroups = "permission_groups"
  }

  public init(id: String? = nil, effect: String, permissionGroups: [APIPermissionGroupRef], resources: JSONValue) {
    self.id = id
    self.effect = effect
    self.permissionGroups = permissionGroups
    self.resources = resources
  }

  /// Identity that ignores order and server-generated ids: effect, canonical resources, set of group ids.
  public var identity: String {
    effect + "|" + resources.canonical + "|" + Set(permissionGroups.map(\.id)).sorted().joined(separator: ",")
  }
}

/// A token as the details and list endpoints return it. Dates stay strings so they are echoed exactly as read.
public struct APIToken: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var status: TokenStatus
  public var issuedOn: String?
  public var modifiedOn: String?
  public var lastUsedOn: String?
  public var notBefore: String?
  public var expiresOn: String?
  /// Kept with the key it was read with (`request.ip` or `request_ip`).
  public var condition: JSONValue?
  public var policies: [APIPolicy]

  enum CodingKeys: String, CodingKey {
    case id, name, status, condition, policies
    case issuedOn = "issued_on"
    case modifiedOn = "modified_on"
    case lastUsedOn = "last_used_on"
    case notBefore = "not_before"
    case expiresOn = "expires_on"
  }

  public init(
    id: String, name: String, status: TokenStatus, issuedOn: String? = nil, modifiedOn: String? = nil,
    lastUsedOn: String? = nil, notBefore: String? = nil, expiresOn: String? = nil, condition: JSONValue? = nil,
    policies: [APIPolicy]
  ) {
    self.id = id
    self.name = name
    self.status = status
    self.issuedOn = issuedOn
    self.modifiedOn = modifiedOn
    self.lastUsedOn = lastUsedOn
    self.notBefore = notBefore
    self.expiresOn = expiresOn
    self.condition = condition
    self.policies = policies
  }

  public var expiresDate: Date? { expiresOn.flatMap(CloudflareDate.parse) }
  public var notBeforeDate: Date? { notBefore.flatMap(CloudflareDate.parse) }
}

/// The body of an update: what was read, echoed, with the policies to write. Absent fields are left out.
public struct APITokenUpdate: Sendable, Hashable, Encodable {
  public var name: String
  public var policies: [APIPolicy]
  public var status: String?
  public var condition: JSONValue?
  public var expiresOn: String?
  public var notBefore: String?

  enum CodingKeys: String, CodingKey {
    case name, policies, status, condition
    case expiresOn = "expires_on"
    case notBefore = "not_before"
  }

  /// An update that keeps everything of `token` but its policies.
  public init(echoing token: APIToken, policies: [APIPolicy]) {
    name = token.name
    self.policies = policies.map { policy in
      // Only ids go back: names are read-only, policy ids are server generated.
      APIPolicy(
        effect: policy.effect,
        permissionGroups: policy.permissionGroups.map { APIPermissionGroupRef(id: $0.id, meta: $0.meta) },
        resources: policy.resources)
    }
    status = token.status.rawValue
    condition = token.condition
    expiresOn = token.expiresOn
    notBefore = token.notBefore
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(policies, forKey: .policies)
    try container.encodeIfPresent(status, forKey: .status)
    try container.encodeIfPresent(condition, forKey: .condition)
    try container.encodeIfPresent(expiresOn, forKey: .expiresOn)
    try container.encodeIfPresent(notBefore, forKey: .notBefore)
  }
}

/// `/tokens/verify`: the calling token's id, status and validity window.
public struct APITokenVerification: Sendable, Hashable, Codable {
  public var id: String
  public var status: TokenStatus
  public var expiresOn: String?
  public var notBefore: String?

  enum CodingKeys: String, CodingKey {
    case id, status
    case expiresOn = "expires_on"
    case notBefore = "not_before"
  }

  public init(id: String, status: TokenStatus, expiresOn: String? = nil, notBefore: String? = nil) {
    self.id = id
    self.status = status
    self.expiresOn = expiresOn
    self.notBefore = notBefore
  }
}

/// A permission group of the live catalog.
public struct APIPermissionGroup: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var scopes: [String]
  public var category: String?

  public init(id: String, name: String, scopes: [String], category: String? = nil) {
    self.id = id
    self.name = name
    self.scopes = scopes
    self.category = category
  }
}

/// RFC 3339 dates as Cloudflare writes them, with or without fractional seconds.
public enum CloudflareDate {
  public static func parse(_ text: String) -> Date? {
    let plain = ISO8601DateFormatter()
    plain.formatOptions = [.withInternetDateTime]
    if let date = plain.date(from: text) { return date }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text)
  }

  public static func format(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}
