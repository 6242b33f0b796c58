/// The two API families of token management: user-owned tokens and account-owned tokens.
package enum TokenFamily: Sendable, Hashable, Codable, CustomStringConvertible {
  case user
  case account(HexID)

  /// As plan files write it: `user` or `account:<id>`.
  package var key: String {
    switch self {
    case .user: "user"
    case .account(let id): "account:\(id.rawValue)"
    }
  }

  package init?(key: String) {
    if key == "user" {
      self = .user
    } else if key.hasPrefix("account:"), let id = HexID(String(key.dropFirst("account:".count))) {
      self = .account(id)
    } else {
      return nil
    }
  }

  package init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let family = TokenFamily(key: text) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath, debugDescription: "'\(text)' is not 'user' or 'account:<id>'"))
    }
    self = family
  }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(key)
  }

  package init(owner: TokenOwner) {
    switch owner {
    case .user: self = .user
    case .account(let id): self = .account(id)
    }
  }

  package var description: String {
    switch self {
    case .user: return "user tokens"
    case .account(let id): return "tokens of account \(id.short)"
    }
  }
}

extension TokenFamily {
  /// `/user/tokens` or `/accounts/{id}/tokens`.
  package var tokensPath: String {
    switch self {
    case .user: return "/user/tokens"
    case .account(let id): return "/accounts/\(id.rawValue)/tokens"
    }
  }
}
