/// A node of the YAML subset's data tree, with the source range it was read from.
public struct YAMLNode: Sendable {
  public enum Value: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode])
    case mapping([YAMLEntry])
  }

  public enum CollectionStyle: Sendable {
    case block
    case flow
    /// A mapping of one pair written inside a flow sequence without braces: `[key: value]`.
    case flowPair
  }

  public var value: Value
  /// For scalars, the scalar's text including quotes; for collections, first to last byte.
  public var range: SourceRange
  public var style: CollectionStyle

  public init(_ value: Value, range: SourceRange, style: CollectionStyle = .block) {
    self.value = value
    self.range = range
    self.style = style
  }

  public var scalar: YAMLScalar? {
    if case .scalar(let scalar) = value { return scalar }
    return nil
  }

  public var entries: [YAMLEntry]? {
    if case .mapping(let entries) = value { return entries }
    return nil
  }

  public var items: [YAMLNode]? {
    if case .sequence(let items) = value { return items }
    return nil
  }

  /// What the node is, in words for diagnostics: "a mapping", "a string", …
  public var kindDescription: String {
    switch value {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .scalar(let scalar):
      switch scalar.resolved {
      case .null: return "nothing (null)"
      case .bool: return "a boolean"
      case .int: return "an integer"
      case .float: return "a number"
      case .string: return "a string"
      }
    }
  }
}

/// One `key: value` pair of a mapping, in the order written.
public struct YAMLEntry: Sendable {
  public var key: YAMLNode
  public var value: YAMLNode
}

/// A scalar: its decoded text, how it was written, and what it means.
public struct YAMLScalar: Sendable, Hashable {
  public enum Style: Sendable, Hashable { case plain, singleQuoted, doubleQuoted }

  /// The text after unquoting and unescaping.
  public var text: String
  public var style: Style
  /// Implicit typing applies to plain scalars only; quoted scalars are always strings.
  public var resolved: ResolvedScalar

  public init(text: String, style: Style, resolved: ResolvedScalar) {
    self.text = text
    self.style = style
    self.resolved = resolved
  }

  /// The text when the scalar is a string (or any scalar read as its text, such as an id of digits).
  public var string: String? { resolved == .string ? text : nil }
}

/// A comment: its text after `#`, and whether it stands alone on its line.
public struct YAMLComment: Sendable, Hashable {
  public var range: SourceRange
  public var text: String
  public var ownLine: Bool
}

/// A parsed document: the root (nil when there is no content), the comments, and where `---` stood if it did.
public struct YAMLDocument: Sendable {
  public var root: YAMLNode?
  public var comments: [YAMLComment]
  /// The offset of the document start marker `---`, when the document has one.
  public var startMarker: Int?
}
