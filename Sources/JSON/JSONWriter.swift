import Foundation

/// Writes JSON text into bytes, compact or indented, in one pass and without `JSONEncoder`: the bytes are those
/// `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when `pretty`), provided
/// the caller gives each object's keys in sorted order. The plan file, its digest and the simulator's answers are
/// written with it.
package struct JSONWriter {
  package private(set) var bytes: [UInt8] = []
  private let pretty: Bool
  /// Containers open around the current position.
  private var depth = 0
  /// The innermost open container has no element yet.
  private var empty = true
  /// A key was just written: the next value is its value, not an element of an array.
  private var afterKey = false

  /// Where written bytes go once `chunk` of them are held, when they are not wanted whole (a digest of 20 MB).
  private let sink: (([UInt8]) -> Void)?
  private let chunk: Int

  package init(pretty: Bool = false, capacity: Int = 256) {
    self.pretty = pretty
    sink = nil
    chunk = .max
    bytes.reserveCapacity(capacity)
  }

  /// A writer that hands its bytes to `sink` in pieces of about `chunk` bytes; `finish()` hands over the rest.
  package init(pretty: Bool = false, chunk: Int, sink: @escaping ([UInt8]) -> Void) {
    self.pretty = pretty
    self.sink = sink
    self.chunk = chunk
    bytes.reserveCapacity(chunk + 1024)
  }

  /// Hands what is held to the sink.
  package mutating func finish() {
    guard let sink, !bytes.isEmpty else { return }
    sink(bytes)
    bytes.removeAll(keepingCapacity: true)
  }

  /// `{…}`: `body` writes the fields with `key` (or `field`), in sorted order.
  package mutating func object(_ body: (inout JSONWriter) -> Void) {
    container(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), body)
  }

  /// `[…]`: `body` writes the elements.
  package mutating func array(_ body: (inout JSONWriter) -> Void) {
    container(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), body)
  }

  package mutating func array<Element>(_ elements: some Sequence<Element>, _ write: (Element, inout JSONWriter) -> Void)
  {
    array { writer in
      for element in elements { write(element, &writer) }
    }
  }

  package mutating func array(_ elements: some Sequence<some JSONWritable>) {
    array(elements) { element, writer in element.write(json: &writer) }
  }

  /// A key the program spells (every key but those of a `JSONValue`): copied as it is, no escape needed.
  package mutating func key(_ name: StaticString) {
    element()
    bytes.append(UInt8(ascii: "\""))
    bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    bytes.append(UInt8(ascii: "\""))
    separator()
  }

  /// A key read from somewhere: escaped as any string.
  package mutating func key(text name: String) {
    element()
    Self.write(string: name, to: &bytes)
    separator()
  }

  private mutating func separator() {
    if pretty { bytes += " : ".utf8 } else { bytes.append(UInt8(ascii: ":")) }
    afterKey = true
  }

  package mutating func string(_ value: String) {
    element()
    Self.write(string: value, to: &bytes)
  }

  package mutating func int(_ value: Int) {
    element()
    bytes += String(value).utf8
  }

  package mutating func bool(_ value: Bool) {
    element()
    bytes += (value ? "true" : "false").utf8
  }

  package mutating func null() {
    element()
    bytes += "null".utf8
  }

  /// A number as `JSONEncoder` writes a `JSONValue`: integral values below 10^15 as integers, others as Double's
  /// shortest form; numbers JSON cannot hold (infinities, NaN) as null.
  package mutating func number(_ value: Double) {
    element()
    if !value.isFinite {
      bytes += "null".utf8
    } else if value == value.rounded(), abs(value) < 1e15 {
      bytes += String(Int64(value)).utf8
    } else {
      // As JSONEncoder writes a Double: its description, without a trailing ".0".
      let text = value.description
      bytes += (text.hasSuffix(".0") ? text.dropLast(2) : text[...]).utf8
    }
  }

  package mutating func value(_ value: JSONValue) {
    switch value {
    case .null: null()
    case .bool(let flag): bool(flag)
    case .number(let figure): number(figure)
    case .string(let text): string(text)
    case .array(let items): array(items) { item, writer in writer.value(item) }
    case .object(let fields):
      object { writer in
        for key in fields.keys.sorted() {
          writer.key(text: key)
          if let field = fields[key] { writer.value(field) }
        }
      }
    }
  }

  /// A field whose value is present; `JSONEncoder` leaves absent optionals out.
  package mutating func field(_ name: StaticString, _ value: String?) {
    guard let value else { return }
    key(name)
    string(value)
  }

  package mutating func field(_ name: StaticString, _ value: Int) {
    key(name)
    int(value)
  }

  package mutating func field(_ name: StaticString, _ value: (some JSONWritable)?) {
    guard let value else { return }
    key(name)
    value.write(json: &self)
  }

  package mutating func field(_ name: StaticString, _ values: [some JSONWritable]) {
    key(name)
    array(values)
  }

  @inline(__always)
  private mutating func element() {
    if bytes.count >= chunk { finish() }
    if afterKey {
      afterKey = false
      return
    }
    guard depth > 0 else { return }
    if !empty { bytes.append(UInt8(ascii: ",")) }
    empty = false
    if pretty { newline(depth: depth) }
  }

  private mutating func container(open opening: UInt8, close: UInt8, _ body: (inout JSONWriter) -> Void) {
    element()
    bytes.append(opening)
    let outer = empty
    empty = true
    depth += 1
    body(&self)
    depth -= 1
    if pretty {
      // JSONEncoder writes an empty container over two lines too.
      if empty { bytes.append(UInt8(ascii: "\n")) }
      newline(depth: depth)
    }
    empty = outer
    bytes.append(close)
  }

  private mutating func newline(depth: Int) {
    bytes.append(UInt8(ascii: "\n"))
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
  }

  /// A JSON string: quotes, and escapes for what JSON requires (quote, backslash, control characters); slashes and
  /// non-ASCII characters as they are.
  package static func write(string: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // Most strings (ids, names, dates) need no escape: copied whole.
    let plain = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
      for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
      out.append(contentsOf: utf8)
      return true
    }
    if plain == true {
      out.append(UInt8(ascii: "\""))
      return
    }
    let hex = Array("0123456789abcdef".utf8)
    for byte in string.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += "\\\"".utf8
      case UInt8(ascii: "\\"): out += "\\\\".utf8
      case 0x0A: out += "\\n".utf8
      case 0x0D: out += "\\r".utf8
      case 0x09: out += "\\t".utf8
      case 0x08: out += "\\b".utf8
      case 0x0C: out += "\\f".utf8
      case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

/// What writes its own JSON with a `JSONWriter`.
package protocol JSONWritable {
  func write(json writer: inout JSONWriter)
}

extension String: JSONWritable {
  package func write(json writer: inout JSONWriter) { writer.string(self) }
}

extension JSONValue: JSONWritable {
  package func write(json writer: inout JSONWriter) { writer.value(self) }
}

extension JSONValue {
  /// Compact JSON text with sorted keys and unescaped slashes.
  package var jsonBytes: [UInt8] {
    var writer = JSONWriter()
    writer.value(self)
    return writer.bytes
  }

  package var jsonData: Data { Data(jsonBytes) }
}

/// Values with a JSON form of their own as a `JSONValue` (the reference the direct writers are tested against).
package protocol JSONRepresentable {
  var json: JSONValue { get }
}

extension JSONValue: JSONRepresentable {
  package var json: JSONValue { self }
}

extension String: JSONRepresentable {
  package var json: JSONValue { .string(self) }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
  package var json: JSONValue { .array(map(\.json)) }
}

extension Array: JSONWritable where Element: JSONWritable {
  package func write(json writer: inout JSONWriter) { writer.array(self) }
}
