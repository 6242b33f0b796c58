/// The hand-written reader of TokenWarden's YAML subset.
///
/// The subset is strict: every document it accepts means the same to it as to PyYAML and to YAML 1.2 readers, and every
/// construct outside it is rejected with a diagnostic naming the construct. Grammar (indentation as in YAML):
///
///     document   ::= BOM? comment-lines ('---' comment? EOL)? block-node? comment-lines
///     block-node ::= block-seq | block-map | inline-node EOL
///     block-seq  ::= ('-' (' ' block-node | EOL (indented block-node)?))+          all '-' in one column
///     block-map  ::= (key ':' (' ' inline-node EOL | EOL (indented block-node | block-seq at the key's column)?))+
///     key        ::= plain | single-quoted | double-quoted                          on one line, ≤ 1000 characters
///     inline-node::= flow-seq | flow-map | plain | single-quoted | double-quoted     on one line
///     flow-seq   ::= '[' (flow-item (',' flow-item)* ','?)? ']'        flow-item ::= flow-node | key ': ' flow-node
///     flow-map   ::= '{' (key ': ' flow-node (',' key ': ' flow-node)* ','?)? '}'
///
/// Parsing is linear in the input and never recursive beyond `maxDepth` levels of nesting.
package enum YAMLParser {
  /// Deepest nesting of collections accepted.
  package static let maxDepth = 64
  /// Longest key, in characters (PyYAML refuses keys longer than 1024).
  package static let maxKeyLength = 1000
  /// Largest input accepted, in bytes: four times a policy of 10,000 tokens (about 4 MB), so that what a bad input
  /// can cost in memory and time stays small.
  package static let maxBytes = 16 << 20

  /// Parses one file; the document is nil when any error was found.
  package static func parse(_ file: SourceFile) -> (document: YAMLDocument?, diagnostics: [Diagnostic]) {
    var sink = DiagnosticSink(path: file.path)
    if file.bytes.count > maxBytes {
      sink.error(.fileTooLarge(bytes: file.bytes.count, limit: maxBytes), .point(0))
      return (nil, sink.items)
    }
    if !TextValidation.validate(file.bytes, into: &sink) { return (nil, sink.items) }
    return file.bytes.withUnsafeBufferPointer { buffer in
      var parser = Parser(buffer: buffer, sink: sink)
      let document = parser.parseDocument()
      return (parser.sink.hasErrors ? nil : document, parser.sink.items)
    }
  }
}

struct ParseFailure: Error {
  let message: DiagnosticMessage
  let range: SourceRange
  let note: String?

  init(_ message: DiagnosticMessage, _ range: SourceRange, note: String? = nil) {
    self.message = message
    self.range = range
    self.note = note
  }
}

private enum KeyIdentity: Hashable {
  case string(String)
  case number(String)
  case null
}

private enum ASCII {
  static let tab: UInt8 = 0x09
  static let lf: UInt8 = 0x0A
  static let cr: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22
  static let hash: UInt8 = 0x23
  static let apostrophe: UInt8 = 0x27
  static let comma: UInt8 = 0x2C
  static let dash: UInt8 = 0x2D
  static let dot: UInt8 = 0x2E
  static let colon: UInt8 = 0x3A
  static let question: UInt8 = 0x3F
  static let leftBracket: UInt8 = 0x5B
  static let backslash: UInt8 = 0x5C
  static let rightBracket: UInt8 = 0x5D
  static let leftBrace: UInt8 = 0x7B
  static let rightBrace: UInt8 = 0x7D
}

private struct Parser {
  let buffer: UnsafeBufferPointer<UInt8>
  var sink: DiagnosticSink
  var comments: [YAMLComment] = []
  var pos = 0
  var lineStart = 0
  var depth = 0
  /// The current content line starts with `---` or `...` in column 0: the document ends here.
  var atMarker = false

  init(buffer: UnsafeBufferPointer<UInt8>, sink: DiagnosticSink) {
    self.buffer = buffer
    self.sink = sink
  }

  // MARK: Bytes and lines

