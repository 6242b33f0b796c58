import Foundation
import TestSupport
import Testing

@Suite struct ValidateCommandTests {
  static var examples: [String] {
    let directory = Harness.repositoryRoot.appendingPathComponent("examples")
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
      .filter { $0.hasSuffix(".yaml") }.sorted()
  }

  /// Each example's `validate` output is kept beside it, in `examples/expected/`.
  @Test(arguments: examples)
  func exampleMatchesItsExpectedOutput(_ name: String) async throws {
    let result = await Harness.run(["validate", "--no-color", "examples/" + name])
    #expect(result.status == 0)
    let expectedURL = Harness.repositoryRoot.appendingPathComponent(
      "examples/expected/" + name.replacingOccurrences(of: ".yaml", with: ".validate.txt"))
    Golden.check(result.stdout, against: expectedURL)
  }

  @Test func examplesExist() async { #expect(Self.examples.count >= 3) }

  @Test func policiesAndExamplesAreValidAndFormatted() async {
    let validate = await Harness.run(["validate", "policies/", "examples/"])
    #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    #expect(validate.stdout.contains("Success! 5 policy files are valid"))
    let fmt = await Harness.run(["fmt", "--check", "policies/", "examples/"])
    #expect(fmt.status == 0, "\(fmt.stdout)\(fmt.stderr)")
    #expect(fmt.stdout.isEmpty)
  }

  @Test func withoutPathsThePoliciesDirectoryIsRead() async {
    let result = await Harness.run(["validate"])
    #expect(result.status == 0)
    #expect(result.stdout == "Success! 1 policy file is valid: 2 tokens, 15 permissions.\n")
  }

  @Test func errorsAsText() async {
    let result = await Harness.run(["validate", Snapshot.input("bad.yaml")], directory: "/")
    #expect(result.status == 1)
    Snapshot.check(
      result.stdout.replacingOccurrences(of: Snapshot.directory.path, with: "SNAPSHOTS"), "bad.validate.txt")
  }

  @Test func errorsAsJSON() async throws {
    let result = await Harness.run(["validate", "--json", "Tests/CLITests/Snapshots/bad.yaml"])
    #expect(result.status == 1)
    Snapshot.check(result.stdout, "bad.validate.json")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["format_version"] as? String == "1.0")
    #expect(object?["valid"] as? Bool == false)
    #expect(object?["error_count"] as? Int == 7)
    #expect(object?["warning_count"] as? Int == 1)
  }

  @Test func errorsAsGitHubAnnotations() async {
    let result = await Harness.run(["validate", "--format", "github", "Tests/CLITests/Snapshots/bad.yaml"])
    #expect(result.status == 1)
    Snapshot.check(result.stdout, "bad.validate.github.txt")
  }

  @Test func gitHubActionsSelectsAnnotationsByItself() async {
    let result = await Harness.run(
      ["validate", "Tests/CLITests/Snapshots/bad.yaml"], environment: ["GITHUB_ACTIONS": "true"])
    #expect(result.stdout.hasPrefix("::error file=Tests/CLITests/Snapshots/bad.yaml,line=10,col=13"))
  }

  @Test func atMostTenAnnotationsOfEachSeverity() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = (0..<12).map { "k\($0): yes" }.joined(separator: "\n")
    try Data(text.utf8).write(to: directory.appendingPathComponent("many.yaml"))
    let result = await Harness.run(["validate", "--format", "github", "many.yaml"], directory: directory.path)
    let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error") }
    #expect(annotations.count == 10)
    #expect(result.stdout.contains("many.yaml:12:6: error: ambiguous value 'yes'"))
  }

  @Test func colourOnlyOnATerminalAndNeverWithNoColor() async {
    let path = "Tests/CLITests/Snapshots/bad.yaml"
    let terminal = await Harness.run(["validate", path], terminal: true).stdout
    let pipe = await Harness.run(["validate", path], terminal: false).stdout
    let noColor = await Harness.run(["validate", path], environment: ["NO_COLOR": "1"], terminal: true).stdout
    let flag = await Harness.run(["validate", "--no-color", path], terminal: true).stdout
    #expect(terminal.contains("\u{1B}["))
    #expect(!pipe.contains("\u{1B}["))
    #expect(!noColor.contains("\u{1B}["))
    #expect(!flag.contains("\u{1B}["))
  }

  @Test func missingAndUnreadablePaths() async throws {
    let missing = await Harness.run(["validate", "no/such/place.yaml"])
    #expect(missing.status == 1)
    #expect(missing.stderr == "Error: no/such/place.yaml: no such file or directory\n")
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A directory named like a policy file, inside the directory being read: listed, but not readable as a file.
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("policies/trap.yaml"), withIntermediateDirectories: true)
    let unreadable = await Harness.run(["validate", "policies"], directory: directory.path)
    #expect(unreadable.status == 1)
    #expect(unreadable.stdout.hasPrefix("policies/trap.yaml: error: cannot read the file"))
  }
}

@Suite struct ReadmeTests {
  /// The README's complete example is a valid policy, and already formatted.
  @Test func theReadmeExampleIsValidAndFormatted() async throws {
    let readme = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let start = try #require(readme.range(of: "```yaml\n"))
    let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
    let example = String(readme[start.upperBound..<end.lowerBound])
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(example.utf8).write(to: directory.appendingPathComponent("example.yaml"))
    let validate = await Harness.run(["validate", "example.yaml"], directory: directory.path)
    #expect(validate.status == 0, "\(validate.stdout)")
    #expect(validate.stdout == "Success! 1 policy file is valid: 2 tokens, 8 permissions.\n")
    let fmt = await Harness.run(["fmt", "--check", "--diff", "example.yaml"], directory: directory.path)
    #expect(fmt.status == 0, "\(fmt.stdout)")
  }
}

/// Every command line in the README's and docs' code blocks parses with the command's own options: it runs as
/// written (checked with `--help` added, which parses everything and runs nothing).
@Suite struct DocumentedCommandTests {
  static func commandLines(in text: String) -> [[String]] {
    var lines: [[String]] = []
    var inBlock = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
        inBlock.toggle()
        continue
      }
      guard inBlock else { continue }
      let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
      for segment in code.components(separatedBy: CharacterSet(charactersIn: "|;&")) {
        var words = segment.split(separator: " ").map(String.init)
        while let first = words.first, first.contains("="), !first.hasPrefix("-") { words.removeFirst() }
        if words.starts(with: ["swift", "run", "tokenwarden"]) { words.removeFirst(2) }
        guard words.first == "tokenwarden", words.count > 1 else { continue }
        lines.append(Array(words.dropFirst()).filter { !$0.hasPrefix(">") })
      }
    }
    return lines
  }

  static var documents: [String] {
    let docs = Harness.repositoryRoot.appendingPathComponent("docs")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
    return ["README.md"] + names.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
  }

  @Test(arguments: documents)
  func everyCommandLineParses(_ document: String) async throws {
    let text = try String(contentsOf: Harness.repositoryRoot.appendingPathComponent(document), encoding: .utf8)
    let lines = Self.commandLines(in: text)
    if document == "README.md" { #expect(lines.count >= 4) }
    for words in lines {
      let result = await Harness.run(words.first?.hasPrefix("-") == true ? words : words + ["--help"])
      #expect(result.status == 0, "\(document): tokenwarden \(words.joined(separator: " ")): \(result.stderr)")
    }
  }
}
