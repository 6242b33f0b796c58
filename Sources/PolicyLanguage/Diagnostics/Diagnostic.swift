import TokenModel

/// How bad a finding is.
package enum Severity: String, Sendable, Codable, Comparable {
  case warning
  case error

  package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// One finding about a policy file: a typed value, turned into words only by a renderer.
package struct Diagnostic: Sendable, Hashable {
  package let severity: Severity
  package let message: DiagnosticMessage
  /// The file the range points into.
  package let path: String
  package let range: SourceRange
  /// A second sentence: why, or what to do.
  package let note: String?

  package init(
    _ severity: Severity, _ message: DiagnosticMessage, path: String, range: SourceRange, note: String? = nil
  ) {
    self.severity = severity
    self.message = message
    self.path = path
    self.range = range
    self.note = (note ?? message.defaultNote).map(SecretMask.maskingTokens(in:))
  }
}

/// A diagnostic message from the catalogue: a stable identifier and its words.
package struct DiagnosticMessage: Sendable, Hashable {
  /// Stable, kebab-case; scripts and tests may rely on it.
  package let id: String
  /// Lowercase, no trailing period, quoted names in '…'.
  package let text: String
  package let defaultNote: String?

  /// Words quoted from the file that look like a token value are masked here, once for every renderer.
  init(_ id: String, _ text: String, note: String? = nil) {
    self.id = id
    self.text = SecretMask.maskingTokens(in: text)
    self.defaultNote = note.map(SecretMask.maskingTokens(in:))
  }
}

/// Diagnostics of one file, collected while parsing, with a cap so hostile input cannot flood the output.
struct DiagnosticSink {
  static let limit = 100
  let path: String
  private(set) var items: [Diagnostic] = []
  private(set) var dropped = 0

  init(path: String) { self.path = path }

  var hasErrors: Bool { items.contains { $0.severity == .error } }

  mutating func error(_ message: DiagnosticMessage, _ range: SourceRange, note: String? = nil) {
    add(Diagnostic(.error, message, path: path, range: range, note: note))
  }

  mutating func warning(_ message: DiagnosticMessage, _ range: SourceRange, note: String? = nil) {
    add(Diagnostic(.warning, message, path: path, range: range, note: note))
  }

  mutating func add(_ diagnostic: Diagnostic) {
    if items.count < Self.limit { items.append(diagnostic) } else { dropped += 1 }
  }
}
