import Basics
import JSON
import TokenModel

/// One grant as Cloudflare holds it: effect, permission group, resource — the unit plans are made of.
package struct LiveGrant: Sendable, Hashable, Codable, Comparable {
  package let effect: Effect
  package let group: String
  /// `account:ID`, `zone:ID`, `all-zones:ID`, `user`, or `other:KEY` for resources TokenWarden does not model.
  package let resource: String

  package init(effect: Effect, group: String, resource: String) {
    self.effect = effect
    self.group = group
    self.resource = resource
  }

  package static func < (lhs: LiveGrant, rhs: LiveGrant) -> Bool {
    (lhs.resource, lhs.group, lhs.effect) < (rhs.resource, rhs.group, rhs.effect)
  }

  /// The resource key of a policy's resource.
  package static func key(for resource: Resource) -> String {
    switch resource {
    case .account(let id): return ResourceKind.account.key(id.rawValue)
    case .zone(let id): return ResourceKind.zone.key(id.rawValue)
    case .allZones(let id): return ResourceKind.zonesOfAccount.key(id.rawValue)
    case .user: return ResourceKind.user.key("")
    }
  }

  /// The API resources for a key: what a new policy's `resources` holds.
  package static func resources(for key: String, userTag: String?) -> JSONValue? {
    let (kind, id) = ResourceKind.of(key)
    switch kind {
    case .account: return .object(["com.cloudflare.api.account.\(id)": .string("*")])
    case .zone: return .object(["com.cloudflare.api.account.zone.\(id)": .string("*")])
    case .zonesOfAccount:
      return .object(["com.cloudflare.api.account.\(id)": .object(["com.cloudflare.api.account.zone.*": .string("*")])])
    case .user: return userTag.map { .object(["com.cloudflare.api.user.\($0)": .string("*")]) }
    case .other: return nil
    }
  }

  /// The resource exactly as the write sends it, for people checking a plan: `com.cloudflare.api.account.<id>`.
  package static func apiResourceText(for key: String) -> String {
    guard ResourceKind.of(key).kind == .user else {
      return resources(for: key, userTag: nil)?.canonical ?? key
    }
    return #"{"com.cloudflare.api.user.<the token's user>":"*"}"#
  }

  package static func keys(of resources: JSONValue) -> [String] {
    guard let fields = resources.objectValue else { return [] }
    var keys: [String] = []
    for (key, value) in fields {
      if let nested = value.objectValue {
        let account =
          key.hasPrefix("com.cloudflare.api.account.")
          ? String(key.dropFirst("com.cloudflare.api.account.".count)) : key
        for inner in nested.keys {
          keys.append(
            inner == "com.cloudflare.api.account.zone.*"
              ? ResourceKind.zonesOfAccount.key(account) : ResourceKind.other.key("\(key)>\(inner)"))
        }
      } else if key.hasPrefix("com.cloudflare.api.account.zone.") {
        keys.append(ResourceKind.zone.key(key.dropFirst("com.cloudflare.api.account.zone.".count)))
      } else if key.hasPrefix("com.cloudflare.api.account.") {
        keys.append(ResourceKind.account.key(key.dropFirst("com.cloudflare.api.account.".count)))
      } else if key.hasPrefix("com.cloudflare.api.user.") {
        keys.append(ResourceKind.user.key(""))
      } else {
        keys.append(ResourceKind.other.key(key))
      }
    }
    return keys
  }

  /// A short hash of grants, whatever their order: equal exactly when the grants are.
  package static func hash(of grants: some Sequence<LiveGrant>) -> String {
    hash(ofSorted: Set(grants).sorted())
  }

  /// `hash(of:)` for grants already sorted and each once: "effect group resource" lines joined by newlines, the
  /// first 16 hexadecimal characters of their SHA-256.
  package static func hash(ofSorted grants: [LiveGrant]) -> String {
    var size = 0
    for grant in grants {
      size += grant.effect.rawValue.utf8.count + grant.group.utf8.count + grant.resource.utf8.count + 3
    }
    var canonical: [UInt8] = []
    canonical.reserveCapacity(size)
    for (index, grant) in grants.enumerated() {
      if index > 0 { canonical.append(0x0a) }
      canonical += grant.effect.rawValue.utf8
      canonical.append(0x20)
      canonical += grant.group.utf8
      canonical.append(0x20)
      canonical += grant.resource.utf8
    }
    return SHA256.hex(canonical, digits: 16)
  }
}
