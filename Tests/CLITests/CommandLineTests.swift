import Foundation
import Rendering
import Testing

@Suite struct CommandLineTests {
  @Test func version() {
    let result = Harness.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout == "tokenwarden 0.1.0\n")
  }

  @Test(arguments: [["--help"], ["help"], ["validate", "--help"], ["fmt", "-h"], ["help", "fmt"]])
  func helpExitsZero(_ arguments: [String]) {
    let result = Harness.run(arguments)
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("Usage: tokenwarden"))
  }

  @Test func noCommandPrintsTheOverviewAndFails() {
    let result = Harness.run([])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Commands:"))
  }

  @Test func unknownCommandSuggestsTheClosest() {
    let result = Harness.run(["valdate", "policies"])
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
  func usageErrorsSayWhatAndShowTheUsage(_ arguments: [String], _ message: String) {
    let result = Harness.run(arguments)
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

  @Test func rewritesTheFileAndNamesIt() throws {
    let (directory, _) = try Self.messyCopy()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = Harness.run(["fmt", "."], directory: directory.path)
    #expect(result.status == 0)
    #expect(result.stdout == "./messy.yaml\n")
    let formatted = try String(contentsOf: directory.appendingPathComponent("messy.yaml"), encoding: .utf8)
    Snapshot.check(formatted, "messy.formatted.yaml")
    let again = Harness.run(["fmt", "--check", "."], directory: directory.path)
    #expect(again.status == 0)
    #expect(again.stdout.isEmpty)
  }

  @Test func checkReportsWithoutWritingAndExitsThree() throws {
    let (directory, original) = try Self.messyCopy()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = Harness.run(["fmt", "--check", "--diff", "messy.yaml"], directory: directory.path)
    #expect(result.status == 3)
    Snapshot.check(result.stdout, "messy.diff.txt")
    let after = try String(contentsOf: directory.appendingPathComponent("messy.yaml"), encoding: .utf8)
    #expect(after == original)
  }

  @Test func parseErrorsExitOne() throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("a: [b\n".utf8).write(to: directory.appendingPathComponent("broken.yaml"))
    let result = Harness.run(["fmt", "--check", "broken.yaml"], directory: directory.path)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("broken.yaml:1:4: error: '[' is not closed on its line"))
  }
}

@Suite struct AnnotationEscapingTests {
  @Test func dataAndPropertiesAreEscapedAsGitHubRequires() {
    #expect(Rendering.DiagnosticRenderer.escapeData("50% done\r\nnext") == "50%25 done%0D%0Anext")
    #expect(Rendering.DiagnosticRenderer.escapeProperty("a:b,c") == "a%3Ab%2Cc")
  }
}
