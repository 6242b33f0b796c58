import Foundation
import JSON
import TokenModel

/// A result that can also be read straight from the bytes of a success answer, without building the JSON tree and
/// mapping it: list pages, which are most of what TokenWarden reads.
protocol ScannedResult: JSONResult {
  /// The `result` and `result_info` of a success answer of exactly the expected shape; nil for anything else, which
  /// the general path (`JSONReader`, then `init(json:path:)`) then reads and, if it is wrong, says what is wrong.
  /// Where both accept an answer they give the same value; this one never accepts what the general path refuses.
  static func scan(_ body: Data) -> (Self, ResultInfo?)?
}

/// The `result` of a list call: one page of tokens.
struct TokenPage: ScannedResult {
  let tokens: [APIToken]

  init(tokens: [APIToken]) { self.tokens = tokens }

  init(json: JSONValue, path: String) throws(JSONShapeError) { tokens = try [APIToken](json: json, path: path) }

  static func scan(_ body: Data) -> (TokenPage, ResultInfo?)? {
    body.withUnsafeBytes { raw in
      var scanner = JSONReader.Parser(bytes: raw.bindMemory(to: UInt8.self))
      return try? scanner.tokenPage()
    }
  }
}

/// The fast path: anything unexpected (a type, a missing field, an escaped or non-ASCII key, `success` not true)
/// stops it with `unexpected`, and the general path takes over. Containers are entered and left with the reader's
/// own `open`/`next`, and skipped values are checked as strictly as read ones, so depth limits and syntax errors are
/// the reader's.
extension JSONReader.Parser {
  func unexpected() -> JSONReadError { JSONReadError(offset: index, reason: "not the expected shape") }

  mutating func tokenPage() throws(JSONReadError) -> (TokenPage, ResultInfo?) {
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
    skipSpace()
    var success: Bool?
    var tokens: [APIToken]?
    var info: ResultInfo?
    try fields { (parser, key) throws(JSONReadError) in
      if parser.matches(key, "result") {
        tokens = try parser.array { (parser) throws(JSONReadError) in try parser.token() }
      } else if parser.matches(key, "success") {
        if case .bool(let flag) = try parser.value() { success = flag } else { success = nil }
      } else if parser.matches(key, "result_info") {
        info = Envelope.resultInfo(try parser.value())
      } else {
        try parser.skipValue()
      }
    }
    skipSpace()
    guard index == bytes.count, success == true, let tokens else { throw unexpected() }
    return (TokenPage(tokens: tokens), info)
  }

  mutating func token() throws(JSONReadError) -> APIToken {
    var id: String?
    var name: String?
    var status: String?
    var issuedOn: String?
    var modifiedOn: String?
    var lastUsedOn: String?
    var notBefore: String?
    var expiresOn: String?
    var condition: JSONValue?
    var policies: [APIPolicy]?
    try fields { (parser, key) throws(JSONReadError) in
      if parser.matches(key, "id") {
        id = try parser.requiredString()
      } else if parser.matches(key, "name") {
        name = try parser.requiredString()
      } else if parser.matches(key, "status") {
        status = try parser.requiredString()
      } else if parser.matches(key, "issued_on") {
        issuedOn = try parser.optionalString()
      } else if parser.matches(key, "modified_on") {
        modifiedOn = try parser.optionalString()
      } else if parser.matches(key, "last_used_on") {
        lastUsedOn = try parser.optionalString()
      } else if parser.matches(key, "not_before") {
        notBefore = try parser.optionalString()
      } else if parser.matches(key, "expires_on") {
        expiresOn = try parser.optionalString()
      } else if parser.matches(key, "condition") {
        condition = try parser.optionalValue()
      } else if parser.matches(key, "policies") {
        policies = try parser.array { (parser) throws(JSONReadError) in try parser.policy() }
      } else {
        try parser.skipValue()
      }
    }
    guard let id, let name, let status, let policies else { throw unexpected() }
    return APIToken(
      id: id, name: name, status: TokenStatus(status), issuedOn: issuedOn, modifiedOn: modifiedOn,
      lastUsedOn: lastUsedOn, notBefore: notBefore, expiresOn: expiresOn, condition: condition, policies: policies)
  }

