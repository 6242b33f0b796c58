import Foundation
import Rendering
import Testing

@Suite struct CommandLineTests {
  @Test func version() async {
    let result = await Harness.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout == "tokenwarden 0.1.0\n")
  }

  @Test(arguments: [["--help"], ["help"], ["validate", "--help"], ["fmt", "-h"], ["help", "fmt"]])
  func helpExitsZero(_ arguments: [String]) async {
    let result = await Harness.run(arguments)
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("Usage: tokenwarden"))
  }

  @Test func noCommandPrintsTheOverviewAndFails() async {
    let result = await Harness.run([])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Commands:"))
  }

  @Test func unknownCommandSuggestsTheClosest() async {
    let result = await Harness.run(["valdate", "policies"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("Error: unknown command 'valdate'; did you mean 'validate'?"))
  }

  @Test(arguments: [
    (["validate", "--formt", "json"], "Error: unknown option '--formt'; did you mean '--format'?"),
    (["validate", "--format", "xml"], "Error: '--format' takes one of text, json, github, not 'xml'"),
    (["validate", "--format"], "Error: '--format' needs a value (FORMAT)"),
    (["fmt", "--check=yes"], "Error: '--check' takes no value"),
    (["fmt", "-x"], "Error: unknown option '-x'"),
  ])
  func usageErrorsSayWhatAndShowTheUsage(_ arguments: [String], _ message: String) async {
    let result = await Harness.run(arguments)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix(message))
    #expect(result.stderr.contains("Usage: tokenwarden \(arguments[0])"))
  }
}

@Suite struct FmtCommandTests {
  static func messyCopy() throws -> (URL, String) {
    let directory = try Harness.temporaryDirectory()
    let text = try String(contentsOfFile: Snapshot.input("messy.yaml"), encoding: .utf8)
    try Data(text.utf8).write(to: directory.appendingPathComponent("messy.yaml"))
    return (directory, text)
  }

  @Test func rewritesTheFileAndNamesIt() async throws {
    let (directory, _) = try Self.messyCopy()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = await Harness.run(["fmt", "."], directory: directory.path)
    #expect(result.status == 0)
    #expect(result.stdout == "./messy.yaml\n")
    let formatted = try String(contentsOf: directory.appendingPathComponent("messy.yaml"), encoding: .utf8)
    Snapshot.check(formatted, "messy.formatted.yaml")
    let again = await Harness.run(["fmt", "--check", "."], directory: directory.path)
    #expect(again.status == 0)
    #expect(again.stdout.isEmpty)
  }

  @Test func checkReportsWithoutWritingAndExitsThree() async throws {
    let (directory, original) = try Self.messyCopy()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = await Harness.run(["fmt", "--check", "--diff", "messy.yaml"], directory: directory.path)
    #expect(result.status == 3)
    Snapshot.check(result.stdout, "messy.diff.txt")
    let after = try String(contentsOf: directory.appendingPathComponent("messy.yaml"), encoding: .utf8)
    #expect(after == original)
  }

  @Test func parseErrorsExitOne() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("a: [b\n".utf8).write(to: directory.appendingPathComponent("broken.yaml"))
    let result = await Harness.run(["fmt", "--check", "broken.yaml"], directory: directory.path)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("broken.yaml:1:4: error: '[' is not closed on its line"))
  }
}

@Suite struct AnnotationEscapingTests {
  @Test func dataAndPropertiesAreEscapedAsGitHubRequires() async {
    #expect(Rendering.DiagnosticRenderer.escapeData("50% done\r\nnext") == "50%25 done%0D%0Anext")
    #expect(Rendering.DiagnosticRenderer.escapeProperty("a:b,c") == "a%3Ab%2Cc")
  }
}

@Suite struct SandboxCommandTests {
  @Test func validateAgainstTheSandboxUsesTheLiveCatalog() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let result = await Harness.run(
      ["validate", "--sandbox", "policies/"], environment: ["TOKENWARDEN_STATE_DIR": state.path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stdout == """
        Permission names resolved against the live catalog of the sandbox (scenario seed): 311 permission groups, read with user_token (a753…eddf).
        Success! 1 policy file is valid: 2 tokens, 15 permissions.

        """)
    #expect(FileManager.default.fileExists(atPath: state.path + "/sandbox/state.json"))
  }

