import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// plan → apply → plan on the sandbox, end to end through the command line.
@Suite struct ReconcileCommandTests {
  static func stateDirectory() throws -> (URL, [String: String]) {
    let directory = try Harness.temporaryDirectory()
    return (directory, ["TOKENWARDEN_STATE_DIR": directory.path])
  }

  /// Digests change with timestamps; the golden files hold everything else.
  static func stable(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.hasPrefix("Plan digest: sha256:") ? "Plan digest: sha256:<digest>" : String(line)
    }.joined(separator: "\n")
  }

  @Test func theSeedPlanAddsTwoPermissionsViaTheUserToken() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(["plan", "--sandbox", "--detailed-exitcode", "policies/"], environment: environment)
    #expect(plan.status == 2)
    Snapshot.check(Self.stable(plan.stdout), "plan-seed.txt")
    #expect(plan.stdout.contains("Plan: 2 permissions to add across 1 token, 0 blocked. 1 token unchanged."))
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("✓ account_token via user_token: added 2 permissions"))
    #expect(apply.stdout.hasSuffix("Apply complete! 2 permissions added across 1 token.\n"))
    Snapshot.check(Self.stable(apply.stdout), "apply-seed.txt")
    let again = await Harness.run(["plan", "--sandbox", "--detailed-exitcode", "policies/"], environment: environment)
    #expect(again.status == 0)
    #expect(again.stdout.contains("No changes. Every token has the permissions the policy requires."))
  }

  @Test func withNobodyAbleToEditTheAccountTokenThePlanSaysWhatToDo() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", "seed-invisible", "--detailed-exitcode", "policies/"],
      environment: environment)
    #expect(plan.status == 1)
    Snapshot.check(Self.stable(plan.stdout), "plan-seed-invisible.txt")
    #expect(
      plan.stdout.contains(
        "user_token cannot see account-owned token 4d84…5f66: give it Account API Tokens Write on account main (its user must be Super Administrator), or recreate the token as user-owned"
      ))
  }

  @Test func aSavedPlanIsAppliedExactlyAndAStalePlanIsRefused() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let planPath = state.appendingPathComponent("plan.json").path
    let plan = await Harness.run(["plan", "--sandbox", "--out", planPath, "policies/"], environment: environment)
    #expect(plan.status == 0)
    let saved = try String(contentsOfFile: planPath, encoding: .utf8)
    #expect(saved.contains("\"format_version\" : \"2\""))
    // An edit made "in the dashboard" between plan and apply.
    let statePath = state.appendingPathComponent("sandbox/state.json").path
    var json = try String(contentsOfFile: statePath, encoding: .utf8)
    json = json.replacingOccurrences(
      of: "\"modified_on\" : \"2026-05-01T09:00:00Z\"", with: "\"modified_on\" : \"2026-11-22T10:00:00Z\"")
    try Data(json.utf8).write(to: URL(fileURLWithPath: statePath))
    let apply = await Harness.run(["apply", "--sandbox", planPath], environment: environment)
    #expect(apply.status == 1)
    #expect(
      apply.stdout.contains(
        "✗ account_token via user_token: account_token changed after the plan was made (modified 2026-11-22T10:00:00Z); nothing written: run plan again"
      ))
  }

  @Test func aTamperedPlanIsRefused() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let planPath = state.appendingPathComponent("plan.json").path
    _ = await Harness.run(["plan", "--sandbox", "--out", planPath, "policies/"], environment: environment)
    let text = try String(contentsOfFile: planPath, encoding: .utf8).replacingOccurrences(
      of: "D1 Write", with: "D2 Write")
    try Data(text.utf8).write(to: URL(fileURLWithPath: planPath))
    let apply = await Harness.run(["apply", "--sandbox", planPath], environment: environment)
    #expect(apply.status == 1)
    #expect(apply.stderr.contains("the plan file was changed after it was written"))
    try Data("{\"plan\": {\"format_version\": \"9\"}}".utf8).write(to: URL(fileURLWithPath: planPath))
    let future = await Harness.run(["show", planPath], environment: environment)
    #expect(future.stderr.contains("made by a newer TokenWarden (format version 9; this one reads 2)"))
  }

  @Test func applyWithoutATerminalRefusesInsteadOfWaiting() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let apply = await Harness.run(["apply", "--sandbox", "policies/"], environment: environment)
    #expect(apply.status == 1)
    #expect(apply.stderr.contains("no terminal to confirm on; run with --auto-approve"))
  }

  @Test func policyErrorsStopEverythingBeforeTheFirstAPICall() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(["plan", "--sandbox", "Tests/CLITests/Snapshots/bad.yaml"], environment: environment)
    #expect(plan.status == 1)
    #expect(plan.stderr.contains("the policy is not valid; nothing was read from Cloudflare"))
    #expect(!FileManager.default.fileExists(atPath: state.path + "/sandbox/state.json"))
  }

  /// Token values never reach output or plan files.
  @Test func noTokenValueLeaks() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let planPath = state.appendingPathComponent("plan.json").path
    let runs = [
      await Harness.run(["plan", "--sandbox", "--debug", "--out", planPath, "policies/"], environment: environment),
      await Harness.run(["plan", "--sandbox", "--json", "policies/"], environment: environment),
      await Harness.run(["apply", "--sandbox", "--debug", planPath], environment: environment),
      await Harness.run(["validate", "--sandbox", "--debug", "policies/"], environment: environment),
      await Harness.run(["health", "--sandbox", "--debug", "--json", "policies/"], environment: environment),
      await Harness.run(["heal", "--sandbox", "--debug", "--json", "policies/"], environment: environment),
      await Harness.run(["status", "--sandbox", "--debug", "--json", "policies/"], environment: environment),
      await Harness.run(["probe", "--sandbox", "--debug", "--json", "policies/"], environment: environment),
      await Harness.run(["history", "--json"], environment: environment),
      await Harness.run(["history", "--applies", "--json"], environment: environment),
    ]
    let planFile = try String(contentsOfFile: planPath, encoding: .utf8)
    // Every byte the history database (and its write-ahead log) holds.
    let files = try FileManager.default.contentsOfDirectory(atPath: state.path).filter { $0.hasPrefix("history.db") }
    #expect(files.contains("history.db"))
    let database = try files.map { try Data(contentsOf: state.appendingPathComponent($0)) }.reduce(Data(), +)
    for secret in ["cfat_sandboxAccountToken", "cfut_sandboxUserToken"] {
      for run in runs {
        #expect(!run.stdout.contains(secret))
        #expect(!run.stderr.contains(secret))
      }
      #expect(!planFile.contains(secret))
      #expect(database.range(of: Data(secret.utf8)) == nil)
    }
  }

  @Test func markdownForPullRequestsAndTheStepSummary() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let summary = state.appendingPathComponent("summary.md").path
    var env = environment
    env["GITHUB_STEP_SUMMARY"] = summary
    let plan = await Harness.run(["plan", "--sandbox", "--format", "markdown", "policies/"], environment: env)
    Snapshot.check(
      Self.stable(plan.stdout).replacingOccurrences(
        of: #"`sha256:[0-9a-f]+`"#, with: "`sha256:<digest>`", options: .regularExpression), "plan-seed.md")
    #expect(try String(contentsOfFile: summary, encoding: .utf8) == plan.stdout)
    let github = await Harness.run(
      ["plan", "--sandbox", "policies/"], environment: ["TOKENWARDEN_STATE_DIR": state.path, "GITHUB_ACTIONS": "true"])
    #expect(github.stdout.hasPrefix("::notice title=TokenWarden plan::Plan: 2 permissions to add"))
  }

  /// A deny on all accounts takes away what the policy requires on account main: blocked, with the deny named.
  @Test func aDenyOnAWiderResourceBlocksTheGrantAndNamesTheDeny() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", "seed-deny", "policies/"], environment: environment)
    #expect(plan.status == 1)
    Snapshot.check(Self.stable(plan.stdout), "plan-seed-deny.txt")
    #expect(plan.stdout.contains("denied by a deny policy on the token (deny 'Workers Scripts Write' on all accounts)"))
    let health = await Harness.run(["health", "--sandbox", "--json", "policies/"], environment: environment)
    #expect(health.stdout.contains("\"reason\" : \"DeniedByPolicy\""))
  }

  /// An editor holding Account API Tokens Write on all accounts sees and edits the account token.
  @Test func aWildcardEditorPlansAndApplies() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", "seed-wildcard", "policies/"], environment: environment)
    #expect(plan.status == 0, "\(plan.stdout)")
    Snapshot.check(Self.stable(plan.stdout), "plan-seed-wildcard.txt")
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let again = await Harness.run(["plan", "--sandbox", "--detailed-exitcode", "policies/"], environment: environment)
    #expect(again.status == 0)
  }

  /// An expired token is found through `include_expired=true` and reported as expired, not as one nobody can see.
  @Test func anExpiredTokenIsReportedAsExpired() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let scenario = state.appendingPathComponent("expired.json")
    let reset = await Harness.run(["sandbox", "--reset"], environment: environment)
    #expect(reset.status == 0)
    var text = try String(contentsOfFile: state.path + "/sandbox/state.json", encoding: .utf8)
    text = text.replacingOccurrences(
      of: "\"id\" : \"4d841f1aa61bc019800506e138085f66\",",
      with: "\"id\" : \"4d841f1aa61bc019800506e138085f66\", \"expires_on\" : \"2026-06-01T00:00:00Z\",")
    try Data(text.utf8).write(to: scenario)
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", scenario.path, "policies/"], environment: environment)
    #expect(plan.status == 1)
    #expect(plan.stdout.contains("the token is expired"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("does not see"))
    Snapshot.check(Self.stable(plan.stdout), "plan-seed-expired.txt")
  }

  /// Zone grants in the nested form (every zone of an account): one the token holds that way is satisfied, the others
  /// are added in that form, and after the apply the plan has no changes.
  @Test func nestedZoneGrantsAreComparedAndWrittenInTheirOwnForm() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    #expect(await Harness.run(["sandbox", "--reset"], environment: environment).status == 0)
    var sandbox = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: state.appendingPathComponent("sandbox/state.json")))
        as? [String: Any])
    var tokens = try #require(sandbox["tokens"] as? [[String: Any]])
    var policies = try #require(tokens[0]["policies"] as? [[String: Any]])
    let dnsRead = "82e64a83756745bbbb1c9c2701bf816b"
    policies.append([
      "id": "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", "effect": "allow", "permission_groups": [dnsRead],
      "resources": [
        "com.cloudflare.api.account.b3304b14848de15c72c24a14b0cd187d": ["com.cloudflare.api.account.zone.*": "*"]
      ],
    ])
    tokens[0]["policies"] = policies
    sandbox["tokens"] = tokens
    let scenario = state.appendingPathComponent("nested.json")
    try JSONSerialization.data(withJSONObject: sandbox).write(to: scenario)
    let policy = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
      .replacingOccurrences(of: "tokens:\n", with: "zones:\n  site: 023e105f4ecef8ad9ca31a8372d0c353\n\ntokens:\n")
      .replacingOccurrences(
        of: "          - Account Analytics: read\n",
        with:
          "          - Account Analytics: read\n      - resource: all zones of account main\n        permissions:\n          - DNS: read\n          - Zone: read\n      - resource: zone site\n        permissions:\n          - DNS: read\n"
      )
    let path = state.appendingPathComponent("worker.yaml").path
    try Data(policy.utf8).write(to: URL(fileURLWithPath: path))
    let plan = await Harness.run(["plan", "--sandbox", "--scenario", scenario.path, path], environment: environment)
    #expect(plan.status == 0, "\(plan.stderr)")
    Snapshot.check(Self.stable(plan.stdout), "plan-seed-nested.txt")
    // Held through the nested form: not added again.
    #expect(!plan.stdout.contains(#"+ "DNS Read" on all zones of account main"#))
    #expect(plan.stdout.contains(#"+ "Zone Read" on all zones of account main"#))
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", path], environment: environment)
    #expect(apply.status == 0, "\(apply.stderr)")
    let again = await Harness.run(["plan", "--sandbox", "--detailed-exitcode", path], environment: environment)
    #expect(again.status == 0, "\(again.stdout)")
  }

  /// A token Cloudflare revoked is in no list and its secret is refused, but its healer reads it by id: it is
  /// reported as revoked, its grants blocked, and health says to replace it (not to re-enable or rotate it).
  @Test func aRevokedTokenIsReadThroughItsHealerAndReportedAsRevoked() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", "seed-revoked", "policies/"], environment: environment)
    #expect(plan.status == 1)
    Snapshot.check(Self.stable(plan.stdout), "plan-seed-revoked.txt")
    #expect(plan.stdout.contains("the token is revoked (exposed)"))
    let health = await Harness.run(["health", "--sandbox", "policies/"], environment: environment)
    #expect(health.status == 3)
    Snapshot.check(health.stdout, "health-seed-revoked.txt")
    #expect(health.stdout.contains("account_token was revoked by Cloudflare (revoked (exposed)): create a new token"))
    #expect(!health.stdout.contains("account_token was issued"))
  }

  @Test func theJSONPlanIsStable() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(["plan", "--sandbox", "--json", "policies/"], environment: environment)
    Snapshot.check(plan.stdout, "plan-seed.json")
    let object = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
    let summary = object?["summary"] as? [String: Any]
    #expect(summary?["add"] as? Int == 2)
    #expect((object?["digest"] as? String)?.hasPrefix("sha256:") == true)
  }

  @Test func progressOnlyOnATerminal() async throws {
    let (state, environment) = try Self.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let quiet = await Harness.run(["plan", "--sandbox", "policies/"], environment: environment)
    #expect(!quiet.stderr.contains("reading tokens"))
    let plan = await Harness.run(["plan", "--sandbox", "policies/"], environment: environment, terminal: true)
    #expect(plan.stderr.contains("reading tokens: "))
    #expect(plan.stderr.contains("requests left in the rate budget"))
    let apply = await Harness.run(
      ["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment, terminal: true)
    #expect(apply.stderr.contains("applying account_token: 1/1 tokens"))
  }
}

/// Rate limits and transport, as the command line meets them.
@Suite struct ConnectionCommandTests {
  @Test func serveRefusesChecksThatWouldSpendTheBudget() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let serve = await Harness.run(
      ["serve", "--sandbox", "--health-interval", "0", "policies/"],
      environment: [
        "TOKENWARDEN_STATE_DIR": state.path, "CLIENT_AUTH_TOKEN": "a-client-token-of-enough-length-0123456789",
      ])
    #expect(serve.status == 1)
    #expect(serve.stderr.contains("--health-interval 0 lets every GET /tokens/health start a check"))
  }

  @Test(arguments: [
    ("https://user:secret@api.example.com/client/v4", "holds a user name or password"),
    ("http://api.example.com/client/v4", "is plain http to another machine"),
    ("ftp://api.example.com", "invalid API base URL"),
  ])
  func unsafeBaseURLsAreRefusedBeforeAnyRequest(_ url: String, _ message: String) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "policies/"],
      environment: ["TOKENWARDEN_STATE_DIR": state.path, "CLOUDFLARE_API_BASE_URL": url, "CLOUDFLARE_USER_TOKEN": "x"])
    #expect(plan.status == 1)
    #expect(plan.stderr.contains(message), "\(plan.stderr)")
    #expect(!plan.stderr.contains("secret@"))
    #expect(!FileManager.default.fileExists(atPath: state.path + "/history.db"))
  }

  @Test func maxWaitMustBeANumber() async throws {
    let plan = await Harness.run(["plan", "--sandbox", "--max-wait", "soon", "policies/"], environment: [:])
    #expect(plan.status == 1)
    #expect(plan.stderr.contains("--max-wait takes a number of seconds (0 or more), not 'soon'"))
  }
}

