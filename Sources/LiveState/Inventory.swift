import TokenModel

/// Everything some credentials can see of an account, as `import` reads it: the tokens of both families with their
/// grants, and the names of the accounts and zones they reach (where the credentials may read them).
package struct Inventory: Sendable {
  /// One token as listed.
  package struct Token: Sendable, Hashable {
    package let id: String
    package let name: String
    package let family: TokenFamily
    package let status: TokenStatus
    package let hasCondition: Bool
    package let grants: [LiveGrant]

    package init(
      id: String, name: String, family: TokenFamily, status: TokenStatus, hasCondition: Bool, grants: [LiveGrant]
    ) {
      self.id = id
      self.name = name
      self.family = family
      self.status = status
      self.hasCondition = hasCondition
      self.grants = grants.sorted()
    }
  }

  package var tokens: [Token] = []
  /// Account id → its name, where one could be read.
  package var accountNames: [String: String] = [:]
  /// Zone id → its name, where one could be read.
  package var zoneNames: [String: String] = [:]
  /// Token id → the environment variable whose value is that token (the credentials `import` read with).
  package var variables: [String: String] = [:]
  /// What could not be read, per credential: said, and the rest carries on.
  package var problems: [String] = []

  package init() {}
}
