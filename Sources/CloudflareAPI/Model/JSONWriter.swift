import Foundation

extension JSONValue {
  /// Compact JSON text with sorted keys and unescaped slashes, as `JSONEncoder` writes it with `.sortedKeys` and
  /// `.withoutEscapingSlashes`, in one pass over the value. Integral numbers below 10^15 are written as integers;
  /// numbers that JSON cannot hold (infinities, NaN) as null.
  public var jsonData: Data {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(to: &out)
    return Data(out)
  }

  public func write(to out: inout [UInt8]) {
    switch self {
    case .null: out += "null".utf8
    case .bool(let value): out += (value ? "true" : "false").utf8
    case .number(let value):
      if !value.isFinite {
        out += "null".utf8
      } else if value == value.rounded(), abs(value) < 1e15 {
        out += String(Int64(value)).utf8
      } else {
        out += value.description.utf8
      }
    case .string(let value): Self.write(string: value, to: &out)
    case .array(let items):
      writeArray(items, &out) { $0.write(to: &$1) }
    case .object(let fields):
      out.append(UInt8(ascii: "{"))
      for (index, key) in fields.keys.sorted().enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        Self.write(string: key, to: &out)
        out.append(UInt8(ascii: ":"))
        fields[key]?.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  static func write(string: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // Most strings (ids, names, dates) need no escape: copied whole.
    if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      out += string.utf8
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

/// Values with a JSON form of their own, written without `JSONEncoder`: what the simulator answers with.
public protocol JSONRepresentable {
  var json: JSONValue { get }
}

extension JSONValue: JSONRepresentable {
  public var json: JSONValue { self }
}

extension String: JSONRepresentable {
  public var json: JSONValue { .string(self) }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
  public var json: JSONValue { .array(map(\.json)) }
}

extension APIToken: JSONRepresentable {
  /// The fields `Codable` encodes, absent optionals left out.
  public var json: JSONValue {
    var fields: [String: JSONValue] = [
      "id": .string(id), "name": .string(name), "status": .string(status.rawValue), "policies": policies.json,
    ]
    fields["issued_on"] = issuedOn.map(JSONValue.string)
    fields["modified_on"] = modifiedOn.map(JSONValue.string)
    fields["last_used_on"] = lastUsedOn.map(JSONValue.string)
    fields["not_before"] = notBefore.map(JSONValue.string)
    fields["expires_on"] = expiresOn.map(JSONValue.string)
    fields["condition"] = condition
    return .object(fields)
  }
}

extension APIPolicy: JSONRepresentable {
  public var json: JSONValue {
    var fields: [String: JSONValue] = [
      "effect": .string(effect), "resources": resources,
      "permission_groups": .array(
        permissionGroups.map { group in
          var fields: [String: JSONValue] = ["id": .string(group.id)]
          fields["name"] = group.name.map(JSONValue.string)
          fields["meta"] = group.meta
          return .object(fields)
        }),
    ]
    fields["id"] = id.map(JSONValue.string)
    return .object(fields)
  }
}

extension APIMessage: JSONRepresentable {
  public var json: JSONValue { .object(["code": .number(Double(code)), "message": .string(message)]) }
}

extension ResultInfo: JSONRepresentable {
  public var json: JSONValue {
    var fields: [String: JSONValue] = [:]
    fields["page"] = page.map { .number(Double($0)) }
    fields["per_page"] = perPage.map { .number(Double($0)) }
    fields["count"] = count.map { .number(Double($0)) }
    fields["total_count"] = totalCount.map { .number(Double($0)) }
    return .object(fields)
  }
}

/// `[a,b,…]`, each item written by `item`.
func writeArray<Item>(_ items: [Item], _ out: inout [UInt8], _ item: (Item, inout [UInt8]) -> Void) {
  out.append(UInt8(ascii: "["))
  for (index, element) in items.enumerated() {
    if index > 0 { out.append(UInt8(ascii: ",")) }
    item(element, &out)
  }
  out.append(UInt8(ascii: "]"))
}

/// Writes JSON objects field by field, keys given in sorted order by the caller: the same bytes as `JSONValue`'s
/// writer, without building the dictionaries first (the simulator writes 10,000 tokens this way per listing).
struct ObjectWriter {
  private var first = true

  mutating func key(_ name: StaticString, _ out: inout [UInt8]) {
    out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
    first = false
    out.append(UInt8(ascii: "\""))
    out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    out.append(UInt8(ascii: "\""))
    out.append(UInt8(ascii: ":"))
  }

  mutating func string(_ name: StaticString, _ value: String?, _ out: inout [UInt8]) {
    guard let value else { return }
    key(name, &out)
    JSONValue.write(string: value, to: &out)
  }

  mutating func value(_ name: StaticString, _ value: JSONValue?, _ out: inout [UInt8]) {
    guard let value else { return }
    key(name, &out)
    value.write(to: &out)
  }

  func end(_ out: inout [UInt8]) {
    out.append(contentsOf: first ? [UInt8(ascii: "{"), UInt8(ascii: "}")] : [UInt8(ascii: "}")])
  }
}

/// What writes its JSON bytes itself (the simulator's answers), and so do arrays of it.
public protocol JSONBytesWritable {
  func write(json out: inout [UInt8])
}

extension Array: JSONBytesWritable where Element: JSONBytesWritable {
  public func write(json out: inout [UInt8]) { writeArray(self, &out) { $0.write(json: &$1) } }
}

extension APIToken: JSONBytesWritable {
  /// `json.jsonData`, written directly.
  public func write(json out: inout [UInt8]) {
    var object = ObjectWriter()
    object.value("condition", condition, &out)
    object.string("expires_on", expiresOn, &out)
    object.string("id", id, &out)
    object.string("issued_on", issuedOn, &out)
    object.string("last_used_on", lastUsedOn, &out)
    object.string("modified_on", modifiedOn, &out)
    object.string("name", name, &out)
    object.string("not_before", notBefore, &out)
    object.key("policies", &out)
    policies.write(json: &out)
    object.string("status", status.rawValue, &out)
    object.end(&out)
  }
}

extension APIPermissionGroup: JSONBytesWritable {
  /// The bytes `JSONEncoder` writes with sorted keys and unescaped slashes, written directly.
  public func write(json out: inout [UInt8]) {
    var object = ObjectWriter()
    object.string("category", category, &out)
    object.string("id", id, &out)
    object.string("name", name, &out)
    object.key("scopes", &out)
    writeArray(scopes, &out) { JSONValue.write(string: $0, to: &$1) }
    object.end(&out)
  }
}

extension APIPolicy: JSONBytesWritable {
  public func write(json out: inout [UInt8]) {
    var object = ObjectWriter()
    object.string("effect", effect, &out)
    object.string("id", id, &out)
    object.key("permission_groups", &out)
    writeArray(permissionGroups, &out) { group, out in
      var fields = ObjectWriter()
      fields.string("id", group.id, &out)
      fields.value("meta", group.meta, &out)
      fields.string("name", group.name, &out)
      fields.end(&out)
    }
    object.value("resources", resources, &out)
    object.end(&out)
  }
}
