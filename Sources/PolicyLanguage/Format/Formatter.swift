/// The canonical layout of a policy file, keeping the user's order, comments and blank-line grouping.
///
/// Two spaces per level; lists under a key are indented; a mapping or list inside a list item starts on the item's
/// line (`- key: value`, `- - a`); flow collections stay flow with `[a, b]` and `{k: v}` spacing; strings are plain
/// when that reads back the same, else quoted. Formatting is idempotent, and the result parses to the same data.
package enum Formatter {
  /// The formatted text of a file, or nil with diagnostics when it does not parse.
  package static func format(_ source: SourceFile) -> (text: String?, diagnostics: [Diagnostic]) {
    let (document, diagnostics) = YAMLParser.parse(source)
    guard let document else { return (nil, diagnostics) }
    var printer = Printer(source: source, document: document)
    return (printer.print(), diagnostics)
  }
}

private struct Printer {
  let source: SourceFile
  let document: YAMLDocument
  var lines: [String] = []
  /// Own-line comments in source order, and the next one to print.
  let ownComments: [YAMLComment]
  var nextComment = 0
  /// Trailing comments by 0-based source line.
  let trailing: [Int: String]
  /// The last source line whose trailing comment has been considered.
  var coveredLine = -1

  init(source: SourceFile, document: YAMLDocument) {
    self.source = source
    self.document = document
    ownComments = document.comments.filter(\.ownLine)
    var trailing: [Int: String] = [:]
    for comment in document.comments where !comment.ownLine {
      trailing[source.lineIndex(of: comment.range.start)] = "#" + comment.text
    }
    self.trailing = trailing
  }

  mutating func print() -> String {
    if let marker = document.startMarker {
      flushComments(before: marker, indent: 0)
      emit("---", throughOffset: marker)
    }
    if let root = document.root {
      switch root.value {
      case .mapping(let entries) where root.style == .block:
        emitEntries(entries, indent: 0, limit: Int.max)
      case .sequence(let items) where root.style == .block:
        emitItems(items, indent: 0, limit: Int.max)
      default:
        flushComments(before: root.range.start, indent: 0)
        separateIfBlankBefore(root.range.start)
        emit(inline(root), throughOffset: root.range.end)
      }
    }
    flushComments(before: Int.max, indent: 0)
    if lines.last == "" { lines.removeLast() }
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }

  // MARK: Lines

  /// Appends a line, with the trailing comments of every source line up to the one holding `offset`.
  mutating func emit(_ text: String, throughOffset offset: Int) {
    let lastLine = source.lineIndex(of: max(0, min(offset, source.bytes.count)))
    var found: [String] = []
    if lastLine > coveredLine {
      for index in (coveredLine + 1)...lastLine {
        if let comment = trailing[index] { found.append(comment) }
      }
      coveredLine = lastLine
    }
    // One line keeps one trailing comment; comments of source lines folded into it go above it, in order.
    let indent = String(repeating: " ", count: text.prefix { $0 == " " }.count)
    for comment in found.dropLast() { lines.append(indent + comment) }
    lines.append(found.last.map { text + "  " + $0 } ?? text)
  }

  /// One blank line where the source had at least one before `offset`'s line.
  mutating func separateIfBlankBefore(_ offset: Int) {
    guard let last = lines.last, last != "", last != "---" else { return }
    let line = source.lineIndex(of: offset)
    guard line > 0 else { return }
    if isBlank(line - 1) { lines.append("") }
  }

