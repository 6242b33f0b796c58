import Basics
import CloudflareAPI
import Foundation
import JSON
import Simulator
import Testing
import TokenModel

/// The reader every Cloudflare answer goes through: exact on what it accepts, a positioned error on the rest, never a
/// crash; checked against generated documents and against Foundation's JSONSerialization as the reference.
@Suite struct JSONReaderTests {
  /// Random trees written as text in random styles (whitespace, `\u` escapes, surrogate pairs, exponents) read back as
  /// exactly the tree that was written.
  @Test func generatedDocumentsReadBackExactly() throws {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<600 {
      var writer = Writer(rng: rng)
      let value = writer.value(depth: 0)
      let text = writer.text
      rng = writer.rng
      let read = try JSONReader.parse(text)
      #expect(read == value, "\(text)")
    }
  }

  /// Mutated documents: the reader accepts exactly what JSONSerialization accepts, and reads the same values (numbers
  /// to 1e-12: JSONSerialization on Linux rounds long numbers less exactly than `Double(String)`, which the generated
  /// documents above hold the reader to).
  @Test func mutatedDocumentsAgreeWithJSONSerialization() throws {
    var rng = SplitMix64(seed: 11)
    let alphabet = Array("{}[]\",:.-+eE0123456789tfnul \\/\u{7f}".utf8) + [0x00, 0x1F, 0xFF, 0xC3, 0xA9, 0xED]
    var accepted = 0
    var rejected = 0
    for round in 0..<1500 {
      var writer = Writer(rng: rng)
      _ = writer.value(depth: 0)
      rng = writer.rng
      var bytes = Array(writer.text.utf8)
      for _ in 0..<(round % 4) where !bytes.isEmpty {
        let index = Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 3 {
        case 0: bytes[index] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
        case 1: bytes.remove(at: index)
        default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: index)
        }
      }
      let data = Data(bytes)
      let ours = try? JSONReader.parse(data)
      let reference = (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)).flatMap(Self.value)
      #expect((ours == nil) == (reference == nil), "\(String(decoding: bytes, as: UTF8.self))")
      if let ours, let reference {
        #expect(Self.same(ours, reference), "\(String(decoding: bytes, as: UTF8.self))")
        accepted += 1
      } else {
        rejected += 1
      }
    }
    #expect(accepted > 300 && rejected > 300)
  }

  @Test(arguments: [
    ("", 0, "unexpected end of input"),
    ("  ", 2, "unexpected end of input"),
    ("{\"a\":1,}", 7, "expected a key in quotes"),
    ("[1,2", 4, "unexpected end of input"),
    ("[1 2]", 3, "expected ',' or ']'"),
    ("{\"a\" 1}", 5, "expected ':' after a key"),
    ("01", 1, "unexpected text after the JSON value"),
    ("-", 1, "a number without digits"),
    ("1.", 2, "a number without digits after '.'"),
    ("1e+", 3, "a number without digits in its exponent"),
    ("1e999", 0, "a number out of range"),
    ("\"a\tb\"", 2, "control character in a string"),
    ("\"\\x\"", 3, "invalid escape '\\x'"),
    ("\"\\ud800\"", 7, "a high surrogate without its low surrogate"),
    ("\"\\udc00\"", 7, "a low surrogate without its high surrogate"),
    ("\"\\u12G4\"", 5, "invalid \\u escape"),
    ("\"abc", 4, "unterminated string"),
    ("tru", 0, "unexpected end of input"),
    ("nul!", 0, "unexpected character"),
    ("NaN", 0, "unexpected character"),
    ("{\"a\":1}}", 7, "unexpected text after the JSON value"),
  ]) func invalidDocumentsSayWhatAndWhere(text: String, offset: Int, reason: String) {
    #expect(throws: JSONReadError(offset: offset, reason: reason)) { try JSONReader.parse(text) }
  }

  @Test func invalidUTF8IsRejected() {
    #expect(throws: JSONReadError(offset: 1, reason: "invalid UTF-8 in a string")) {
      try JSONReader.parse(Data([0x22, 0x61, 0xFF, 0x22]))
    }
  }

  @Test func nestingIsBoundedWithoutCrashing() throws {
    let allowed =
      String(repeating: "[", count: JSONReader.maxDepth) + String(repeating: "]", count: JSONReader.maxDepth)
    #expect(throws: Never.self) { try JSONReader.parse(allowed) }
    let deep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONReadError(offset: JSONReader.maxDepth, reason: "nested deeper than 512 levels")) {
      try JSONReader.parse(deep)
    }
  }

  /// Tokens read through the reader are the tokens `JSONDecoder` reads from the same bytes: the API fixture and every
  /// token of a generated scenario as the simulator renders it.
  @Test func tokensReadAsJSONDecoderReadsThem() throws {
    struct Envelope: Decodable { let result: [APIToken] }
    struct One: Decodable { let result: APIToken }
    let fixture = try Fixture.data("token-details.json")
    let expected = try JSONDecoder().decode(One.self, from: fixture).result
    let parsed = try JSONReader.parse(fixture).objectValue?["result"]
    #expect(try APIToken(json: #require(parsed), path: "result") == expected)
    // Written and read back (apply keeps fresh reads this way until their turn): the same token.
    #expect(try APIToken(json: JSONReader.parse(expected.json.jsonData), path: "result") == expected)

    let state = Scenario.many(count: 120)
    let simulator = Simulator(state: state)
    let tokens = state.tokens
    let admin = try #require(tokens.first { $0.name == "admin" })
    for family in Set(
      tokens.compactMap { token -> String? in
        if case .account(let id) = token.owner { return id.rawValue } else { return nil }
      })
    {
      let response = simulator.handle(
        SimRequest(
          method: "GET", path: "/accounts/\(family)/tokens", query: ["per_page": "50"],
          headers: ["Authorization": "Bearer \(admin.secret)"], body: Data()))
      #expect(response.status == 200)
      let decoded = try JSONDecoder().decode(Envelope.self, from: response.body).result
      let read = try [APIToken](json: #require(JSONReader.parse(response.body).objectValue?["result"]), path: "result")
      #expect(read == decoded)
      #expect(!read.isEmpty)
    }
  }

  /// The writer writes, compact and indented, the bytes `JSONEncoder` writes with sorted keys and unescaped slashes:
  /// the plan file and its digest are written by it, and plans written before it must keep their digests.
  @Test func writerWritesWhatJSONEncoderWrites() throws {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<300 {
      var generator = Writer(rng: rng)
      let value = generator.value(depth: 0)
      rng = generator.rng
      for pretty in [false, true] {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
          pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        var writer = JSONWriter(pretty: pretty)
        writer.value(value)
        let expected = try encoder.encode(value)
        #expect(
          Data(writer.bytes) == expected,
          "\(String(decoding: writer.bytes, as: UTF8.self)) ≠ \(String(decoding: expected, as: UTF8.self))")
      }
    }
  }

  /// What the writer writes, Foundation reads as the same value, and `JSONDecoder` as the same token.
  @Test func writtenDocumentsReadBackEverywhere() throws {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<300 {
      var writer = Writer(rng: rng)
      let value = writer.value(depth: 0)
      rng = writer.rng
      let data = value.jsonData
      #expect(try JSONReader.parse(data) == value)
      let reference = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
      #expect(Self.value(reference).map { Self.same($0, value) } == true, "\(String(decoding: data, as: UTF8.self))")
    }
    for token in Scenario.many(count: 60).tokens.prefix(60) {
      let rendered = APIToken(
        id: token.id.rawValue, name: token.name, status: TokenStatus(token.status), issuedOn: token.issuedOn,
        modifiedOn: token.modifiedOn, notBefore: token.notBefore, expiresOn: token.expiresOn,
        condition: token.condition,
        policies: token.policies.map {
          APIPolicy(
            id: $0.id, effect: $0.effect, permissionGroups: $0.permissionGroups.map { APIPermissionGroupRef(id: $0) },
            resources: $0.resources)
        })
      #expect(try JSONDecoder().decode(APIToken.self, from: rendered.json.jsonData) == rendered)
    }
    #expect(JSONValue.string("a\"/\u{1}\n").jsonData == Data(#""a\"/\u0001\n""#.utf8))
  }

  /// The direct writer of tokens (what the simulator answers with) writes the very bytes of the JSONValue path.
  @Test func tokensWrittenDirectlyAreTheBytesOfTheirJSONValue() throws {
    struct One: Decodable { let result: APIToken }
    var tokens = [try JSONDecoder().decode(One.self, from: Fixture.data("token-details.json")).result]
    for token in Scenario.many(count: 30).tokens + Scenario.seed(invisible: false).tokens {
      tokens.append(
        APIToken(
          id: token.id.rawValue, name: token.name, status: TokenStatus(token.status), issuedOn: token.issuedOn,
          modifiedOn: token.modifiedOn, lastUsedOn: token.lastUsedOn, notBefore: token.notBefore,
          expiresOn: token.expiresOn, condition: token.condition,
          policies: token.policies.map {
            APIPolicy(
              id: $0.id, effect: $0.effect,
              permissionGroups: $0.permissionGroups.map { APIPermissionGroupRef(id: $0, name: "n") },
              resources: $0.resources)
          }))
    }
    tokens.append(
      APIToken(
        id: "x", name: "a\"b\\c\n\u{1}☃/", status: .other("revoked (exposed)"), condition: .null,
        policies: [
          APIPolicy(
            effect: "deny",
            permissionGroups: [
              APIPermissionGroupRef(id: "g", meta: .object(["k": .array([.number(1.5), .bool(true)])]))
            ],
            resources: .object([:]))
        ]))
    tokens.append(APIToken(id: "", name: "", status: .active, policies: []))
    for token in tokens {
      var out = JSONWriter()
      token.write(json: &out)
      #expect(Data(out.bytes) == token.json.jsonData, "\(token.name)")
    }
    var all = JSONWriter()
    tokens.write(json: &all)
    #expect(Data(all.bytes) == tokens.json.jsonData)
  }

  @Test func shapeErrorsNameTheField() throws {
    let json = try JSONReader.parse(#"[{"id":"a","name":"n","status":"active","policies":[{"effect":1}]}]"#)
    #expect(throws: JSONShapeError.wrongType("result[0].policies[0].effect")) {
      try [APIToken](json: json, path: "result")
    }
    let missing = try JSONReader.parse(#"{"id":"a","status":"active","policies":[]}"#)
    #expect(throws: JSONShapeError.missing("result.name")) { try APIToken(json: missing, path: "result") }
  }

  static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): return x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    case (.array(let xs), .array(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { same($0, $1) }
    case (.object(let xs), .object(let ys)):
      return Set(xs.keys) == Set(ys.keys) && xs.allSatisfy { key, value in ys[key].map { same(value, $0) } ?? false }
    default: return a == b
    }
  }

  /// Foundation's objects as a JSONValue; nil for anything JSON cannot hold.
  static func value(_ object: Any) -> JSONValue? {
    switch object {
    case is NSNull: return .null
    case let number as NSNumber:
      // Booleans come back as NSNumbers of Objective-C type "c".
      if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
      return .number(number.doubleValue)
    case let text as String: return .string(text)
    case let items as [Any]:
      var values: [JSONValue] = []
      for item in items {
        guard let value = value(item) else { return nil }
        values.append(value)
      }
      return .array(values)
    case let fields as [String: Any]:
      var values: [String: JSONValue] = [:]
      for (key, item) in fields {
        guard let value = value(item) else { return nil }
        values[key] = value
      }
      return .object(values)
    default: return nil
    }
  }
}