  @Test func resetChoosesTheScenarioAndBadScenariosSayWhatExists() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = ["TOKENWARDEN_STATE_DIR": state.path]
    let reset = await Harness.run(["sandbox", "--reset", "--scenario", "seed-invisible"], environment: environment)
    #expect(reset.status == 0)
    #expect(reset.stdout == "The sandbox was reset to scenario 'seed-invisible': 2 tokens.\n")
    let unknown = await Harness.run(["sandbox", "--reset", "--scenario", "nope"], environment: environment)
    #expect(unknown.status == 1)
    #expect(
      unknown.stderr.hasPrefix(
        "Error: unknown scenario 'nope': use 'seed', 'seed-invisible', 'seed-deny', 'seed-wildcard', 'seed-revoked', 'seed-observer', 'many'"
      ))
    try Data("{\"tokens\": [{\"id\": \"zz\"}]}".utf8).write(to: state.appendingPathComponent("bad.json"))
    let bad = await Harness.run(
      ["sandbox", "--reset", "--scenario", state.path + "/bad.json"], environment: environment)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("is not valid"))
    let faults = await Harness.run(["sandbox", "--reset", "--error-rate", "2"], environment: environment)
    #expect(faults.stderr.hasPrefix("Error: --error-rate takes a number from 0 to 1, not '2'"))
  }

  @Test func aScenarioFileDescribesAnAccount() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let scenario = """
      {"name": "mine", "accounts": [{"id": "b3304b14848de15c72c24a14b0cd187d", "name": "main"}],
       "users": [{"id": "5a0dbe11c0ffee00d15ea5edbeef0001", "email": "me@example.com",
                  "memberships": {"b3304b14848de15c72c24a14b0cd187d": "super_administrator"}}],
       "tokens": [{"id": "a753e62f6ffe44a7762befbce7a9eddf", "name": "user_token",
                   "owner": "user:5a0dbe11c0ffee00d15ea5edbeef0001", "secret": "cfut_mine", "env": "CLOUDFLARE_USER_TOKEN",
                   "policies": [{"effect": "allow", "permission_groups": ["API Tokens Write"],
                                 "resources": {"com.cloudflare.api.user.5a0dbe11c0ffee00d15ea5edbeef0001": "*"}}]}]}
      """
    try Data(scenario.utf8).write(to: state.appendingPathComponent("mine.json"))
    let result = await Harness.run(
      ["validate", "--sandbox", "--scenario", state.path + "/mine.json", "policies/"],
      environment: ["TOKENWARDEN_STATE_DIR": state.path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("live catalog of the sandbox (scenario mine)"))
  }
}

/// `serve` refuses to start without what it needs, before listening.
@Suite struct ServeCommandTests {
  @Test(arguments: [
    (["serve", "--sandbox", "policies/"], [String: String](), "set CLIENT_AUTH_TOKEN"),
    (
      ["serve", "--sandbox", "--allow-unauthenticated", "--listen", "0.0.0.0:8787", "policies/"], [:],
      "works only on a loopback address"
    ),
    (
      ["serve", "--sandbox", "--schedule", "0 */6 * *", "policies/"],
      ["CLIENT_AUTH_TOKEN": "0123456789abcdef0123456789abcdef"], "invalid cron expression '0 */6 * *': 4 fields"
    ),
    (
      ["serve", "--sandbox", "--listen", "8787", "policies/"],
      ["CLIENT_AUTH_TOKEN": "0123456789abcdef0123456789abcdef"], "--listen takes HOST:PORT"
    ),
    (
      ["serve", "--sandbox", "--notify-webhook", "ftp://x", "policies/"],
      ["CLIENT_AUTH_TOKEN": "0123456789abcdef0123456789abcdef"], "--notify-webhook takes an http(s) URL"
    ),
  ])
  func refusesClearly(_ arguments: [String], _ environment: [String: String], _ message: String) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    var env = environment
    env["TOKENWARDEN_STATE_DIR"] = state.path
    let result = await Harness.run(arguments, environment: env)
    #expect(result.status == 1)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }
}

