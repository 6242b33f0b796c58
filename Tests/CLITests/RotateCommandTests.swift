import Foundation
import Testing

/// `rotate` in the sandbox, as the seed's deployment would use it: the account token replaced, its secret in a file
/// and in the Worker's secrets, the policy rewritten, and a plan of it says there is nothing to do.
@Suite struct RotateCommandTests {
  static func workspace() throws -> (URL, [String: String]) {
    let directory = try Harness.temporaryDirectory()
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("policies"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: Harness.repositoryRoot.appendingPathComponent("policies/worker.yaml"),
      to: directory.appendingPathComponent("policies/worker.yaml"))
    return (directory, ["TOKENWARDEN_STATE_DIR": directory.appendingPathComponent("state").path])
  }

  @Test func replaceIntoAFileAndTheWorkersSecretThenPlanSaysNoChanges() async throws {
    let (directory, environment) = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = { (arguments: [String]) in
      await Harness.run(arguments, environment: environment, directory: directory.path)
    }
    // The seed's account token may write Workers secrets once healed.
    #expect(await run(["apply", "--sandbox", "--auto-approve", "policies/"]).status == 0)
    let rotate = await run([
      "rotate", "--sandbox", "--strategy", "replace", "--sink", "file:./secret", "--sink",
      "workers-secret:main/my-worker/CLOUDFLARE_ACCOUNT_TOKEN", "--write-policy", "account_token",
    ])
    #expect(rotate.status == 0, "\(rotate.stdout)\(rotate.stderr)")
    #expect(rotate.stdout.contains("account_token: replaced by "))
    #expect(rotate.stdout.contains("the old token 4d841f1aa61bc019800506e138085f66 expires "))
    #expect(rotate.stdout.contains("account_token: wrote id: "))
    // Never a secret, anywhere.
    for text in [rotate.stdout, rotate.stderr] { #expect(!text.contains("cfat_") && !text.contains("cfut_")) }
    let secret = directory.appendingPathComponent("secret").path
    let mode = try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let policy = try String(contentsOf: directory.appendingPathComponent("policies/worker.yaml"), encoding: .utf8)
    #expect(!policy.contains("id: 4d841f1aa61bc019800506e138085f66"))
    let plan = await run(["plan", "--sandbox", "policies/"])
    #expect(plan.stdout.contains("No changes."), "\(plan.stdout)\(plan.stderr)")
    let journal = await run(["history", "--rotations", "--json"])
    let document = try #require(try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [String: Any])
    let rotations = try #require(document["rotations"] as? [[String: Any]])
    #expect(rotations.first?["old_id"] as? String == "4d841f1aa61bc019800506e138085f66")
    #expect(rotations.first?["state"] as? String == "done")
    #expect((rotations.first?["new_id"] as? String).map { policy.contains("id: \($0)") } == true)
    // The journal records both ids, and no secret.
    let history = try Data(contentsOf: directory.appendingPathComponent("state/history.db"))
    #expect(String(decoding: history, as: UTF8.self).contains("4d841f1aa61bc019800506e138085f66"))
    #expect(!String(decoding: history, as: UTF8.self).contains("cfat_"))
  }

  @Test func badSinksAndUnknownTokensAreRefusedBeforeAnything() async throws {
    let (directory, environment) = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = await Harness.run(
      ["rotate", "--sandbox", "--sink", "s3:bucket", "account_token"], environment: environment,
      directory: directory.path)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("--sink takes workers-secret:ACCOUNT/SCRIPT/NAME"))
    let unknown = await Harness.run(
      ["rotate", "--sandbox", "acount_token"], environment: environment, directory: directory.path)
    #expect(unknown.stderr.contains("did you mean 'account_token'?"))
  }

  /// A file sink through a symbolic link, or in a directory others may write, is refused; the old token keeps
  /// working and the failure says how to finish or undo.
  @Test func aSymbolicLinkIsNotFollowed() async throws {
    let (directory, environment) = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createSymbolicLink(
      atPath: directory.appendingPathComponent("link").path, withDestinationPath: "/tmp/elsewhere")
    let rotate = await Harness.run(
      ["rotate", "--sandbox", "--sink", "file:link", "account_token"], environment: environment,
      directory: directory.path)
    #expect(rotate.status == 1)
    #expect(rotate.stderr.contains("link is a symbolic link"), "\(rotate.stderr)")
    #expect(rotate.stderr.contains("to undo: tokenwarden rotate --abandon account_token"), "\(rotate.stderr)")
    let abandon = await Harness.run(
      ["rotate", "--sandbox", "--abandon", "account_token"], environment: environment, directory: directory.path)
    #expect(abandon.status == 0, "\(abandon.stderr)")
    #expect(abandon.stdout.contains("expired"), "\(abandon.stdout)")
  }
}

