/// How the formatter writes a string: plain when that reads back as the same string, else single-quoted, else
/// double-quoted with escapes.
enum ScalarStyle {
  static func render(_ scalar: YAMLScalar, flow: Bool) -> String {
    // Numbers, booleans and nulls keep the spelling the user chose.
    guard scalar.resolved == .string else { return scalar.text }
    return render(string: scalar.text, flow: flow)
  }

  static func render(string text: String, flow: Bool) -> String {
    if canBePlain(text, flow: flow) { return text }
    if text.unicodeScalars.allSatisfy({ !needsEscape($0) }) {
      return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }
    return doubleQuoted(text)
  }

  /// Characters that only a double-quoted escape can carry.
  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09: return false
    case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return true
    default: return false
    }
  }

  static func canBePlain(_ text: String, flow: Bool) -> Bool {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
    if first == " " || last == " " || last == ":" { return false }
    if "?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
    if first == "-" {
      let scalars = Array(text.unicodeScalars.prefix(2))
      if scalars.count < 2 || scalars[1] == " " { return false }
    }
    if text.hasPrefix("---") || text.hasPrefix("...") { return false }
    if text.contains(": ") || text.contains(" #") { return false }
    for scalar in text.unicodeScalars {
      if scalar == "\t" || needsEscape(scalar) { return false }
      if flow && ",[]{}:?#".unicodeScalars.contains(scalar) { return false }
    }
    if case .resolved(.string) = ScalarResolution.resolve(text) { return true }
    return false
  }

  static func doubleQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x00: out += "\\0"
      case 0x07: out += "\\a"
      case 0x08: out += "\\b"
      case 0x09: out += "\\t"
      case 0x0A: out += "\\n"
      case 0x0B: out += "\\v"
      case 0x0C: out += "\\f"
      case 0x0D: out += "\\r"
      case 0x1B: out += "\\e"
      case 0x85: out += "\\N"
      case 0x2028: out += "\\L"
      case 0x2029: out += "\\P"
      default:
        if needsEscape(scalar) {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          out +=
            scalar.value <= 0xFF
            ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
