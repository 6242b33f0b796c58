import Basics
import Foundation
import PolicyLanguage
import Testing

/// Hostile input: no crash, no hang, a diagnostic with a position.
@Suite struct RobustnessTests {
  @Test func deepBlockNestingIsAnErrorNotAStackOverflow() {
    var text = ""
    for depth in 0..<5000 { text += String(repeating: " ", count: depth) + "k:\n" }
    let (document, diagnostics) = YAMLParser.parse(SourceFile(path: "deep.yaml", text: text))
    #expect(document == nil)
    #expect(diagnostics.contains { $0.message.id == "nesting-too-deep" })
  }

  @Test func deepSequenceNestingIsAnErrorNotAStackOverflow() {
    let text = String(repeating: "- ", count: 10_000) + "x\n"
    let (document, diagnostics) = YAMLParser.parse(SourceFile(path: "deep.yaml", text: text))
    #expect(document == nil)
    #expect(diagnostics.contains { $0.message.id == "nesting-too-deep" })
  }

  @Test func diagnosticsAreCappedOnFloodsOfErrors() {
    let text = String(repeating: "a: yes\n", count: 10_000)
    let (_, diagnostics) = YAMLParser.parse(SourceFile(path: "flood.yaml", text: text))
    #expect(diagnostics.count <= 100)
    #expect(!diagnostics.isEmpty)
  }

  /// Mutations of every fixture and pure noise: parsing, decoding and formatting always return.
  @Test func mutatedAndRandomInputNeverCrashes() throws {
    var rng = SplitMix64(seed: 42)
    var seeds = try Fixtures.all().map { Array($0.text.utf8) }
    var generator = DocumentGenerator(seed: 7)
    for _ in 0..<20 { seeds.append(Array(generator.document().utf8)) }
    let alphabet: [UInt8] =
      Array(" \t\n\r-:#'\"[]{},?&*!|>%@`\\ab1.~".utf8) + [0x00, 0xC3, 0xA9, 0xE2, 0x80, 0xA8, 0xFF]
    var checked = 0
    for round in 0..<3000 {
      var bytes: [UInt8]
      if round % 10 == 0 {
        bytes = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
      } else {
        bytes = seeds[round % seeds.count]
        for _ in 0..<Int.random(in: 1...6, using: &rng) where !bytes.isEmpty {
          let index = Int.random(in: 0..<bytes.count, using: &rng)
          switch Int.random(in: 0..<3, using: &rng) {
          case 0: bytes[index] = alphabet.randomElement(using: &rng)!
          case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: index)
          default: bytes.remove(at: index)
          }
        }
      }
      let source = SourceFile(path: "m.yaml", bytes: bytes)
      let set = PolicySet.load([source])
      for diagnostic in set.diagnostics {
        #expect(diagnostic.range.start >= 0 && diagnostic.range.end <= bytes.count)
        _ = source.position(of: diagnostic.range.start)
      }
      if let formatted = Formatter.format(source).text {
        // Whatever parses formats to something that parses to the same data.
        let again = YAMLParser.parse(SourceFile(path: "f.yaml", text: formatted)).document
        #expect(TaggedTree.json(again?.root) == TaggedTree.json(YAMLParser.parse(source).document?.root))
      }
      checked += 1
    }
    #expect(checked == 3000)
  }

  @Test func emptyAndCommentOnlyFilesAreEmptyPolicies() {
    for text in ["", "\n\n", "# just a comment\n", "---\n", "\u{FEFF}"] {
      let set = PolicySet.load([SourceFile(path: "e.yaml", text: text)])
      #expect(set.diagnostics.map(\.message.id) == ["empty-policy"], "\(text.debugDescription)")
    }
  }
}
