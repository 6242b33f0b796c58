/// ANSI styling that collapses to plain text when colour is off.
public struct TextStyle: Sendable {
  public let color: Bool

  public init(color: Bool) { self.color = color }

  func wrap(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  public func bold(_ text: String) -> String { wrap(text, "1") }
  public func red(_ text: String) -> String { wrap(text, "1;31") }
  public func yellow(_ text: String) -> String { wrap(text, "1;33") }
  public func green(_ text: String) -> String { wrap(text, "32") }
  public func cyan(_ text: String) -> String { wrap(text, "36") }
  public func dim(_ text: String) -> String { wrap(text, "90") }
}
