import Basics
import CloudflareAPI
import Foundation
import Planning
import Reconciler
import Simulator
import Synchronization
import Testing
import TokenModel

/// A person edits the token in the dashboard while apply runs. Whatever they did before apply's read of that token
/// survives; only an edit inside the one-round-trip window between that read's answer and the PUT can be overwritten.
@Suite struct ConcurrentEditTests {
  static let account = Scenario.mainAccount
  static func id(_ name: String) -> String { PermissionCatalog.bundled.groups(named: name)[0].id.rawValue }

  /// One edit someone makes to the account token, and how to tell it is still there.
  enum Edit: CaseIterable, CustomStringConvertible {
    case addGrant, disable, revokeGrant, rename, condition

    var description: String {
      switch self {
      case .addGrant: "an extra grant added"
      case .disable: "the token disabled"
      case .revokeGrant: "a grant revoked"
      case .rename: "the token renamed"
      case .condition: "an IP condition set"
      }
    }

    func make(_ token: inout SimToken) {
      switch self {
      case .addGrant:
        token.policies.append(
          SimPolicy(
            id: "abababababababababababababababab", effect: "allow",
            permissionGroups: [ConcurrentEditTests.id("Stream Write")],
            resources: .object(["com.cloudflare.api.account.\(ConcurrentEditTests.account)": .string("*")])))
      case .disable: token.status = "disabled"
      case .revokeGrant: token.policies[0].permissionGroups.removeAll { $0 == ConcurrentEditTests.id("Pages Write") }
      case .rename: token.name = "renamed by an admin"
      case .condition: token.condition = .object(["request.ip": .object(["in": .array([.string("192.0.2.0/24")])])])
      }
      token.modifiedOn = "2026-11-30T12:00:00Z"
    }

    func survived(_ token: SimToken) -> Bool {
      switch self {
      case .addGrant: token.policies.contains { $0.permissionGroups.contains(ConcurrentEditTests.id("Stream Write")) }
      case .disable: token.status == "disabled"
      case .revokeGrant:
        !token.policies.contains { $0.permissionGroups.contains(ConcurrentEditTests.id("Pages Write")) }
      case .rename: token.name == "renamed by an admin"
      case .condition: token.condition != nil
      }
    }
  }

  struct Fixture {
    let simulator: Simulator
    let client: CloudflareClient
    let credentials: [String: Credential]
    let desired: DesiredState

    init() {
      simulator = Simulator(state: Scenario.seed(invisible: false))
      client = SimulatedAccount.client(simulator)
      credentials = SimulatedAccount.credentials(simulator.snapshot.tokens)
      let groups = ["Workers Scripts Write", "D1 Write", "Pages Write", "Workers KV Storage Write"]
      let target = DesiredToken(
        name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
        secretVariable: "A", healer: .token("user_token"), warnBeforeSeconds: nil,
        grants: groups.map {
          DesiredGrant(
            group: HexID(ConcurrentEditTests.id($0))!, resource: .account(account), groupName: $0,
            resourceName: "account main")
        }, location: "t")
      let healer = DesiredToken(
        name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user", secretVariable: "U",
        healer: .automatic, warnBeforeSeconds: nil, grants: [], location: "t")
      desired = DesiredState(tokens: [target, healer])
    }

    func plan() async -> Plan {
      let observer = Observer(client: client, credentials: credentials, missingSecrets: [:])
      return Planner.plan(
        desired: desired, observation: await observer.observe(desired), catalog: .bundled, toolVersion: "t",
        policyDigest: "d", source: "s")
    }

    var accountToken: SimToken { simulator.snapshot.tokens.first { $0.id == Scenario.accountTokenID }! }

    func edit(_ edit: Edit) {
      simulator.mutate { state in
        if let index = state.tokens.firstIndex(where: { $0.id == Scenario.accountTokenID }) {
          edit.make(&state.tokens[index])
        }
      }
    }

    /// Makes `edit` right after apply's `after`-th request (0: before apply starts) is answered.
    func apply(_ plan: Plan, onChange: Applier.OnChange, edit: Edit, after point: Int) async -> [ApplyResult] {
      if point == 0 { self.edit(edit) }
      let seen = Mutex(0)
      simulator.afterEachAnswer { _, _ in
        let count = seen.withLock { count -> Int in
          count += 1
          return count
        }
        if count == point { self.edit(edit) }
      }
      defer { simulator.afterEachAnswer(nil) }
      return await Applier(client: client, credentials: credentials, onChange: onChange).apply(plan, desired: desired)
    }
  }

