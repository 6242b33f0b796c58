import Foundation
import Testing

/// Every message that counts something is right with 0, 1 and 2 of it: the commands run on the sandbox with 0, 1 and 2
/// missing permissions, tokens and policy errors, and nothing they print says "1 permissions" or "2 permission".
@Suite struct PluralTests {
  static let nouns = [
    "token", "permission", "result", "call", "grant", "file", "error", "warning", "day", "change", "account", "request",
    "field", "second", "minute", "hour", "run", "check", "entry", "zone", "template", "addition", "area", "line",
  ]

  /// The phrases in `text` whose number and noun disagree.
  static func disagreements(_ text: String) -> [String] {
    let alternatives = nouns.joined(separator: "|")
    var found: [String] = []
    for pattern in [
      #"(?<![\w.,-])1 (\#(alternatives))s\b"#, #"(?<![\w.,-])(0|[2-9]|[1-9][0-9]+) (\#(alternatives))(?![\w])"#,
      // "missing 1 permission (D1 Write): run heal to add them"
      #"(?<![\w.,-])1 (\#(alternatives))\b[^\n]*?\bthem\b"#,
    ] {
      let expression = try! NSRegularExpression(pattern: pattern)
      for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        if let range = Range(match.range, in: text) { found.append(String(text[range])) }
      }
    }
    return found
  }

  @Test func theCheckCanFail() {
    #expect(
      Self.disagreements("added 1 permissions, 2 token missing, 0 error") == ["1 permissions", "2 token", "0 error"])
    #expect(Self.disagreements("missing 1 permission (D1): add them") == ["1 permission (D1): add them"])
    #expect(Self.disagreements("1 permission, 2 tokens, 0 errors, D1 Write, 2026-11-22, 1.5 days").isEmpty)
  }

  /// The shipped policy without `remove` of its lines.
  static func policy(without remove: [String], in state: URL, named name: String) throws -> String {
    var text = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
    for line in remove { text = text.replacingOccurrences(of: line + "\n", with: "") }
    let path = state.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test(arguments: [0, 1, 2]) func missingPermissions(_ count: Int) async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    // The sandbox's account token lacks these two; the policy asks for `count` of them.
    let missing = ["          - Workers Scripts: edit", "          - D1: edit"]
    let path = try Self.policy(without: Array(missing.prefix(2 - count)), in: state, named: "worker.yaml")
    var printed = ""
    for command in [
      ["plan", "--sandbox", path], ["plan", "--sandbox", "--format", "markdown", path], ["health", "--sandbox", path],
      ["status", "--sandbox", path], ["heal", "--sandbox", path], ["history"], ["history", "--applies"],
      ["probe", "--sandbox", path],
    ] {
      let result = await Harness.run(command, environment: environment)
      printed += result.stdout + result.stderr
    }
    #expect(Self.disagreements(printed).isEmpty, "\(Self.disagreements(printed))")
  }

  @Test func sandboxOfOneToken() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let reset = await Harness.run(["sandbox", "--reset", "--scenario", "many:0"], environment: environment)
    #expect(reset.stdout.contains("1 token."))
    #expect(Self.disagreements(reset.stdout).isEmpty, "\(reset.stdout)")
  }

  @Test func oneToken() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    var text = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
    text =
      String(text[..<text.range(of: "  account_token:")!.lowerBound])
      + text[text.range(of: "  user_token:")!.lowerBound...]
    let path = state.appendingPathComponent("one.yaml").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    var printed = ""
    for command in [["plan", "--sandbox", path], ["health", "--sandbox", path], ["probe", "--sandbox", path]] {
      let result = await Harness.run(command, environment: environment)
      printed += result.stdout + result.stderr
    }
    #expect(printed.contains("1 token"))
    #expect(Self.disagreements(printed).isEmpty, "\(Self.disagreements(printed))")
  }

  @Test(arguments: [1, 2]) func policyErrors(_ count: Int) async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let wrong = ["          - D1: edit", "          - Queues: edit"]
    var text = try String(contentsOfFile: Harness.repositoryRoot.path + "/policies/worker.yaml", encoding: .utf8)
    for line in wrong.prefix(count) { text = text.replacingOccurrences(of: line, with: line + "x") }
    try Data(text.utf8).write(to: state.appendingPathComponent("a.yaml"))
    var printed = ""
    for files in [["a.yaml"], ["a.yaml", "b.yaml"]] {
      if files.count == 2 { try Data(text.utf8).write(to: state.appendingPathComponent("b.yaml")) }
      for format in ["text", "json", "github"] {
        let result = await Harness.run(
          ["validate", "--format", format] + files, environment: environment, directory: state.path)
        printed += result.stdout + result.stderr
      }
    }
    #expect(printed.contains("\(count) error"))
    #expect(Self.disagreements(printed).isEmpty, "\(Self.disagreements(printed))")
  }
}
