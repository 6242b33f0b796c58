/// A token value. It never prints, never encodes and never appears in a debugger description: all of those say
/// `<redacted>`. Read the value only with `withValue` at the point where it goes into an Authorization header.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, Encodable {
  private let value: String

  public init(_ value: String) { self.value = value }

  public func withValue<T>(_ body: (String) throws -> T) rethrows -> T { try body(value) }

  public var isEmpty: Bool { value.isEmpty }

  public var description: String { "<redacted>" }
  public var debugDescription: String { "<redacted>" }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode("<redacted>")
  }
}

extension Secret: CustomReflectable {
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
