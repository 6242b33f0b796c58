/// What a token value pasted where it does not belong looks like in TokenWarden's output: its known prefix and its
/// length, never the value (`cfut_…(40 characters)`).
///
/// The most common way a secret reaches git is a token pasted into a policy file. Once it is there, every message and
/// source excerpt that quotes the file would copy it again, into CI logs, pull-request annotations and JSON reports.
/// Every renderer and message that can quote policy text goes through this one type.
package enum SecretMask {
  /// Prefixes shown as they are: they say what kind of value it was without revealing any of it.
  static let knownPrefixes = ["cfut_", "cfat_", "cfk_"]
  static let scheme = "Bearer "

  /// Whether `text` is a value the token-literal check recognises: Cloudflare's prefixed formats, or 37 or more
  /// characters of letters, digits, '-' and '_' (the legacy 40-character tokens), with or without `Bearer `.
  package static func isTokenLiteral(_ text: some StringProtocol) -> Bool {
    let value = text.hasPrefix(scheme) ? Substring(text.dropFirst(scheme.count)) : Substring(text)
    if knownPrefixes.contains(where: { value.hasPrefix($0) }) { return true }
    return value.utf8.count >= 37 && value.utf8.allSatisfy(isTokenByte)
  }

  /// `cfut_…(40 characters)`, `Bearer cfut_…(47 characters)`, `…(33 characters)`.
  package static func masked(_ value: some StringProtocol) -> String {
    var shown = ""
    var rest = Substring(value)
    if rest.hasPrefix(scheme) {
      shown = scheme
      rest = rest.dropFirst(scheme.count)
    }
    if let prefix = knownPrefixes.first(where: { rest.hasPrefix($0) }) { shown += prefix }
    return shown + "…(\(value.count) characters)"
  }

  /// `text` with every run that looks like a token replaced by its mask. Free text (messages, notes) is scanned with
  /// a stricter rule than a `secret:` value: a long run must mix upper case, lower case and digits, as generated
  /// tokens do and names of things rarely do.
  package static func maskingTokens(in text: String) -> String {
    guard text.utf8.contains(where: isTokenByte) else { return text }
    return mask(Array(text.unicodeScalars)).text
  }

  /// A line of a policy file as it may be shown: the value of a `secret:` key that is not a `$VARIABLE`, and every
  /// run that looks like a token, masked. `edits` say where the columns moved (0-based scalar offsets in the line),
  /// for carets drawn under the masked line.
  package static func maskLine(_ line: String) -> (text: String, edits: [Edit]) {
    mask(Array(line.unicodeScalars), secretKeys: true)
  }

  /// One replacement in a line: `removed` scalars at `start` became `inserted` scalars.
  package struct Edit: Sendable, Hashable {
    package let start: Int
    package let removed: Int
    package let inserted: Int
  }

  /// A column (0-based scalar offset) of the original line, in the masked line: inside a masked value it points at
  /// the value's start.
  package static func column(_ column: Int, through edits: [Edit]) -> Int {
    var shift = 0
    for edit in edits {
      if column < edit.start { break }
      if column < edit.start + edit.removed { return edit.start + shift }
      shift += edit.inserted - edit.removed
    }
    return column + shift
  }

  static func isTokenByte(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
      || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "_")
  }

  static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && isTokenByte(UInt8(scalar.value)) }

  /// A run found in free text that is a token: prefixed, or long and mixed like a generated value.
  static func isTokenRun(_ run: ArraySlice<Unicode.Scalar>) -> Bool {
    let text = String(String.UnicodeScalarView(run))
    if knownPrefixes.contains(where: { text.hasPrefix($0) }) { return text.count > 8 }
    guard run.count >= 37 else { return false }
    let upper = run.contains { $0.properties.isUppercase }
    let lower = run.contains { $0.properties.isLowercase }
    let digit = run.contains { $0.value >= 0x30 && $0.value <= 0x39 }
    return upper && lower && digit
  }

  static func mask(_ scalars: [Unicode.Scalar], secretKeys: Bool = false) -> (text: String, edits: [Edit]) {
    var spans: [(start: Int, end: Int)] = []
    if secretKeys, let value = secretValue(in: scalars) { spans.append(value) }
    var index = 0
    while index < scalars.count {
      guard isTokenScalar(scalars[index]) else {
        index += 1
        continue
      }
      var end = index
      while end < scalars.count && isTokenScalar(scalars[end]) { end += 1 }
      if isTokenRun(scalars[index..<end]) {
        // "Bearer " before it belongs to the value.
        var start = index
        let before = String(String.UnicodeScalarView(scalars[max(0, index - scheme.count)..<index]))
        if before == scheme { start -= scheme.count }
        spans.append((start, end))
      }
      index = end
    }
    guard !spans.isEmpty else { return (String(String.UnicodeScalarView(scalars)), []) }
    spans.sort { $0.start < $1.start }
    var merged: [(start: Int, end: Int)] = []
    for span in spans {
      if let last = merged.last, span.start < last.end {
        merged[merged.count - 1].end = max(last.end, span.end)
      } else {
        merged.append(span)
      }
    }
    var out = String.UnicodeScalarView()
    var edits: [Edit] = []
    var cursor = 0
    for span in merged {
      out.append(contentsOf: scalars[cursor..<span.start])
      let value = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
      // A quoted value keeps its quotes: the mask says what was inside them.
      var replacement = masked(value)
      if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
        replacement = String(quote) + masked(value.dropFirst().dropLast()) + String(quote)
      }
      edits.append(Edit(start: span.start, removed: span.end - span.start, inserted: replacement.unicodeScalars.count))
      out.append(contentsOf: replacement.unicodeScalars)
      cursor = span.end
    }
    out.append(contentsOf: scalars[cursor...])
    return (String(out), edits)
  }

  /// Where the value of a `secret:` key on this line is, quotes included, unless it is a `$VARIABLE`. Block style
  /// (`secret: value`, `- secret: value`) and flow style (`{ secret: value, … }`) alike.
  static func secretValue(in scalars: [Unicode.Scalar]) -> (start: Int, end: Int)? {
    let key = Array("secret".unicodeScalars)
    var index = 0
    while index + key.count < scalars.count {
      defer { index += 1 }
      guard Array(scalars[index..<(index + key.count)]) == key else { continue }
      let before = index == 0 ? " " : scalars[index - 1]
      guard [" ", "\t", "{", ",", "-", "\"", "'"].contains(before) else { continue }
      var cursor = index + key.count
      if cursor < scalars.count, scalars[cursor] == "\"" || scalars[cursor] == "'" { cursor += 1 }
      guard cursor < scalars.count, scalars[cursor] == ":" else { continue }
      cursor += 1
      while cursor < scalars.count, scalars[cursor] == " " || scalars[cursor] == "\t" { cursor += 1 }
      guard cursor < scalars.count else { return nil }
      let start = cursor
      var end = cursor
      if scalars[start] == "\"" || scalars[start] == "'" {
        let quote = scalars[start]
        end = start + 1
        while end < scalars.count && scalars[end] != quote {
          end += scalars[end] == "\\" && quote == "\"" ? 2 : 1
        }
        end = min(scalars.count, end + 1)
      } else {
        while end < scalars.count
          && !(scalars[end] == "," || scalars[end] == "}"
            || (scalars[end] == "#" && end > start && scalars[end - 1] == " "))
        {
          end += 1
        }
        while end > start && (scalars[end - 1] == " " || scalars[end - 1] == "\t") { end -= 1 }
      }
      let value = String(String.UnicodeScalarView(scalars[start..<end]))
      let bare = value.drop { $0 == "\"" || $0 == "'" }
      if bare.hasPrefix("$") || bare.allSatisfy({ $0 == "\"" || $0 == "'" }) { return nil }
      return (start, end)
    }
    return nil
  }
}
