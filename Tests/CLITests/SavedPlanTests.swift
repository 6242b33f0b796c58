import Foundation
import Planning
import Reconciler
import Testing

/// A saved plan applies only where it was made, from the policy it was made from, and can add nothing that policy
/// does not require — however the file was edited, digest recomputed or not.
@Suite struct SavedPlanTests {
  static let d1Write = "09b2857d1c31407795e75e3fed8617a1"
  static let accountAPITokensWrite = "5bc3f8b21c554832afc660159ab75fa4"

  struct Fixture {
    let state: URL
    let environment: [String: String]
    let planPath: String

    init(environment extra: [String: String] = [:]) async throws {
      state = try Harness.temporaryDirectory()
      environment = ["TOKENWARDEN_STATE_DIR": state.path].merging(extra) { $1 }
      planPath = state.appendingPathComponent("plan.json").path
      let plan = await Harness.run(["plan", "--sandbox", "--out", planPath, "policies/"], environment: environment)
      #expect(plan.status == 0, "\(plan.stderr)")
    }

    /// Edits the plan file's text and writes it back with a digest that matches again, as a forger would.
    func forge(_ edit: (String) -> String) throws {
      let text = edit(try String(contentsOfFile: planPath, encoding: .utf8))
      let decoded = try JSONDecoder().decode(PlanDocument.self, from: Data(text.utf8))
      try PlanDocument(plan: decoded.plan).encoded().write(to: URL(fileURLWithPath: planPath))
    }

    func apply(_ extra: [String] = ["--sandbox"], environment more: [String: String] = [:]) async -> RunResult {
      await Harness.run(["apply"] + extra + [planPath], environment: environment.merging(more) { $1 })
    }

    /// Whether the sandbox still lacks the two permissions of the seed plan.
    func nothingWasWritten() async -> Bool {
      let plan = await Harness.run(["plan", "--sandbox", "policies/"], environment: environment)
      return plan.stdout.contains("Plan: 2 permissions to add across 1 token")
    }
  }

  enum Forgery: String, CaseIterable, Sendable {
    case groupNotAsked = "a group the policy does not ask for"
    case resourceWidened = "a resource widened to every account"
    case otherEditor = "another editor"

    func edit(_ text: String) -> String {
      switch self {
      case .groupNotAsked:
        text.replacingOccurrences(of: SavedPlanTests.d1Write, with: SavedPlanTests.accountAPITokensWrite)
      case .resourceWidened:
        text.replacingOccurrences(
          of: "\"resource\" : \"account:b3304b14848de15c72c24a14b0cd187d\"", with: "\"resource\" : \"account:*\"")
      case .otherEditor:
        text.replacingOccurrences(of: "\"editor\" : \"user_token\"", with: "\"editor\" : \"account_token\"")
      }
    }
  }

