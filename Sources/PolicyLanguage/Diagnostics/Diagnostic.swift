import TokenModel

/// How bad a finding is.
public enum Severity: String, Sendable, Codable, Comparable {
  case warning
  case error

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// One finding about a policy file: a typed value, turned into words only by a renderer.
public struct Diagnostic: Sendable, Hashable {
  public let severity: Severity
  public let message: DiagnosticMessage
  /// The file the range points into.
  public let path: String
  public let range: SourceRange
  /// A second sentence: why, or what to do.
  public let note: String?

  public init(
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
public struct DiagnosticMessage: Sendable, Hashable {
  /// Stable, kebab-case; scripts and tests may rely on it.
  public let id: String
  /// Lowercase, no trailing period, quoted names in '…'.
  public let text: String
  public let defaultNote: String?

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
