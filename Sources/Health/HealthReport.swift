import Foundation

/// A token's or the whole policy's health, worst last.
package enum HealthState: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
  /// Valid, active, every required permission present, not expiring soon.
  case healthy
  /// Valid and active, but permissions missing that can be healed, or expiring within its warning window.
  case degraded
  /// Invalid, inactive or expired, or missing permissions nobody can heal, or not checkable.
  case unhealthy

  var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
  package static func < (lhs: HealthState, rhs: HealthState) -> Bool { lhs.rank < rhs.rank }
}

/// What a condition is about.
package enum ConditionType: String, Sendable, Hashable, Codable, CaseIterable {
  case valid = "Valid"
  case active = "Active"
  case expiringSoon = "ExpiringSoon"
  case permissionsSatisfied = "PermissionsSatisfied"
  case drifted = "Drifted"
  case unused = "Unused"
}

/// Why a condition has its status, CamelCase for machines. The known reasons are the constants below; a token status
/// Cloudflare adds (`revoked (exposed)` → `RevokedExposed`) makes one of its own, so this is not a closed enum.
package struct ConditionReason: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  package let rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }
  package init(_ rawValue: String) { self.rawValue = rawValue }
  package init(stringLiteral value: String) { rawValue = value }
  package var description: String { rawValue }

  package static let verified = ConditionReason("Verified")
  package static let invalidToken = ConditionReason("InvalidToken")
  package static let secretOfAnotherToken = ConditionReason("SecretOfAnotherToken")
  package static let noSecret = ConditionReason("NoSecret")
  package static let verifyFailed = ConditionReason("VerifyFailed")
  package static let notChecked = ConditionReason("NotChecked")
  package static let expired = ConditionReason("Expired")
  package static let notYetValid = ConditionReason("NotYetValid")
  package static let active = ConditionReason("Active")
  package static let withinWarningWindow = ConditionReason("WithinWarningWindow")
  package static let outsideWarningWindow = ConditionReason("OutsideWarningWindow")
  package static let noExpiry = ConditionReason("NoExpiry")
  package static let notRead = ConditionReason("NotRead")
  package static let allPresent = ConditionReason("AllPresent")
  package static let missingHealable = ConditionReason("MissingHealable")
  package static let deniedByPolicy = ConditionReason("DeniedByPolicy")
  package static let missingBlocked = ConditionReason("MissingBlocked")
  package static let changedElsewhere = ConditionReason("ChangedElsewhere")
  package static let unchanged = ConditionReason("Unchanged")
  package static let noEarlierRecord = ConditionReason("NoEarlierRecord")
  package static let recentlyUsed = ConditionReason("RecentlyUsed")
  package static let notUsedRecently = ConditionReason("NotUsedRecently")
  package static let neverUsed = ConditionReason("NeverUsed")

  /// The reason for a token status other than active: `disabled` → `Disabled`, `revoked (exposed)` → `RevokedExposed`.
  package static func status(_ status: String) -> ConditionReason {
    ConditionReason(
      status.split(whereSeparator: { !$0.isLetter }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
  }
}

/// A Kubernetes-style condition: Valid, Active, ExpiringSoon, PermissionsSatisfied, Drifted.
package struct Condition: Sendable, Hashable, Codable {
  package enum Status: String, Sendable, Hashable, Codable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
  }

  package let type: ConditionType
  package let status: Status
  package let reason: ConditionReason
  package let message: String
  /// When the status last changed (RFC 3339); carried over from the last check while the status holds.
  package var lastTransitionTime: String

  enum CodingKeys: String, CodingKey {
    case type, status, reason, message
    case lastTransitionTime = "last_transition_time"
  }

  package init(
    type: ConditionType, status: Status, reason: ConditionReason, message: String, lastTransitionTime: String
  ) {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
    self.lastTransitionTime = lastTransitionTime
  }
}

/// Advice in plain words, with a marker: ✅ ⚠️ ❌ 🔄 🔍 (plain `[ok]`… when colour is off).
package struct Recommendation: Sendable, Hashable, Encodable {
  package enum Level: String, Sendable, Hashable, Codable {
    case ok, warning, error, rotate, review

    package var emoji: String {
      switch self {
      case .ok: return "✅"
      case .warning: return "⚠️"
      case .error: return "❌"
      case .rotate: return "🔄"
      case .review: return "🔍"
      }
    }

    package var plain: String { "[\(rawValue)]" }
  }

  package let level: Level
  package let token: String?
  package let message: String

  package init(level: Level, token: String?, message: String) {
    self.level = level
    self.token = token
    self.message = message
  }

  /// As the seed's recommendations read: the emoji, then the words.
  package var text: String { "\(level.emoji) \(message)" }

  /// In JSON, as the seed's: the text.
  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}

