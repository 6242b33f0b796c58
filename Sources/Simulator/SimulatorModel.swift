import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// Who owns a simulated token: written `user:<id>` or `account:<id>` in scenario files.
public enum SimOwner: Sendable, Hashable, Codable, CustomStringConvertible {
  case user(HexID)
  case account(HexID)

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    guard parts.count == 2, let id = HexID(parts[1]) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath, debugDescription: "owner must be 'user:ID' or 'account:ID'"))
    }
    switch parts[0] {
    case "user": self = .user(id)
    case "account": self = .account(id)
    default:
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath, debugDescription: "owner must be 'user:ID' or 'account:ID'"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  public var description: String {
    switch self {
    case .user(let id): return "user:\(id)"
    case .account(let id): return "account:\(id)"
    }
  }
}

/// A user's role in an account. Only Super Administrators may create or update account-owned tokens.
public enum SimRole: String, Sendable, Codable {
  case superAdministrator = "super_administrator"
  case administrator
  case readOnly = "read_only"
}

public struct SimUser: Sendable, Codable, Hashable {
  public var id: HexID
  public var email: String
  /// Account id → role.
  public var memberships: [String: SimRole]

  public init(id: HexID, email: String, memberships: [String: SimRole]) {
    self.id = id
    self.email = email
    self.memberships = memberships
  }

  public func role(in account: HexID) -> SimRole? { memberships[account.rawValue] }
}

public struct SimAccount: Sendable, Codable, Hashable {
  public var id: HexID
  public var name: String

  public init(id: HexID, name: String) {
    self.id = id
    self.name = name
  }
}

/// A policy as stored: group ids (scenario files may name groups instead), resources as JSON.
public struct SimPolicy: Sendable, Codable, Hashable {
  public var id: String
  public var effect: String
  public var permissionGroups: [String]
  public var resources: JSONValue

  enum CodingKeys: String, CodingKey {
    case id, effect, resources
    case permissionGroups = "permission_groups"
  }

  public init(id: String, effect: String, permissionGroups: [String], resources: JSONValue) {
    self.id = id
    self.effect = effect
    self.permissionGroups = permissionGroups
    self.resources = resources
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
    effect = try container.decodeIfPresent(String.self, forKey: .effect) ?? "allow"
    permissionGroups = try container.decode([String].self, forKey: .permissionGroups)
    resources = try container.decode(JSONValue.self, forKey: .resources)
  }
}

/// A token as the simulated Cloudflare stores it, secret included (sandbox secrets are fake).
public struct SimToken: Sendable, Codable, Hashable {
  public var id: HexID
  public var name: String
  public var owner: SimOwner
  public var secret: String
  /// The environment variable the sandbox exports the secret as.
  public var env: String?
  public var status: String
  public var issuedOn: String
  public var modifiedOn: String
  public var lastUsedOn: String?
  public var notBefore: String?
  public var expiresOn: String?
  public var condition: JSONValue?
  public var policies: [SimPolicy]

  enum CodingKeys: String, CodingKey {
    case id, name, owner, secret, env, status, condition, policies
    case issuedOn = "issued_on"
    case modifiedOn = "modified_on"
    case lastUsedOn = "last_used_on"
    case notBefore = "not_before"
    case expiresOn = "expires_on"
  }

