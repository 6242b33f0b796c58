import Foundation
import Testing

/// A permission group that only Cloudflare's live catalog knows (added after this release): `plan` finds it there, as
/// `validate --online` does, instead of stopping at the bundled catalog.
@Suite struct LiveCatalogTests {
  static let newGroup = "Quantum Relays Write"

  /// The seed scenario with one group more in the live catalog, and the shipped policy asking for it.
  static func setUp(_ state: URL, environment: [String: String]) async throws -> (scenario: String, policy: String) {
    #expect(await Harness.run(["sandbox", "--reset"], environment: environment).status == 0)
    let seed = state.appendingPathComponent("sandbox/state.json")
    var scenario = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: seed)) as? [String: Any])
    scenario["new_permission_groups"] = [
      ["id": "0123456789abcdef0123456789abcdef", "name": newGroup, "scopes": ["com.cloudflare.api.account"]]
    ]
    let scenarioPath = state.appendingPathComponent("newer.json").path
    try JSONSerialization.data(withJSONObject: scenario).write(to: URL(fileURLWithPath: scenarioPath))
    let policy = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
      .replacingOccurrences(
        of: "          - Account Analytics: read\n",
        with: "          - Account Analytics: read\n          - \(newGroup)\n")
    let policyPath = state.appendingPathComponent("worker.yaml").path
    try Data(policy.utf8).write(to: URL(fileURLWithPath: policyPath))
    return (scenarioPath, policyPath)
  }

  @Test func aGroupOnlyTheLiveCatalogKnowsIsPlannedAndApplied() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let (scenario, policy) = try await Self.setUp(state, environment: environment)
    // Offline, the bundled catalog does not know it.
    let offline = await Harness.run(["validate", policy], environment: environment)
    #expect(offline.status == 1)
    #expect(offline.stdout.contains("unknown permission '\(Self.newGroup)'"))

    let plan = await Harness.run(["plan", "--sandbox", "--scenario", scenario, policy], environment: environment)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains(#"+ "\#(Self.newGroup)" on account main"#), "\(plan.stdout)")
    #expect(!plan.stderr.contains("unknown permission"), "\(plan.stderr)")
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", policy], environment: environment)
    #expect(apply.status == 0, "\(apply.stderr)")
    let again = await Harness.run(["plan", "--sandbox", "--detailed-exitcode", policy], environment: environment)
    #expect(again.status == 0, "\(again.stdout)")
    #expect(again.stdout.contains("No changes."))
  }

  @Test func aNameNeitherCatalogKnowsStillStopsThePlan() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let (scenario, policy) = try await Self.setUp(state, environment: environment)
    let text = try String(contentsOfFile: policy, encoding: .utf8).replacingOccurrences(
      of: Self.newGroup, with: "Quantum Relays Writ")
    try Data(text.utf8).write(to: URL(fileURLWithPath: policy))
    let plan = await Harness.run(["plan", "--sandbox", "--scenario", scenario, policy], environment: environment)
    #expect(plan.status == 1)
    #expect(plan.stderr.contains("unknown permission 'Quantum Relays Writ'"))
    #expect(plan.stderr.contains("did you mean '\(Self.newGroup)'"), "\(plan.stderr)")
    #expect(
      plan.stderr.contains(
        "Error: the policy is not valid (names were looked up in the live catalog too); nothing was read from Cloudflare."
      ))
  }
}