/// Rough edges a new user meets first.
@Suite struct FirstContactTests {
  @Test func helpForACommandThatDoesNotExistFails() async {
    let help = await Harness.run(["help", "plna"], environment: [:])
    #expect(help.status == 1)
    #expect(help.stderr.hasPrefix("Error: no command 'plna'; did you mean 'tokenwarden help plan'?"))
    #expect(await Harness.run(["help", "plan"], environment: [:]).status == 0)
  }

  @Test func aMistypedTargetGetsADidYouMean() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "--sandbox", "--target", "acount-token", "policies/"], environment: ["TOKENWARDEN_STATE_DIR": state.path]
    )
    #expect(plan.status == 1)
    #expect(
      plan.stderr.contains("--target names no token of the policy: 'acount-token' (did you mean 'account_token'?)"))
  }

  @Test(arguments: ["short", String(repeating: "ab", count: 20)])
  func aWeakClientTokenIsRefusedWithHowToMakeOne(_ token: String) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let serve = await Harness.run(
      ["serve", "--sandbox", "policies/"],
      environment: ["TOKENWARDEN_STATE_DIR": state.path, "CLIENT_AUTH_TOKEN": token])
    #expect(serve.status == 1)
    #expect(serve.stderr.contains("CLIENT_AUTH_TOKEN is too weak"))
    #expect(serve.stderr.contains("openssl rand -hex 32"))
  }

  @Test func oneProbeResultIsSaidInTheSingular() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let probe = await Harness.run(
      ["probe", "--sandbox", "--area", "verify", "policies/", "user_token"],
      environment: ["TOKENWARDEN_STATE_DIR": state.path])
    #expect(probe.stdout.contains("The result is as expected."), "\(probe.stdout)\(probe.stderr)")
  }
}

/// Every JSON document the command line prints carries its shape's version at the top, for the scripts that read it.
@Suite struct JSONDocumentTests {
  @Test func everyJSONDocumentHasATopLevelFormatVersion() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = ["TOKENWARDEN_STATE_DIR": state.path]
    let planPath = state.appendingPathComponent("plan.json").path
    _ = await Harness.run(["plan", "--sandbox", "--out", planPath, "policies/"], environment: environment)
    let commands: [[String]] = [
      ["plan", "--sandbox", "--json", "policies/"], ["show", "--json", planPath], ["validate", "--json", "policies/"],
      ["health", "--sandbox", "--json", "policies/"], ["status", "--sandbox", "--json", "policies/"],
      ["heal", "--sandbox", "--json", "policies/"], ["history", "--json"], ["history", "--applies", "--json"],
      ["probe", "--sandbox", "--json", "policies/"],
    ]
    for command in commands {
      let run = await Harness.run(command, environment: environment)
      let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
      #expect(object?["format_version"] is String, "\(command.joined(separator: " ")): \(run.stdout.prefix(200))")
    }
  }
}

/// Advice runs as printed: the command health recommends, run word for word, does what it says.
@Suite struct AdviceTests {
  @Test func theHealCommandHealthRecommendsRunsAsPrinted() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = ["TOKENWARDEN_STATE_DIR": state.path]
    let health = await Harness.run(["health", "--sandbox", "policies/"], environment: environment)
    let line = try #require(health.stdout.split(separator: "\n").first { $0.contains("run 'tokenwarden heal") })
    let command = try #require(line.split(separator: "'").first { $0.hasPrefix("tokenwarden heal") })
    #expect(command == "tokenwarden heal --sandbox policies/")
    let heal = await Harness.run(command.split(separator: " ").dropFirst().map(String.init), environment: environment)
    #expect(heal.status == 0, "\(heal.stdout)\(heal.stderr)")
  }
}