/// A grant the policy requires and the token lacks.
package struct MissingGrant: Sendable, Hashable, Codable {
  package let permissionGroup: String
  package let resource: String
  /// Whether the healer can add it (else `reason` says why not).
  package let healable: Bool
  package let reason: String?

  enum CodingKeys: String, CodingKey {
    case permissionGroup = "permission_group"
    case resource, healable, reason
  }
}

/// One token's health: the seed documents' fields, then ours.
package struct TokenHealth: Sendable, Hashable, Encodable {
  package let name: String
  /// `user` or `account`.
  package let tokenType: String
  package let tokenID: String
  /// As the policy writes it: `user`, `account main`.
  package let owner: String
  /// nil when it could not be known: no secret, or Cloudflare did not answer.
  @Nullable package private(set) var isValid: Bool?
  @Nullable package private(set) var isActive: Bool?
  /// As Cloudflare says: `active`, `disabled`, `expired`, `revoked (exposed)`…
  @Nullable package private(set) var status: String?
  @Nullable package private(set) var expiresOn: String?
  @Nullable package private(set) var notBefore: String?
  @Nullable package private(set) var daysUntilExpiry: Int?
  /// Permission group names, without repeats.
  package let missingPermissions: [String]
  package let missingGrants: [MissingGrant]
  package let hasAllPermissions: Bool
  package let extraPermissions: [String]
  package let verificationURL: String
  package let health: HealthState
  package let score: Int
  @Nullable package private(set) var healer: String?
  package let conditions: [Condition]
  package let recommendations: [Recommendation]
  /// Why the token could not be checked, if it could not.
  @Nullable package private(set) var error: String?
  /// A hash of the live grants (not a secret): to notice edits made elsewhere.
  @Nullable package private(set) var grantsHash: String?
  /// When Cloudflare last saw the token used.
  @Nullable package var lastUsedOn: String?

  package let missingPermissionsCount: Int

  enum CodingKeys: String, CodingKey {
    case name, owner, status, health, score, healer, conditions, error
    case tokenType = "token_type"
    case tokenID = "token_id"
    case isValid = "is_valid"
    case isActive = "is_active"
    case expiresOn = "expires_on"
    case notBefore = "not_before"
    case daysUntilExpiry = "days_until_expiry"
    case missingPermissions = "missing_permissions"
    case missingPermissionsCount = "missing_permissions_count"
    case missingGrants = "missing_grants"
    case hasAllPermissions = "has_all_permissions"
    case extraPermissions = "extra_permissions"
    case verificationURL = "verification_url"
    case recommendations
    case grantsHash = "grants_hash"
    case lastUsedOn = "last_used_on"
  }

  package init(
    name: String, tokenType: String, tokenID: String, owner: String, isValid: Bool?, isActive: Bool?, status: String?,
    expiresOn: String?, notBefore: String?, daysUntilExpiry: Int?, missingGrants: [MissingGrant],
    hasAllPermissions: Bool, extraPermissions: [String], verificationURL: String, health: HealthState, score: Int,
    healer: String?,
    conditions: [Condition], recommendations: [Recommendation], error: String?, grantsHash: String?
  ) {
    self.name = name
    self.tokenType = tokenType
    self.tokenID = tokenID
    self.owner = owner
    self.isValid = isValid
    self.isActive = isActive
    self.status = status
    self.expiresOn = expiresOn
    self.notBefore = notBefore
    self.daysUntilExpiry = daysUntilExpiry
    var seen = Set<String>()
    self.missingPermissions = missingGrants.map(\.permissionGroup).filter { seen.insert($0).inserted }
    self.missingPermissionsCount = missingPermissions.count
    self.missingGrants = missingGrants
    self.hasAllPermissions = hasAllPermissions
    self.extraPermissions = extraPermissions
    self.verificationURL = verificationURL
    self.health = health
    self.score = score
    self.healer = healer
    self.conditions = conditions
    self.recommendations = recommendations
    self.error = error
    self.grantsHash = grantsHash
  }

  package func condition(_ type: ConditionType) -> Condition? { conditions.first { $0.type == type } }
}

/// The result of one health check, for any number of tokens (its JSON document is made by the renderers).
package struct HealthReport: Sendable, Hashable {
  package let timestamp: String
  package let overallStatus: HealthState
  package let overallScore: Int
  package let source: String
  /// In policy order.
  package let tokens: [TokenHealth]
  package let recommendations: [Recommendation]
  /// With `--heal` / `auto_heal=true`: what the heal did before this check.
  package var heal: HealReport.Summary?

  package init(
    timestamp: String, overallStatus: HealthState, overallScore: Int, source: String, tokens: [TokenHealth],
    recommendations: [Recommendation]
  ) {
    self.timestamp = timestamp
    self.overallStatus = overallStatus
    self.overallScore = overallScore
    self.source = source
    self.tokens = tokens
    self.recommendations = recommendations
  }

  package func token(named name: String) -> TokenHealth? { tokens.first { $0.name == name } }
}