  func isBlank(_ line: Int) -> Bool {
    let start = source.lineStarts[line]
    let end = line + 1 < source.lineStarts.count ? source.lineStarts[line + 1] : source.bytes.count
    return source.bytes[start..<end].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }
  }

  /// Prints own-line comments that stand before `offset`, at `indent`.
  mutating func flushComments(before offset: Int, indent: Int, minColumn: Int = 0) {
    while nextComment < ownComments.count {
      let comment = ownComments[nextComment]
      guard comment.range.start < offset, column(of: comment.range.start) >= minColumn else { return }
      // Trailing comments of lines folded into later output (a bare '-' line, say) keep their place in the order.
      let line = source.lineIndex(of: comment.range.start)
      if line - 1 > coveredLine {
        for index in (coveredLine + 1)..<line {
          if let text = trailing[index] { lines.append(String(repeating: " ", count: indent) + text) }
        }
        coveredLine = line - 1
      }
      separateIfBlankBefore(comment.range.start)
      lines.append(String(repeating: " ", count: indent) + "#" + comment.text)
      nextComment += 1
    }
  }

  func column(of offset: Int) -> Int { offset - source.lineStarts[source.lineIndex(of: offset)] }

  // MARK: Block collections

  /// `limit`: where the next content after these entries starts; comments before it that are indented at least as
  /// deep as the entries stay with them.
  mutating func emitEntries(_ entries: [YAMLEntry], indent: Int, limit: Int, firstHead: String? = nil) {
    for (index, entry) in entries.enumerated() {
      let next = index + 1 < entries.count ? entries[index + 1].key.range.start : limit
      let key = ScalarStyle.render(
        entry.key.scalar ?? YAMLScalar(text: "", style: .plain, resolved: .null), flow: false)
      let head: String
      if index == 0, let firstHead {
        // Comments between a '-' and its content go above the line that now holds both.
        flushComments(before: entry.key.range.start, indent: firstHead.prefix { $0 == " " }.count)
        head = firstHead + " " + key + ":"
      } else {
        flushComments(before: entry.key.range.start, indent: indent)
        separateIfBlankBefore(entry.key.range.start)
        head = String(repeating: " ", count: indent) + key + ":"
      }
      emitValue(entry.value, head: head, headOffset: entry.key.range.end, indent: indent, limit: next)
    }
    if let first = entries.first {
      flushComments(before: limit, indent: indent, minColumn: column(of: first.key.range.start))
    }
  }

  mutating func emitItems(_ items: [YAMLNode], indent: Int, limit: Int, firstHead: String? = nil) {
    for (index, item) in items.enumerated() {
      let next = index + 1 < items.count ? items[index + 1].range.start : limit
      let head: String
      if index == 0, let firstHead {
        flushComments(before: item.range.start, indent: firstHead.prefix { $0 == " " }.count)
        head = firstHead + " -"
      } else {
        flushComments(before: item.range.start, indent: indent)
        separateIfBlankBefore(item.range.start)
        head = String(repeating: " ", count: indent) + "-"
      }
      emitValue(item, head: head, headOffset: item.range.start, indent: indent, limit: next, inSequence: true)
    }
    if let first = items.first {
      // The dash stands two columns before an item's content when the item is on the dash's line.
      flushComments(before: limit, indent: indent, minColumn: max(0, column(of: first.range.start) - 2))
    }
  }

  /// A value after its head ("  key:" or "  -"): inline on the head's line, or a block below it (or, inside a list,
  /// starting on the head's line).
  mutating func emitValue(
    _ node: YAMLNode, head: String, headOffset: Int, indent: Int, limit: Int, inSequence: Bool = false
  ) {
    switch node.value {
    case .mapping(let entries) where node.style == .block && !entries.isEmpty:
      if inSequence {
        emitEntries(entries, indent: head.count + 1, limit: limit, firstHead: head)
      } else {
        emit(head, throughOffset: headOffset)
        emitEntries(entries, indent: indent + 2, limit: limit)
      }
    case .sequence(let items) where node.style == .block && !items.isEmpty:
      if inSequence {
        emitItems(items, indent: head.count + 1, limit: limit, firstHead: head)
      } else {
        emit(head, throughOffset: headOffset)
        emitItems(items, indent: indent + 2, limit: limit)
      }
    default:
      let text = inline(node)
      emit(text.isEmpty ? head : head + " " + text, throughOffset: max(headOffset, node.range.end))
    }
  }

  // MARK: Inline nodes

  func inline(_ node: YAMLNode, flow: Bool = false) -> String {
    switch node.value {
    case .scalar(let scalar):
      return ScalarStyle.render(scalar, flow: flow)
    case .sequence(let items):
      return "[" + items.map { inline($0, flow: true) }.joined(separator: ", ") + "]"
    case .mapping(let entries):
      if entries.isEmpty { return "{}" }
      if node.style == .flowPair, let pair = entries.first {
        return inline(pair.key, flow: true) + ": " + inline(pair.value, flow: true)
      }
      let pairs = entries.map { entry in
        inline(entry.key, flow: true) + ": " + inline(entry.value, flow: true)
      }
      return "{" + pairs.joined(separator: ", ") + "}"
    }
  }
}
