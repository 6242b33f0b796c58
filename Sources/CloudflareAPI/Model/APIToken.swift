import Foundation
import JSON
import TokenModel

/// A permission group inside a policy: only `id` is sent on writes; `name` and `meta` are kept as read.
package struct APIPermissionGroupRef: Sendable, Hashable, Codable {
  package var id: String
  package var name: String?
  package var meta: JSONValue?

  package init(id: String, name: String? = nil, meta: JSONValue? = nil) {
    self.id = id
    self.name = name
    self.meta = meta
  }
}

/// One policy of a token: an effect, permission groups and resources (flat or nested, kept as read).
package struct APIPolicy: Sendable, Hashable, Codable {
  package var id: String?
  package var effect: String
  package var permissionGroups: [APIPermissionGroupRef]
  package var resources: JSONValue

  enum CodingKeys: String, CodingKey {
    case id, effect, resources
    case permissionGroups = "permission_groups"
  }

  package init(id: String? = nil, effect: String, permissionGroups: [APIPermissionGroupRef], resources: JSONValue) {
    self.id = id
    self.effect = effect
    self.permissionGroups = permissionGroups
    self.resources = resources
  }

  /// Identity that ignores order and server-generated ids: effect, canonical resources, set of group ids.
  package var identity: String {
    effect + "|" + resources.canonical + "|" + Set(permissionGroups.map(\.id)).sorted().joined(separator: ",")
  }
}

/// A token as the details and list endpoints return it. Dates stay strings so they are echoed exactly as read.
package struct APIToken: Sendable, Hashable, Codable {
  package var id: String
  package var name: String
  package var status: TokenStatus
  package var issuedOn: String?
  package var modifiedOn: String?
  package var lastUsedOn: String?
  package var notBefore: String?
  package var expiresOn: String?
  /// Kept with the key it was read with (`request.ip` or `request_ip`).
  package var condition: JSONValue?
  package var policies: [APIPolicy]

  enum CodingKeys: String, CodingKey {
    case id, name, status, condition, policies
    case issuedOn = "issued_on"
    case modifiedOn = "modified_on"
    case lastUsedOn = "last_used_on"
    case notBefore = "not_before"
    case expiresOn = "expires_on"
  }

  package init(
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

  package var expiresDate: Date? { expiresOn.flatMap(CloudflareDate.parse) }
  package var notBeforeDate: Date? { notBefore.flatMap(CloudflareDate.parse) }
}

/// The body of an update: what was read, echoed, with the policies to write. Absent fields are left out.
package struct APITokenUpdate: Sendable, Hashable, Encodable {
  package var name: String
  package var policies: [APIPolicy]
  package var status: String?
  package var condition: JSONValue?
  package var expiresOn: String?
  package var notBefore: String?

  enum CodingKeys: String, CodingKey {
    case name, policies, status, condition
    case expiresOn = "expires_on"
    case notBefore = "not_before"
  }

  /// An update that keeps everything of `token` but its policies.
  package init(echoing token: APIToken, policies: [APIPolicy]) {
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

  package func encode(to encoder: Encoder) throws {
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
package struct APITokenVerification: Sendable, Hashable, Codable {
  package var id: String
  package var status: TokenStatus
  package var expiresOn: String?
  package var notBefore: String?

  enum CodingKeys: String, CodingKey {
    case id, status
    case expiresOn = "expires_on"
    case notBefore = "not_before"
  }

  package init(id: String, status: TokenStatus, expiresOn: String? = nil, notBefore: String? = nil) {
    self.id = id
    self.status = status
    self.expiresOn = expiresOn
    self.notBefore = notBefore
  }
}

/// A permission group of the live catalog.
package struct APIPermissionGroup: Sendable, Hashable, Codable {
  package var id: String
  package var name: String
  package var scopes: [String]
  package var category: String?

  package init(id: String, name: String, scopes: [String], category: String? = nil) {
    self.id = id
    self.name = name
    self.scopes = scopes
    self.category = category
  }
}