/// Rotations due are their own lines in a plan, and change neither what it adds nor its exit status.
@Suite struct RotationDueTests {
  @Test func aPlanShowsRotationsDueWithoutChangingItsExitStatus() async throws {
    let (directory, environment) = try RotateCommandTests.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let before = await Harness.run(
      ["plan", "--sandbox", "--detailed-exitcode", "policies/"], environment: environment, directory: directory.path)
    let file = directory.appendingPathComponent("policies/worker.yaml")
    let policy = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
      of: "    healer: user_token\n",
      with: "    healer: user_token\n    rotation:\n      every: 90d\n      sinks: [\"file:./secret\"]\n")
    try Data(policy.utf8).write(to: file)
    let after = await Harness.run(
      ["plan", "--sandbox", "--detailed-exitcode", "policies/"], environment: environment, directory: directory.path)
    #expect(after.status == before.status)
    #expect(
      after.stdout.contains(
        "↻ rotate account_token: issued 205 days ago, every 90d\n"), "\(after.stdout)")
    let json = await Harness.run(
      ["plan", "--sandbox", "--json", "policies/"], environment: environment, directory: directory.path)
    #expect(json.stdout.contains("\"rotations_due\""))
    let health = await Harness.run(
      ["health", "--sandbox", "--no-color", "policies/"], environment: environment, directory: directory.path)
    #expect(
      health.stdout.contains(
        "account_token was issued 205 days ago, and rotates every 90d: run 'tokenwarden rotate --sandbox --policy policies/ account_token'"
      ), "\(health.stdout)")
  }
}

/// Every rotation path keeps secrets out of output and the history: a roll, a failing command sink, an abandon.
@Suite struct RotationCanaryTests {
  @Test func noRotationPathPrintsOrStoresASecret() async throws {
    let (directory, environment) = try RotateCommandTests.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let runs: [[String]] = [
      ["rotate", "--sandbox", "--strategy", "roll", "--sink", "env-file:.env:ACCOUNT_TOKEN", "account_token"],
      ["rotate", "--sandbox", "--sink", "command:false", "account_token"],
      ["rotate", "--sandbox", "--abandon", "account_token"],
      ["rotate", "--sandbox", "--sink", "command:cat", "account_token"],
      ["history", "--rotations", "--json"],
    ]
    var outputs = ""
    for arguments in runs {
      let result = await Harness.run(arguments, environment: environment, directory: directory.path)
      outputs += result.stdout + result.stderr
    }
    #expect(outputs.contains("rolling account_token: its old secret stops working now"))
    #expect(outputs.contains("command:false: false exited with status 1"))
    #expect(!outputs.contains("cfat_") && !outputs.contains("cfut_"), "\(outputs)")
    let history = try Data(contentsOf: directory.appendingPathComponent("state/history.db"))
    #expect(!String(decoding: history, as: UTF8.self).contains("cfat_"))
    // The dotenv sink holds the rolled value, readable by its owner only.
    let dotenv = try String(contentsOf: directory.appendingPathComponent(".env"), encoding: .utf8)
    #expect(dotenv.hasPrefix("ACCOUNT_TOKEN=cfat_"))
    let mode =
      try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(".env").path)[
        .posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}

@Suite struct RotationWithoutSinksTests {
  @Test func aTokenWithNoSinkIsNotRotated() async throws {
    let (directory, environment) = try RotateCommandTests.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let rotate = await Harness.run(
      ["rotate", "--sandbox", "account_token"], environment: environment, directory: directory.path)
    #expect(rotate.status == 1)
    #expect(rotate.stderr.contains("Error: account_token has no sink, so it was not rotated"), "\(rotate.stderr)")
    let plan = await Harness.run(
      ["plan", "--sandbox", "policies/"], environment: environment, directory: directory.path)
    #expect(plan.stdout.contains("token \"account_token\" (4d84…5f66)"), "nothing was created or expired")
  }
}
