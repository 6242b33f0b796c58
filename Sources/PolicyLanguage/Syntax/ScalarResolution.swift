/// What a plain scalar means, once YAML's implicit typing has been applied.
package enum ResolvedScalar: Sendable, Hashable {
  case null
  case bool(Bool)
  /// A decimal integer in canonical form: no sign for positives, no leading zeros, `0` for `-0`.
  case int(String)
  case float(Double)
  case string
}

/// Implicit typing of plain scalars, restricted to what YAML 1.1 readers (PyYAML, most tools) and YAML 1.2 core-schema
/// readers agree on.
///
/// A plain scalar that one of them would read as a boolean, number, null, date or merge key while the other reads it
/// differently (`yes`, `on`, `017`, `1_000`, `1e3`, `0o17`, `2024-01-01`, `<<`, …) is ambiguous: the policy language
/// rejects it and asks for quotes, so that the file means the same thing to every reader.
enum ScalarResolution {
  enum Outcome: Equatable {
    case resolved(ResolvedScalar)
    /// Ambiguous; the words say how the two readers differ.
    case ambiguous(String)
  }

  static func resolve(_ text: String) -> Outcome {
    var utf8 = Array(text.utf8)
    return utf8.withUnsafeMutableBufferPointer { resolve(UnsafeBufferPointer($0)) }
  }

  static func resolve(_ s: UnsafeBufferPointer<UInt8>) -> Outcome {
    guard let first = s.first else { return .resolved(.null) }
    // Fast path: most plain scalars in a policy start with a letter no resolver looks at.
    switch first {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
      if !"yYnNtTfFoO".utf8.contains(first) { return .resolved(.string) }
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
      UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: "="):
      break
    default:
      return .resolved(.string)
    }
    let word = String(decoding: s, as: UTF8.self)
    switch word {
    case "~", "null", "Null", "NULL": return .resolved(.null)
    case "true", "True", "TRUE": return .resolved(.bool(true))
    case "false", "False", "FALSE": return .resolved(.bool(false))
    case "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF":
      return .ambiguous("YAML 1.1 reads it as a boolean, YAML 1.2 as a string")
    case "<<": return .ambiguous("YAML 1.1 reads it as a merge key")
    case "=": return .ambiguous("YAML 1.1 reads it as a value key")
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .resolved(.float(.infinity))
    case "-.inf", "-.Inf", "-.INF": return .resolved(.float(-.infinity))
    case ".nan", ".NaN", ".NAN": return .resolved(.float(.nan))
    default: break
    }
    if let canonical = Pattern.safeInteger(s) { return .resolved(.int(canonical)) }
    if Pattern.safeFloat(s), let value = Double(word) { return .resolved(.float(value)) }
    if Pattern.isInt11(s) || Pattern.isFloat11(s) || Pattern.isTimestamp11(s) {
      return .ambiguous(
        "YAML 1.1 reads it as a number or date, YAML 1.2 " + (Pattern.isNumber12(s) ? "differently" : "as a string"))
    }
    if Pattern.isNumber12(s) {
      return .ambiguous("YAML 1.2 reads it as a number, YAML 1.1 as a string")
    }
    return .resolved(.string)
  }
}

/// Hand-written matchers for the implicit-typing patterns of YAML 1.1 (as PyYAML applies them) and the YAML 1.2 core
/// schema. Each takes the whole scalar.
private enum Pattern {
  static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
  static func isHex(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
  }

  struct Cursor {
    let s: UnsafeBufferPointer<UInt8>
    var i = 0
    var atEnd: Bool { i >= s.count }
    var peek: UInt8? { i < s.count ? s[i] : nil }
    mutating func take(_ c: Character) -> Bool {
      if let p = peek, p == c.asciiValue {
        i += 1
        return true
      }
      return false
    }
    mutating func sign() { if let p = peek, p == 0x2B || p == 0x2D { i += 1 } }
    /// Consumes characters while `ok`; returns how many.
    @discardableResult
    mutating func run(_ ok: (UInt8) -> Bool) -> Int {
      let start = i
      while let p = peek, ok(p) { i += 1 }
      return i - start
    }
  }

  /// `[-+]?(0|[1-9][0-9]*)`: an integer both readers agree on. Returns the canonical decimal form.
  static func safeInteger(_ s: UnsafeBufferPointer<UInt8>) -> String? {
    var c = Cursor(s: s)
    let negative = c.peek == UInt8(ascii: "-")
    c.sign()
    let start = c.i
    guard c.run(isDigit) > 0, c.atEnd else { return nil }
    let digits = s[start...]
    if digits.count > 1 && digits.first == UInt8(ascii: "0") { return nil }
    let text = String(decoding: digits, as: UTF8.self)
    if text == "0" { return "0" }
    return negative ? "-" + text : text
  }

