/// Text operations on the ASCII that HTTP's grammar is made of, without going through Foundation's Unicode-aware
/// string functions (which cost more than the rest of a small request together).
package enum HTTPText {
  /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
  package static func trim(_ text: some StringProtocol) -> String {
    let bytes = Array(text.utf8)
    guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
    let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) ?? first
    return String(decoding: bytes[first...last], as: UTF8.self)
  }

  /// ASCII letters lowercased; every other byte as it is (header names and schemes are ASCII tokens).
  package static func lowercase(_ text: some StringProtocol) -> String {
    let bytes = text.utf8
    guard bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return String(text) }
    return String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
  }

  /// Whether `text` starts with `prefix`, ASCII letters compared without case.
  package static func hasPrefix(_ text: some StringProtocol, ignoringCase prefix: String) -> Bool {
    var bytes = text.utf8.makeIterator()
    for expected in prefix.utf8 {
      guard let byte = bytes.next() else { return false }
      let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
      let wanted = expected >= 0x41 && expected <= 0x5A ? expected + 0x20 : expected
      if lower != wanted { return false }
    }
    return true
  }
}