/// Writes a random JSON value as text, in a random style, and returns the value the text means.
private struct Writer {
  var rng: SplitMix64
  var text = ""

  mutating func roll(_ n: UInt64) -> Int { Int(rng.next() % n) }

  mutating func space() {
    for _ in 0..<roll(3) { text += [" ", "\n", "\t", "\r\n"][roll(4)] }
  }

  mutating func value(depth: Int) -> JSONValue {
    space()
    defer { space() }
    switch depth > 3 ? roll(4) : roll(7) {
    case 0:
      text += "null"
      return .null
    case 1:
      let flag = roll(2) == 0
      text += flag ? "true" : "false"
      return .bool(flag)
    case 2: return .number(number())
    case 3: return .string(string())
    case 4:
      text += "["
      var items: [JSONValue] = []
      for index in 0..<roll(4) {
        if index > 0 { text += "," }
        items.append(value(depth: depth + 1))
      }
      if items.isEmpty { space() }
      text += "]"
      return .array(items)
    default:
      text += "{"
      var fields: [String: JSONValue] = [:]
      var keys: Set<String> = []
      for _ in 0..<roll(4) {
        if !keys.isEmpty { text += "," }
        space()
        // A key written twice keeps its last value.
        let key = string()
        keys.insert(key)
        space()
        text += ":"
        fields[key] = value(depth: depth + 1)
      }
      if keys.isEmpty { space() }
      text += "}"
      return .object(fields)
    }
  }