  public init(
    id: HexID, name: String, owner: SimOwner, secret: String, env: String?, status: String = "active",
    issuedOn: String, modifiedOn: String, notBefore: String? = nil, expiresOn: String? = nil,
    condition: JSONValue? = nil, policies: [SimPolicy]
  ) {
    self.id = id
    self.name = name
    self.owner = owner
    self.secret = secret
    self.env = env
    self.status = status
    self.issuedOn = issuedOn
    self.modifiedOn = modifiedOn
    self.notBefore = notBefore
    self.expiresOn = expiresOn
    self.condition = condition
    self.policies = policies
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(HexID.self, forKey: .id)
    name = try container.decodeIfPresent(String.self, forKey: .name) ?? "token"
    owner = try container.decode(SimOwner.self, forKey: .owner)
    secret = try container.decode(String.self, forKey: .secret)
    env = try container.decodeIfPresent(String.self, forKey: .env)
    status = try container.decodeIfPresent(String.self, forKey: .status) ?? "active"
    issuedOn = try container.decodeIfPresent(String.self, forKey: .issuedOn) ?? "2026-01-01T00:00:00Z"
    modifiedOn = try container.decodeIfPresent(String.self, forKey: .modifiedOn) ?? issuedOn
    lastUsedOn = try container.decodeIfPresent(String.self, forKey: .lastUsedOn)
    notBefore = try container.decodeIfPresent(String.self, forKey: .notBefore)
    expiresOn = try container.decodeIfPresent(String.self, forKey: .expiresOn)
    condition = try container.decodeIfPresent(JSONValue.self, forKey: .condition)
    policies = try container.decodeIfPresent([SimPolicy].self, forKey: .policies) ?? []
  }
}

/// Behaviour where Cloudflare documents none; the defaults are the harsher choice.
public struct SimulatorSettings: Sendable, Codable, Hashable {
  /// Whether a token may edit or roll itself. Undocumented; default: refused (403, code 9109).
  public var allowSelfEdit = false
  /// Whether a PUT that leaves out `condition`, `expires_on`, `not_before` or `status` clears them. Undocumented;
  /// default: cleared (status back to active), so a client that does not echo them loses them.
  public var putClearsOmittedFields = true
  /// HTTP status of an invalid-token (1000) answer; reports say 400 or 401. Default 401.
  public var invalidTokenStatus = 401
  /// The condition key GET returns: "as-written", "request.ip" or "request_ip". Default: as written.
  public var conditionKeyOnRead = "as-written"
  /// Requests per window per user (account-owned tokens count against their account).
  public var rateLimit = 1200
  public var rateWindowSeconds = 300.0
  /// Once over the limit, every call gets 429 for this long (Cloudflare: "for the next five minutes").
  public var rateLimitPenaltySeconds = 300.0
  /// Send the rate-limit headers of before September 2025 (`X-RateLimit-*`) instead of `Ratelimit` and
  /// `Ratelimit-Policy`.
  public var legacyRateLimitHeaders = false

  public init() {}

  enum CodingKeys: String, CodingKey {
    case allowSelfEdit = "allow_self_edit"
    case putClearsOmittedFields = "put_clears_omitted_fields"
    case invalidTokenStatus = "invalid_token_status"
    case conditionKeyOnRead = "condition_key_on_read"
    case rateLimit = "rate_limit"
    case rateWindowSeconds = "rate_window_seconds"
    case rateLimitPenaltySeconds = "rate_limit_penalty_seconds"
    case legacyRateLimitHeaders = "legacy_rate_limit_headers"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = SimulatorSettings()
    allowSelfEdit = try c.decodeIfPresent(Bool.self, forKey: .allowSelfEdit) ?? defaults.allowSelfEdit
    putClearsOmittedFields =
      try c.decodeIfPresent(Bool.self, forKey: .putClearsOmittedFields) ?? defaults.putClearsOmittedFields
    invalidTokenStatus = try c.decodeIfPresent(Int.self, forKey: .invalidTokenStatus) ?? defaults.invalidTokenStatus
    conditionKeyOnRead = try c.decodeIfPresent(String.self, forKey: .conditionKeyOnRead) ?? defaults.conditionKeyOnRead
    rateLimit = try c.decodeIfPresent(Int.self, forKey: .rateLimit) ?? defaults.rateLimit
    rateWindowSeconds = try c.decodeIfPresent(Double.self, forKey: .rateWindowSeconds) ?? defaults.rateWindowSeconds
    rateLimitPenaltySeconds =
      try c.decodeIfPresent(Double.self, forKey: .rateLimitPenaltySeconds) ?? defaults.rateLimitPenaltySeconds
    legacyRateLimitHeaders =
      try c.decodeIfPresent(Bool.self, forKey: .legacyRateLimitHeaders) ?? defaults.legacyRateLimitHeaders
  }
}