  /// The byte at `index`, or 0 past the end (NUL cannot occur in validated input).
  @inline(__always) func byte(_ index: Int) -> UInt8 { index < buffer.count ? buffer[index] : 0 }
  @inline(__always) func isBreak(_ index: Int) -> Bool {
    let c = byte(index)
    return c == ASCII.lf || c == ASCII.cr || index >= buffer.count
  }
  /// Space, tab, line break or end of input.
  @inline(__always) func isBlank(_ index: Int) -> Bool {
    let c = byte(index)
    return c == ASCII.space || c == ASCII.tab || isBreak(index)
  }
  var atEnd: Bool { pos >= buffer.count }
  var endOfContent: Bool { pos >= buffer.count || atMarker }
  var column: Int { pos - lineStart }

  func isSequenceIndicator(_ index: Int) -> Bool { byte(index) == ASCII.dash && isBlank(index + 1) }

  func isMarker(_ index: Int) -> Bool {
    let c = byte(index)
    guard c == ASCII.dash || c == ASCII.dot else { return false }
    return byte(index + 1) == c && byte(index + 2) == c && isBlank(index + 3)
  }

  mutating func consumeBreak() {
    if byte(pos) == ASCII.cr { pos += 1 }
    if byte(pos) == ASCII.lf { pos += 1 }
    lineStart = pos
  }

  mutating func skipSpaces() throws(ParseFailure) {
    while byte(pos) == ASCII.space { pos += 1 }
    if byte(pos) == ASCII.tab { throw ParseFailure(.tabCharacter, .point(pos)) }
  }

  mutating func readComment(ownLine: Bool) {
    let start = pos
    while !isBreak(pos) { pos += 1 }
    let text = String(decoding: buffer[(start + 1)..<pos], as: UTF8.self)
    comments.append(YAMLComment(range: SourceRange(start, pos), text: text, ownLine: ownLine))
  }

  /// After a value: spaces, an optional comment, then the line break.
  mutating func finishLine() throws(ParseFailure) {
    try skipSpaces()
    let c = byte(pos)
    if c == ASCII.hash {
      guard pos > 0, buffer[pos - 1] == ASCII.space else { throw ParseFailure(.commentNeedsSpace, .point(pos)) }
      readComment(ownLine: false)
    } else if c == ASCII.colon && isBlank(pos + 1) {
      throw ParseFailure(.mappingOnValueLine, .point(pos))
    } else if !isBreak(pos) {
      throw ParseFailure(.unexpectedCharacter(characterName(at: pos)), SourceRange(pos, pos + scalarLength(at: pos)))
    }
    if !atEnd { consumeBreak() }
  }

  /// From a line start, skips blank and comment-only lines to the next content (or the end).
  mutating func skipBlankLines() {
    while true {
      var index = pos
      while byte(index) == ASCII.space { index += 1 }
      if index >= buffer.count {
        pos = index
        return
      }
      switch byte(index) {
      case ASCII.lf, ASCII.cr:
        pos = index
        consumeBreak()
      case ASCII.hash:
        pos = index
        readComment(ownLine: true)
        if !atEnd { consumeBreak() }
      case ASCII.tab:
        sink.error(.tabCharacter, .point(index))
        pos = index
        skipRestOfLine()
      default:
        pos = index
        atMarker = index == lineStart && isMarker(index)
        return
      }
    }
  }

  mutating func skipRestOfLine() {
    while !isBreak(pos) { pos += 1 }
    if !atEnd { consumeBreak() }
  }

  /// Error recovery: drops the rest of the current line and every following line indented more than `indent`.
  mutating func recover(deeperThan indent: Int) {
    if pos != lineStart || !endOfContent { skipRestOfLine() }
    skipBlankLines()
    while !endOfContent && column > indent {
      skipRestOfLine()
      skipBlankLines()
    }
  }

  mutating func record(_ failure: ParseFailure) {
    sink.error(failure.message, failure.range, note: failure.note)
  }

  // MARK: Document

