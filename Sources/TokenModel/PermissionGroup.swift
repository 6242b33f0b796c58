/// The kind of resource a permission group applies to.
package enum PermissionScope: String, Sendable, Hashable, CaseIterable, Codable {
  case account = "com.cloudflare.api.account"
  case zone = "com.cloudflare.api.account.zone"
  case user = "com.cloudflare.api.user"
  case r2Bucket = "com.cloudflare.edge.r2.bucket"

  /// The plural noun for prose: "'D1 Write' applies to accounts".
  package var plural: String {
    switch self {
    case .account: return "accounts"
    case .zone: return "zones"
    case .user: return "users"
    case .r2Bucket: return "R2 buckets"
    }
  }
}

/// A Cloudflare permission group: the unit a token policy grants.
package struct PermissionGroup: Sendable, Hashable, Codable {
  package let id: HexID
  package let name: String
  package let scopes: [PermissionScope]

  package init(id: HexID, name: String, scopes: [PermissionScope]) {
    self.id = id
    self.name = name
    self.scopes = scopes
  }
}
