/// A token value. It never prints, never encodes and never appears in a debugger description: all of those say
/// `<redacted>`. Read the value only with `withValue` at the point where it goes into an Authorization header.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, Encodable {
  private let value: String

  package init(_ value: String) { self.value = value }

  package func withValue<T>(_ body: (String) throws -> T) rethrows -> T { try body(value) }

  package var isEmpty: Bool { value.isEmpty }

  package var description: String { "<redacted>" }
  package var debugDescription: String { "<redacted>" }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode("<redacted>")
  }
}

extension Secret: CustomReflectable {
  package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret {
  /// What is wrong with a token value read from the environment, when it holds anything but printable ASCII without
  /// spaces (0x21–0x7E): "a line break at byte 41". Never the value itself. Such a value cannot be sent (a line break
  /// in a header makes it two headers, or none), and is always a copy-and-paste accident.
  package var malformation: String? {
    for (index, byte) in value.utf8.enumerated() where !(0x21...0x7E).contains(byte) {
      let kind: String
      switch byte {
      case 0x0A, 0x0D: kind = "a line break"
      case 0x20: kind = "a space"
      case 0x09: kind = "a tab"
      case 0x80...: kind = "a non-ASCII character"
      default: kind = "a control character"
      }
      return "\(kind) at byte \(index + 1)"
    }
    return nil
  }
}
