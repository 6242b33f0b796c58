import PolicyLanguage
import Testing

/// Every message of the catalogue, with the exact position it is reported at.
@Suite struct DiagnosticCatalogueTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let id: String
    let text: String
    /// `line:column` of the diagnostic's start.
    let at: String
    /// A second file read in the same set.
    var other: String? = nil
    var testDescription: String { id }
  }

  static let base = """
    version: 1
    accounts:
      main: b3304b14848de15c72c24a14b0cd187d
    zones:
      site: 023e105f4ecef8ad9ca31a8372d0c353
    tokens:
      t:
        id: 4d841f1aa61bc019800506e138085f66
        owner: account main
        secret: $T
        grants:
          - resource: account main
            permissions:
              - D1: edit

    """

  /// The base policy with `old` replaced by `new`.
  static func edit(_ old: String, _ new: String) -> String {
    precondition(base.contains(old), old)
    return base.replacingOccurrences(of: old, with: new)
  }

  static let cases: [Case] = [
    Case(id: "account-token-resource", text: edit("resource: account main", "resource: user"), at: "12:19"),
    Case(id: "alias-not-supported", text: "a: *x", at: "1:4"),
    Case(id: "ambiguous-scalar", text: "a: yes", at: "1:4"),
    Case(id: "anchor-not-supported", text: "a: &x 1", at: "1:4"),
    Case(id: "bad-id", text: edit("main: b3304b14848de15c72c24a14b0cd187d", "main: b3304b"), at: "3:9"),
    Case(id: "bad-indentation", text: "a:\n    b: 1\n  c: 2", at: "3:3"),
    Case(id: "block-scalar-not-supported", text: "a: |\n  x", at: "1:4"),
    Case(id: "block-sequence-in-flow", text: "a: [- b]", at: "1:5"),
    Case(id: "colon-in-flow-scalar", text: "a: [b:c]", at: "1:6"),
    Case(id: "comment-needs-space", text: "a: 'b'#c", at: "1:7"),
    Case(id: "complex-key", text: "{[a]: b}", at: "1:2"),
    Case(id: "content-after-document-start", text: "--- a", at: "1:5"),
    Case(id: "directive-not-supported", text: "%YAML 1.2\n---\na: 1", at: "1:1"),
    Case(id: "document-end-marker", text: "a: 1\n...\n", at: "2:1"),
    Case(id: "duplicate-key", text: "a: 1\nb: 2\na: 3", at: "3:1"),
    Case(id: "duplicate-permission", text: edit("- D1: edit", "- D1: edit\n          - D1 Write"), at: "15:13"),
    Case(
      id: "duplicate-token-id",
      text: base + "  u:\n    id: 4d841f1aa61bc019800506e138085f66\n    owner: user\n    secret: $U\n    grants: []\n",
      at: "15:3"),
    Case(id: "duplicate-token-name", text: base, at: "7:3", other: base.replacingOccurrences(of: "4d84", with: "5d84")),
    Case(id: "empty-flow-entry", text: "a: [b, , c]", at: "1:8"),
    Case(id: "empty-grants", text: edit("grants:", "grants: []\n    old:"), at: "11:5"),
    Case(id: "empty-policy", text: "# nothing but a comment\n", at: "1:1"),
    Case(id: "expected-flow-separator", text: "a: ['b' c]", at: "1:9"),
    Case(id: "expected-key", text: "a: 1\n- b", at: "2:1"),
    Case(id: "expected-sequence-entry", text: "- a\nb", at: "2:1"),
    Case(id: "expected-type", text: edit("tokens:\n", "tokens: [a]\nx:\n"), at: "6:9"),
    Case(id: "float-key", text: "1.5: a", at: "1:1"),
    Case(id: "forbidden-character", text: "a: b\u{2028}c", at: "1:5"),
    Case(id: "indicator-needs-quotes", text: "a: @b", at: "1:4"),
    Case(
      id: "invalid-duration", text: edit("    grants:", "    expiry:\n      warn_before: 14x\n    grants:"), at: "12:20"
    ),
    Case(id: "invalid-escape", text: "a: \"\\uD800\"", at: "1:5"),
    Case(id: "invalid-name", text: edit("  t:\n", "  bad name:\n"), at: "7:3"),
    Case(id: "reserved-token-name", text: edit("  t:\n", "  overall_health:\n"), at: "7:3"),
    Case(id: "invalid-owner", text: edit("owner: account main", "owner: group main"), at: "9:12"),
    Case(id: "invalid-resource", text: edit("resource: account main", "resource: everything"), at: "12:19"),
    Case(id: "invalid-secret", text: edit("secret: $T", "secret: T"), at: "10:13"),
    Case(id: "key-too-long", text: String(repeating: "k", count: 1001) + ": v", at: "1:1"),
    Case(id: "lone-carriage-return", text: "a: 1\rb: 2", at: "1:5"),
    Case(id: "mapping-on-value-line", text: "a: b: c", at: "1:5"),
    Case(id: "missing-colon", text: "a: 1\nb", at: "2:2"),
    Case(id: "missing-key", text: edit("    secret: $T\n", ""), at: "7:3"),
    Case(id: "missing-space-after-colon", text: "{\"a\":b}", at: "1:6"),
    Case(
      id: "nesting-too-deep", text: String(repeating: "[", count: 70) + String(repeating: "]", count: 70), at: "1:65"),
    Case(id: "pair-in-flow-sequence", text: "a: [b: c: d]", at: "1:9"),
    Case(id: "permission-scope", text: edit("- D1: edit", "- DNS: edit"), at: "14:13"),
    Case(id: "question-in-flow-scalar", text: "a: [b?c]", at: "1:6"),
    Case(
      id: "secret-literal", text: edit("secret: $T", "secret: cfat_0123456789abcdefghijklmnopqrstuvwxyzABCD"),
      at: "10:13"),
    Case(id: "self-healer", text: edit("    secret: $T\n", "    secret: $T\n    healer: t\n"), at: "11:13"),
    Case(id: "sequence-on-key-line", text: "a: - b", at: "1:4"),
    Case(id: "several-documents", text: "a: 1\n---\nb: 2", at: "2:1"),
    Case(id: "tab-character", text: "a:\tb", at: "1:3"),
    Case(id: "tag-not-supported", text: "a: !x b", at: "1:4"),
    Case(
      id: "template-cycle",
      text: edit("tokens:\n", "templates:\n  a:\n    - include: b\n  b:\n    - include: a\ntokens:\n"), at: "10:16"),
    Case(
      id: "impossible-healer",
      text: base
        + "  u:\n    id: a753e62f6ffe44a7762befbce7a9eddf\n    owner: user\n    secret: $U\n    healer: t\n    grants:\n      - resource: user\n        permissions:\n          - API Tokens: edit\n",
      at: "19:13"),
    Case(
      id: "invalid-sink", text: edit("    secret: $T\n", "    secret: $T\n    rotation:\n      sinks: [nowhere]\n"),
      at: "12:15"),
    Case(id: "invalid-observer", text: edit("tokens:\n", "observers:\n  everyone: t\ntokens:\n"), at: "7:3"),
    Case(id: "observer-can-write", text: edit("tokens:\n", "observers:\n  account main: t\ntokens:\n"), at: "7:17"),
    Case(id: "permission-renamed", text: edit("- D1: edit", "- Teams Read"), at: "14:13"),
    Case(id: "self-edit-risk", text: edit("    secret: $T\n", "    secret: $T\n    healer: self\n"), at: "11:13"),
    Case(id: "unexpected-character", text: "a: 'b' c", at: "1:8"),
    Case(id: "unexpected-indentation", text: "a: b\n  c: d", at: "2:3"),
    Case(id: "unknown-account", text: edit("resource: account main", "resource: account mian"), at: "12:19"),
    Case(id: "unknown-escape", text: "a: \"\\q\"", at: "1:5"),
    Case(id: "unknown-key", text: base + "extra: 1\n", at: "15:1"),
    Case(id: "unknown-permission", text: edit("- D1: edit", "- D2: edit"), at: "14:13"),
    Case(id: "unknown-template", text: edit("- D1: edit", "- include: nothing"), at: "14:22"),
    Case(id: "unknown-token", text: edit("    secret: $T\n", "    secret: $T\n    healer: ghost\n"), at: "11:13"),
    Case(id: "unknown-zone", text: edit("resource: account main", "resource: zone shop"), at: "12:19"),
    Case(id: "unsupported-version", text: edit("version: 1", "version: 2"), at: "1:10"),
    Case(id: "unterminated-flow", text: "a: [b", at: "1:4"),
    Case(id: "unterminated-quoted", text: "a: \"b", at: "1:4"),
  ]

  /// Checked where the condition arises: `invalid-utf8` and `file-too-large` need bytes no string literal makes;
  /// `unreadable-file` comes from reading the disk (CLITests) and has no position.
  static let coveredElsewhere: Set<String> = ["invalid-utf8", "file-too-large", "unreadable-file"]

  @Test(arguments: cases)
  func reportedAtItsPosition(_ c: Case) {
    var sources = [SourceFile(path: "a.yaml", text: c.text)]
    if let other = c.other { sources.append(SourceFile(path: "b.yaml", text: other)) }
    let set = PolicySet.load(sources)
    let found = set.diagnostics.filter { $0.message.id == c.id }
    #expect(!found.isEmpty, "no '\(c.id)' among \(set.diagnostics.map(\.message.id))")
    guard let first = found.first else { return }
    let source = sources.first { $0.path == first.path } ?? sources[0]
    #expect(source.position(of: first.range.start).description == c.at)
    #expect(!first.message.text.hasSuffix("."))
    #expect(first.message.text.first?.isUppercase != true || first.message.text.hasPrefix("'"))
  }

  @Test func invalidUTF8IsReportedAtItsByteOffset() {
    let bytes: [UInt8] = Array("a: b\nc: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    let (document, diagnostics) = YAMLParser.parse(SourceFile(path: "x.yaml", bytes: bytes))
    #expect(document == nil)
    #expect(diagnostics.map(\.message.id) == ["invalid-utf8"])
    #expect(diagnostics.first?.message.text == "invalid UTF-8 byte 0xC3 at byte offset 8")
    #expect(SourceFile(path: "x.yaml", bytes: bytes).position(of: diagnostics[0].range.start).description == "2:4")
  }

  @Test func oversizedInputIsRefusedWithTheLimit() {
    let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: YAMLParser.maxBytes + 1)
    let (document, diagnostics) = YAMLParser.parse(SourceFile(path: "big.yaml", bytes: bytes))
    #expect(document == nil)
    #expect(diagnostics.map(\.message.id) == ["file-too-large"])
    #expect(diagnostics.first?.message.text.contains("the limit is 16 MiB") == true)
  }

  @Test func everyCatalogueMessageHasACase() {
    let covered = Set(Self.cases.map(\.id)).union(Self.coveredElsewhere)
    let missing = Set(DiagnosticMessage.catalogueIDs).subtracting(covered)
    #expect(missing.isEmpty, "no test for \(missing.sorted())")
    #expect(DiagnosticMessage.catalogueIDs == DiagnosticMessage.catalogueIDs.sorted())
  }
}
