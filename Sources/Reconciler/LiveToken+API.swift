import CloudflareAPI
import JSON
import LiveState
import TokenModel

// What is read from Cloudflare, boiled down to what planning and health checks use: the API's records stay here.

extension LiveToken {
  package convenience init(_ token: APIToken) {
    self.init(
      id: token.id, name: token.name, status: token.status, issuedOn: token.issuedOn, modifiedOn: token.modifiedOn,
      notBefore: token.notBefore, expiresOn: token.expiresOn, condition: token.condition,
      sortedGrants: StringPool.shared.grants(
        of: token.policies.lazy.map { (Effect(api: $0.effect), $0.permissionGroups.map(\.id), $0.resources) }),
      lastUsedOn: token.lastUsedOn)
  }
}

extension TokenReadState {
  package init(_ token: APIToken, grantsHash: String, grantCount: Int) {
    self.init(
      name: token.name, modifiedOn: token.modifiedOn, status: token.status, expiresOn: token.expiresOn,
      notBefore: token.notBefore, condition: token.condition, grantsHash: grantsHash, grantCount: grantCount)
  }
}

extension LiveGrant {
  /// Every grant of a token, whatever the order of its policies and groups.
  package static func grants(of token: APIToken) -> Set<LiveGrant> {
    var grants = Set<LiveGrant>()
    for policy in token.policies {
      for key in keys(of: policy.resources) {
        for group in policy.permissionGroups {
          grants.insert(LiveGrant(effect: Effect(api: policy.effect), group: group.id, resource: key))
        }
      }
    }
    return grants
  }

  /// The user tag in a token's user resources, if any: needed to write a new user grant.
  package static func userTag(of token: APIToken) -> String? {
    for policy in token.policies {
      for key in policy.resources.objectValue?.keys.sorted() ?? [] where key.hasPrefix("com.cloudflare.api.user.") {
        return String(key.dropFirst("com.cloudflare.api.user.".count))
      }
    }
    return nil
  }

}
