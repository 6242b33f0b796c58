/// An optional that encodes as JSON `null` when absent, instead of leaving its key out (what synthesized `Encodable`
/// does): the JSON reports keep every documented key, so scripts can rely on it.
@propertyWrapper
package struct Nullable<Value: Encodable & Sendable & Hashable>: Encodable, Sendable, Hashable {
  package var wrappedValue: Value?

  package init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
  }
}
