import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// Who owns a simulated token: written `user:<id>` or `account:<id>` in scenario files.
package enum SimOwner: Sendable, Hashable, Codable, CustomStringConvertible {
  case user(HexID)
  case account(HexID)

  package init(from decoder: Decoder) throws {
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

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  package var description: String {
    switch self {
    case .user(let id): return "user:\(id)"
    case .account(let id): return "account:\(id)"
    }
  }
}

/// A user's role in an account. Only Super Administrators may create or update account-owned tokens.
package enum SimRole: String, Sendable, Codable {
  case superAdministrator = "super_administrator"
  case administrator
  case readOnly = "read_only"
}

package struct SimUser: Sendable, Codable, Hashable {
  package var id: HexID
  package var email: String
  /// Account id → role.
  package var memberships: [String: SimRole]

  package init(id: HexID, email: String, memberships: [String: SimRole]) {
    self.id = id
    self.email = email
    self.memberships = memberships
  }

  package func role(in account: HexID) -> SimRole? { memberships[account.rawValue] }
}

package struct SimAccount: Sendable, Codable, Hashable {
  package var id: HexID
  package var name: String

  package init(id: HexID, name: String) {
    self.id = id
    self.name = name
  }
}

/// A zone, in the account that owns it: what `GET /zones` lists.
package struct SimZone: Sendable, Codable, Hashable {
  package var id: HexID
  package var name: String
  package var account: HexID

  package init(id: HexID, name: String, account: HexID) {
    self.id = id
    self.name = name
    self.account = account
  }
}

/// A Worker script and its secrets (values are never listed, as Cloudflare's API does not list them).
package struct SimWorker: Sendable, Codable, Hashable {
  package var account: HexID
  package var script: String
  package var secrets: [String: String]

  package init(account: HexID, script: String, secrets: [String: String] = [:]) {
    self.account = account
    self.script = script
    self.secrets = secrets
  }
}

/// A policy as stored: group ids (scenario files may name groups instead), resources as JSON.
package struct SimPolicy: Sendable, Codable, Hashable {
  package var id: String
  package var effect: String
  package var permissionGroups: [String]
  package var resources: JSONValue

  enum CodingKeys: String, CodingKey {
    case id, effect, resources
    case permissionGroups = "permission_groups"
  }

  package init(id: String, effect: String, permissionGroups: [String], resources: JSONValue) {
    self.id = id
    self.effect = effect
    self.permissionGroups = permissionGroups
    self.resources = resources
  }

  package init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
    effect = try container.decodeIfPresent(String.self, forKey: .effect) ?? "allow"
    permissionGroups = try container.decode([String].self, forKey: .permissionGroups)
    resources = try container.decode(JSONValue.self, forKey: .resources)
  }
}

