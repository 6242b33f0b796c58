import Foundation
import Testing

/// health → heal → history → probe on the sandbox, end to end through the command line.
@Suite struct HealthCommandTests {
  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// The `data` of a service document, after checking its envelope.
  static func data(_ text: String) throws -> [String: Any] {
    let document = try json(text)
    #expect(document["format_version"] as? String == "2")
    #expect(document["success"] as? Bool == true)
    return try #require(document["data"] as? [String: Any])
  }

  static func tokens(_ object: [String: Any]) -> [String: [String: Any]] {
    object["tokens"] as? [String: [String: Any]] ?? [:]
  }

  /// The seed's fields every token's object carries.
  static let seedFields = [
    "token_type", "token_id", "is_valid", "is_active", "expires_on", "missing_permissions", "has_all_permissions",
    "verification_url",
  ]

  @Test func healthShowsTheSeedAccountTokenDegradedAndHealMakesItHealthy() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let health = await Harness.run(["health", "--sandbox", "policies/"], environment: environment)
    #expect(health.status == 2, "\(health.stderr)")
    Snapshot.check(health.stdout, "health-seed.txt")
    #expect(health.stdout.hasPrefix("Token health check completed. Overall: degraded"))
    #expect(health.stdout.contains("account_token: [ok] valid, [warning] 2 permissions missing"))

    let heal = await Harness.run(["heal", "--sandbox", "policies/"], environment: environment)
    #expect(heal.status == 0, "\(heal.stderr)")
    Snapshot.check(heal.stdout, "heal-seed.txt")
    #expect(heal.stdout.contains("account_token via user_token: added 2 permissions (Workers Scripts Write, D1 Write)"))

    let history = await Harness.run(["history"], environment: environment)
    #expect(history.status == 0)
    Snapshot.check(history.stdout, "history-seed.txt")
    let applies = try Self.json(await Harness.run(["history", "--applies", "--json"], environment: environment).stdout)
    let runs = try #require(applies["runs"] as? [[String: Any]])
    #expect(runs.map { $0["kind"] as? String } == ["apply"])
    let applied = (runs[0]["tokens"] as? [String: [String: Any]])?["account_token"]
    #expect(applied?["outcome"] as? String == "applied")
    #expect(applied?["editor"] as? String == "user_token")
    #expect((applied?["added"] as? [String])?.count == 2)

