/// One policy file's bytes, with a table of line starts for turning offsets into positions.
///
/// Positions are kept as UTF-8 byte offsets everywhere and turned into `line:column` only for display.
package struct SourceFile: Sendable {
  /// The path as the user named it; used in diagnostics.
  package let path: String
  package let bytes: [UInt8]
  /// Byte offset of the first byte of each line (line 1 starts at 0).
  package let lineStarts: [Int]

  package init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    var starts = [0]
    starts.reserveCapacity(bytes.count / 24 + 1)
    bytes.withUnsafeBufferPointer { buffer in
      for index in 0..<buffer.count where buffer[index] == 0x0A {
        starts.append(index + 1)
      }
    }
    self.lineStarts = starts
  }

  package init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  /// The 0-based line index holding `offset`.
  package func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The 1-based line and column of a byte offset; columns count characters as editors do: each Unicode scalar once,
  /// and each byte that is not part of valid UTF-8 once (editors show it as one replacement character). An offset
  /// inside a multi-byte scalar points at that scalar; an invalid byte is never column 0.
  package func position(of offset: Int) -> SourcePosition {
    let clamped = max(0, min(offset, bytes.count))
    let line = lineIndex(of: clamped)
    var column = 1
    var index = lineStarts[line]
    while index < clamped {
      let length = Self.scalarLength(bytes, at: index)
      if index + length > clamped { break }
      column += 1
      index += length
    }
    return SourcePosition(line: line + 1, column: column, offset: clamped)
  }

  /// The length of the well-formed UTF-8 sequence at `index` (Unicode's table 3-7: no overlong forms, no surrogates,
  /// nothing above U+10FFFF), or 1 for a byte that starts none.
  static func scalarLength(_ bytes: [UInt8], at index: Int) -> Int {
    let lead = bytes[index]
    if lead < 0x80 { return 1 }
    func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
      index + offset < bytes.count && range.contains(bytes[index + offset])
    }
    switch lead {
    case 0xC2...0xDF: return continuation(1) ? 2 : 1
    case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 1
    case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 1
    case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 1
    case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 1
    case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 1
    case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 1
    default: return 1
    }
  }

  /// The text of a 1-based line without its line break.
  package func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] : bytes.count
    while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The line count as an editor shows it.
  package var lineCount: Int {
    if let last = bytes.last, last == 0x0A { return lineStarts.count - 1 }
    return lineStarts.count
  }
}

/// A displayable position: 1-based line and column, and the byte offset it came from.
package struct SourcePosition: Sendable, Hashable, Codable, CustomStringConvertible {
  package let line: Int
  package let column: Int
  package let offset: Int

  package init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  package var description: String { "\(line):\(column)" }
}

/// A half-open range of UTF-8 byte offsets in one file.
package struct SourceRange: Sendable, Hashable {
  package var start: Int
  package var end: Int

  package init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = max(start, end)
  }

  package static func point(_ offset: Int) -> SourceRange { SourceRange(offset, offset) }
}