/// Faults injected into answers, reproducible from the seed.
public struct FaultSettings: Sendable, Codable, Hashable {
  public var seed: UInt64 = 1
  /// Added to every answer, in milliseconds.
  public var latencyMilliseconds = 0
  /// Share of requests answered 502 with an HTML page from "the edge", without being processed.
  public var errorRate = 0.0
  /// Share of requests whose connection is reset before they are processed.
  public var resetRate = 0.0
  /// Share of requests answered 429 (Retry-After: 1) without being processed.
  public var rateLimitedRate = 0.0
  /// Share of PUTs that are applied but answered 500.
  public var appliedButFailedRate = 0.0

  public init() {}

  enum CodingKeys: String, CodingKey {
    case seed
    case latencyMilliseconds = "latency_ms"
    case errorRate = "error_rate"
    case resetRate = "reset_rate"
    case rateLimitedRate = "rate_limited_rate"
    case appliedButFailedRate = "applied_but_failed_rate"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
    latencyMilliseconds = try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
    errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
    resetRate = try c.decodeIfPresent(Double.self, forKey: .resetRate) ?? 0
    rateLimitedRate = try c.decodeIfPresent(Double.self, forKey: .rateLimitedRate) ?? 0
    appliedButFailedRate = try c.decodeIfPresent(Double.self, forKey: .appliedButFailedRate) ?? 0
  }
}

/// A whole simulated Cloudflare: what scenario files describe and what the sandbox persists.
public struct SimulatorState: Sendable, Codable {
  public var name: String
  public var description: String?
  public var accounts: [SimAccount]
  public var users: [SimUser]
  public var tokens: [SimToken]
  public var settings: SimulatorSettings
  public var faults: FaultSettings
  /// Counter for ids and secrets issued by the simulator, so they are reproducible.
  public var issued: UInt64
  /// Permission groups the live catalog has beyond the bundled one, as when Cloudflare adds a group after a release.
  public var newPermissionGroups: [PermissionGroup] = []

  public init(
    name: String, description: String? = nil, accounts: [SimAccount], users: [SimUser], tokens: [SimToken],
    settings: SimulatorSettings = SimulatorSettings(), faults: FaultSettings = FaultSettings(), issued: UInt64 = 0
  ) {
    self.name = name
    self.description = description
    self.accounts = accounts
    self.users = users
    self.tokens = tokens
    self.settings = settings
    self.faults = faults
    self.issued = issued
  }

  enum CodingKeys: String, CodingKey {
    case name, description, accounts, users, tokens, settings, faults, issued
    case newPermissionGroups = "new_permission_groups"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? "custom"
    description = try c.decodeIfPresent(String.self, forKey: .description)
    accounts = try c.decodeIfPresent([SimAccount].self, forKey: .accounts) ?? []
    users = try c.decodeIfPresent([SimUser].self, forKey: .users) ?? []
    tokens = try c.decodeIfPresent([SimToken].self, forKey: .tokens) ?? []
    settings = try c.decodeIfPresent(SimulatorSettings.self, forKey: .settings) ?? SimulatorSettings()
    faults = try c.decodeIfPresent(FaultSettings.self, forKey: .faults) ?? FaultSettings()
    issued = try c.decodeIfPresent(UInt64.self, forKey: .issued) ?? 0
    newPermissionGroups = try c.decodeIfPresent([PermissionGroup].self, forKey: .newPermissionGroups) ?? []
  }

  /// `catalog` with the groups this state adds to it.
  public func catalog(_ catalog: PermissionCatalog) -> PermissionCatalog {
    if newPermissionGroups.isEmpty { return catalog }
    return PermissionCatalog(
      groups: catalog.groups + newPermissionGroups, origin: catalog.origin + " and the scenario's new groups",
      previousNames: catalog.previousNames)
  }
}
