import Foundation
import PolicyLanguage
import Testing

/// Every document the parser accepts must give the same data tree as PyYAML.
@Suite struct DifferentialTests {
  static let generatedCount = 1500

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Parses each text, asks the oracle about the same bytes, and returns the disagreements in words.
  static func compare(_ texts: [String], requireAccepted: Bool) throws -> [String] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var paths: [String] = []
    for (index, text) in texts.enumerated() {
      let path = directory.appendingPathComponent("doc\(index).yaml").path
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      paths.append(path)
    }
    let answers = try PyYAMLOracle.load(paths)
    #expect(answers.count == texts.count)
    var problems: [String] = []
    for (index, text) in texts.enumerated() {
      let (document, diagnostics) = YAMLParser.parse(SourceFile(path: "doc\(index).yaml", text: text))
      guard let document else {
        if requireAccepted {
          let first = diagnostics.first.map { "\($0.message.id) at byte \($0.range.start)" } ?? "?"
          problems.append("rejected (\(first)):\n\(text)")
        }
        continue
      }
      let ours = TaggedTree.json(document.root)
      guard index < answers.count else { break }
      if let theirs = answers[index].ok?.text {
        if theirs != ours { problems.append("different trees:\n\(text)\nours:   \(ours)\nPyYAML: \(theirs)") }
      } else {
        problems.append("PyYAML rejects what we accept (\(answers[index].error ?? "")):\n\(text)")
      }
    }
    return problems
  }

  @Test func generatedDocumentsMatchPyYAML() throws {
    var texts: [String] = []
    for seed in 0..<UInt64(Self.generatedCount) {
      var generator = DocumentGenerator(seed: seed)
      texts.append(generator.document())
    }
    let problems = try Self.compare(texts, requireAccepted: true)
    #expect(problems.isEmpty, "\(problems.count) of \(texts.count) documents disagree; first:\n\(problems.first ?? "")")
  }

  @Test func fixturesMatchPyYAML() throws {
    let texts = try Fixtures.all().map(\.text)
    #expect(texts.count >= 5)
    let problems = try Self.compare(texts, requireAccepted: false)
    #expect(problems.isEmpty, "\(problems.first ?? "")")
  }

  /// Documents that are valid YAML but outside the subset: whatever PyYAML makes of them, we must reject them.
  @Test(arguments: [
    "a: yes", "a: 017", "a: 1_000", "a: 1e3", "a: 0o17", "a: 2024-01-01", "<<: a", "a: =", "a: |\n  x",
    "a: &x 1\nb: *x", "a: !!str 1", "a: b\n  c", "- a\n - b", "a:\n  - x\n - y", "? a\n: b", "[a, b]: c",
    "a: 'x\n  y'", "a: [x,\n  y]", "a: 1\n---\nb: 2", "a:\tb", "a: 1\na: 2", "1: a\n1: b", "true: a\nTrue: b",
    "a: 1:30.5", "a: 1:20", "a: -.5", "a: 0x1F", "a: 0b101", "a: 2001-12-14t21:59:43.10-05:00",
  ])
  func outsideTheSubsetIsRejected(_ text: String) {
    let (document, diagnostics) = YAMLParser.parse(SourceFile(path: "t.yaml", text: text))
    #expect(document == nil)
    #expect(diagnostics.contains { $0.severity == .error })
  }
}