/// A token as the simulated Cloudflare stores it, secret included (sandbox secrets are fake).
package struct SimToken: Sendable, Codable, Hashable {
  package var id: HexID
  package var name: String
  package var owner: SimOwner
  package var secret: String
  /// The environment variable the sandbox exports the secret as.
  package var env: String?
  package var status: String
  package var issuedOn: String
  package var modifiedOn: String
  package var lastUsedOn: String?
  package var notBefore: String?
  package var expiresOn: String?
  package var condition: JSONValue?
  package var policies: [SimPolicy]

  enum CodingKeys: String, CodingKey {
    case id, name, owner, secret, env, status, condition, policies
    case issuedOn = "issued_on"
    case modifiedOn = "modified_on"
    case lastUsedOn = "last_used_on"
    case notBefore = "not_before"
    case expiresOn = "expires_on"
  }

  package init(
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

  package init(from decoder: Decoder) throws {
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
package struct SimulatorSettings: Sendable, Codable, Hashable {
  /// Whether a token may edit or roll itself. Undocumented; default: refused (403, code 9109).
  package var allowSelfEdit = false
  /// Whether a PUT that leaves out `condition`, `expires_on`, `not_before` or `status` clears them. Undocumented;
  /// default: cleared (status back to active), so a client that does not echo them loses them.
  package var putClearsOmittedFields = true
  /// HTTP status of an invalid-token (1000) answer; reports say 400 or 401. Default 401.
  package var invalidTokenStatus = 401
  /// The condition key GET returns: "as-written", "request.ip" or "request_ip". Default: as written.
  package var conditionKeyOnRead = "as-written"
  /// Requests per window per user (account-owned tokens count against their account).
  package var rateLimit = 1200
  package var rateWindowSeconds = 300.0
  /// Once over the limit, every call gets 429 for this long (Cloudflare: "for the next five minutes").
  package var rateLimitPenaltySeconds = 300.0
  /// Send the rate-limit headers of before September 2025 (`X-RateLimit-*`) instead of `Ratelimit` and
  /// `Ratelimit-Policy`.
  package var legacyRateLimitHeaders = false

  package init() {}

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

  package init(from decoder: Decoder) throws {
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
package struct FaultSettings: Sendable, Codable, Hashable {
  package var seed: UInt64 = 1
  /// Added to every answer, in milliseconds.
  package var latencyMilliseconds = 0
  /// Share of requests answered 502 with an HTML page from "the edge", without being processed.
  package var errorRate = 0.0
  /// Share of requests whose connection is reset before they are processed.
  package var resetRate = 0.0
  /// Share of requests answered 429 (Retry-After: 1) without being processed.
  package var rateLimitedRate = 0.0
  /// Share of PUTs that are applied but answered 500.
  package var appliedButFailedRate = 0.0

  package init() {}

  enum CodingKeys: String, CodingKey {
    case seed
    case latencyMilliseconds = "latency_ms"
    case errorRate = "error_rate"
    case resetRate = "reset_rate"
    case rateLimitedRate = "rate_limited_rate"
    case appliedButFailedRate = "applied_but_failed_rate"
  }

  package init(from decoder: Decoder) throws {
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
package struct SimulatorState: Sendable, Codable {
  package var name: String
  package var description: String?
  package var accounts: [SimAccount]
  package var zones: [SimZone] = []
  package var workers: [SimWorker] = []
  package var users: [SimUser]
  package var tokens: [SimToken]
  package var settings: SimulatorSettings
  package var faults: FaultSettings
  /// Counter for ids and secrets issued by the simulator, so they are reproducible.
  package var issued: UInt64
  /// Permission groups the live catalog has beyond the bundled one, as when Cloudflare adds a group after a release.
  package var newPermissionGroups: [PermissionGroup] = []

  package init(
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
    case name, description, accounts, zones, workers, users, tokens, settings, faults, issued
    case newPermissionGroups = "new_permission_groups"
  }

  package init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? "custom"
    description = try c.decodeIfPresent(String.self, forKey: .description)
    accounts = try c.decodeIfPresent([SimAccount].self, forKey: .accounts) ?? []
    zones = try c.decodeIfPresent([SimZone].self, forKey: .zones) ?? []
    workers = try c.decodeIfPresent([SimWorker].self, forKey: .workers) ?? []
    users = try c.decodeIfPresent([SimUser].self, forKey: .users) ?? []
    tokens = try c.decodeIfPresent([SimToken].self, forKey: .tokens) ?? []
    settings = try c.decodeIfPresent(SimulatorSettings.self, forKey: .settings) ?? SimulatorSettings()
    faults = try c.decodeIfPresent(FaultSettings.self, forKey: .faults) ?? FaultSettings()
    issued = try c.decodeIfPresent(UInt64.self, forKey: .issued) ?? 0
    newPermissionGroups = try c.decodeIfPresent([PermissionGroup].self, forKey: .newPermissionGroups) ?? []
  }

  /// `catalog` with the groups this state adds to it.
  package func catalog(_ catalog: PermissionCatalog) -> PermissionCatalog {
    if newPermissionGroups.isEmpty { return catalog }
    return PermissionCatalog(
      groups: catalog.groups + newPermissionGroups, origin: catalog.origin + " and the scenario's new groups",
      previousNames: catalog.previousNames)
  }
}