/// The real cause first: no secret, no network, the wrong secret.
@Suite struct RealCauseTests {
  @Test(arguments: [["plan"], ["apply", "--auto-approve"], ["health"], ["probe"]])
  func withNoSecretEveryCommandNamesTheVariablesAndStops(_ command: [String]) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let run = await Harness.run(
      command + ["policies/"], environment: ["TOKENWARDEN_STATE_DIR": state.path, "CLOUDFLARE_USER_TOKEN": ""])
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix(
        "Error: no token of the policy has its secret: CLOUDFLARE_ACCOUNT_TOKEN (account_token), CLOUDFLARE_USER_TOKEN (user_token) are not set or empty"
      ), "\(run.stderr)")
    #expect(run.stdout.isEmpty)
  }

  @Test(arguments: [["plan"], ["apply", "--auto-approve"], ["health"], ["probe"]])
  func withCloudflareUnreachableEveryCommandSaysSoInsteadOfListingBlockedGrants(_ command: [String]) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    // Port 9 (discard) on loopback: nothing listens there on these machines.
    let run = await Harness.run(
      command + ["--max-wait", "0", "policies/"],
      environment: [
        "TOKENWARDEN_STATE_DIR": state.path, "CLOUDFLARE_API_BASE_URL": "http://127.0.0.1:9/client/v4",
        "CLOUDFLARE_USER_TOKEN": "u", "CLOUDFLARE_ACCOUNT_TOKEN": "a",
      ])
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("Error: Cloudflare could not be reached at http://127.0.0.1:9/client/v4: "), "\(run.stderr)")
    #expect(!run.stdout.contains("×"))
  }
}
