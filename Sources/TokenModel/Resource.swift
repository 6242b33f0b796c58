/// What a grant applies to, as a policy names it.
package enum Resource: Sendable, Hashable, Codable {
  /// One account: `com.cloudflare.api.account.<id>`.
  case account(HexID)
  /// Every zone of one account: `{"com.cloudflare.api.account.<id>": {"com.cloudflare.api.account.zone.*": "*"}}`.
  case allZones(account: HexID)
  /// One zone: `com.cloudflare.api.account.zone.<id>`.
  case zone(HexID)
  /// The token's own user: `com.cloudflare.api.user.<user tag>`, the tag being learned from Cloudflare.
  case user

  /// The scope a permission group must have to apply here.
  package var scope: PermissionScope {
    switch self {
    case .account: return .account
    case .allZones, .zone: return .zone
    case .user: return .user
    }
  }

  /// The account this resource lies in, when it is tied to one.
  package var account: HexID? {
    switch self {
    case .account(let id), .allZones(let id): return id
    case .zone, .user: return nil
    }
  }
}

/// Who owns a token, which decides the API family that reads and edits it.
package enum TokenOwner: Sendable, Hashable, Codable {
  /// `/user/tokens…`
  case user
  /// `/accounts/{id}/tokens…`
  case account(HexID)
}
