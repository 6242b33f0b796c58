import Testing

@testable import PolicyLanguage

/// Where an invalid UTF-8 sequence is reported: the column of its first byte, counted in characters before it plus
/// one — never 0, never one to the left.
@Suite struct InvalidUTF8ColumnTests {
  struct Case: Sendable, CustomStringConvertible {
    let description: String
    let bytes: [UInt8]
    /// Line and column of the first invalid-utf8 diagnostic.
    let at: String
  }

  static let cases: [Case] = [
    Case(
      description: "stray continuation at the start of a line",
      bytes: Array("a: b\n".utf8) + [0x80] + Array("c\n".utf8), at: "2:1"),
    Case(description: "stray continuation at the start of the file", bytes: [0xBF] + Array(": x\n".utf8), at: "1:1"),
    Case(
      description: "stray continuation after text", bytes: Array("ab: c".utf8) + [0x80] + Array("\n".utf8), at: "1:6"),
    Case(
      description: "stray continuation after a two-byte character",
      bytes: Array("a: é".utf8) + [0x80] + Array("\n".utf8), at: "1:5"),
    Case(description: "overlong form", bytes: Array("a: ".utf8) + [0xC0, 0xAF] + Array("\n".utf8), at: "1:4"),
    Case(description: "surrogate", bytes: Array("a: xy".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8), at: "1:6"),
    Case(
      description: "truncated at the end of a line",
      bytes: Array("a: bc".utf8) + [0xE2, 0x82] + Array("\nd: e\n".utf8), at: "1:6"),
    Case(description: "truncated at the end of the file", bytes: Array("a: é ".utf8) + [0xF0, 0x9F, 0x98], at: "1:6"),
    Case(
      description: "above U+10FFFF", bytes: Array("a: ".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\n".utf8), at: "1:4"),
  ]

  @Test(arguments: cases)
  func theColumnIsTheFirstInvalidBytesCharacterPosition(_ c: Case) {
    let source = SourceFile(path: "x.yaml", bytes: c.bytes)
    let (_, diagnostics) = YAMLParser.parse(source)
    let first = diagnostics.first { $0.message.id == "invalid-utf8" }
    #expect(first != nil, "\(c)")
    guard let first else { return }
    #expect(source.position(of: first.range.start).description == c.at, "\(c)")
  }

  @Test func anOffsetInsideAValidCharacterPointsAtIt() {
    let source = SourceFile(path: "x.yaml", bytes: Array("aé€😀b".utf8))
    #expect(source.position(of: 2).column == 2)  // the second byte of é
    #expect(source.position(of: 4).column == 3)  // inside €
    #expect(source.position(of: 8).column == 4)  // inside 😀
    #expect(source.position(of: 10).column == 5)  // b
  }
}
