/// ANSI styling that collapses to plain text when colour is off.
package struct TextStyle: Sendable {
  package let color: Bool

  package init(color: Bool) { self.color = color }

  func wrap(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  package func bold(_ text: String) -> String { wrap(text, "1") }
  package func red(_ text: String) -> String { wrap(text, "1;31") }
  package func yellow(_ text: String) -> String { wrap(text, "1;33") }
  package func green(_ text: String) -> String { wrap(text, "32") }
  package func cyan(_ text: String) -> String { wrap(text, "36") }
  package func dim(_ text: String) -> String { wrap(text, "90") }
}
