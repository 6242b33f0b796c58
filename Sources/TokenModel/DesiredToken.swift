/// One permission a policy requires: a permission group on a resource (always an allow).
public struct DesiredGrant: Sendable, Hashable, Codable {
  public let group: HexID
  public let resource: Resource
  /// The group's name, for display.
  public let groupName: String
  /// The resource as the policy wrote it ("account main"), for display.
  public let resourceName: String

  public init(group: HexID, resource: Resource, groupName: String, resourceName: String) {
    self.group = group
    self.resource = resource
    self.groupName = groupName
    self.resourceName = resourceName
  }

  /// Identity for set operations: names are for display only.
  public static func == (lhs: DesiredGrant, rhs: DesiredGrant) -> Bool {
    lhs.group == rhs.group && lhs.resource == rhs.resource
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(group)
    hasher.combine(resource)
  }
}

/// Which token may edit this one to add what is missing.
public enum HealerChoice: Sendable, Hashable, Codable {
  /// The policy names another token.
  case token(String)
  /// The policy explicitly lets the token edit itself.
  case selfEdit
  /// Chosen automatically among the policy's tokens.
  case automatic
}

/// A token as the policy requires it to be.
public struct DesiredToken: Sendable, Hashable, Codable {
  /// The policy's name for the token, unique across the policy set.
  public let name: String
  public let id: HexID
  public let owner: TokenOwner
  /// The owner as written ("user", "account main").
  public let ownerName: String
  /// The environment variable holding the token's value; the value itself is read only when needed.
  public let secretVariable: String
  public let healer: HealerChoice
  /// Warn this many seconds before the token expires.
  public let warnBeforeSeconds: Int?
  public let grants: [DesiredGrant]
  /// Where the token is declared: "policies/worker.yaml:12:3".
  public let location: String

  public init(
    name: String, id: HexID, owner: TokenOwner, ownerName: String, secretVariable: String, healer: HealerChoice,
    warnBeforeSeconds: Int?, grants: [DesiredGrant], location: String
  ) {
    self.name = name
    self.id = id
    self.owner = owner
    self.ownerName = ownerName
    self.secretVariable = secretVariable
    self.healer = healer
    self.warnBeforeSeconds = warnBeforeSeconds
    self.grants = grants
    self.location = location
  }
}

/// Everything a set of policy files requires.
public struct DesiredState: Sendable, Hashable, Codable {
  public var tokens: [DesiredToken] {
    didSet { positions = Self.positions(of: tokens) }
  }
  /// Where each name is in `tokens`: lookups by name stay O(1) for policies of thousands of tokens.
  private var positions: [String: Int]

  enum CodingKeys: String, CodingKey { case tokens }

  public init(tokens: [DesiredToken]) {
    self.tokens = tokens
    positions = Self.positions(of: tokens)
  }

  public init(from decoder: Decoder) throws {
    self.init(tokens: try decoder.container(keyedBy: CodingKeys.self).decode([DesiredToken].self, forKey: .tokens))
  }

  static func positions(of tokens: [DesiredToken]) -> [String: Int] {
    Dictionary(tokens.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  public func token(named name: String) -> DesiredToken? { positions[name].map { tokens[$0] } }
}