    let probe = await Harness.run(["probe", "--sandbox", "policies/"], environment: environment)
    #expect(probe.status == 0, "\(probe.stdout)")
    Snapshot.check(probe.stdout, "probe-seed.txt")
    #expect(probe.stdout.contains("All 14 results as expected."))
  }

  @Test func theJSONKeepsTheSeedShapes() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let health = try Self.data(
      await Harness.run(["health", "--sandbox", "--json", "policies/"], environment: environment).stdout)
    #expect(health["overall_health"] as? String == "degraded")
    #expect(health["auto_heal_attempted"] as? Bool == false)
    let account = try #require(health["account_token"] as? [String: Any])
    let sameAgain = try #require(Self.tokens(health)["account_token"])
    #expect(
      try JSONSerialization.data(withJSONObject: account, options: .sortedKeys)
        == JSONSerialization.data(withJSONObject: sameAgain, options: .sortedKeys))
    for field in Self.seedFields { #expect(account.keys.contains(field), "health lacks \(field)") }
    #expect(account["token_type"] as? String == "account")
    #expect(account["missing_permissions"] as? [String] == ["Workers Scripts Write", "D1 Write"])
    #expect(account["has_all_permissions"] as? Bool == false)
    #expect(
      account["verification_url"] as? String
        == "https://sandbox.tokenwarden.invalid/client/v4/accounts/b3304b14848de15c72c24a14b0cd187d/tokens/verify")
    let conditions = try #require(account["conditions"] as? [[String: Any]])
    #expect(
      conditions.map { $0["type"] as? String } == [
        "Valid", "Active", "ExpiringSoon", "PermissionsSatisfied", "Drifted", "Unused",
      ])
    #expect(
      Self.tokens(health)["user_token"]?["verification_url"] as? String
        == "https://sandbox.tokenwarden.invalid/client/v4/user/tokens/verify")

    let status = try Self.data(
      await Harness.run(["status", "--sandbox", "--json", "policies/"], environment: environment).stdout)
    #expect((status["account_token"] as? [String: Any])?["missing_permissions_count"] as? Int == 2)
    #expect(Self.tokens(status)["user_token"]?["is_valid"] as? Bool == true)

    let healText = await Harness.run(["heal", "--sandbox", "--json", "policies/"], environment: environment).stdout
    #expect(try Self.json(healText)["message"] as? String == "Successfully healed all tokens: 2 permissions added.")
    let heal = try Self.data(healText)
    #expect(heal["auto_heal_attempted"] as? Bool == true)
    let result = try #require((heal["auto_heal_results"] as? [String: [String: Any]])?["account_token"])
    #expect(result["success"] as? Bool == true)
    #expect(result["permissions_added"] as? [String] == ["Workers Scripts Write", "D1 Write"])
    #expect((result["permissions_already_present"] as? [String])?.count == 12)
    #expect(result["message"] as? String == "Successfully added 2 missing permissions")
    #expect(result["detail"] as? String == "added 2 permissions")
    #expect((heal["before"] as? [String: Any])?["overall_health"] as? String == "degraded")
    #expect(heal["overall_health"] as? String == "healthy")

    let history = try Self.data(
      await Harness.run(["history", "--json", "--limit", "2"], environment: environment).stdout)
    #expect(history["count"] as? Int == 2)
    let checks = try #require(history["history"] as? [[String: Any]])
    #expect(checks.map { $0["overall_health"] as? String } == ["healthy", "degraded"])
    #expect(checks.map { $0["account_token_missing_perms"] as? Int } == [0, 2])
    #expect(checks.map { $0["account_token_has_all_perms"] as? Bool } == [true, false])
    #expect(checks.map { $0["user_token_valid"] as? Bool } == [true, true])
    #expect(checks.map { $0["auto_heal_success"] as? Bool } == [false, true])
    #expect(checks[1]["heal_attempted"] as? Bool == true)
    #expect(checks[1]["heal_result"] as? String == "success")
    let checked = try #require((checks[1]["tokens"] as? [String: [String: Any]])?["account_token"])
    #expect(checked["missing_permissions_count"] as? Int == 2)
    #expect(checked["heal_result"] as? String == "success")

    let probe = try Self.json(
      await Harness.run(["probe", "--sandbox", "--json", "policies/"], environment: environment).stdout)
    #expect(probe["total"] as? Int == 14)
    #expect(probe["surprises"] as? Int == 0)
  }

  @Test func withNobodyAbleToReadTheAccountTokenHealthSaysUnhealthyWithTheRemediation() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let health = await Harness.run(
      ["health", "--sandbox", "--scenario", "seed-invisible", "policies/"], environment: environment)
    #expect(health.status == 3)
    Snapshot.check(health.stdout, "health-seed-invisible.txt")
    #expect(health.stdout.contains("Overall: unhealthy"))
    #expect(
      health.stdout.contains(
        "user_token cannot see account-owned token 4d84…5f66: give it Account API Tokens Write on account main (its user must be Super Administrator), or recreate the token as user-owned"
      ))
    let heal = await Harness.run(["heal", "--sandbox", "--json", "policies/"], environment: environment)
    #expect(heal.status == 3)
    let result = (try Self.data(heal.stdout)["auto_heal_results"] as? [String: [String: Any]])?["account_token"]
    #expect(result?["success"] as? Bool == false)
    #expect((result?["message"] as? String)?.hasPrefix("not healed: user_token cannot see") == true)
  }

  @Test func aTokenWhoseSecretIsUnsetIsReportedNotACrash() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let policy = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
      .replacingOccurrences(of: "$CLOUDFLARE_USER_TOKEN", with: "$TOKENWARDEN_TEST_UNSET_SECRET")
    let path = state.appendingPathComponent("worker.yaml").path
    try Data(policy.utf8).write(to: URL(fileURLWithPath: path))
    let health = await Harness.run(["health", "--sandbox", path], environment: environment)
    #expect(health.status == 3)
    #expect(health.stdout.contains("user_token: [error] TOKENWARDEN_TEST_UNSET_SECRET is not set"))
    // Said first, before anything the missing secret makes incomplete.
    #expect(
      health.stderr.hasPrefix(
        "Warning: user_token cannot be read or verified with its own secret: TOKENWARDEN_TEST_UNSET_SECRET is not set or empty; carrying on with the other tokens\n"
      ))
    let status = try Self.data(
      await Harness.run(["status", "--sandbox", "--json", path], environment: environment).stdout)
    #expect(Self.tokens(status)["user_token"]?["is_valid"] is NSNull)
    let probe = await Harness.run(["probe", "--sandbox", path, "user_token"], environment: environment)
    #expect(probe.stdout.contains("7 calls skipped: no secret for the token."))
  }

  /// Verify answers for whichever token the secret belongs to: a secret wired to the wrong token is not "valid".
  @Test func aSecretOfAnotherTokenIsReportedAsSuch() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let policy = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
      .replacingOccurrences(of: "a753e62f6ffe44a7762befbce7a9eddf", with: "0123456789abcdef0123456789abcdef")
    let path = state.appendingPathComponent("worker.yaml").path
    try Data(policy.utf8).write(to: URL(fileURLWithPath: path))
    let health = await Harness.run(["health", "--sandbox", "--json", path], environment: environment)
    #expect(health.status != 0)
    #expect(health.stdout.contains("\"reason\" : \"SecretOfAnotherToken\""), "\(health.stdout)")
    #expect(
      health.stdout.contains(
        "the secret in CLOUDFLARE_USER_TOKEN belongs to token a753…eddf, not to user_token (0123…cdef)"))
  }

  @Test func aBrokenHistoryDatabaseDoesNotStopTheCheck() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    try Data(repeating: 0x42, count: 4096).write(to: state.appendingPathComponent("history.db"))
    let health = await Harness.run(["health", "--sandbox", "policies/"], environment: environment)
    #expect(health.status == 2)
    #expect(health.stdout.hasPrefix("Token health check completed. Overall: degraded"))
    #expect(health.stderr.contains("Warning: history will not be recorded: the history database"))
    #expect(health.stderr.contains("is corrupt"))
    let history = await Harness.run(["history"], environment: environment)
    #expect(history.status == 1)
    #expect(history.stderr.contains("move it aside"))
  }

  @Test func expiryWithinTheWarningWindowDegradesAndAnEditElsewhereIsDrift() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let now = Date()
    #expect(await Harness.run(["heal", "--sandbox", "policies/"], environment: environment, now: now).status == 0)
    // In the dashboard: the account token gets an expiry in six and a half days, the user token an extra grant.
    let statePath = state.appendingPathComponent("sandbox/state.json")
    var sandbox = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: statePath)) as? [String: Any])
    var tokens = try #require(sandbox["tokens"] as? [[String: Any]])
    tokens[0]["expires_on"] = ISO8601DateFormatter().string(from: now.addingTimeInterval(6.5 * 86_400))
    var policies = try #require(tokens[1]["policies"] as? [[String: Any]])
    policies.append([
      "id": "77777777777777777777777777777777", "effect": "allow",
      "permission_groups": ["0cc3a61731504c89b99ec1be78b77aa0"],
      "resources": ["com.cloudflare.api.user.5a0dbe11c0ffee00d15ea5edbeef0001": "*"],
    ])
    tokens[1]["policies"] = policies
    sandbox["tokens"] = tokens
    try JSONSerialization.data(withJSONObject: sandbox).write(to: statePath)
    let health = await Harness.run(["health", "--sandbox", "--json", "policies/"], environment: environment, now: now)
    let report = try Self.data(health.stdout)
    let account = try #require(Self.tokens(report)["account_token"])
    #expect(account["health"] as? String == "degraded")
    #expect(account["days_until_expiry"] as? Int == 6)
    #expect((report["recommendations"] as? [String])?.contains("⚠️ account_token expires in 6 days: rotate it") == true)
    let user = try #require(Self.tokens(report)["user_token"])
    let drifted = (user["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Drifted" }
    #expect(drifted?["status"] as? String == "True")
    #expect(drifted?["reason"] as? String == "ChangedElsewhere")
  }

  @Test func emojiOnATerminalPlainMarkersOtherwise() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let terminal = await Harness.run(["health", "--sandbox", "policies/"], environment: environment, terminal: true)
    #expect(terminal.stdout.contains("✅ valid, ⚠️ 2 permissions missing"))
    #expect(terminal.stderr.contains("verifying tokens: "))
    var noColor = environment
    noColor["NO_COLOR"] = "1"
    let plain = await Harness.run(["health", "--sandbox", "policies/"], environment: noColor, terminal: true)
    #expect(plain.stdout.contains("[ok] valid, [warning] 2 permissions missing"))
    #expect(!plain.stdout.contains("✅"))
  }

  @Test func badArgumentsAreRefusedClearly() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let limit = await Harness.run(["history", "--limit", "0"], environment: environment)
    #expect(limit.status == 1)
    #expect(limit.stderr.contains("--limit takes a whole number from 1 to 1000, not '0'"))
    let token = await Harness.run(["probe", "--sandbox", "policies/", "nobody"], environment: environment)
    #expect(token.status == 1)
    #expect(token.stderr.contains("no token of the policy is named 'nobody'"))
    let area = await Harness.run(["probe", "--sandbox", "--area", "dns", "policies/"], environment: environment)
    #expect(area.stderr.contains("unknown area 'dns'"))
  }
}

extension HealthCommandTests {
  /// Unknown is not zero: a token whose grants could not be read shows '?' missing, and null counts nowhere.
  @Test func statusShowsUnknownPermissionsAsUnknown() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let status = await Harness.run(
      ["status", "--sandbox", "--scenario", "seed-invisible", "policies/"], environment: environment)
    #expect(status.status == 3)
    let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("account_token") } ?? ""
    #expect(
      row.split(separator: " ", omittingEmptySubsequences: true).map(String.init) == [
        "account_token", "account", "yes", "yes", "?", "never", "unhealthy", "30",
      ])
  }
}
