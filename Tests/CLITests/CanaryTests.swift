import Foundation
import Testing

/// A token pasted into a policy by mistake is never printed again, by any command in any format.
@Suite struct CanaryTests {
  /// Each canary holds "CANARY"; none of it may appear in any output.
  static let policy = """
    version: 1
    accounts:
      main: b3304b14848de15c72c24a14b0cd187d
    tokens:
      plain:
          id: 4d841f1aa61bc019800506e138085f66
          owner: account main
          secret: cfut_CANARYplain0123456789abcdefghijklmnopqrstu
          grants:
            - resource: account main
              permissions: [Workers Scripts Write, cfut_CANARYpermission0123456789abcdefghijk]
      bearer:
          id: a753e62f6ffe44a7762befbce7a9eddf
          owner: user
          secret: "Bearer cfut_CANARYbearer0123456789abcdefghijklmnop"
      odd:
          id: 0123456789abcdef0123456789abcdef
          owner: user
          secret: CANARYodd33charsXXXXXXXXXXXXXXXXX
      flow: {id: 1123456789abcdef0123456789abcdef, owner: user, secret: 'CANARYflowQ3zK8dP1xY7mN2bV5cL9wR4tH6jF0gS8aE2'}

    """

  static let commands: [[String]] = [
    ["validate"], ["validate", "--json"], ["validate", "--format", "github"], ["validate", "--online", "--sandbox"],
    ["fmt", "--check"], ["fmt", "--diff"], ["fmt", "--check", "--diff"],
    ["plan", "--sandbox"], ["plan", "--sandbox", "--json"], ["plan", "--sandbox", "--format", "markdown"],
    ["plan", "--sandbox", "--format", "github"], ["apply", "--sandbox", "--auto-approve"], ["health", "--sandbox"],
    ["health", "--sandbox", "--json"], ["status", "--sandbox"], ["heal", "--sandbox"], ["probe", "--sandbox"],
  ]

  @Test(arguments: commands)
  func noCommandPrintsAPastedToken(_ command: [String]) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let path = state.appendingPathComponent("pasted.yaml").path
    try Data(Self.policy.utf8).write(to: URL(fileURLWithPath: path))
    let run = await Harness.run(
      command + [path], environment: ["TOKENWARDEN_STATE_DIR": state.path, "GITHUB_ACTIONS": "true"])
    // fmt only lays the file out; every other command refuses a policy with token values in it.
    let formatting = command.first == "fmt"
    if !formatting { #expect(run.status != 0, "\(command) accepted a policy with token values in it") }
    #expect(!run.stdout.contains("CANARY"), "\(command) printed a pasted token on stdout:\n\(run.stdout)")
    #expect(!run.stderr.contains("CANARY"), "\(command) printed a pasted token on stderr:\n\(run.stderr)")
    // The user is told what happened, with the mask standing in for the value.
    if !formatting || command.contains("--diff") {
      #expect((run.stdout + run.stderr).contains("cfut_…("), "\(command): \(run.stdout)\(run.stderr)")
    }
  }

  @Test func aSecretWithALineBreakIsRefusedNamingTheVariableNeverTheValue() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "policies/"],
      environment: [
        "TOKENWARDEN_STATE_DIR": state.path, "CLOUDFLARE_API_BASE_URL": "http://127.0.0.1:9/client/v4",
        "CLOUDFLARE_USER_TOKEN": "cfut_CANARYlinebreak0123456789abcdefghijklm\n",
        "CLOUDFLARE_ACCOUNT_TOKEN": "cfat_fine",
      ])
    #expect(plan.status == 1)
    #expect(
      plan.stderr.contains(
        "Error: CLOUDFLARE_USER_TOKEN contains a line break at byte 44: copy user_token's value again without it"),
      "\(plan.stderr)")
    #expect(!plan.stderr.contains("CANARY"))
    // Refused before any request: not "could not be reached".
    #expect(!plan.stderr.contains("could not be reached"))
  }
}
