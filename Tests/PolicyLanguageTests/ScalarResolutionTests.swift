import PolicyLanguage
import Testing

/// Plain scalars mean what both YAML 1.1 and YAML 1.2 readers say, or are rejected.
@Suite struct ScalarResolutionTests {
  static func resolve(_ text: String) -> ResolvedScalar? {
    YAMLParser.parse(SourceFile(path: "s.yaml", text: "v: \(text)")).document?.root?.entries?.first?.value.scalar?
      .resolved
  }

  @Test(arguments: [
    ("1", ResolvedScalar.int("1")), ("-0", .int("0")), ("+12", .int("12")), ("true", .bool(true)),
    ("FALSE", .bool(false)), ("~", .null), ("null", .null), ("0.5", .float(0.5)), ("1.5e+3", .float(1500)),
    (".5", .float(0.5)), ("hello", .string), ("1.2.3", .string), ("v1", .string), ("a:b", .string),
  ])
  func agreedMeanings(_ text: String, _ expected: ResolvedScalar) {
    #expect(Self.resolve(text) == expected)
  }

  @Test(arguments: [
    "yes", "No", "on", "OFF", "017", "0o17", "0x1F", "0b11", "1_000", "1e3", "1:20", "-.5", "2024-01-01", "<<", "=",
    "2001-12-14 21:59:43.10 -5",
  ])
  func readersDisagreeSoItIsRejected(_ text: String) {
    #expect(Self.resolve(text) == nil)
    let diagnostics = YAMLParser.parse(SourceFile(path: "s.yaml", text: "v: \(text)")).diagnostics
    #expect(diagnostics.first?.message.id == "ambiguous-scalar")
    #expect(diagnostics.first?.note?.contains("quote it") == true)
  }
}
