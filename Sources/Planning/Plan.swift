import JSON
import LiveState
import TokenModel

/// A grant in a plan: permission group and resource, with names for people.
package struct PlannedGrant: Sendable, Hashable, Codable {
  package let group: String
  package let groupName: String
  package let resource: String
  package let resourceName: String
  package var effect = Effect.allow

  enum CodingKeys: String, CodingKey {
    case group = "permission_group_id"
    case groupName = "permission_group"
    case resource
    case resourceName = "resource_name"
    case effect
  }
}

/// A required grant that cannot be applied, and why.
package struct BlockedGrant: Sendable, Hashable, Codable {
  /// Why, as a type: scripts and health decide on this, people read `reason`.
  package enum Kind: String, Sendable, Hashable, Codable {
    /// A deny policy on the token covers it; add-only never removes a deny.
    case deniedByPolicy = "denied_by_policy"
    /// The token is disabled, expired or revoked.
    case tokenInactive = "token_inactive"
    /// The token could not be read.
    case unreadable
    /// No token of the policy can edit it.
    case noEditor = "no_editor"
    /// The editor is account-owned and does not hold the zone grant itself (Cloudflare's error 1001).
    case editorLacksGrant = "editor_lacks_grant"
  }

  package let grant: PlannedGrant
  package let reason: String
  /// Absent in a plan written by hand or by a tool that does not know the kinds.
  package let kind: Kind?

  package init(grant: PlannedGrant, reason: String, kind: Kind) {
    self.grant = grant
    self.reason = reason
    self.kind = kind
  }
}

/// What the plan does for one token.
package struct TokenPlan: Sendable, Hashable, Codable {
  package let name: String
  package let id: String
  /// `user` or `account NAME`, as the policy writes it.
  package let owner: String
  /// The API family; plan files write `user` or `account:ID`.
  package let family: TokenFamily
  /// What was read: `modified_on` and a hash of the grants; absent when the token could not be read.
  package var fingerprint: String?
  package var modifiedOn: String?
  package var status: String?
  /// The rest of what was read (name, status, dates, condition and grants as digests): what apply compares with a
  /// fresh read of the token right before writing it.
  package var read: TokenReadState?
  /// Why the token could not be read, if it could not.
  package var readError: String?
  /// The token that will edit this one (`self` for self-editing), when there is something to add.
  package var editor: String?
  /// Why no editor can, and what a person can do.
  package var remediation: String?
  package var add: [PlannedGrant] = []
  package var satisfied: [PlannedGrant] = []
  /// Live grants the policy does not require: reported for least-privilege review, never removed.
  package var extra: [PlannedGrant] = []
  package var blocked: [BlockedGrant] = []

  enum CodingKeys: String, CodingKey {
    case name, id, owner, family, fingerprint, status, read, editor, remediation, add, satisfied, extra, blocked
    case modifiedOn = "modified_on"
    case readError = "read_error"
  }

  package var hasChanges: Bool { !add.isEmpty }
}

/// Where a plan was made, and so the only place it may be applied: Cloudflare's API at a base URL (never with
/// credentials in it), or the sandbox.
package enum PlanTarget: Sendable, Hashable, Codable, CustomStringConvertible {
  case api(baseURL: String)
  case sandbox(scenario: String)

  enum CodingKeys: String, CodingKey {
    case kind
    case baseURL = "base_url"
    case scenario
  }

  package init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(String.self, forKey: .kind) {
    case "api": self = .api(baseURL: try container.decode(String.self, forKey: .baseURL))
    case "sandbox": self = .sandbox(scenario: try container.decode(String.self, forKey: .scenario))
    case let other:
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container, debugDescription: "unknown target kind '\(other)'")
    }
  }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .api(let baseURL):
      try container.encode("api", forKey: .kind)
      try container.encode(baseURL, forKey: .baseURL)
    case .sandbox(let scenario):
      try container.encode("sandbox", forKey: .kind)
      try container.encode(scenario, forKey: .scenario)
    }
  }

  package var description: String {
    switch self {
    case .api(let baseURL): return "Cloudflare's API at \(baseURL)"
    case .sandbox(let scenario): return "the sandbox (scenario \(scenario))"
    }
  }
}

/// The plan: a versioned document with no secret in it. Its digest is the sha256 of its canonical JSON.
package struct Plan: Sendable, Hashable, Codable {
  /// 2: the plan names its target, accounts and policy files, and records what was read of each token.
  package static let formatVersion = "2"
  package var formatVersion = Plan.formatVersion
  package var toolVersion: String
  /// sha256 of the policy files read, in order.
  package var policyDigest: String
  /// The policy files as given on the command line, for `apply FILE` to read again.
  package var policyFiles: [String] = []
  /// Where the live state was read from (never a credential).
  package var source: String
  /// Where the plan may be applied.
  package var target: PlanTarget?
  /// The accounts whose tokens, or whose resources, the additions touch.
  package var accounts: [String] = []
  package var catalog: String
  package var tokens: [TokenPlan]
  /// Rotations due (recommendations; nil when none, so that plans without keep their digest).
  package var rotationsDue: [RotationDue]?

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case toolVersion = "tool_version"
    case policyDigest = "policy_digest"
    case policyFiles = "policy_files"
    case source, target, accounts, catalog, tokens
    case rotationsDue = "rotations_due"
  }

  init(toolVersion: String, policyDigest: String, source: String, catalog: String, tokens: [TokenPlan]) {
    self.toolVersion = toolVersion
    self.policyDigest = policyDigest
    self.source = source
    self.catalog = catalog
    self.tokens = tokens
  }

  /// Binds the plan to where it was made and what it came from.
  package mutating func bind(target: PlanTarget, policyFiles: [String]) {
    self.target = target
    self.policyFiles = policyFiles
    var accounts = Set<String>()
    for token in tokens where token.hasChanges {
      if case .account(let id) = token.family { accounts.insert(id.rawValue) }
      for grant in token.add {
        let (kind, id) = ResourceKind.of(grant.resource)
        if kind == .account || kind == .zonesOfAccount, id != "*" { accounts.insert(String(id)) }
      }
    }
    self.accounts = accounts.sorted()
  }

  package var toAdd: Int { tokens.reduce(0) { $0 + $1.add.count } }
  package var blockedCount: Int { tokens.reduce(0) { $0 + $1.blocked.count } }
  package var changedTokens: Int { tokens.filter(\.hasChanges).count }
  package var unchangedTokens: Int { tokens.filter { !$0.hasChanges && $0.blocked.isEmpty }.count }
  package var hasChanges: Bool { toAdd > 0 }
}