  mutating func number() -> Double {
    var written = roll(4) == 0 ? "-" : ""
    written += roll(3) == 0 ? "0" : String(1 + roll(9)) + String(repeating: "7", count: roll(20))
    if roll(2) == 0 { written += "." + String(roll(1000)) }
    if roll(3) == 0 { written += ["e", "E"][roll(2)] + ["", "+", "-"][roll(3)] + String(roll(30)) }
    text += written
    return Double(written)!
  }

  mutating func string() -> String {
    let pieces: [String] = [
      "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "€", "😀", "com.cloudflare.api", "\u{7f}",
    ]
    var value = ""
    for _ in 0..<roll(6) { value += pieces[roll(UInt64(pieces.count))] }
    text += "\""
    for scalar in value.unicodeScalars {
      let forced = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
      if forced || roll(4) == 0 {
        switch (scalar, roll(2)) {
        case ("\"", 0): text += "\\\""
        case ("\\", 0): text += "\\\\"
        case ("/", 0): text += "\\/"
        case ("\n", 0): text += "\\n"
        case ("\t", 0): text += "\\t"
        default:
          for unit in String(scalar).utf16 { text += "\\u" + String(format: roll(2) == 0 ? "%04x" : "%04X", unit) }
        }
      } else {
        text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
    return value
  }
}
