import Basics

/// A seeded generator of YAML documents that stay inside the policy language's subset while using its awkward corners:
/// every kind of scalar and quoting, escapes, unicode, comments after values and on their own lines, blank lines,
/// indentless and compact lists, flow collections, varying indentation, BOM, CRLF and `---`.
struct DocumentGenerator {
  var rng: SplitMix64
  var lines: [String] = []
  let maxDepth: Int

  init(seed: UInt64, maxDepth: Int = 4) {
    rng = SplitMix64(seed: seed)
    self.maxDepth = maxDepth
  }

  mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
  mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &rng)] }

  static let blockWords = [
    "alpha", "Workers Scripts", "a-b", "x_y", "v1.2.3", "http://example.com/a?b=c", "a#b", "naïve café", "日本語",
    "emoji 😀 ok", "a:b", "key=value", "100%", "-leading-dash", "trailing-dash-", "it's", "say \"hi\"", "a [b]",
    "a, b", "1.2.3", "0.5.1", "x.y", "/path/to/file", "a{b}", "~tilde", "a ? b", "semi;colon", "ünïcödé",
    "4d841f1aa61bc019800506e138085f66", "cfut_notreal", "Workers KV Storage Write", "C:\\dir", "a - b", "tab-free",
  ]
  static let flowWords = [
    "alpha", "Workers Scripts", "a-b", "x_y", "v1.2.3", "a#b", "naïve", "日本語", "😀", "key=value", "100%", "-x",
    "it's", "1.2.3", "/p/q", "~t", "D1 Write", "a - b",
  ]
  static let numbers = [
    "0", "7", "-3", "+12", "-0", "123456789012345678901234567890", "3.14", "-0.5", "1.5e+3", "2.0E-2", ".5", "1.",
    "+2.50", ".inf", "-.inf", "+.INF", ".nan", ".NaN", "true", "False", "TRUE", "null", "~", "Null",
  ]
  static let quotedTexts = [
    "", " leading space", "trailing space ", "yes", "no", "on", "1_000", "0o17", "017", "2024-01-01", "a: b", "a #b",
    "[not a list]", "{not: map}", "- dash", "? q", ": colon", "it's", "\"dq\"", "back\\slash", "tab\there",
    "new\nline", "bell\u{07}", "nul\u{0}x", "é😀", "'", "''", "#", "&anchor", "*alias", "!tag", "|", ">", "%", "@", "`",
    "---", "...", "<<", "=", "1e3", "12", "null",
  ]

  mutating func plain(flow: Bool) -> String {
    var word = pick(flow ? Self.flowWords : Self.blockWords)
    if chance(20) { word += " " + pick(flow ? Self.flowWords : Self.blockWords) }
    return word
  }

  mutating func scalar(flow: Bool) -> String {
    switch Int.random(in: 0..<10, using: &rng) {
    case 0, 1: return pick(Self.numbers)
    case 2, 3: return singleQuoted(pick(Self.quotedTexts + Self.blockWords))
    case 4, 5: return doubleQuoted(pick(Self.quotedTexts + Self.blockWords))
    default: return plain(flow: flow)
    }
  }

  func singleQuoted(_ text: String) -> String {
    if text.contains(where: { $0 == "\n" || $0.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" } }) {
      return doubleQuoted(text)
    }
    return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  func doubleQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\u{0}": out += "\\0"
      case "\u{07}": out += "\\a"
      case "é": out += "\\u00e9"
      case "😀": out += "\\U0001F600"
      case "/": out += "\\/"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A key unique in its mapping as YAML sees keys (by type and value).
  mutating func key(used: inout Set<String>, flow: Bool = false) -> String {
    while true {
      let rendered: String
      let identity: String
      switch Int.random(in: 0..<10, using: &rng) {
      case 0:
        let n = Int.random(in: -5...50, using: &rng)
        (rendered, identity) = (String(n), "n\(n)")
      case 1:
        let text = pick(Self.quotedTexts)
        (rendered, identity) = (singleQuoted(text), "s" + text)
      case 2:
        let text = pick(Self.quotedTexts)
        (rendered, identity) = (doubleQuoted(text), "s" + text)
      default:
        let text = plain(flow: flow)
        (rendered, identity) = (text, "s" + text)
      }
      if used.insert(identity).inserted { return rendered }
    }
  }

  mutating func flow(depth: Int) -> String {
    let inner = depth < 2 && chance(25)
    if chance(50) {
      let count = Int.random(in: 0...3, using: &rng)
      let items = (0..<count).map { _ -> String in
        if chance(15) {
          var used = Set<String>()
          return key(used: &used, flow: true) + ": " + scalar(flow: true)
        }
        return inner && chance(50) ? flow(depth: depth + 1) : scalar(flow: true)
      }
      let separator = pick([", ", ",", " , "])
      let trailing = count > 0 && chance(15) ? "," : ""
      let pad = chance(30) ? " " : ""
      return "[" + pad + items.joined(separator: separator) + trailing + pad + "]"
    }
    var used = Set<String>()
    let count = Int.random(in: 0...3, using: &rng)
    let entries = (0..<count).map { _ -> String in
      let k = key(used: &used, flow: true)
      return k + ": " + (inner && chance(50) ? flow(depth: depth + 1) : scalar(flow: true))
    }
    let pad = chance(50) ? " " : ""
    return "{" + pad + entries.joined(separator: ", ") + pad + "}"
  }

  mutating func comment() -> String { chance(25) ? "  # " + pick(["note", "ünï", "a: b", "- x", "#", ""]) : "" }

  mutating func noise(indent: Int) {
    if chance(15) { lines.append("") }
    if chance(15) {
      let column = max(0, indent + Int.random(in: -2...3, using: &rng))
      lines.append(String(repeating: " ", count: column) + "# " + pick(["comment", "key: value", "- item", "ü"]))
    }
  }

  /// Appends a block node; `prefix` is what stands before it on its first line ("key:" or "-" markers).
  mutating func block(indent: Int, prefix: String, depth: Int, inSequenceItem: Bool = false) {
    let pad = String(repeating: " ", count: indent)
    let leaf = depth >= maxDepth || chance(30)
    if leaf {
      let value = chance(20) ? flow(depth: 0) : scalar(flow: false)
      if chance(5) && !prefix.isEmpty {
        lines.append(prefix + comment())
        return
      }
      lines.append(prefix + (prefix.isEmpty ? pad : " ") + value + comment())
      return
    }
    let step = Int.random(in: 1...4, using: &rng)
    if chance(50) {
      // A mapping.
      var used = Set<String>()
      let count = Int.random(in: 1...4, using: &rng)
      let compact = inSequenceItem && chance(50)
      var childIndent = indent + step
      if compact {
        childIndent = prefix.count + 1
      } else if !prefix.isEmpty {
        lines.append(prefix + comment())
      }
      for index in 0..<count {
        if index > 0 || !compact { noise(indent: childIndent) }
        let k = key(used: &used)
        let head = index == 0 && compact ? prefix + " " + k + ":" : String(repeating: " ", count: childIndent) + k + ":"
        block(indent: childIndent, prefix: head, depth: depth + 1)
      }
    } else {
      // A list: indentless under a key, compact after "- ", or indented.
      let count = Int.random(in: 1...4, using: &rng)
      let isKey = prefix.hasSuffix(":")
      var itemIndent = indent + step
      var compact = false
      if isKey && chance(40) {
        itemIndent = indent
        lines.append(prefix + comment())
      } else if inSequenceItem && chance(40) {
        compact = true
        itemIndent = prefix.count + 1
      } else if !prefix.isEmpty {
        lines.append(prefix + comment())
      } else {
        itemIndent = indent
      }
      for index in 0..<count {
        if index > 0 { noise(indent: itemIndent) }
        let head =
          index == 0 && compact ? prefix + " -" : String(repeating: " ", count: itemIndent) + "-"
        block(indent: itemIndent, prefix: head, depth: depth + 1, inSequenceItem: true)
      }
    }
  }

  /// One whole document.
  mutating func document() -> String {
    lines = []
    if chance(10) { lines.append("# header comment") }
    if chance(20) { lines.append("---" + (chance(30) ? " # start" : "")) }
    block(indent: chance(10) ? 2 : 0, prefix: "", depth: 0)
    noise(indent: 0)
    var text = lines.joined(separator: chance(10) ? "\r\n" : "\n")
    if chance(80) { text += "\n" }
    if chance(5) { text = "\u{FEFF}" + text }
    return text
  }
}
