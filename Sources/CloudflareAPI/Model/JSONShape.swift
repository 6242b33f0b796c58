import JSON
import TokenModel

/// An answer that is JSON but not of the expected shape, with the path of the offending field
/// (`result[3].policies[0].effect`).
package enum JSONShapeError: Error, Sendable, Hashable, CustomStringConvertible {
  case missing(String)
  case wrongType(String)

  package var description: String {
    switch self {
    case .missing(let path): return "missing field '\(path)'"
    case .wrongType(let path): return "unexpected type at '\(path)'"
    }
  }
}

/// What a response's `result` can be read as, straight from the parsed JSON.
package protocol JSONResult: Sendable {
  init(json: JSONValue, path: String) throws(JSONShapeError)
}

/// The fields of one JSON object, read with the rules `Codable` applies: a required field must be there with its
/// type; an optional one may be missing or null.
struct JSONFields {
  let fields: [String: JSONValue]
  let path: String

  init(_ value: JSONValue, path: String) throws(JSONShapeError) {
    guard case .object(let fields) = value else { throw .wrongType(path) }
    self.fields = fields
    self.path = path
  }

  func at(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

  func value(_ key: String) throws(JSONShapeError) -> JSONValue {
    guard let value = fields[key] else { throw .missing(at(key)) }
    return value
  }

  func optionalValue(_ key: String) -> JSONValue? {
    switch fields[key] {
    case nil, .null?: return nil
    case let value?: return value
    }
  }

  func string(_ key: String) throws(JSONShapeError) -> String {
    guard case .string(let text) = try value(key) else { throw .wrongType(at(key)) }
    return text
  }

  func optionalString(_ key: String) throws(JSONShapeError) -> String? {
    guard let value = optionalValue(key) else { return nil }
    guard case .string(let text) = value else { throw .wrongType(at(key)) }
    return text
  }

  func list<Element>(_ key: String, _ element: (JSONValue, String) throws(JSONShapeError) -> Element)
    throws(JSONShapeError) -> [Element]
  {
    guard case .array(let items) = try value(key) else { throw .wrongType(at(key)) }
    return try JSONFields.elements(items, path: at(key), element)
  }

  static func elements<Element>(
    _ items: [JSONValue], path: String, _ element: (JSONValue, String) throws(JSONShapeError) -> Element
  ) throws(JSONShapeError) -> [Element] {
    var result: [Element] = []
    result.reserveCapacity(items.count)
    for (index, item) in items.enumerated() { result.append(try element(item, "\(path)[\(index)]")) }
    return result
  }

  /// An integer given as `1` or `1.0`; nil when absent, not a number or out of range.
  func lenientInt(_ key: String) -> Int? {
    guard case .number(let number)? = fields[key] else { return nil }
    return Int(exactly: number.rounded(.towardZero))
  }
}

extension Array: JSONResult where Element: JSONResult {
  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    guard case .array(let items) = json else { throw .wrongType(path) }
    self = try JSONFields.elements(items, path: path) { (item, path) throws(JSONShapeError) in
      try Element(json: item, path: path)
    }
  }
}

extension String: JSONResult {
  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    guard case .string(let text) = json else { throw .wrongType(path) }
    self = text
  }
}

extension JSONValue: JSONResult {
  package init(json: JSONValue, path: String) { self = json }
}

extension APIToken: JSONResult {
  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    let fields = try JSONFields(json, path: path)
    self.init(
      id: try fields.string("id"), name: try fields.string("name"), status: TokenStatus(try fields.string("status")),
      issuedOn: try fields.optionalString("issued_on"), modifiedOn: try fields.optionalString("modified_on"),
      lastUsedOn: try fields.optionalString("last_used_on"), notBefore: try fields.optionalString("not_before"),
      expiresOn: try fields.optionalString("expires_on"), condition: fields.optionalValue("condition"),
      policies: try fields.list("policies") { (item, path) throws(JSONShapeError) in
        try APIPolicy(json: item, path: path)
      })
  }
}

extension APIPolicy {
  init(json: JSONValue, path: String) throws(JSONShapeError) {
    let fields = try JSONFields(json, path: path)
    self.init(
      id: try fields.optionalString("id"), effect: try fields.string("effect"),
      permissionGroups: try fields.list("permission_groups") { (item, path) throws(JSONShapeError) in
        let group = try JSONFields(item, path: path)
        return APIPermissionGroupRef(
          id: try group.string("id"), name: try group.optionalString("name"), meta: group.optionalValue("meta"))
      },
      resources: try fields.value("resources"))
  }
}

/// A token just created, with its value: Cloudflare shows the value in this answer only.
package struct CreatedToken: Sendable, JSONResult {
  package let token: APIToken
  package let value: Secret

  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    token = try APIToken(json: json, path: path)
    value = Secret(try JSONFields(json, path: path).string("value"))
  }
}

extension APITokenVerification: JSONResult {
  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    let fields = try JSONFields(json, path: path)
    self.init(
      id: try fields.string("id"), status: TokenStatus(try fields.string("status")),
      expiresOn: try fields.optionalString("expires_on"), notBefore: try fields.optionalString("not_before"))
  }
}

extension APIPermissionGroup: JSONResult {
  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    let fields = try JSONFields(json, path: path)
    self.init(
      id: try fields.string("id"), name: try fields.string("name"),
      scopes: try fields.list("scopes") { (item, path) throws(JSONShapeError) in try String(json: item, path: path) },
      category: try fields.optionalString("category"))
  }
}

extension JSONFields {
  init(fields: [String: JSONValue], path: String) {
    self.fields = fields
    self.path = path
  }
}
