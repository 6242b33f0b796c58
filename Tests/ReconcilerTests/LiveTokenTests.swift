import Basics
import CloudflareAPI
import JSON
import LiveState
import Reconciler
import Simulator
import Testing
import TokenModel

/// A live token's sorted grants are its set of grants, whatever the order and repetition of its policies and groups;
/// `holds` answers as the set does; the hash is the set's.
@Suite struct LiveTokenTests {
  @Test func sortedGrantsHoldsAndHashAgreeWithTheSetOfGrants() {
    var rng = SplitMix64(seed: 11)
    let groups = [
      "c8fed203ed3043cba015a93ad1616f1f", "82e64a83756745bbbb1c9c2701bf816b", "e086da7e2179491d91ee5f35b3ca210a",
    ]
    let resources: [JSONValue] = [
      .object(["com.cloudflare.api.account.00000001aaaaaaaaaaaaaaaaaaaaaaaa": .string("*")]),
      .object(["com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353": .string("*")]),
      .object([
        "com.cloudflare.api.account.00000001aaaaaaaaaaaaaaaaaaaaaaaa": .object([
          "com.cloudflare.api.account.zone.*": .string("*")
        ])
      ]),
      .object(["com.cloudflare.api.user.6e2ab6c6d9b5f52c7b4b0ab1b5f3e3a1": .string("*")]),
    ]
    for _ in 0..<300 {
      var policies: [APIPolicy] = []
      for _ in 0..<Int(rng.next() % 4) {
        let picked = groups.filter { _ in rng.unit() < 0.6 } + (rng.unit() < 0.3 ? [groups[0]] : [])
        policies.append(
          APIPolicy(
            effect: rng.unit() < 0.8 ? "allow" : "deny", permissionGroups: picked.map { APIPermissionGroupRef(id: $0) },
            resources: resources[Int(rng.next() % UInt64(resources.count))]))
      }
      let token = APIToken(
        id: "a753e62f6ffe44a7762befbce7a9eddf", name: "t", status: .active, policies: policies.shuffled(using: &rng))
      let live = LiveToken(token)
      let set = LiveGrant.grants(of: token)
      #expect(live.sortedGrants == set.sorted())
      #expect(live.grants == set)
      #expect(live.grantsHash == LiveGrant.hash(of: set))
      for effect in Effect.allCases {
        for group in groups {
          for key in [
            "account:00000001aaaaaaaaaaaaaaaaaaaaaaaa", "zone:023e105f4ecef8ad9ca31a8372d0c353", "user",
            "all-zones:00000001aaaaaaaaaaaaaaaaaaaaaaaa",
          ] {
            let grant = LiveGrant(effect: effect, group: group, resource: key)
            #expect(live.holds(grant) == set.contains(grant))
          }
        }
      }
    }
  }
}
