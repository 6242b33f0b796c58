import Foundation
import Testing

/// `usage`: tokens by last use, the unused flagged past their threshold, permissions the policy does not require.
@Suite struct UsageTests {
  @Test func unusedTokensAndExtraPermissionsAreReported() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    // Two more account tokens nobody uses: one last used in September, one never.
    let scenario = try await Harness.scenario("seed", state: state, environment: environment, saveAs: "usage.json") {
      tokens in
      guard var template = tokens.first(where: { $0["name"] as? String == "account_token" }) else { return tokens }
      template.removeValue(forKey: "env")
      template["id"] = "1ddd1ddd1ddd1ddd1ddd1ddd1ddd1ddd"
      template["name"] = "old_ci"
      template["secret"] = "cfat_usageOldCi000000000000000000000000000"
      template["last_used_on"] = "2026-09-01T08:00:00Z"
      var spare = template
      spare["id"] = "2eee2eee2eee2eee2eee2eee2eee2eee"
      spare["name"] = "spare"
      spare["secret"] = "cfat_usageSpare00000000000000000000000000"
      spare.removeValue(forKey: "last_used_on")
      return tokens + [template, spare]
    }
    var policy = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("policies/worker.yaml"), encoding: .utf8)
    for (name, id) in [("old_ci", "1ddd1ddd1ddd1ddd1ddd1ddd1ddd1ddd"), ("spare", "2eee2eee2eee2eee2eee2eee2eee2eee")] {
      policy += """

          \(name):
            id: \(id)
            owner: account main
            secret: $\(name.uppercased())
            unused_after: 60d
            grants:
              - resource: account main
                permissions:
                  - Workers KV Storage: edit

        """
    }
    try Data(policy.utf8).write(to: state.appendingPathComponent("policy.yaml"))
    let usage = await Harness.run(
      ["usage", "--sandbox", "--scenario", scenario, "--json", "policy.yaml"], environment: environment,
      directory: state.path)
    #expect(usage.status == 0, "\(usage.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any])
    #expect(report["format_version"] as? String == "1.0")
    let listed = try #require(report["tokens"] as? [[String: Any]])
    #expect(listed.map { $0["name"] as? String } == ["spare", "old_ci", "user_token", "account_token"])
    let old = try #require(listed.first { $0["name"] as? String == "old_ci" })
    #expect(old["unused"] as? Bool == true)
    #expect(old["days_since_use"] as? Int == 82)
    #expect(old["unused_after_days"] as? Int == 60)
    #expect((listed.first { $0["name"] as? String == "spare" })?["unused"] as? Bool == true)
    let user = try #require(listed.first { $0["name"] as? String == "user_token" })
    #expect(user["extra_permissions"] as? [String] == ["Account API Tokens Write on account main"])
    #expect(user["unused"] as? Bool == false)
    // Health says the same as a condition and a recommendation, without changing the state.
    let health = await Harness.run(
      ["health", "--sandbox", "--no-color", "policy.yaml"], environment: environment, directory: state.path)
    #expect(
      health.stdout.contains("[review] old_ci was last used 82 days ago: if nothing needs it any more, revoke it"))
  }
}
