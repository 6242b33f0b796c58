/// A node of the YAML subset's data tree, with the source range it was read from.
package struct YAMLNode: Sendable {
  package enum Value: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode])
    case mapping([YAMLEntry])
  }

  package enum CollectionStyle: Sendable {
    case block
    case flow
    /// A mapping of one pair written inside a flow sequence without braces: `[key: value]`.
    case flowPair
  }

  package var value: Value
  /// For scalars, the scalar's text including quotes; for collections, first to last byte.
  package var range: SourceRange
  package var style: CollectionStyle

  package init(_ value: Value, range: SourceRange, style: CollectionStyle = .block) {
    self.value = value
    self.range = range
    self.style = style
  }

  package var scalar: YAMLScalar? {
    if case .scalar(let scalar) = value { return scalar }
    return nil
  }

  package var entries: [YAMLEntry]? {
    if case .mapping(let entries) = value { return entries }
    return nil
  }

  package var items: [YAMLNode]? {
    if case .sequence(let items) = value { return items }
    return nil
  }

  /// What the node is, in words for diagnostics: "a mapping", "a string", …
  package var kindDescription: String {
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
package struct YAMLEntry: Sendable {
  package var key: YAMLNode
  package var value: YAMLNode
}

/// A scalar: its decoded text, how it was written, and what it means.
package struct YAMLScalar: Sendable, Hashable {
  package enum Style: Sendable, Hashable { case plain, singleQuoted, doubleQuoted }

  /// The text after unquoting and unescaping.
  package var text: String
  package var style: Style
  /// Implicit typing applies to plain scalars only; quoted scalars are always strings.
  package var resolved: ResolvedScalar

  package init(text: String, style: Style, resolved: ResolvedScalar) {
    self.text = text
    self.style = style
    self.resolved = resolved
  }

  /// The text when the scalar is a string (or any scalar read as its text, such as an id of digits).
  package var string: String? { resolved == .string ? text : nil }
}

/// A comment: its text after `#`, and whether it stands alone on its line.
package struct YAMLComment: Sendable, Hashable {
  package var range: SourceRange
  package var text: String
  package var ownLine: Bool
}

/// A parsed document: the root (nil when there is no content), the comments, and where `---` stood if it did.
package struct YAMLDocument: Sendable {
  package var root: YAMLNode?
  package var comments: [YAMLComment]
  /// The offset of the document start marker `---`, when the document has one.
  package var startMarker: Int?
}
