import CloudflareAPI
import Foundation
import Planning
import Reconciler
import Simulator
import Testing
import TokenModel

/// A policy large enough to be planned in several chunks, with named, automatic and impossible healers: the plan
/// keeps the policy's order, equals planning each token alone, and chooses the editor the rules say.
@Suite struct PlannerScaleTests {
  static let count = 600
  static let common = [
    "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Queues Write", "Workers Tail Read",
    "Workers R2 Storage Write", "Vectorize Write", "Hyperdrive Write",
  ]

  /// A client of an in-process simulator of `state`, and every token's credential.
  static func sandbox(_ state: SimulatorState) -> (CloudflareClient, [String: Credential]) {
    let simulator = Simulator(state: state)
    let base = URL(string: "https://api.test/client/v4")!
    let client = CloudflareClient(
      baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base),
      rateLimiter: RateLimiter(limit: 1_000_000))
    return (client, SimulatedAccount.credentials(state.tokens))
  }

  @Test func aLargePlanKeepsOrderAndChoosesTheEditorsTheRulesSay() async throws {
    var state = Scenario.many(count: Self.count)
    let catalog = PermissionCatalog.bundled
    let accountTokensWrite = catalog.groups(named: "Account API Tokens Write")[0].id.rawValue
    // service-2 and service-7 (both of account 2) may edit the tokens of their account.
    for index in [2, 7] {
      guard case .account(let account) = state.tokens[index].owner else { continue }
      state.tokens[index].policies.append(
        SimPolicy(
          id: String(format: "%032x", 0xA000 + index), effect: "allow", permissionGroups: [accountTokensWrite],
          resources: .object(["com.cloudflare.api.account.\(account)": .string("*")])))
    }
    let (client, credentials) = Self.sandbox(state)
    var desired: [DesiredToken] = []
    for (index, token) in state.tokens.enumerated() {
      let owner: TokenOwner
      switch token.owner {
      case .account(let account): owner = .account(account)
      case .user: owner = .user
      }
      let grants: [DesiredGrant]
      if case .account(let account) = owner {
        grants = Self.common.map {
          DesiredGrant(
            group: catalog.groups(named: $0)[0].id, resource: .account(account), groupName: $0,
            resourceName: "account x")
        }
      } else {
        grants = []
      }
      // Account 2 heals itself automatically; service-3 names a healer that cannot edit it; the rest name admin.
      let healer: HealerChoice = index % 5 == 2 ? .automatic : index == 3 ? .token("service-8") : .token("admin")
      desired.append(
        DesiredToken(
          name: token.name, id: token.id, owner: owner, ownerName: "account x", secretVariable: token.env ?? "",
          healer: healer, warnBeforeSeconds: nil, grants: grants, location: "t"))
    }
    let policy = DesiredState(tokens: desired)
    let observation = await Observer(client: client, credentials: credentials, missingSecrets: [:]).observe(policy)
    let plan = Planner.plan(
      desired: policy, observation: observation, catalog: catalog, toolVersion: "t", policyDigest: "d", source: "s")
    #expect(plan.tokens.map(\.name) == desired.map(\.name))

    for tokenPlan in plan.tokens where !tokenPlan.add.isEmpty {
      let index = Int(tokenPlan.name.dropFirst("service-".count)) ?? -1
      if index % 5 == 2 {
        // The first token of the policy, other than itself, that may edit account 2 and sees it.
        #expect(tokenPlan.editor == (index == 2 ? "service-7" : "service-2"), "\(tokenPlan.name)")
      } else {
        #expect(tokenPlan.editor == "admin", "\(tokenPlan.name)")
      }
    }
    let three = try #require(plan.tokens.first { $0.name == "service-3" })
    #expect(three.add.isEmpty && !three.blocked.isEmpty)
    #expect(three.remediation?.contains("service-8 cannot see account-owned token") == true)

    // Planning a few tokens alone, around the chunk boundaries, gives the same plans.
    let sample = Set([0, 2, 3, 7, 12, 511, 512, 513, 599].map { "service-\($0)" })
    let alone = Planner.plan(
      desired: policy, observation: observation, catalog: catalog, toolVersion: "t", policyDigest: "d", source: "s",
      targets: sample)
    #expect(alone.tokens == plan.tokens.filter { sample.contains($0.name) })
  }

  /// A healer that cannot see its targets, and targets that cannot read themselves (account tokens without Account API
  /// Tokens Write): every token is tried once by itself, as a last resort, and every plan is blocked with the
  /// remediation — one list call that fails, one read per token, nothing else.
  @Test func aHealerThatSeesNothingLeavesEveryTokenBlockedWithTheRemedy() async throws {
    let state = Scenario.many(count: 120)
    let catalog = PermissionCatalog.bundled
    let (client, credentials) = Self.sandbox(state)
    var desired: [DesiredToken] = []
    for token in state.tokens {
      guard case .account(let account) = token.owner else { continue }
      desired.append(
        DesiredToken(
          name: token.name, id: token.id, owner: .account(account), ownerName: "account x",
          secretVariable: token.env ?? "",
          healer: .token("service-3"), warnBeforeSeconds: nil,
          grants: [
            DesiredGrant(
              group: catalog.groups(named: "Pages Write")[0].id, resource: .account(account), groupName: "Pages Write",
              resourceName: "account x")
          ], location: "t"))
    }
    let policy = DesiredState(tokens: desired)
    let observation = await Observer(client: client, credentials: credentials, missingSecrets: [:]).observe(policy)
    let plan = Planner.plan(
      desired: policy, observation: observation, catalog: catalog, toolVersion: "t", policyDigest: "d", source: "s")
    #expect(plan.tokens.count == 120)
    for tokenPlan in plan.tokens {
      #expect(tokenPlan.readError?.contains("could not be read") == true, "\(tokenPlan.name)")
      #expect(tokenPlan.add.isEmpty && tokenPlan.blocked.count == 1, "\(tokenPlan.name)")
      if tokenPlan.name != "service-3" {
        #expect(tokenPlan.remediation?.contains("service-3") == true, "\(tokenPlan.name)")
      }
    }
    #expect(client.counter.total == 1 + 120)
  }

  /// A token the policy only watches (no grants, automatic healer) is still read through whoever can list its family:
  /// account tokens without Account API Tokens Write cannot read themselves.
  @Test func aWatchedTokenIsReadThroughTheTokensThatListItsFamily() async throws {
    let state = Scenario.many(count: 10)
    let (client, credentials) = Self.sandbox(state)
    let desired = state.tokens.map { token -> DesiredToken in
      let owner: TokenOwner
      switch token.owner {
      case .account(let account): owner = .account(account)
      case .user: owner = .user
      }
      return DesiredToken(
        name: token.name, id: token.id, owner: owner, ownerName: "x", secretVariable: token.env ?? "",
        healer: .automatic, warnBeforeSeconds: nil, grants: [], location: "t")
    }
    let observation = await Observer(client: client, credentials: credentials, missingSecrets: [:])
      .observe(DesiredState(tokens: desired))
    for token in desired {
      guard case .read? = observation.tokens[token.name] else {
        Issue.record("\(token.name) was not read: \(String(describing: observation.tokens[token.name]))")
        continue
      }
    }
  }
}
