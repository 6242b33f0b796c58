import CloudflareAPI
import Foundation
import Planning
import Reconciler
import Simulator
import Synchronization
import Testing
import TokenModel

/// Reading the tokens while the policy and catalog resolve gives the plan of the complete observation, across named,
/// automatic, self and impossible healers, missing secrets, deleted tokens, a declared owner that is wrong, and
/// `--target`; a policy that resolves differently is planned as resolved.
@Suite struct ObserveAndPlanTests {
  static let catalog = PermissionCatalog.bundled

  /// A policy over `Scenario.many(count: 300)` with every kind of healer and the usual ways a policy goes wrong.
  static func mixedPolicy(_ state: SimulatorState) -> DesiredState {
    var desired: [DesiredToken] = []
    for (index, token) in state.tokens.enumerated() {
      var owner: TokenOwner = .user
      var grants: [DesiredGrant] = []
      if case .account(let account) = token.owner {
        owner = .account(account)
        grants = PlannerScaleTests.common.prefix(2 + index % 6).map {
          DesiredGrant(
            group: catalog.groups(named: $0)[0].id, resource: .account(account), groupName: $0,
            resourceName: "account x")
        }
      }
      let healer: HealerChoice
      switch index % 11 {
      case 1: healer = .automatic
      case 2: healer = .selfEdit
      case 3: healer = .token("nobody-of-the-policy")
      case 4: healer = .token("service-5")  // an account token: cannot edit tokens of other accounts
      default: healer = .token("admin")
      }
      var id = token.id
      if index == 17 { id = HexID("deadbeefdeadbeefdeadbeefdeadbeef")! }  // deleted: no list shows it
      if index == 23 { owner = .user }  // declared user-owned, really account-owned
      desired.append(
        DesiredToken(
          name: token.name, id: id, owner: owner, ownerName: "account x", secretVariable: token.env ?? "",
          healer: healer, warnBeforeSeconds: nil, grants: grants, location: "t"))
    }
    return DesiredState(tokens: desired)
  }

  static func observer(_ state: SimulatorState, withoutSecrets: Set<String> = []) -> Observer {
    let (client, credentials) = PlannerScaleTests.sandbox(state)
    var kept = credentials
    var missing: [String: String] = [:]
    for name in withoutSecrets {
      kept[name] = nil
      missing[name] = "\(name.uppercased())_TOKEN is not set"
    }
    return Observer(client: client, credentials: kept, missingSecrets: missing)
  }

  @Test(arguments: [[], ["service-4", "service-12", "admin"]] as [Set<String>])
  func readingAndPlanningTogetherGivesThePlanOfTheCompleteObservation(_ targets: Set<String>) async throws {
    let state = Scenario.many(count: 300)
    let policy = Self.mixedPolicy(state)
    let (observation, plan, desired) = await Self.observer(state, withoutSecrets: ["service-40"]).observeAndPlan(
      policy, inputs: { (policy, Self.catalog) }, toolVersion: "t", policyDigest: "d", source: "s", targets: targets)
    let reference = Planner.plan(
      desired: desired, observation: observation, catalog: Self.catalog, toolVersion: "t", policyDigest: "d",
      source: "s",
      targets: targets)
    #expect(plan == reference)
    #expect(plan.tokens.count == (targets.isEmpty ? 301 : 3))
  }

  /// The seed documents' situation, both ways round, and with the account token invisible to the user token.
  @Test(arguments: [false, true])
  func theSeedPlansTheSameEitherWay(_ invisible: Bool) async throws {
    let state = Scenario.seed(invisible: invisible)
    let account = Scenario.mainAccount
    let grants = ["Workers Scripts Write", "D1 Write"].map {
      DesiredGrant(
        group: Self.catalog.groups(named: $0)[0].id, resource: .account(account), groupName: $0,
        resourceName: "account main")
    }
    let policy = DesiredState(tokens: [
      DesiredToken(
        name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
        secretVariable: "A", healer: .token("user_token"), warnBeforeSeconds: nil, grants: grants, location: "t"),
      DesiredToken(
        name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user", secretVariable: "U",
        healer: .token("account_token"), warnBeforeSeconds: nil, grants: [], location: "t"),
    ])
    let (observation, plan, desired) = await Self.observer(state).observeAndPlan(
      policy, inputs: { (policy, Self.catalog) }, toolVersion: "t", policyDigest: "d", source: "s")
    let reference = Planner.plan(
      desired: desired, observation: observation, catalog: Self.catalog, toolVersion: "t", policyDigest: "d",
      source: "s")
    #expect(plan == reference)
    #expect(plan.tokens[0].blocked.isEmpty == !invisible)
  }

  /// A policy that resolves differently against the live catalog (another token order) is planned from scratch.
  @Test func aPolicyResolvedDifferentlyIsPlannedFromScratch() async throws {
    let state = Scenario.many(count: 40)
    let policy = Self.mixedPolicy(state)
    let reordered = DesiredState(tokens: policy.tokens.reversed())
    let (observation, plan, desired) = await Self.observer(state).observeAndPlan(
      policy, inputs: { (reordered, Self.catalog) }, toolVersion: "t", policyDigest: "d", source: "s")
    #expect(desired == reordered)
    let reference = Planner.plan(
      desired: reordered, observation: observation, catalog: Self.catalog, toolVersion: "t", policyDigest: "d",
      source: "s")
    #expect(plan == reference)
    #expect(plan.tokens.first?.name == "admin")
  }
}
