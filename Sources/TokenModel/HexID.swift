/// A Cloudflare identifier: 32 lowercase hexadecimal characters (tokens, accounts, zones, permission groups).
package struct HexID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  package let rawValue: String

  /// Accepts 32 hexadecimal characters in either case; stores them lowercased.
  package init?(_ text: String) {
    guard text.utf8.count == 32, text.utf8.allSatisfy(HexID.isHexDigit) else { return nil }
    rawValue = text.lowercased()
  }

  package init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let id = HexID(text) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a 32-character hexadecimal id"))
    }
    self = id
  }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  package var description: String { rawValue }

  /// `4d84…5f66`: enough to recognise an id in prose.
  package var short: String { String(rawValue.prefix(4)) + "…" + String(rawValue.suffix(4)) }

  package static func < (lhs: HexID, rhs: HexID) -> Bool { lhs.rawValue < rhs.rawValue }

  static func isHexDigit(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
  }
}
