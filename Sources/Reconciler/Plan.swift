/// A grant in a plan: permission group and resource, with names for people.
public struct PlannedGrant: Sendable, Hashable, Codable {
  public let group: String
  public let groupName: String
  public let resource: String
  public let resourceName: String
  public var effect = "allow"

  enum CodingKeys: String, CodingKey {
    case group = "permission_group_id"
    case groupName = "permission_group"
    case resource
    case resourceName = "resource_name"
    case effect
  }
}

/// A required grant that cannot be applied, and why.
public struct BlockedGrant: Sendable, Hashable, Codable {
  public let grant: PlannedGrant
  public let reason: String
}

/// What the plan does for one token.
public struct TokenPlan: Sendable, Hashable, Codable {
  public let name: String
  public let id: String
  /// `user` or `account NAME`, as the policy writes it.
  public let owner: String
  /// The API family: `user` or `account:ID`.
  public let family: String
  /// What was read: `modified_on` and a hash of the grants; absent when the token could not be read.
  public var fingerprint: String?
  public var modifiedOn: String?
  public var status: String?
  /// Why the token could not be read, if it could not.
  public var readError: String?
  /// The token that will edit this one (`self` for self-editing), when there is something to add.
  public var editor: String?
  /// Why no editor can, and what a person can do.
  public var remediation: String?
  public var add: [PlannedGrant] = []
  public var satisfied: [PlannedGrant] = []
  /// Live grants the policy does not require: reported for least-privilege review, never removed.
  public var extra: [PlannedGrant] = []
  public var blocked: [BlockedGrant] = []

  enum CodingKeys: String, CodingKey {
    case name, id, owner, family, fingerprint, status, editor, remediation, add, satisfied, extra, blocked
    case modifiedOn = "modified_on"
    case readError = "read_error"
  }

  public var hasChanges: Bool { !add.isEmpty }
}

/// The plan: a versioned document with no secret in it. Its digest is the sha256 of its canonical JSON.
public struct Plan: Sendable, Hashable, Codable {
  public static let formatVersion = "1"
  public var formatVersion = Plan.formatVersion
  public var toolVersion: String
  /// sha256 of the policy files read, in order.
  public var policyDigest: String
  /// Where the live state was read from (never a credential).
  public var source: String
  public var catalog: String
  public var tokens: [TokenPlan]

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case toolVersion = "tool_version"
    case policyDigest = "policy_digest"
    case source, catalog, tokens
  }

  public var toAdd: Int { tokens.reduce(0) { $0 + $1.add.count } }
  public var blockedCount: Int { tokens.reduce(0) { $0 + $1.blocked.count } }
  public var changedTokens: Int { tokens.filter(\.hasChanges).count }
  public var unchangedTokens: Int { tokens.filter { !$0.hasChanges && $0.blocked.isEmpty }.count }
  public var hasChanges: Bool { toAdd > 0 }
}
