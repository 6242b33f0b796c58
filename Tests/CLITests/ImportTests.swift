import Foundation
import Testing

/// `import` writes the policy that, applied, changes nothing: for every scenario, `plan` of what it wrote says
/// "No changes.", and `validate` and `fmt --check` pass on it.
@Suite struct ImportTests {
  static let mixed = Snapshot.input("import-mixed.scenario.json")

  static let scenarios: [(scenario: String, secrets: [String])] = [
    ("seed", []), ("seed-invisible", []), ("seed-deny", []), ("seed-wildcard", []), ("seed-revoked", []),
    ("seed-observer", []), ("many:60", []), (mixed, ["--secret-env", "ADMIN_TOKEN", "--secret-env", "DEPLOY_TOKEN"]),
  ]

  @Test(arguments: scenarios)
  func importedPoliciesPlanNoChanges(_ scenario: String, _ secrets: [String]) async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let file = state.appendingPathComponent("imported.yaml").path
    let imported = await Harness.run(
      ["import", "--sandbox", "--scenario", scenario, "--out", file] + secrets, environment: environment)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.isEmpty)
    #expect(imported.stderr.contains("then: tokenwarden plan --sandbox \(file)"))
    let plan = await Harness.run(["plan", "--sandbox", file], environment: environment)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("No changes."), "\(scenario): \(plan.stdout)")
    let validate = await Harness.run(["validate", file], environment: environment)
    #expect(validate.status == 0, "\(validate.stdout)")
    let fmt = await Harness.run(["fmt", "--check", file], environment: environment)
    #expect(fmt.status == 0, "\(fmt.stdout)\(fmt.stderr)")
  }

  /// Every built-in scenario is in the round trip: the list the commands' help names.
  @Test func everyBuiltInScenarioIsCovered() async {
    let help = await Harness.run(["plan", "--help"]).stdout
    let covered = Set(Self.scenarios.map { $0.scenario.split(separator: ":").first.map(String.init) ?? "" })
    // "start from this scenario (seed, seed-invisible, …, many[:N], or a file)": what the sandbox offers.
    let offered =
      help.components(separatedBy: "start from this scenario (").dropFirst().first?
      .components(separatedBy: ")").first?.components(separatedBy: ", ")
      .map { $0.replacingOccurrences(of: "[:N]", with: "") }.filter { $0 != "or a file" } ?? []
    #expect(offered.count >= 7, "\(help)")
    for name in offered { #expect(covered.contains(name), "\(name) is not imported in the round trip") }
  }

  /// Names from the API made keys, ids where names cannot be read, templates, and what the language cannot say.
  @Test func theMixedAccountAsAPolicy() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let result = await Harness.run(
      ["import", "--sandbox", "--scenario", Self.mixed, "--secret-env", "ADMIN_TOKEN", "--secret-env", "DEPLOY_TOKEN"],
      environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    Snapshot.check(result.stdout, "import-mixed.yaml")
    #expect(result.stderr.contains("Warning: deployer: kept on the token, not in this policy (it has no denies)"))
    #expect(result.stderr.contains("Warning: dns_bot: its condition (IP ranges) is not in this policy"))
    #expect(result.stderr.contains("Warning: ci: it is disabled in Cloudflare"))
    #expect(!result.stderr.contains("cfut_import") && !result.stdout.contains("cfut_import"))
    #expect(!result.stderr.contains("cfat_import") && !result.stdout.contains("cfat_import"))
  }

  @Test func oneTokenByNameAndTheAlias() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let result = await Harness.run(
      [
        "adopt", "--sandbox", "--scenario", Self.mixed, "--secret-env", "ADMIN_TOKEN", "--token", "dns bot", "--token",
        "nobody",
      ], environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("  dns_bot:\n"))
    #expect(!result.stdout.contains("token_admin:"))
    #expect(result.stderr.contains("Warning: --token nobody: no token the credentials can list"))
  }

  @Test func anExistingFileIsKeptWithoutForce() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let file = state.appendingPathComponent("policy.yaml")
    try Data("keep me\n".utf8).write(to: file)
    let refused = await Harness.run(
      ["import", "--sandbox", "--out", file.path], environment: environment)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("policy.yaml exists: choose another --out FILE, or replace it with --force"))
    #expect(try String(contentsOf: file, encoding: .utf8) == "keep me\n")
    let forced = await Harness.run(["import", "--sandbox", "--out", file.path, "--force"], environment: environment)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try String(contentsOf: file, encoding: .utf8).contains("user_token:"))
  }

  @Test func anAccountOwnedCredentialAloneNeedsItsAccount() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let result = await Harness.run(
      ["import", "--sandbox", "--secret-env", "CLOUDFLARE_ACCOUNT_TOKEN"], environment: environment)
    #expect(result.status == 1)
    #expect(result.stderr.contains("name its account with --account ID"))
    #expect(result.stderr.contains("Error: the credentials list no token"))
    let unset = await Harness.run(["import", "--secret-env", "NOT_SET_ANYWHERE"], environment: environment)
    #expect(unset.status == 1)
    #expect(unset.stderr.contains("NOT_SET_ANYWHERE is not set or empty"))
  }
}