  /// `[-+]?[0-9]+\.[0-9]*([eE][-+][0-9]+)?` or `\.[0-9]+([eE][-+][0-9]+)?`: a float both readers agree on.
  static func safeFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var c = Cursor(s: s)
    if c.peek == UInt8(ascii: ".") {
      c.i += 1
      guard c.run(isDigit) > 0 else { return false }
    } else {
      c.sign()
      guard c.run(isDigit) > 0, c.take(".") else { return false }
      c.run(isDigit)
    }
    if c.take("e") || c.take("E") {
      guard let p = c.peek, p == 0x2B || p == 0x2D else { return false }
      c.i += 1
      guard c.run(isDigit) > 0 else { return false }
    }
    return c.atEnd
  }

  /// YAML 1.1 int: binary, octal, decimal (with `_`), hex, sexagesimal.
  static func isInt11(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var c = Cursor(s: s)
    c.sign()
    let body = c
    if c.take("0") {
      if c.take("b") { return c.run { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F } > 0 && c.atEnd }
      if c.take("x") { return c.run { isHex($0) || $0 == 0x5F } > 0 && c.atEnd }
      if c.atEnd { return true }
      return c.run { ($0 >= 0x30 && $0 <= 0x37) || $0 == 0x5F } > 0 && c.atEnd
    }
    c = body
    guard let p = c.peek, p >= 0x31, p <= 0x39 else { return false }
    c.run { isDigit($0) || $0 == 0x5F }
    if c.atEnd { return true }
    return sexagesimalTail(&c) && c.atEnd
  }

  /// `(:[0-5]?[0-9])+`
  static func sexagesimalTail(_ c: inout Cursor) -> Bool {
    var groups = 0
    while c.take(":") {
      let n = c.run(isDigit)
      guard n == 1 || (n == 2 && c.s[c.i - 2] <= UInt8(ascii: "5")) else { return false }
      groups += 1
    }
    return groups > 0
  }

  /// YAML 1.1 float, as PyYAML's resolver writes it.
  static func isFloat11(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var c = Cursor(s: s)
    if c.take(".") {
      guard let p = c.peek, isDigit(p) else { return false }
      c.run { isDigit($0) || $0 == 0x5F }
      return exponent11(&c) && c.atEnd
    }
    c.sign()
    guard let p = c.peek, isDigit(p) else { return false }
    c.run { isDigit($0) || $0 == 0x5F }
    if c.peek == UInt8(ascii: ":") {
      guard sexagesimalTail(&c), c.take(".") else { return false }
      c.run { isDigit($0) || $0 == 0x5F }
      return c.atEnd
    }
    guard c.take(".") else { return false }
    c.run { isDigit($0) || $0 == 0x5F }
    return exponent11(&c) && c.atEnd
  }

  static func exponent11(_ c: inout Cursor) -> Bool {
    guard c.take("e") || c.take("E") else { return true }
    guard let p = c.peek, p == 0x2B || p == 0x2D else { return false }
    c.i += 1
    return c.run(isDigit) > 0
  }

  /// YAML 1.1 timestamp: `YYYY-MM-DD`, or `YYYY-M-D` followed by a time.
  static func isTimestamp11(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var c = Cursor(s: s)
    guard c.run(isDigit) == 4, c.take("-") else { return false }
    let month = c.run(isDigit)
    guard (1...2).contains(month), c.take("-") else { return false }
    let day = c.run(isDigit)
    guard (1...2).contains(day) else { return false }
    if c.atEnd { return month == 2 && day == 2 }
    if !(c.take("T") || c.take("t")) {
      guard c.run({ $0 == 0x20 || $0 == 0x09 }) > 0 else { return false }
    }
    guard (1...2).contains(c.run(isDigit)), c.take(":"), c.run(isDigit) == 2, c.take(":"), c.run(isDigit) == 2
    else { return false }
    if c.take(".") { c.run(isDigit) }
    c.run { $0 == 0x20 || $0 == 0x09 }
    if c.atEnd { return true }
    if c.take("Z") { return c.atEnd }
    guard let p = c.peek, p == 0x2B || p == 0x2D else { return false }
    c.i += 1
    guard (1...2).contains(c.run(isDigit)) else { return false }
    if c.take(":") { guard c.run(isDigit) == 2 else { return false } }
    return c.atEnd
  }

  /// YAML 1.2 core schema int or float (infinity and NaN are handled by the caller).
  static func isNumber12(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var c = Cursor(s: s)
    if c.take("0") {
      if c.take("o") { return c.run { $0 >= 0x30 && $0 <= 0x37 } > 0 && c.atEnd }
      if c.take("x") { return c.run(isHex) > 0 && c.atEnd }
      c = Cursor(s: s)
    }
    c.sign()
    let intDigits = c.run(isDigit)
    var fraction = 0
    var dot = false
    if c.take(".") {
      dot = true
      fraction = c.run(isDigit)
    }
    guard intDigits > 0 || (dot && fraction > 0) else { return false }
    if c.take("e") || c.take("E") {
      c.sign()
      guard c.run(isDigit) > 0 else { return false }
    }
    return c.atEnd
  }
}
