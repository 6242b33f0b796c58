import TokenModel

/// A token's value and how to name it in messages and logs.
public struct Credential: Sendable {
  /// The policy's name for the token, or its id.
  public let label: String
  public let tokenID: HexID?
  public let secret: Secret

  public init(label: String, tokenID: HexID?, secret: Secret) {
    self.label = label
    self.tokenID = tokenID
    self.secret = secret
  }

  /// `user_token (a753…eddf)`: never the value.
  public var display: String { tokenID.map { "\(label) (\($0.short))" } ?? label }
}

/// The two API families of token management: user-owned tokens and account-owned tokens.
public enum TokenFamily: Sendable, Hashable, CustomStringConvertible {
  case user
  case account(HexID)

  public init(owner: TokenOwner) {
    switch owner {
    case .user: self = .user
    case .account(let id): self = .account(id)
    }
  }

  /// `/user/tokens` or `/accounts/{id}/tokens`.
  public var tokensPath: String {
    switch self {
    case .user: return "/user/tokens"
    case .account(let id): return "/accounts/\(id.rawValue)/tokens"
    }
  }

  public var description: String {
    switch self {
    case .user: return "user tokens"
    case .account(let id): return "tokens of account \(id.short)"
    }
  }
}
