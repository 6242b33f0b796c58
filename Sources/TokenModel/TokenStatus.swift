/// A token's status as Cloudflare reports it; values outside the spec (such as `revoked (exposed)`) are kept.
package enum TokenStatus: Sendable, Hashable, Codable, CustomStringConvertible {
  case active
  case disabled
  case expired
  case other(String)

  package init(_ raw: String) {
    switch raw {
    case "active": self = .active
    case "disabled": self = .disabled
    case "expired": self = .expired
    default: self = .other(raw)
    }
  }

  package var rawValue: String {
    switch self {
    case .active: return "active"
    case .disabled: return "disabled"
    case .expired: return "expired"
    case .other(let raw): return raw
    }
  }

  package var description: String { rawValue }

  /// Revoked by Cloudflare, e.g. `revoked (exposed)` for a value found in public: it cannot be enabled again.
  package var isRevoked: Bool {
    if case .other(let raw) = self { return raw.hasPrefix("revoked") }
    return false
  }

  package init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
