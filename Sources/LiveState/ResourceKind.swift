/// The kind of resource a grant key names. Grants keep their resource as a short interned key (`account:ID`,
/// `zone:ID`, `all-zones:ID`, `user`, `other:…`; `*` as the id for every one of the kind), because plans compare
/// millions of them; what a key means is read here, in one place.
package enum ResourceKind: String, Sendable, Hashable, CaseIterable {
  /// `account:ID`; `account:*` is every account.
  case account
  /// `zone:ID`; `zone:*` is every zone.
  case zone
  /// `all-zones:ID`, every zone of one account (Cloudflare's nested form); `all-zones:*`, of every account.
  case zonesOfAccount = "all-zones"
  /// `user`: the token's own user.
  case user
  /// A resource TokenWarden does not model, kept as Cloudflare wrote it.
  case other

  /// The kind and the id (`*` for every one) of a key.
  package static func of(_ key: String) -> (kind: ResourceKind, id: Substring) {
    guard let colon = key.firstIndex(of: ":") else { return (key == "user" ? .user : .other, "") }
    return (ResourceKind(rawValue: String(key[..<colon])) ?? .other, key[key.index(after: colon)...])
  }

  /// The key of one resource of this kind.
  package func key(_ id: some StringProtocol) -> String {
    self == .user ? "user" : rawValue + ":" + id
  }

  /// Whether a key names one zone (not every zone): what Cloudflare's common permission check looks at.
  package static func isSpecificZone(_ key: String) -> Bool {
    let (kind, id) = of(key)
    return kind == .zone && id != "*"
  }
}