  mutating func policy() throws(JSONReadError) -> APIPolicy {
    var id: String?
    var effect: String?
    var groups: [APIPermissionGroupRef]?
    var resources: JSONValue?
    try fields { (parser, key) throws(JSONReadError) in
      if parser.matches(key, "id") {
        id = try parser.optionalString()
      } else if parser.matches(key, "effect") {
        effect = try parser.requiredString()
      } else if parser.matches(key, "resources") {
        resources = try parser.value()
      } else if parser.matches(key, "permission_groups") {
        groups = try parser.array { (parser) throws(JSONReadError) in try parser.groupReference() }
      } else {
        try parser.skipValue()
      }
    }
    guard let effect, let groups, let resources else { throw unexpected() }
    return APIPolicy(id: id, effect: effect, permissionGroups: groups, resources: resources)
  }

  mutating func groupReference() throws(JSONReadError) -> APIPermissionGroupRef {
    var id: String?
    var name: String?
    var meta: JSONValue?
    try fields { (parser, key) throws(JSONReadError) in
      if parser.matches(key, "id") {
        id = try parser.requiredString()
      } else if parser.matches(key, "name") {
        name = try parser.optionalString()
      } else if parser.matches(key, "meta") {
        meta = try parser.optionalValue()
      } else {
        try parser.skipValue()
      }
    }
    guard let id else { throw unexpected() }
    return APIPermissionGroupRef(id: id, name: name, meta: meta)
  }

  /// An object: each key, with the reader at its value, handed to `field`, which reads the value or skips it.
  mutating func fields(_ field: (inout Self, Range<Int>) throws(JSONReadError) -> Void) throws(JSONReadError) {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw unexpected() }
    if try open(closing: UInt8(ascii: "}")) { return }
    repeat {
      let key = try plainKey()
      try field(&self, key)
    } while try !next(closing: UInt8(ascii: "}"))
  }

  /// An array, each element read by `element`.
  mutating func array<Element>(_ element: (inout Self) throws(JSONReadError) -> Element) throws(JSONReadError)
    -> [Element]
  {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { throw unexpected() }
    var items: [Element] = []
    if try open(closing: UInt8(ascii: "]")) { return items }
    repeat { items.append(try element(&self)) } while try !next(closing: UInt8(ascii: "]"))
    return items
  }

  /// A key of printable ASCII without escapes, and the colon after it; where the value starts.
  mutating func plainKey() throws(JSONReadError) -> Range<Int> {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
    let start = index + 1
    var end = start
    while end < bytes.count {
      let byte = bytes[end]
      if byte == UInt8(ascii: "\"") { break }
      guard byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\\") else { throw unexpected() }
      end += 1
    }
    guard end < bytes.count else { throw unexpected() }
    index = end + 1
    skipSpace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw unexpected() }
    index += 1
    skipSpace()
    return start..<end
  }

  func matches(_ key: Range<Int>, _ word: StaticString) -> Bool {
    guard key.count == word.utf8CodeUnitCount else { return false }
    let expected = word.utf8Start
    for offset in 0..<key.count where bytes[key.lowerBound + offset] != expected[offset] { return false }
    return true
  }

  /// A string; anything else (null included) is not the expected shape.
  mutating func requiredString() throws(JSONReadError) -> String {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected() }
    return try string()
  }

  /// A string, or null (nil).
  mutating func optionalString() throws(JSONReadError) -> String? {
    guard index < bytes.count else { throw unexpected() }
    if bytes[index] == UInt8(ascii: "n") {
      try literal("null")
      return nil
    }
    return try requiredString()
  }

  /// Any value; null is nil.
  mutating func optionalValue() throws(JSONReadError) -> JSONValue? {
    let read = try value()
    if case .null = read { return nil }
    return read
  }

  /// Past a value without building it, checked exactly as `value()` checks it.
  mutating func skipValue() throws(JSONReadError) {
    guard index < bytes.count else { throw fail("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"):
      if try open(closing: UInt8(ascii: "}")) { return }
      repeat {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
        try skipString()
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
        index += 1
        skipSpace()
        try skipValue()
      } while try !next(closing: UInt8(ascii: "}"))
    case UInt8(ascii: "["):
      if try open(closing: UInt8(ascii: "]")) { return }
      repeat { try skipValue() } while try !next(closing: UInt8(ascii: "]"))
    case UInt8(ascii: "\""): try skipString()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
    default: throw fail("unexpected character")
    }
  }

  /// Past a string: printable ASCII without escapes is checked in place; anything else is read as `string()` reads it.
  mutating func skipString() throws(JSONReadError) {
    let start = index
    var end = index + 1
    while end < bytes.count {
      let byte = bytes[end]
      if byte == UInt8(ascii: "\"") {
        index = end + 1
        return
      }
      if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\\") { break }
      end += 1
    }
    index = start
    _ = try string()
  }
}
