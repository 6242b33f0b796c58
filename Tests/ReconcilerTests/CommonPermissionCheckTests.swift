import CloudflareAPI
import Foundation
import JSON
import Planning
import Reconciler
import Simulator
import Testing
import TokenModel

/// Cloudflare's common permission check (error 1001): an account-owned editor can send a grant on a specific zone only
/// if it holds that group there itself, and every write sends the token's existing grants again. The plan promises only
/// writes that pass it.
@Suite struct CommonPermissionCheckTests {
  static let zone = "023e105f4ecef8ad9ca31a8372d0c353"
  static let editorID = HexID("edededededededededededededed0001")!
  static func id(_ name: String) -> String { PermissionCatalog.bundled.groups(named: name)[0].id.rawValue }

  /// The seed, with a DNS grant on one zone on the account token, and an account-owned editor of account main that
  /// holds Account API Tokens Write (and, when `editorHoldsZone`, the same DNS grant).
  static func run(editorHoldsZone: Bool, withUserToken: Bool = false) async -> (Plan, [ApplyResult], Simulator) {
    var state = Scenario.seed(invisible: false)
    let zoneResource = JSONValue.object(["com.cloudflare.api.account.zone.\(zone)": .string("*")])
    state.tokens[0].policies.append(
      SimPolicy(
        id: "20ae20ae20ae20ae20ae20ae20ae20ae", effect: "allow", permissionGroups: [id("DNS Write")],
        resources: zoneResource))
    var editorPolicies = [
      SimPolicy(
        id: "ed17ed17ed17ed17ed17ed17ed17ed17", effect: "allow", permissionGroups: [id("Account API Tokens Write")],
        resources: .object(["com.cloudflare.api.account.\(Scenario.mainAccount)": .string("*")]))
    ]
    if editorHoldsZone {
      editorPolicies.append(
        SimPolicy(
          id: "ed18ed18ed18ed18ed18ed18ed18ed18", effect: "allow", permissionGroups: [id("DNS Write")],
          resources: zoneResource))
    }
    state.tokens.append(
      SimToken(
        id: editorID, name: "editor", owner: .account(Scenario.mainAccount),
        secret: "cfat_editor0000000000000000000000000000000",
        env: "EDITOR", issuedOn: "2026-11-01T00:00:00Z", modifiedOn: "2026-11-01T00:00:00Z", policies: editorPolicies))
    let simulator = Simulator(state: state)
    let client = SimulatedAccount.client(simulator)
    let credentials = SimulatedAccount.credentials(state.tokens)
    let groups = ["Workers Scripts Write", "D1 Write"]
    let account = Scenario.mainAccount
    let target = DesiredToken(
      name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
      secretVariable: "A", healer: withUserToken ? .automatic : .token("editor"), warnBeforeSeconds: nil,
      grants: groups.map {
        DesiredGrant(group: HexID(id($0))!, resource: .account(account), groupName: $0, resourceName: "account main")
      }, location: "t")
    let editor = DesiredToken(
      name: "editor", id: editorID, owner: .account(account), ownerName: "account main", secretVariable: "E",
      healer: .automatic, warnBeforeSeconds: nil, grants: [], location: "t")
    let user = DesiredToken(
      name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user", secretVariable: "U",
      healer: .automatic, warnBeforeSeconds: nil, grants: [], location: "t")
    // The account-owned editor comes first: automatic choice tries tokens in policy order.
    let desired = DesiredState(tokens: [target, editor] + (withUserToken ? [user] : []))
    let observation = await Observer(client: client, credentials: credentials, missingSecrets: [:]).observe(desired)
    let plan = Planner.plan(
      desired: desired, observation: observation, catalog: .bundled, toolVersion: "t", policyDigest: "d", source: "s")
    let results = await Applier(client: client, credentials: credentials).apply(plan, desired: desired)
    return (plan, results, simulator)
  }

  @Test func anEditorLackingAZoneGrantTheTokenHasIsNotPromised() async throws {
    let (plan, results, _) = await Self.run(editorHoldsZone: false)
    let token = try #require(plan.tokens.first)
    #expect(token.add.isEmpty)
    #expect(token.blocked.count == 2)
    #expect(token.blocked.allSatisfy { $0.kind == .editorLacksGrant })
    #expect(
      token.blocked.first?.reason.contains("editor is account-owned and does not hold 'DNS Write' on zone") == true,
      "\(token.blocked)")
    #expect(results.allSatisfy { $0.outcome != .failed }, "\(results.map(\.message))")
  }

  @Test func anEditorHoldingItWritesAndCloudflareAccepts() async throws {
    let (plan, results, simulator) = await Self.run(editorHoldsZone: true)
    #expect(plan.tokens.first?.add.count == 2)
    #expect(plan.tokens.first?.editor == "editor")
    #expect(results.first?.outcome == .applied, "\(results.map(\.message))")
    let token = try #require(simulator.snapshot.tokens.first { $0.id == Scenario.accountTokenID })
    #expect(token.policies.contains { $0.permissionGroups.contains(Self.id("D1 Write")) })
  }

  /// With automatic choice, the account-owned editor that would be refused is passed over for the user token.
  @Test func anotherEditorIsChosenWhenOneWouldBeRefused() async throws {
    let (plan, results, _) = await Self.run(editorHoldsZone: false, withUserToken: true)
    #expect(plan.tokens.first?.editor == "user_token")
    #expect(plan.tokens.first?.add.count == 2)
    #expect(results.first?.outcome == .applied, "\(results.map(\.message))")
  }
}
