import Basics
import LiveState
import Planning
import Reconciler
import Simulator
import Testing

/// The effective-permission model against a brute-force reference: every resource key stands for a set of concrete
/// resources of a small world (two accounts, a zone in each, the user, and one account and one zone nobody named, so
/// that "all accounts" is never the union of the accounts a policy happens to name), and a permission is effective on
/// a key when one allow covers every concrete resource of it and no deny touches any.
@Suite struct EffectivePermissionsTests {
  static let keys = [
    "account:*", "account:a1", "account:a2", "zone:*", "zone:z1", "zone:z2", "all-zones:a1", "all-zones:a2",
    "all-zones:*", "user",
  ]

  /// Concrete resources of each key. Zone z1 is in account a1 and z2 in a2 — which the model cannot know.
  static func concrete(_ key: String) -> Set<String> {
    switch key {
    case "account:*": ["a1", "a2", "a-unnamed"]
    case "account:a1": ["a1"]
    case "account:a2": ["a2"]
    case "zone:*", "all-zones:*": ["z1", "z2", "z-unnamed"]
    case "zone:z1", "all-zones:a1": ["z1"]
    case "zone:z2", "all-zones:a2": ["z2"]
    case "user": ["u"]
    default: []
    }
  }

  enum Reference: Equatable { case effective, denied, missing }

  static func reference(group: String, resource: String, grants: [LiveGrant]) -> Reference {
    let wanted = concrete(resource)
    let mine = grants.filter { $0.group == group }
    if mine.contains(where: { $0.effect == .deny && !concrete($0.resource).isDisjoint(with: wanted) }) {
      return .denied
    }
    if mine.contains(where: { $0.effect == .allow && concrete($0.resource).isSuperset(of: wanted) }) {
      return .effective
    }
    return .missing
  }

  @Test func theModelNeverClaimsWhatCloudflareWouldRefuseAndNeverMissesADeny() {
    var rng = SplitMix64(seed: 2026)
    let groups = ["g1", "g2"]
    var exact = 0
    for _ in 0..<20_000 {
      let count = Int(rng.next() % 5)
      let grants = (0..<count).map { _ in
        LiveGrant(
          effect: rng.next() % 4 == 0 ? .deny : .allow, group: groups[Int(rng.next() % 2)],
          resource: Self.keys[Int(rng.next() % UInt64(Self.keys.count))])
      }
      let group = groups[Int(rng.next() % 2)]
      let resource = Self.keys[Int(rng.next() % UInt64(Self.keys.count))]
      let truth = Self.reference(group: group, resource: resource, grants: grants)
      let model = EffectivePermissions.evaluate(group: group, resource: resource, in: grants)
      let context = "\(group) on \(resource) with \(grants.map { "\($0.effect) \($0.group) \($0.resource)" })"
      // Which account a zone is in cannot be known from a token: there, and only there, a deny counts where it may
      // apply (blocked rather than falsely present).
      let zonesOfAccounts = ([resource] + grants.map(\.resource)).contains { $0.hasPrefix("all-zones:a") }
      switch model {
      case .effective: #expect(truth == .effective, "claimed effective: \(context)")
      case .denied: #expect(truth != .effective || zonesOfAccounts, "denied what is effective: \(context)")
      case .missing: #expect(truth != .denied, "missed a deny: \(context)")
      }
      if truth == .denied { #expect(model != .missing, "missed a deny: \(context)") }
      // Where zone ownership plays no part, the model is exact.
      if !zonesOfAccounts {
        let same: Bool
        switch (model, truth) {
        case (.effective, .effective), (.denied, .denied), (.missing, .missing): same = true
        default: same = false
        }
        #expect(same, "\(model) but \(truth): \(context)")
        exact += 1
      }
    }
    #expect(exact > 5_000)
  }

  @Test func aWiderAllowSatisfiesAndADenyOnAWiderResourceBlocks() {
    let wide = LiveGrant(effect: .allow, group: "g", resource: "account:*")
    #expect(EffectivePermissions.holds(group: "g", on: "account:a1", in: [wide]))
    let deny = LiveGrant(effect: .deny, group: "g", resource: "account:*")
    let narrow = LiveGrant(effect: .allow, group: "g", resource: "account:a1")
    #expect(EffectivePermissions.evaluate(group: "g", resource: "account:a1", in: [narrow, deny]) == .denied(by: deny))
    #expect(!EffectivePermissions.holds(group: "g", on: "account:a1", in: [narrow, deny]))
  }
}
