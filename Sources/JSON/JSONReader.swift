import Foundation

/// Why a body is not JSON, and where.
package struct JSONReadError: Error, Sendable, Hashable, CustomStringConvertible {
  package let offset: Int
  package let reason: String
  package var description: String { "\(reason) at byte \(offset)" }

  package init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }
}

/// A strict RFC 8259 reader into `JSONValue`, for Cloudflare's answers: one pass over the bytes, no intermediate
/// representation, none of the per-field type probing of `Codable`. It accepts exactly what RFC 8259 does (plus a
/// leading UTF-8 byte order mark), rejects invalid UTF-8, lone surrogates, control characters in strings, numbers
/// outside the grammar or outside Double's range, and nesting deeper than 512; duplicate keys keep the last value.
package enum JSONReader {
  package static let maxDepth = 512

  package static func parse(_ data: Data) throws(JSONReadError) -> JSONValue {
    let result: Result<JSONValue, JSONReadError> = data.withUnsafeBytes { raw in
      var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
      return Result { () throws(JSONReadError) -> JSONValue in try parser.document() }
    }
    return try result.get()
  }

  package static func parse(_ text: String) throws(JSONReadError) -> JSONValue { try parse(Data(text.utf8)) }

  /// The reader itself, for readers of one shape that walk the bytes with `open`/`next` (a page of tokens).
  package struct Parser {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var index = 0
    package var depth = 0

    package init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    package mutating func document() throws(JSONReadError) -> JSONValue {
      if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
      skipSpace()
      let value = try value()
      skipSpace()
      guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
      return value
    }

    package func fail(_ reason: String) -> JSONReadError { JSONReadError(offset: index, reason: reason) }

    package mutating func skipSpace() {
      while index < bytes.count {
        switch bytes[index] {
        case 0x20, 0x09, 0x0A, 0x0D: index += 1
        default: return
        }
      }
    }

    package mutating func value() throws(JSONReadError) -> JSONValue {
      guard index < bytes.count else { throw fail("unexpected end of input") }
      switch bytes[index] {
      case UInt8(ascii: "{"): return try object()
      case UInt8(ascii: "["): return try array()
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"):
        try literal("true")
        return .bool(true)
      case UInt8(ascii: "f"):
        try literal("false")
        return .bool(false)
      case UInt8(ascii: "n"):
        try literal("null")
        return .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
      default: throw fail("unexpected character")
      }
    }

    package mutating func literal(_ word: StaticString) throws(JSONReadError) {
      let count = word.utf8CodeUnitCount
      guard index + count <= bytes.count else { throw fail("unexpected end of input") }
      let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
      for offset in 0..<count where bytes[index + offset] != expected[offset] { throw fail("unexpected character") }
      index += count
    }

    /// Past an opening bracket, one level deeper; true when the container is empty (its closing bracket consumed).
    package mutating func open(closing: UInt8) throws(JSONReadError) -> Bool {
      depth += 1
      guard depth <= JSONReader.maxDepth else { throw fail("nested deeper than \(JSONReader.maxDepth) levels") }
      index += 1
      skipSpace()
      return try closed(by: closing)
    }

    /// After an item: true at the closing bracket (consumed, one level up), false after a comma.
    package mutating func next(closing: UInt8) throws(JSONReadError) -> Bool {
      skipSpace()
      guard index < bytes.count else { throw fail("unexpected end of input") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        skipSpace()
        return false
      }
      guard try closed(by: closing) else {
        throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
      }
      return true
    }

    package mutating func closed(by closing: UInt8) throws(JSONReadError) -> Bool {
      guard index < bytes.count, bytes[index] == closing else { return false }
      index += 1
      depth -= 1
      return true
    }

    package mutating func object() throws(JSONReadError) -> JSONValue {
      var fields: [String: JSONValue] = [:]
      if try open(closing: UInt8(ascii: "}")) { return .object(fields) }
      repeat {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
        let key = try string()
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
        index += 1
        skipSpace()
        fields[key] = try value()
      } while try !next(closing: UInt8(ascii: "}"))
      return .object(fields)
    }

    package mutating func array() throws(JSONReadError) -> JSONValue {
      var items: [JSONValue] = []
      if try open(closing: UInt8(ascii: "]")) { return .array(items) }
      repeat {
        items.append(try value())
      } while try !next(closing: UInt8(ascii: "]"))
      return .array(items)
    }

    /// A string from its opening quote; the common case without escapes is one validated copy.
    package mutating func string() throws(JSONReadError) -> String {
      index += 1
      let start = index
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\"") {
          let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
          guard let text else { throw JSONReadError(offset: start, reason: "invalid UTF-8 in a string") }
          index += 1
          return text
        }
        if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
        if byte < 0x20 { throw fail("control character in a string") }
        index += 1
      }
      throw fail("unterminated string")
    }

    package mutating func escapedString(from start: Int) throws(JSONReadError) -> String {
      var utf8 = Array(bytes[start..<index])
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""):
          index += 1
          guard let text = String(validating: utf8, as: UTF8.self) else {
            throw JSONReadError(offset: start, reason: "invalid UTF-8 in a string")
          }
          return text
        case UInt8(ascii: "\\"):
          index += 1
          guard index < bytes.count else { throw fail("unterminated string") }
          let escape = bytes[index]
          index += 1
          switch escape {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
          case UInt8(ascii: "b"): utf8.append(0x08)
          case UInt8(ascii: "f"): utf8.append(0x0C)
          case UInt8(ascii: "n"): utf8.append(0x0A)
          case UInt8(ascii: "r"): utf8.append(0x0D)
          case UInt8(ascii: "t"): utf8.append(0x09)
          case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(scalar) {
              guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
              else {
                throw fail("a high surrogate without its low surrogate")
              }
              index += 2
              let low = UInt32(try hex4())
              guard (0xDC00..<0xE000).contains(low) else { throw fail("a high surrogate without its low surrogate") }
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
              throw fail("a low surrogate without its high surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            utf8.append(contentsOf: UTF8.encode(unicode)!)
          default:
            throw fail("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
          }
        default:
          if byte < 0x20 { throw fail("control character in a string") }
          utf8.append(byte)
          index += 1
        }
      }
      throw fail("unterminated string")
    }

    package mutating func hex4() throws(JSONReadError) -> UInt16 {
      guard index + 4 <= bytes.count else { throw fail("unterminated \\u escape") }
      var value: UInt16 = 0
      for _ in 0..<4 {
        let byte = bytes[index]
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
        default: throw fail("invalid \\u escape")
        }
        value = value << 4 | UInt16(digit)
        index += 1
      }
      return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as a finite Double.
    package mutating func number() throws(JSONReadError) -> Double {
      let start = index
      func digits(_ parser: inout Parser) -> Int {
        let first = parser.index
        while parser.index < parser.bytes.count,
          (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index])
        {
          parser.index += 1
        }
        return parser.index - first
      }
      if bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count else { throw fail("a number without digits") }
      if bytes[index] == UInt8(ascii: "0") {
        index += 1
      } else if digits(&self) == 0 {
        throw fail("a number without digits")
      }
      var integral = true
      if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
        integral = false
        index += 1
        guard digits(&self) > 0 else { throw fail("a number without digits after '.'") }
      }
      if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
        integral = false
        index += 1
        if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
          index += 1
        }
        guard digits(&self) > 0 else { throw fail("a number without digits in its exponent") }
      }
      // Short integers, the common case (codes, counts), without going through text.
      if integral && index - start <= 15 {
        var value = 0
        var negative = false
        for position in start..<index {
          if bytes[position] == UInt8(ascii: "-") {
            negative = true
          } else {
            value = value * 10 + Int(bytes[position] - 48)
          }
        }
        return Double(negative ? -value : value)
      }
      let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
      guard let value = Double(text), value.isFinite else {
        throw JSONReadError(offset: start, reason: "a number out of range")
      }
      return value
    }
  }
}