  @Test(arguments: Edit.allCases)
  func anEditBeforeApplyReadsTheTokenSurvivesAReplan(_ edit: Edit) async throws {
    let fixture = Fixture()
    let plan = await fixture.plan()
    #expect(plan.toAdd == 2)
    let results = await fixture.apply(plan, onChange: .replan, edit: edit, after: 0)
    let token = fixture.accountToken
    #expect(edit.survived(token), "\(edit) was undone: \(results.map(\.message))")
    let result = try #require(results.first)
    if edit == .disable {
      #expect(result.outcome == .stale)
      #expect(result.message.contains("is disabled now"))
    } else {
      #expect(result.outcome == .applied, "\(result.message)")
      #expect(result.warnings.contains { $0.contains("changed after the plan was made") })
      // What was still missing was added, on top of their edit.
      #expect(token.policies.contains { $0.permissionGroups.contains(ConcurrentEditTests.id("D1 Write")) })
    }
    // The before-image is the fresh read: it shows their edit.
    if edit == .addGrant { #expect(result.before.contains { $0.group == ConcurrentEditTests.id("Stream Write") }) }
  }

  @Test(arguments: Edit.allCases)
  func aSavedPlanRefusesATokenChangedSinceAndWritesNothing(_ edit: Edit) async throws {
    let fixture = Fixture()
    let plan = await fixture.plan()
    let results = await fixture.apply(plan, onChange: .refuse, edit: edit, after: 0)
    let result = try #require(results.first)
    #expect(result.outcome == .stale)
    #expect(result.message.contains("changed after the plan was made"))
    #expect(result.message.contains("nothing written"))
    #expect(edit.survived(fixture.accountToken))
    #expect(
      !fixture.accountToken.policies.contains { $0.permissionGroups.contains(ConcurrentEditTests.id("D1 Write")) })
  }

  @Test func aRevokedGrantThePlanSawIsNotRestoredByAReplan() async throws {
    let fixture = Fixture()
    let plan = await fixture.plan()
    #expect(plan.tokens[0].satisfied.contains { $0.groupName == "Pages Write" })
    let results = await fixture.apply(plan, onChange: .replan, edit: .revokeGrant, after: 0)
    #expect(results[0].warnings.contains { $0.contains("Pages Write on account main removed since the plan was made") })
    #expect(Edit.revokeGrant.survived(fixture.accountToken))
  }

  /// The window that stays open: an edit between our GET's answer and our PUT. The test pins it, so that a change
  /// that closes or widens it is noticed.
  @Test func onlyAnEditInsideTheOneRoundTripWindowIsOverwritten() async throws {
    for edit in Edit.allCases {
      let fixture = Fixture()
      let plan = await fixture.plan()
      // Apply's requests for the one token: 1 its GET, 2 the PUT, 3 the read back.
      _ = await fixture.apply(plan, onChange: .replan, edit: edit, after: 1)
      #expect(
        !edit.survived(fixture.accountToken),
        "\(edit) inside the window survived: the window is closed, update the README")
    }
  }

  @Test func anEditRightAfterTheWriteIsKeptAndReported() async throws {
    for edit in [Edit.rename, .disable, .condition] {
      let fixture = Fixture()
      let plan = await fixture.plan()
      let results = await fixture.apply(plan, onChange: .replan, edit: edit, after: 2)
      #expect(edit.survived(fixture.accountToken))
      #expect(results[0].outcome == .applied)
      #expect(results[0].warnings.contains { $0.contains("changed by someone else right after the write") }, "\(edit)")
    }
  }

  /// Random edits at random points of random applies: nothing an admin did before apply's read of the token is ever
  /// undone; only the window can lose an edit; no grant held at apply's read is ever lost.
  @Test func randomInterleavingsNeverUndoAnEditMadeBeforeTheRead() async throws {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<60 {
      let fixture = Fixture()
      let plan = await fixture.plan()
      let edit = Edit.allCases[Int(rng.next() % UInt64(Edit.allCases.count))]
      // 0 before apply, then after its GET (the window), its PUT, its read back.
      let point = Int(rng.next() % 4)
      let onChange: Applier.OnChange = rng.next() % 2 == 0 ? .replan : .refuse
      let results = await fixture.apply(plan, onChange: onChange, edit: edit, after: point)
      let inWindow = point == 1
      let survived = edit.survived(fixture.accountToken)
      if !inWindow { #expect(survived, "\(edit) after request \(point) was undone") }
      // A grant revoked right after our write is missing from the read back: reported as lost, which it is.
      let revokedAfterWrite = edit == .revokeGrant && point == 2
      for result in results where !revokedAfterWrite { #expect(result.outcome != .lost, "\(result.message)") }
    }
  }
}

/// What only a write can show: the editor's user role. Reported as what a person must change, not "run apply again".
@Suite struct EditorRoleTests {
  @Test func anEditorWhoseUserIsNotSuperAdministratorIsToldSo() async throws {
    var state = Scenario.seed(invisible: false)
    state.users[0].memberships[Scenario.mainAccount.rawValue] = .administrator
    let simulator = Simulator(state: state)
    let client = SimulatedAccount.client(simulator)
    let credentials = SimulatedAccount.credentials(state.tokens)
    let desired = ConcurrentEditTests.Fixture().desired
    let observation = await Observer(client: client, credentials: credentials, missingSecrets: [:]).observe(desired)
    let plan = Planner.plan(
      desired: desired, observation: observation, catalog: .bundled, toolVersion: "t", policyDigest: "d", source: "s")
    #expect(plan.toAdd == 2)
    let results = await Applier(client: client, credentials: credentials).apply(plan, desired: desired)
    let result = try #require(results.first)
    #expect(result.outcome == .failed)
    #expect(
      result.message.contains("user_token's user must be Super Administrator of account main"), "\(result.message)")
    #expect(result.message.contains("this will fail again until that is changed"))
    #expect(!result.message.contains("run apply again"))
  }
}
