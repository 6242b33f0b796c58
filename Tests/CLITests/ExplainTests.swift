import Foundation
import Testing

/// `explain`: the line that requires each permission, the templates it came through, its commit, and the live state.
@Suite struct ExplainTests {
  @Test func theSeedsAccountTokenPermissionByPermission() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let result = await Harness.run(["explain", "--sandbox", "--no-git", "account_token"], environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    Snapshot.check(result.stdout, "explain-seed.txt")
  }

  @Test func aDenyIsNamedAsTheBlockAndKept() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let result = await Harness.run(
      [
        "explain", "--sandbox", "--scenario", "seed-deny", "--no-git", "--json", "account_token",
        "Workers Scripts: edit",
      ],
      environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(document["format_version"] as? String == "1.0")
    let required = try #require(document["required"] as? [[String: Any]])
    #expect(required.count == 1)
    #expect(required.first?["state"] as? String == "blocked")
    #expect(required.first?["block_kind"] as? String == "denied_by_policy")
    let origins = try #require(required.first?["origins"] as? [[String: Any]])
    #expect(origins.first?["location"] as? String == "policies/worker.yaml:22:13")
    let extra = try #require(document["extra"] as? [[String: String]])
    #expect(extra.contains { $0["effect"] == "deny" && $0["permission"] == "Workers Scripts Write" })
  }

  /// A permission that comes through templates names each include, outermost first; offline needs no secret.
  @Test func templatesAreTheIncludeChain() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let policy = """
      version: 1
      accounts:
        main: b3304b14848de15c72c24a14b0cd187d
      templates:
        data:
          - D1: edit
        deploy:
          - Workers Scripts: edit
          - include: data
      tokens:
        deployer:
          id: 4d841f1aa61bc019800506e138085f66
          owner: account main
          secret: $DEPLOY_TOKEN
          grants:
            - resource: account main
              permissions:
                - include: deploy

      """
    try Data(policy.utf8).write(to: directory.appendingPathComponent("policy.yaml"))
    let result = await Harness.run(
      ["explain", "--offline", "--no-git", "--policy", "policy.yaml", "deployer", "d1 write"],
      directory: directory.path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        """
          ? D1 Write on account main: not known: the live token was not read (--offline)
              required at policy.yaml:6:7 ('D1: edit')
                through template deploy, included at policy.yaml:18:22
                through template data, included at policy.yaml:9:16
        """), "\(result.stdout)")
    #expect(!result.stdout.contains("Workers Scripts"))
  }

  /// With git tracking the file, each line's last commit: author, date, summary.
  @Test func theCommitThatLastChangedTheLine() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let policy = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("policies/worker.yaml"), encoding: .utf8)
    try Data(policy.utf8).write(to: directory.appendingPathComponent("worker.yaml"))
    let environment = [
      "GIT_AUTHOR_NAME": "Ada Reviewer", "GIT_AUTHOR_EMAIL": "ada@example.com", "GIT_COMMITTER_NAME": "Ada Reviewer",
      "GIT_COMMITTER_EMAIL": "ada@example.com", "GIT_AUTHOR_DATE": "2026-10-01T12:00:00Z",
      "GIT_COMMITTER_DATE": "2026-10-01T12:00:00Z", "HOME": directory.path, "PATH": "/usr/bin:/bin",
    ]
    for arguments in [["init", "-q"], ["add", "worker.yaml"], ["commit", "-q", "-m", "Give the worker D1"]] {
      let git = Process()
      git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      git.arguments = ["git", "-C", directory.path] + arguments
      git.environment = environment
      try git.run()
      git.waitUntilExit()
      try #require(git.terminationStatus == 0, "git \(arguments) failed; is git installed?")
    }
    let result = await Harness.run(
      ["explain", "--offline", "--policy", "worker.yaml", "account_token", "D1: edit"], directory: directory.path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("by Ada Reviewer, 2026-10-01: Give the worker D1"), "\(result.stdout)")
    // Not tracked by git: the same, without commits.
    let plain = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: plain) }
    try Data(policy.utf8).write(to: plain.appendingPathComponent("worker.yaml"))
    let untracked = await Harness.run(
      ["explain", "--offline", "--policy", "worker.yaml", "account_token", "D1: edit"], directory: plain.path)
    #expect(untracked.status == 0, "\(untracked.stderr)")
    #expect(untracked.stdout.contains("required at worker.yaml:24:13 ('D1: edit')"), "\(untracked.stdout)")
    #expect(!untracked.stdout.contains("last changed"))
  }

  @Test func unknownTokensAndPermissionsAreNamed() async throws {
    let unknownToken = await Harness.run(["explain", "--offline", "acount_token"])
    #expect(unknownToken.status == 1)
    #expect(unknownToken.stderr.contains("(did you mean 'account_token'?)"))
    let unknownPermission = await Harness.run(["explain", "--offline", "account_token", "DNS: edit"])
    #expect(unknownPermission.status == 1)
    #expect(unknownPermission.stderr.contains("account_token is neither required nor holds 'DNS: edit'"))
  }
}
