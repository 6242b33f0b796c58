/// One permission a policy requires: a permission group on a resource (always an allow).
package struct DesiredGrant: Sendable, Hashable, Codable {
  package let group: HexID
  package let resource: Resource
  /// The group's name, for display.
  package let groupName: String
  /// The resource as the policy wrote it ("account main"), for display.
  package let resourceName: String

  package init(group: HexID, resource: Resource, groupName: String, resourceName: String) {
    self.group = group
    self.resource = resource
    self.groupName = groupName
    self.resourceName = resourceName
  }

  /// Identity for set operations: names are for display only.
  package static func == (lhs: DesiredGrant, rhs: DesiredGrant) -> Bool {
    lhs.group == rhs.group && lhs.resource == rhs.resource
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(group)
    hasher.combine(resource)
  }
}

/// Which token may edit this one to add what is missing.
package enum HealerChoice: Sendable, Hashable, Codable {
  /// The policy names another token.
  case token(String)
  /// The policy explicitly lets the token edit itself.
  case selfEdit
  /// Chosen automatically among the policy's tokens.
  case automatic
}

/// A token as the policy requires it to be.
package struct DesiredToken: Sendable, Hashable, Codable {
  /// The policy's name for the token, unique across the policy set.
  package let name: String
  package let id: HexID
  package let owner: TokenOwner
  /// The owner as written ("user", "account main").
  package let ownerName: String
  /// The environment variable holding the token's value; the value itself is read only when needed.
  package let secretVariable: String
  package let healer: HealerChoice
  /// Warn this many seconds before the token expires.
  package let warnBeforeSeconds: Int?
  package let grants: [DesiredGrant]
  /// Where the token is declared: "policies/worker.yaml:12:3".
  package let location: String
  /// How its secret is rotated, when the policy says.
  package var rotation: RotationPolicy?
  /// Unused for longer than this (seconds) is reported; default 30 days.
  package var unusedAfter: Int?

  package init(
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
package struct DesiredState: Sendable, Hashable, Codable {
  package var tokens: [DesiredToken] {
    didSet { positions = Self.positions(of: tokens) }
  }
  /// Where each name is in `tokens`: lookups by name stay O(1) for policies of thousands of tokens.
  private var positions: [String: Int]
  /// The read-only token that lists each family for plan, health and status (`observers:`), by family.
  package var observers: [TokenFamily: String] = [:]

  enum CodingKeys: String, CodingKey { case tokens }

  package init(tokens: [DesiredToken]) {
    self.tokens = tokens
    positions = Self.positions(of: tokens)
  }

  package init(from decoder: Decoder) throws {
    self.init(tokens: try decoder.container(keyedBy: CodingKeys.self).decode([DesiredToken].self, forKey: .tokens))
  }

  static func positions(of tokens: [DesiredToken]) -> [String: Int] {
    Dictionary(tokens.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  package func token(named name: String) -> DesiredToken? { positions[name].map { tokens[$0] } }
}