  @Test(arguments: Forgery.allCases)
  func aForgedPlanWithAValidDigestIsRefused(_ forgery: Forgery) async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    try fixture.forge(forgery.edit)
    let apply = await fixture.apply()
    #expect(apply.status == 1, "\(forgery): \(apply.stdout)")
    #expect(
      apply.stderr.contains("the plan asks for what the policy does not; nothing was applied"),
      "\(forgery): \(apply.stderr)")
    #expect(await fixture.nothingWasWritten(), "\(forgery)")
  }

  /// A family that is neither `user` nor an account id is not a plan TokenWarden made.
  @Test func aPlanWithAnUnknownFamilyIsRefusedAsUnreadable() async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    let text = try String(contentsOfFile: fixture.planPath, encoding: .utf8)
      .replacingOccurrences(
        of: "\"family\" : \"account:b3304b14848de15c72c24a14b0cd187d\"", with: "\"family\" : \"account:*\"")
    try Data(text.utf8).write(to: URL(fileURLWithPath: fixture.planPath))
    let apply = await fixture.apply()
    #expect(apply.status == 1)
    #expect(apply.stderr.contains("'account:*' is not 'user' or 'account:<id>'"), "\(apply.stderr)")
    #expect(await fixture.nothingWasWritten())
  }

  @Test func showPrintsTheIdsAndResourcesThatWillBeWritten() async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    try fixture.forge {
      $0.replacingOccurrences(of: SavedPlanTests.d1Write, with: SavedPlanTests.accountAPITokensWrite)
    }
    let show = await Harness.run(["show", "--no-color", fixture.planPath], environment: fixture.environment)
    #expect(
      show.stdout.contains(
        "group \(SavedPlanTests.accountAPITokensWrite) on {\"com.cloudflare.api.account.b3304b14848de15c72c24a14b0cd187d\":\"*\"} — the catalog calls this group 'Account API Tokens Write'"
      ))
    #expect(
      show.stdout.contains(
        "# writes /accounts/b3304b14848de15c72c24a14b0cd187d/tokens/4d841f1aa61bc019800506e138085f66 as user_token"))
    #expect(show.stdout.contains("Target: the sandbox (scenario seed)"))
  }

  @Test func aSandboxPlanNeverReachesAnAPI() async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    let apply = await fixture.apply(
      [],
      environment: [
        "CLOUDFLARE_API_BASE_URL": "http://127.0.0.1:9/client/v4", "CLOUDFLARE_USER_TOKEN": "u",
        "CLOUDFLARE_ACCOUNT_TOKEN": "a",
      ])
    #expect(apply.status == 1)
    #expect(
      apply.stderr.contains(
        "the plan was made against the sandbox (scenario seed); this run would write to Cloudflare's API at http://127.0.0.1:9/client/v4. Nothing was applied; to apply it to the sandbox: tokenwarden apply --sandbox \(fixture.planPath)"
      ))
    // The hint runs as printed.
    let hinted = await fixture.apply()
    #expect(hinted.status == 0, "\(hinted.stderr)")
  }

  @Test func aChangedPolicyRefusesThePlan() async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    let policy = fixture.state.appendingPathComponent("policy.yaml")
    let text = try String(contentsOfFile: "policies/worker.yaml", encoding: .utf8)
    try Data(text.replacingOccurrences(of: "          - D1: edit\n", with: "").utf8).write(to: policy)
    let apply = await fixture.apply(["--sandbox", "--policy", policy.path])
    #expect(apply.status == 1)
    #expect(
      apply.stderr.contains(
        "is not the one the plan was made from (its digest differs); nothing was applied: plan again"))
    #expect(await fixture.nothingWasWritten())
  }

  @Test func withAPlanKeyOnlyPlansSignedWithItAreApplied() async throws {
    let signed = try await Fixture(environment: ["TOKENWARDEN_PLAN_KEY": "key-of-the-pipeline"])
    defer { try? FileManager.default.removeItem(at: signed.state) }
    #expect(try String(contentsOfFile: signed.planPath, encoding: .utf8).contains("\"signature\" : \"hmac-sha256:"))
    let other = await signed.apply(environment: ["TOKENWARDEN_PLAN_KEY": "another-key"])
    #expect(other.status == 1)
    #expect(other.stderr.contains("is not signed with the TOKENWARDEN_PLAN_KEY of this run"))
    // The digest recomputed after an edit does not make a signature.
    try signed.forge { $0.replacingOccurrences(of: "\"D1 Write\"", with: "\"D1 Write \"") }
    let edited = await signed.apply()
    #expect(edited.status == 1)
    #expect(edited.stderr.contains("is not signed"))

    let unsigned = try await Fixture()
    defer { try? FileManager.default.removeItem(at: unsigned.state) }
    let refused = await unsigned.apply(environment: ["TOKENWARDEN_PLAN_KEY": "key-of-the-pipeline"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("is not signed, and TOKENWARDEN_PLAN_KEY is set"))

    let good = try await Fixture(environment: ["TOKENWARDEN_PLAN_KEY": "key-of-the-pipeline"])
    defer { try? FileManager.default.removeItem(at: good.state) }
    let applied = await good.apply()
    #expect(applied.status == 0, "\(applied.stderr)")
  }

  @Test func aPlanOfTheFormerFormatIsRefused() async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    try Data(#"{"plan": {"format_version": "1", "tokens": []}, "digest": "sha256:00"}"#.utf8).write(
      to: URL(fileURLWithPath: fixture.planPath))
    let apply = await fixture.apply()
    #expect(apply.status == 1)
    #expect(apply.stderr.contains("made by an older TokenWarden (format version 1; this one reads 2): plan again"))
  }
}

extension SavedPlanTests {
  /// The apply job checks out the policy elsewhere and may spell its folder otherwise: still the same policy.
  @Test func anotherSpellingOfThePolicyFolderIsTheSamePolicy() async throws {
    let fixture = try await Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.state) }
    let apply = await fixture.apply(["--sandbox", "--policy", "./policies"])
    #expect(apply.status == 0, "\(apply.stderr)")
  }
}
