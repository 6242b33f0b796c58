import Foundation
import PolicyLanguage
import TokenModel

/// Turns diagnostics into words: compiler-style text with source excerpts, `terraform validate -json`-style JSON, or
/// GitHub Actions workflow commands.
package struct DiagnosticRenderer: Sendable {
  /// The files the diagnostics point into, by path.
  package let sources: [String: SourceFile]

  package init(sources: [SourceFile]) {
    var byPath: [String: SourceFile] = [:]
    for source in sources { byPath[source.path] = source }
    self.sources = byPath
  }

  func positions(_ diagnostic: Diagnostic) -> (SourcePosition, SourcePosition)? {
    guard let source = sources[diagnostic.path] else { return nil }
    return (source.position(of: diagnostic.range.start), source.position(of: diagnostic.range.end))
  }

  // MARK: Text

  /// `path:line:col: error: message`, the source line with carets under the range, then the note.
  package func text(_ diagnostics: [Diagnostic], style: TextStyle) -> String {
    diagnostics.map { text($0, style: style) }.joined()
  }

  package func text(_ diagnostic: Diagnostic, style: TextStyle) -> String {
    let severity = diagnostic.severity == .error ? style.red("error:") : style.yellow("warning:")
    guard let source = sources[diagnostic.path], let (start, end) = positions(diagnostic) else {
      var out = style.bold(diagnostic.path + ":") + " " + severity + " " + style.bold(diagnostic.message.text) + "\n"
      if let note = diagnostic.note { out += "  note: " + note + "\n" }
      return out
    }
    var out =
      style.bold("\(diagnostic.path):\(start.line):\(start.column):") + " " + severity + " "
      + style.bold(diagnostic.message.text) + "\n"
    // A token pasted into the file is never shown again: the excerpt is masked, and the carets follow the mask.
    let (line, edits) = SecretMask.maskLine(source.lineText(start.line))
    var startColumn = start.column
    var endColumn = end.column
    if !edits.isEmpty {
      startColumn = SecretMask.column(start.column - 1, through: edits) + 1
      if end.line == start.line {
        endColumn = max(startColumn + 1, SecretMask.column(end.column - 1, through: edits) + 1)
        // A range ending inside a masked value covers the whole mask.
        if let edit = edits.first(where: { $0.start < end.column - 1 && end.column - 1 <= $0.start + $0.removed }) {
          endColumn = max(endColumn, edit.start + edit.inserted + 1)
        }
      }
    }
    if !line.isEmpty || start.line <= source.lineCount {
      let number = String(start.line)
      let gutter = String(repeating: " ", count: number.count)
      let scalars = Array(line.replacingOccurrences(of: "\t", with: " ").unicodeScalars)
      // Long lines are cut to a window around the range, marked with '…'.
      let window = 160
      let first = max(0, min(startColumn - 1 - window / 2, scalars.count - window))
      let last = min(scalars.count, first + window)
      var visible = String(String.UnicodeScalarView(scalars[first..<last]))
      if first > 0 { visible = "…" + visible }
      if last < scalars.count { visible += "…" }
      out += style.dim(number + " | ") + visible + "\n"
      let column = startColumn - 1 - first + (first > 0 ? 1 : 0)
      let available = max(1, last - (startColumn - 1))
      let wanted = end.line == start.line ? endColumn - startColumn : scalars.count - startColumn + 1
      let width = max(1, min(wanted, available))
      let caret = "^" + String(repeating: "~", count: max(0, width - 1))
      out += style.dim(gutter + " | ") + String(repeating: " ", count: max(0, column)) + style.green(caret) + "\n"
    }
    if let note = diagnostic.note { out += "  " + style.cyan("note:") + " " + note + "\n" }
    return out
  }

  // MARK: JSON

  struct JSONDocument: Encodable {
    let formatVersion = "1.0"
    let valid: Bool
    let errorCount: Int
    let warningCount: Int
    let diagnostics: [JSONDiagnostic]

    enum CodingKeys: String, CodingKey {
      case formatVersion = "format_version"
      case valid
      case errorCount = "error_count"
      case warningCount = "warning_count"
      case diagnostics
    }
  }

  struct JSONDiagnostic: Encodable {
    let severity: String
    let code: String
    let summary: String
    let detail: String
    let range: JSONRange?
  }

  struct JSONRange: Encodable {
    let filename: String
    let start: JSONPosition
    let end: JSONPosition
  }

  struct JSONPosition: Encodable {
    let line: Int
    let column: Int
    let byte: Int
  }

  /// The document `validate --json` prints, shaped like `terraform validate -json` (format_version "1.0").
  package func json(_ diagnostics: [Diagnostic]) -> String {
    let items = diagnostics.map { diagnostic -> JSONDiagnostic in
      let range = positions(diagnostic).map { start, end in
        JSONRange(
          filename: diagnostic.path,
          start: JSONPosition(line: start.line, column: start.column, byte: start.offset),
          end: JSONPosition(line: end.line, column: end.column, byte: end.offset))
      }
      return JSONDiagnostic(
        severity: diagnostic.severity.rawValue, code: diagnostic.message.id, summary: diagnostic.message.text,
        detail: diagnostic.note ?? "", range: range)
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let document = JSONDocument(
      valid: errors == 0, errorCount: errors, warningCount: diagnostics.count - errors, diagnostics: items)
    return JSONOutput.encode(document)
  }

  // MARK: GitHub Actions

  /// GitHub shows at most this many annotations of each severity per step.
  package static let annotationLimit = 10

  /// Workflow commands (`::error file=…,line=…,col=…::message`) for the first ten errors and ten warnings; the rest
  /// as plain lines so they still reach the log.
  package func github(_ diagnostics: [Diagnostic]) -> String {
    var out = ""
    var shown: [Severity: Int] = [:]
    for diagnostic in diagnostics {
      let count = shown[diagnostic.severity, default: 0]
      shown[diagnostic.severity] = count + 1
      let message = diagnostic.message.text + (diagnostic.note.map { "\n" + $0 } ?? "")
      guard count < Self.annotationLimit else {
        out += text(diagnostic, style: TextStyle(color: false))
        continue
      }
      var properties = ["file=" + Self.escapeProperty(diagnostic.path)]
      if let (start, end) = positions(diagnostic) {
        properties += ["line=\(start.line)", "col=\(start.column)"]
        if end.line == start.line { properties.append("endColumn=\(max(end.column, start.column))") }
      }
      properties.append("title=" + Self.escapeProperty(diagnostic.message.id))
      let command = diagnostic.severity == .error ? "error" : "warning"
      out += "::\(command) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
    }
    return out
  }

  /// Escaping of a workflow command's message.
  package static func escapeData(_ text: String) -> String {
    text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
      .replacingOccurrences(of: "\n", with: "%0A")
  }

  /// Escaping of a workflow command's property value.
  package static func escapeProperty(_ text: String) -> String {
    escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }
}

/// Stable JSON for everything TokenWarden prints: sorted keys, two-space pretty printing, no escaped slashes.
package enum JSONOutput {
  package static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
