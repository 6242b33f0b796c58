import LiveState
import TokenModel

/// What a token may actually do with its grants, as Cloudflare decides it: an explicit deny first, then an explicit
/// allow, then an implicit deny of everything else — over resources that contain one another (all accounts ⊃ one
/// account; all zones ⊃ one zone and every zone of an account).
///
/// The planner, health (through the plan), editor selection and apply's fresh re-check all ask here, so that a
/// permission a deny takes away is never reported as present, and one held through a wider resource is never added
/// again.
package enum EffectivePermissions {
  /// How a permission on a resource stands for a token.
  package enum Verdict: Sendable, Hashable {
    /// An allow covers it and no deny touches it.
    case effective(by: LiveGrant)
    /// A deny covers it, or part of it: add-only can never make it effective.
    case denied(by: LiveGrant)
    /// Nothing allows it.
    case missing
  }

  /// `group` on `resource` (a grant key, `account:ID`) for a token holding `grants`.
  package static func evaluate(group: String, resource: String, in grants: [LiveGrant]) -> Verdict {
    var allow: LiveGrant?
    for grant in grants where grant.group == group {
      if grant.effect == .deny {
        if overlaps(grant.resource, resource) { return .denied(by: grant) }
      } else if allow == nil, covers(grant.resource, resource) {
        allow = grant
      }
    }
    return allow.map { .effective(by: $0) } ?? .missing
  }

  /// Whether the permission is effective: allowed, and not denied anywhere on it.
  package static func holds(group: String, on resource: String, in grants: [LiveGrant]) -> Bool {
    if case .effective = evaluate(group: group, resource: resource, in: grants) { return true }
    return false
  }

  /// Whether the resource `wide` includes all of `narrow`. Which zones belong to which account is not known from a
  /// token, so "every zone of account A" is not taken to include a given zone (a grant may then be added that is
  /// not strictly needed; never the other way round).
  package static func covers(_ wide: String, _ narrow: String) -> Bool {
    if wide == narrow { return true }
    let (wideKind, wideID) = ResourceKind.of(wide)
    let (narrowKind, _) = ResourceKind.of(narrow)
    guard wideID == "*" else { return false }
    switch wideKind {
    case .account: return narrowKind == .account
    // Every zone (flat `zone.*`, or every zone of every account, nested under `account.*`).
    case .zone, .zonesOfAccount: return narrowKind == .zone || narrowKind == .zonesOfAccount
    case .user, .other: return false
    }
  }

  /// Whether the two resources may share a part: a deny on either takes the permission away there. A zone and
  /// "every zone of an account" may share it (the zone's account is not known from a token), so they count as
  /// sharing: better a permission reported blocked than one reported present that a deny takes away.
  package static func overlaps(_ lhs: String, _ rhs: String) -> Bool {
    if covers(lhs, rhs) || covers(rhs, lhs) { return true }
    let kinds: Set = [ResourceKind.of(lhs).kind, ResourceKind.of(rhs).kind]
    return kinds == [.zone, .zonesOfAccount]
  }
}
