/// The first pass over a file's bytes: valid UTF-8, and only characters that every YAML reader treats alike.
///
/// YAML 1.1 readers (PyYAML) take NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR as line breaks and YAML 1.2 readers do
/// not; control characters are not allowed by either; a byte order mark is only allowed at the very start.
enum TextValidation {
  /// Returns false, with diagnostics, when the file cannot be parsed.
  static func validate(_ bytes: [UInt8], into sink: inout DiagnosticSink) -> Bool {
    var reported = 0
    func report(_ message: DiagnosticMessage, _ range: SourceRange, _ sink: inout DiagnosticSink) {
      if reported < 10 { sink.error(message, range) }
      reported += 1
    }
    bytes.withUnsafeBufferPointer { b in
      var i = 0
      let n = b.count
      while i < n {
        let c = b[i]
        if c < 0x80 {
          if c >= 0x20 && c != 0x7F || c == 0x0A || c == 0x09 {
            i += 1
            continue
          }
          if c == 0x0D {
            if i + 1 < n && b[i + 1] == 0x0A {
              i += 2
              continue
            }
            report(.loneCarriageReturn, SourceRange(i, i + 1), &sink)
          } else {
            report(.forbiddenCharacter(Self.codePoint(UInt32(c))), SourceRange(i, i + 1), &sink)
          }
          i += 1
          continue
        }
        guard let (scalar, length) = decode(b, at: i) else {
          report(.invalidUTF8(byte: c, offset: i), SourceRange(i, i + 1), &sink)
          i += 1
          continue
        }
        let forbidden =
          (scalar >= 0x80 && scalar <= 0x9F) || scalar == 0x2028 || scalar == 0x2029 || scalar == 0xFFFE
          || scalar == 0xFFFF || (scalar == 0xFEFF && i != 0)
        if forbidden {
          report(.forbiddenCharacter(Self.codePoint(scalar)), SourceRange(i, i + length), &sink)
        }
        i += length
      }
    }
    return reported == 0
  }

  static func codePoint(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  /// Decodes one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and values above U+10FFFF.
  static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
    let lead = b[i]
    let length: Int
    var value: UInt32
    switch lead {
    case 0xC2...0xDF:
      length = 2
      value = UInt32(lead & 0x1F)
    case 0xE0...0xEF:
      length = 3
      value = UInt32(lead & 0x0F)
    case 0xF0...0xF4:
      length = 4
      value = UInt32(lead & 0x07)
    default:
      return nil
    }
    guard i + length <= b.count else { return nil }
    for k in 1..<length {
      let cont = b[i + k]
      guard cont & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(cont & 0x3F)
    }
    switch length {
    case 3 where value < 0x800 || (value >= 0xD800 && value <= 0xDFFF): return nil
    case 4 where value < 0x10000 || value > 0x10FFFF: return nil
    default: return (value, length)
    }
  }
}
