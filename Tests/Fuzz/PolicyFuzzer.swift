// libFuzzer entry point for the policy parser, decoder and formatter. Built and run by Tests/Fuzz/run.sh, not by
// `swift test`. Any crash, hang or broken invariant (trapped below) is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func policyFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let source = SourceFile(path: "fuzz.yaml", bytes: bytes)
  let set = PolicySet.load([source])
  for diagnostic in set.diagnostics {
    precondition(diagnostic.range.start >= 0 && diagnostic.range.end <= bytes.count, "diagnostic range out of bounds")
    _ = source.position(of: diagnostic.range.start)
  }
  if let formatted = Formatter.format(source).text {
    let reparsed = SourceFile(path: "formatted.yaml", text: formatted)
    let original = YAMLParser.parse(source).document?.root
    let again = YAMLParser.parse(reparsed).document
    precondition(again != nil, "formatted output does not parse")
    precondition(treeText(again?.root) == treeText(original), "formatting changed the data")
    precondition(Formatter.format(reparsed).text == formatted, "formatting is not idempotent")
  }
  return 0
}

/// A canonical text of a data tree, for comparisons.
func treeText(_ node: YAMLNode?) -> String {
  guard let node else { return "~" }
  switch node.value {
  case .scalar(let scalar):
    switch scalar.resolved {
    case .string: return "s" + String(scalar.text.utf8.count) + ":" + scalar.text
    case .null: return "n"
    case .bool(let value): return value ? "T" : "F"
    case .int(let digits): return "i" + digits + ";"
    case .float(let value): return value.isNaN ? "fnan;" : "f" + String(value.bitPattern) + ";"
    }
  case .sequence(let items): return "[" + items.map(treeText).joined(separator: ",") + "]"
  case .mapping(let entries):
    return "{" + entries.map { treeText($0.key) + "=" + treeText($0.value) }.joined(separator: ",") + "}"
  }
}