  mutating func parseDocument() -> YAMLDocument {
    if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
      pos = 3
      lineStart = 3
    }
    skipBlankLines()
    var marker: Int?
    if !atEnd && column == 0 && byte(pos) == UInt8(ascii: "%") {
      sink.error(.directiveNotSupported, SourceRange(pos, pos + 1))
      return YAMLDocument(root: nil, comments: comments, startMarker: nil)
    }
    if atMarker && byte(pos) == ASCII.dash {
      marker = pos
      atMarker = false
      pos += 3
      do throws(ParseFailure) {
        try skipSpaces()
        if byte(pos) == ASCII.hash {
          readComment(ownLine: false)
        } else if !isBreak(pos) {
          throw ParseFailure(.contentAfterDocumentStart, .point(pos))
        }
        if !atEnd { consumeBreak() }
        skipBlankLines()
      } catch {
        record(error)
        return YAMLDocument(root: nil, comments: comments, startMarker: marker)
      }
    }
    var root: YAMLNode?
    if !endOfContent {
      do throws(ParseFailure) {
        root = try parseBlockNode()
      } catch {
        record(error)
        recover(deeperThan: -1)
      }
    }
    if !atEnd {
      if atMarker {
        let message: DiagnosticMessage = byte(pos) == ASCII.dash ? .severalDocuments : .documentEndMarker
        sink.error(message, SourceRange(pos, pos + 3))
      } else if !sink.hasErrors {
        sink.error(.unexpectedIndentation, .point(pos))
      }
    }
    return YAMLDocument(root: root, comments: comments, startMarker: marker)
  }

  // MARK: Block structure

  /// A node starting at the current content position; consumes through the end of its last line.
  mutating func parseBlockNode() throws(ParseFailure) -> YAMLNode {
    if isSequenceIndicator(pos) { return try parseBlockSequence(indent: column, indentless: false) }
    if looksLikeKey() { return try parseBlockMapping(indent: column) }
    let node = try parseInlineNode(flow: false)
    try finishLine()
    skipBlankLines()
    return node
  }

  mutating func enter() throws(ParseFailure) {
    guard depth < YAMLParser.maxDepth else {
      throw ParseFailure(.nestingTooDeep(limit: YAMLParser.maxDepth), .point(pos))
    }
    depth += 1
  }

  mutating func parseBlockSequence(indent: Int, indentless: Bool) throws(ParseFailure) -> YAMLNode {
    try enter()
    defer { depth -= 1 }
    let start = pos
    var end = pos + 1
    var items: [YAMLNode] = []
    while true {
      do throws(ParseFailure) {
        pos += 1
        let dashEnd = pos
        try skipSpaces()
        let item: YAMLNode
        if isBreak(pos) || byte(pos) == ASCII.hash {
          try finishLine()
          skipBlankLines()
          item = !endOfContent && column > indent ? try parseBlockNode() : Self.nullNode(at: dashEnd)
        } else {
          item = try parseBlockNode()
        }
        end = max(end, item.range.end)
        items.append(item)
      } catch {
        record(error)
        recover(deeperThan: indent)
      }
      // Find the next entry, reporting lines that fit nowhere.
      while true {
        if endOfContent || column < indent {
          return YAMLNode(.sequence(items), range: SourceRange(start, end))
        }
        if column == indent {
          if isSequenceIndicator(pos) { break }
          if indentless { return YAMLNode(.sequence(items), range: SourceRange(start, end)) }
          sink.error(.expectedSequenceEntry, .point(pos))
        } else {
          sink.error(.unexpectedIndentation, .point(pos))
        }
        recover(deeperThan: indent)
      }
    }
  }

  mutating func parseBlockMapping(indent: Int) throws(ParseFailure) -> YAMLNode {
    try enter()
    defer { depth -= 1 }
    let start = pos
    var end = pos
    var entries: [YAMLEntry] = []
    var seen = FirstSeen<KeyIdentity, Int>()
    while true {
      var valueWasInline = false
      do throws(ParseFailure) {
        let key = try parseBlockKey()
        let colonEnd = pos
        try skipSpaces()
        let value: YAMLNode
        if isBreak(pos) || byte(pos) == ASCII.hash {
          try finishLine()
          skipBlankLines()
          if !endOfContent && column > indent {
            value = try parseBlockNode()
          } else if !endOfContent && column == indent && isSequenceIndicator(pos) {
            value = try parseBlockSequence(indent: indent, indentless: true)
          } else {
            value = Self.nullNode(at: colonEnd)
          }
        } else {
          if isSequenceIndicator(pos) { throw ParseFailure(.sequenceOnKeyLine, .point(pos)) }
          value = try parseInlineNode(flow: false)
          try finishLine()
          skipBlankLines()
          valueWasInline = true
        }
        checkDuplicate(key, in: &seen)
        end = max(end, value.range.end, key.range.end)
        entries.append(YAMLEntry(key: key, value: value))
      } catch {
        record(error)
        recover(deeperThan: indent)
      }
      while true {
        if endOfContent || column < indent {
          return YAMLNode(.mapping(entries), range: SourceRange(start, end))
        }
        if column == indent {
          if !isSequenceIndicator(pos) { break }
          sink.error(.expectedKey, .point(pos))
        } else {
          sink.error(valueWasInline ? .unexpectedIndentation : .badIndentation, .point(pos))
        }
        recover(deeperThan: indent)
      }
    }
  }

  mutating func checkDuplicate(_ key: YAMLNode, in seen: inout FirstSeen<KeyIdentity, Int>) {
    guard let scalar = key.scalar else { return }
    let identity: KeyIdentity
    switch scalar.resolved {
    case .string, .float: identity = .string(scalar.text)
    case .null: identity = .null
    case .bool(let value): identity = .number(value ? "1" : "0")
    case .int(let canonical): identity = .number(canonical)
    }
    if let first = seen.insert(identity, at: key.range.start) {
      guard sink.items.count < DiagnosticSink.limit else { return }
      let line = lineNumber(of: first)
      sink.error(.duplicateKey(scalar.text), key.range, note: "first defined at line \(line)")
    }
  }

  func lineNumber(of offset: Int) -> Int {
    var line = 1
    for index in 0..<min(offset, buffer.count) where buffer[index] == ASCII.lf { line += 1 }
    return line
  }

  /// Whether the content at `pos` is a `key:` (a one-line scalar followed by ':' and a blank).
  func looksLikeKey() -> Bool {
    var index = pos
    let c = byte(index)
    if c == ASCII.quote || c == ASCII.apostrophe {
      guard let close = closingQuote(from: index) else { return false }
      index = close + 1
      while byte(index) == ASCII.space || byte(index) == ASCII.tab { index += 1 }
      return byte(index) == ASCII.colon && isBlank(index + 1)
    }
    guard canStartPlain(index, flow: false) else { return false }
    while !isBreak(index) {
      let b = byte(index)
      if b == ASCII.colon && isBlank(index + 1) { return true }
      if b == ASCII.space && byte(index + 1) == ASCII.hash { return false }
      index += 1
    }
    return false
  }

  /// The index of the quote closing the quoted scalar opened at `open`, on the same line.
  func closingQuote(from open: Int) -> Int? {
    let quote = byte(open)
    var index = open + 1
    while !isBreak(index) {
      let b = byte(index)
      if quote == ASCII.quote && b == ASCII.backslash {
        index += 2
        continue
      }
      if b == quote {
        if quote == ASCII.apostrophe && byte(index + 1) == ASCII.apostrophe {
          index += 2
          continue
        }
        return index
      }
      index += 1
    }
    return nil
  }

  mutating func parseBlockKey() throws(ParseFailure) -> YAMLNode {
    let start = pos
    let key = try parseKeyScalar(flow: false)
    try skipSpaces()
    guard byte(pos) == ASCII.colon && isBlank(pos + 1) else {
      throw ParseFailure(.missingColon(key.scalar?.text ?? ""), .point(pos))
    }
    try checkKeyLength(start)
    pos += 1
    return key
  }

  mutating func parseKeyScalar(flow: Bool) throws(ParseFailure) -> YAMLNode {
    let c = byte(pos)
    if c == ASCII.leftBracket || c == ASCII.leftBrace || c == ASCII.question {
      throw ParseFailure(.complexKey, .point(pos))
    }
    let key = try parseInlineNode(flow: flow)
    if case .float = key.scalar?.resolved {
      throw ParseFailure(.floatKey, key.range)
    }
    return key
  }

  func checkKeyLength(_ start: Int) throws(ParseFailure) {
    guard pos - start > YAMLParser.maxKeyLength else { return }
    var characters = 0
    for index in start..<pos where buffer[index] & 0xC0 != 0x80 { characters += 1 }
    if characters > YAMLParser.maxKeyLength {
      throw ParseFailure(.keyTooLong(limit: YAMLParser.maxKeyLength), SourceRange(start, pos))
    }
  }

  static func nullNode(at offset: Int) -> YAMLNode {
    YAMLNode(.scalar(YAMLScalar(text: "", style: .plain, resolved: .null)), range: .point(offset))
  }

  // MARK: Inline nodes

  /// A scalar or a flow collection on the current line.
  mutating func parseInlineNode(flow: Bool) throws(ParseFailure) -> YAMLNode {
    switch byte(pos) {
    case ASCII.leftBracket: return try parseFlowSequence()
    case ASCII.leftBrace: return try parseFlowMapping()
    case ASCII.quote:
      let start = pos
      let text = try scanDoubleQuoted()
      return YAMLNode(
        .scalar(YAMLScalar(text: text, style: .doubleQuoted, resolved: .string)), range: SourceRange(start, pos))
    case ASCII.apostrophe:
      let start = pos
      let text = try scanSingleQuoted()
      return YAMLNode(
        .scalar(YAMLScalar(text: text, style: .singleQuoted, resolved: .string)), range: SourceRange(start, pos))
    default:
      if !canStartPlain(pos, flow: flow) { throw indicatorFailure(flow: flow) }
      let start = pos
      let end = try scanPlain(flow: flow)
      let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
      let text = String(decoding: slice, as: UTF8.self)
      switch ScalarResolution.resolve(slice) {
      case .resolved(let resolved):
        return YAMLNode(
          .scalar(YAMLScalar(text: text, style: .plain, resolved: resolved)), range: SourceRange(start, end))
      case .ambiguous(let why):
        throw ParseFailure(.ambiguousScalar(text), SourceRange(start, end), note: "\(why); quote it: '\(text)'")
      }
    }
  }

  func canStartPlain(_ index: Int, flow: Bool) -> Bool {
    switch byte(index) {
    case ASCII.dash:
      let next = byte(index + 1)
      if isBlank(index + 1) { return false }
      return !flow
        || !(next == ASCII.comma || next == ASCII.leftBracket || next == ASCII.rightBracket
          || next == ASCII.leftBrace || next == ASCII.rightBrace)
    case ASCII.question, ASCII.colon, ASCII.comma, ASCII.leftBracket, ASCII.rightBracket, ASCII.leftBrace,
      ASCII.rightBrace, ASCII.hash, UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
      UInt8(ascii: ">"), ASCII.apostrophe, ASCII.quote, UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"),
      ASCII.space, ASCII.tab, ASCII.lf, ASCII.cr, 0:
      return false
    default:
      return true
    }
  }

  func indicatorFailure(flow: Bool) -> ParseFailure {
    let here = SourceRange(pos, pos + 1)
    switch byte(pos) {
    case UInt8(ascii: "&"): return ParseFailure(.anchorNotSupported, here)
    case UInt8(ascii: "*"): return ParseFailure(.aliasNotSupported, here)
    case UInt8(ascii: "!"): return ParseFailure(.tagNotSupported, here)
    case UInt8(ascii: "|"), UInt8(ascii: ">"): return ParseFailure(.blockScalarNotSupported, here)
    case UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), ASCII.question, ASCII.colon:
      return ParseFailure(.indicatorNeedsQuotes(characterName(at: pos)), here)
    case ASCII.dash: return ParseFailure(flow ? .blockSequenceInFlow : .sequenceOnKeyLine, here)
    case ASCII.tab: return ParseFailure(.tabCharacter, here)
    default: return ParseFailure(.unexpectedCharacter(characterName(at: pos)), here)
    }
  }

  /// Scans a plain scalar on the current line; returns the end of its text (trailing spaces excluded).
  mutating func scanPlain(flow: Bool) throws(ParseFailure) -> Int {
    var end = pos
    while true {
      let c = byte(pos)
      if c == ASCII.lf || c == ASCII.cr || pos >= buffer.count { break }
      if c == ASCII.space {
        if byte(pos + 1) == ASCII.hash { break }
        pos += 1
        continue
      }
      if c == ASCII.tab { throw ParseFailure(.tabCharacter, .point(pos)) }
      if c == ASCII.colon {
        if isBlank(pos + 1) { break }
        if flow { throw ParseFailure(.colonInFlowScalar, .point(pos)) }
      } else if flow {
        if c == ASCII.comma || c == ASCII.leftBracket || c == ASCII.rightBracket || c == ASCII.leftBrace
          || c == ASCII.rightBrace
        {
          break
        }
        if c == ASCII.question { throw ParseFailure(.questionInFlowScalar, .point(pos)) }
      }
      pos += 1
      end = pos
    }
    pos = end
    return end
  }

  mutating func scanSingleQuoted() throws(ParseFailure) -> String {
    let start = pos
    pos += 1
    var segment = pos
    var out: [UInt8] = []
    while true {
      if isBreak(pos) { throw ParseFailure(.unterminatedQuoted, SourceRange(start, pos)) }
      if byte(pos) == ASCII.apostrophe {
        out.append(contentsOf: buffer[segment..<pos])
        if byte(pos + 1) == ASCII.apostrophe {
          out.append(ASCII.apostrophe)
          pos += 2
          segment = pos
          continue
        }
        pos += 1
        return String(decoding: out, as: UTF8.self)
      }
      pos += 1
    }
  }

  mutating func scanDoubleQuoted() throws(ParseFailure) -> String {
    let start = pos
    pos += 1
    var segment = pos
    var out: [UInt8] = []
    while true {
      if isBreak(pos) { throw ParseFailure(.unterminatedQuoted, SourceRange(start, pos)) }
      let c = byte(pos)
      if c == ASCII.quote {
        out.append(contentsOf: buffer[segment..<pos])
        pos += 1
        return String(decoding: out, as: UTF8.self)
      }
      if c != ASCII.backslash {
        pos += 1
        continue
      }
      out.append(contentsOf: buffer[segment..<pos])
      let escapeStart = pos
      let e = byte(pos + 1)
      if isBreak(pos + 1) { throw ParseFailure(.unterminatedQuoted, SourceRange(start, pos + 1)) }
      var scalar: UInt32?
      var width = 2
      switch e {
      case UInt8(ascii: "0"): scalar = 0
      case UInt8(ascii: "a"): scalar = 0x07
      case UInt8(ascii: "b"): scalar = 0x08
      case UInt8(ascii: "t"), ASCII.tab: scalar = 0x09
      case UInt8(ascii: "n"): scalar = 0x0A
      case UInt8(ascii: "v"): scalar = 0x0B
      case UInt8(ascii: "f"): scalar = 0x0C
      case UInt8(ascii: "r"): scalar = 0x0D
      case UInt8(ascii: "e"): scalar = 0x1B
      case ASCII.space: scalar = 0x20
      case ASCII.quote: scalar = 0x22
      case UInt8(ascii: "/"): scalar = 0x2F
      case ASCII.backslash: scalar = 0x5C
      case UInt8(ascii: "N"): scalar = 0x85
      case UInt8(ascii: "_"): scalar = 0xA0
      case UInt8(ascii: "L"): scalar = 0x2028
      case UInt8(ascii: "P"): scalar = 0x2029
      case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
        let digits = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for offset in 0..<digits {
          guard let digit = Self.hexValue(byte(pos + 2 + offset)) else {
            throw ParseFailure(.invalidEscape, SourceRange(escapeStart, pos + 2 + offset))
          }
          value = value << 4 | digit
        }
        width = 2 + digits
        guard Unicode.Scalar(value) != nil else {
          throw ParseFailure(.invalidEscape, SourceRange(escapeStart, pos + width))
        }
        scalar = value
      default:
        throw ParseFailure(
          .unknownEscape(characterName(at: pos + 1)), SourceRange(escapeStart, pos + 1 + scalarLength(at: pos + 1)))
      }
      if let scalar, let unicode = Unicode.Scalar(scalar) {
        UTF8.encode(unicode) { out.append($0) }
      }
      pos += width
      segment = pos
    }
  }

  static func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  // MARK: Flow collections

  /// Spaces inside a flow collection; the collection must close on this line.
  mutating func skipFlowSpaces(open: Int) throws(ParseFailure) {
    try skipSpaces()
    if isBreak(pos) || byte(pos) == ASCII.hash {
      throw ParseFailure(.unterminatedFlow(characterName(at: open)), SourceRange(open, open + 1))
    }
  }

  mutating func parseFlowSequence() throws(ParseFailure) -> YAMLNode {
    try enter()
    defer { depth -= 1 }
    let open = pos
    pos += 1
    var items: [YAMLNode] = []
    try skipFlowSpaces(open: open)
    while byte(pos) != ASCII.rightBracket {
      if byte(pos) == ASCII.comma { throw ParseFailure(.emptyFlowEntry, .point(pos)) }
      if isSequenceIndicator(pos) { throw ParseFailure(.blockSequenceInFlow, .point(pos)) }
      let itemStart = pos
      var item = try parseFlowNode()
      try skipFlowSpaces(open: open)
      if byte(pos) == ASCII.colon {
        // `[key: value]`: a mapping of one pair, as every YAML reader reads it.
        item = try parseFlowPair(key: item, keyStart: itemStart, open: open)
        try skipFlowSpaces(open: open)
      }
      items.append(item)
      switch byte(pos) {
      case ASCII.comma:
        pos += 1
        try skipFlowSpaces(open: open)
      case ASCII.rightBracket:
        break
      case ASCII.colon:
        throw ParseFailure(.pairInFlowSequence, .point(pos))
      default:
        throw ParseFailure(.expectedFlowSeparator("']'"), .point(pos))
      }
    }
    pos += 1
    return YAMLNode(.sequence(items), range: SourceRange(open, pos), style: .flow)
  }

  mutating func parseFlowMapping() throws(ParseFailure) -> YAMLNode {
    try enter()
    defer { depth -= 1 }
    let open = pos
    pos += 1
    var entries: [YAMLEntry] = []
    var seen = FirstSeen<KeyIdentity, Int>()
    try skipFlowSpaces(open: open)
    while byte(pos) != ASCII.rightBrace {
      if byte(pos) == ASCII.comma { throw ParseFailure(.emptyFlowEntry, .point(pos)) }
      let keyStart = pos
      let key = try parseKeyScalar(flow: true)
      try skipFlowSpaces(open: open)
      guard byte(pos) == ASCII.colon else {
        throw ParseFailure(.missingColon(key.scalar?.text ?? ""), .point(pos))
      }
      guard byte(pos + 1) == ASCII.space else {
        let next = byte(pos + 1)
        if next == ASCII.comma || next == ASCII.rightBrace { throw ParseFailure(.emptyFlowEntry, .point(pos + 1)) }
        throw ParseFailure(.missingSpaceAfterColon, .point(pos + 1))
      }
      try checkKeyLength(keyStart)
      pos += 1
      try skipFlowSpaces(open: open)
      if byte(pos) == ASCII.comma || byte(pos) == ASCII.rightBrace {
        throw ParseFailure(.emptyFlowEntry, .point(pos))
      }
      let value = try parseFlowNode()
      checkDuplicate(key, in: &seen)
      entries.append(YAMLEntry(key: key, value: value))
      try skipFlowSpaces(open: open)
      switch byte(pos) {
      case ASCII.comma:
        pos += 1
        try skipFlowSpaces(open: open)
      case ASCII.rightBrace:
        break
      default:
        throw ParseFailure(.expectedFlowSeparator("'}'"), .point(pos))
      }
    }
    pos += 1
    return YAMLNode(.mapping(entries), range: SourceRange(open, pos), style: .flow)
  }

  /// The rest of `key: value` inside a flow sequence, from the ':'.
  mutating func parseFlowPair(key: YAMLNode, keyStart: Int, open: Int) throws(ParseFailure) -> YAMLNode {
    guard key.scalar != nil else { throw ParseFailure(.complexKey, key.range) }
    if case .float = key.scalar?.resolved { throw ParseFailure(.floatKey, key.range) }
    let colon = pos
    guard byte(pos + 1) == ASCII.space else {
      let next = byte(pos + 1)
      if next == ASCII.comma || next == ASCII.rightBracket { throw ParseFailure(.emptyFlowEntry, .point(pos + 1)) }
      throw ParseFailure(.missingSpaceAfterColon, .point(pos + 1))
    }
    try checkKeyLength(keyStart)
    pos += 1
    try skipFlowSpaces(open: open)
    if byte(pos) == ASCII.comma || byte(pos) == ASCII.rightBracket {
      throw ParseFailure(.emptyFlowEntry, .point(pos))
    }
    if byte(pos) == ASCII.colon { throw ParseFailure(.pairInFlowSequence, .point(colon)) }
    let value = try parseFlowNode()
    return YAMLNode(
      .mapping([YAMLEntry(key: key, value: value)]), range: SourceRange(key.range.start, value.range.end),
      style: .flowPair)
  }

  mutating func parseFlowNode() throws(ParseFailure) -> YAMLNode {
    if isSequenceIndicator(pos) { throw ParseFailure(.blockSequenceInFlow, .point(pos)) }
    return try parseInlineNode(flow: true)
  }

  // MARK: Words for diagnostics

  func scalarLength(at index: Int) -> Int {
    guard index < buffer.count else { return 0 }
    let lead = buffer[index]
    if lead < 0x80 { return 1 }
    if lead >= 0xF0 { return 4 }
    if lead >= 0xE0 { return 3 }
    return 2
  }

  func characterName(at index: Int) -> String {
    guard index < buffer.count else { return "end of file" }
    let length = min(scalarLength(at: index), buffer.count - index)
    return String(decoding: buffer[index..<(index + length)], as: UTF8.self)
  }
}
