import Foundation

/// A token's or the whole policy's health, worst last.
public enum HealthState: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
  /// Valid, active, every required permission present, not expiring soon.
  case healthy
  /// Valid and active, but permissions missing that can be healed, or expiring within its warning window.
  case degraded
  /// Invalid, inactive or expired, or missing permissions nobody can heal, or not checkable.
  case unhealthy

  var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
  public static func < (lhs: HealthState, rhs: HealthState) -> Bool { lhs.rank < rhs.rank }
}

/// What a condition is about.
public enum ConditionType: String, Sendable, Hashable, Codable, CaseIterable {
  case valid = "Valid"
  case active = "Active"
  case expiringSoon = "ExpiringSoon"
  case permissionsSatisfied = "PermissionsSatisfied"
  case drifted = "Drifted"
}

/// Why a condition has its status, CamelCase for machines. The known reasons are the constants below; a token status
/// Cloudflare adds (`revoked (exposed)` → `RevokedExposed`) makes one of its own, so this is not a closed enum.
public struct ConditionReason: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { rawValue = value }
  public var description: String { rawValue }

  public static let verified = ConditionReason("Verified")
  public static let invalidToken = ConditionReason("InvalidToken")
  public static let secretOfAnotherToken = ConditionReason("SecretOfAnotherToken")
  public static let noSecret = ConditionReason("NoSecret")
  public static let verifyFailed = ConditionReason("VerifyFailed")
  public static let notChecked = ConditionReason("NotChecked")
  public static let expired = ConditionReason("Expired")
  public static let notYetValid = ConditionReason("NotYetValid")
  public static let active = ConditionReason("Active")
  public static let withinWarningWindow = ConditionReason("WithinWarningWindow")
  public static let outsideWarningWindow = ConditionReason("OutsideWarningWindow")
  public static let noExpiry = ConditionReason("NoExpiry")
  public static let notRead = ConditionReason("NotRead")
  public static let allPresent = ConditionReason("AllPresent")
  public static let missingHealable = ConditionReason("MissingHealable")
  public static let deniedByPolicy = ConditionReason("DeniedByPolicy")
  public static let missingBlocked = ConditionReason("MissingBlocked")
  public static let changedElsewhere = ConditionReason("ChangedElsewhere")
  public static let unchanged = ConditionReason("Unchanged")
  public static let noEarlierRecord = ConditionReason("NoEarlierRecord")

  /// The reason for a token status other than active: `disabled` → `Disabled`, `revoked (exposed)` → `RevokedExposed`.
  public static func status(_ status: String) -> ConditionReason {
    ConditionReason(
      status.split(whereSeparator: { !$0.isLetter }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
  }
}

/// A Kubernetes-style condition: Valid, Active, ExpiringSoon, PermissionsSatisfied, Drifted.
public struct Condition: Sendable, Hashable, Codable {
  public enum Status: String, Sendable, Hashable, Codable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
  }

  public let type: ConditionType
  public let status: Status
  public let reason: ConditionReason
  public let message: String
  /// When the status last changed (RFC 3339); carried over from the last check while the status holds.
  public var lastTransitionTime: String

  enum CodingKeys: String, CodingKey {
    case type, status, reason, message
    case lastTransitionTime = "last_transition_time"
  }

  public init(type: ConditionType, status: Status, reason: ConditionReason, message: String, lastTransitionTime: String)
  {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
    self.lastTransitionTime = lastTransitionTime
  }
}

/// Advice in plain words, with a marker: ✅ ⚠️ ❌ 🔄 🔍 (plain `[ok]`… when colour is off).
public struct Recommendation: Sendable, Hashable, Encodable {
  public enum Level: String, Sendable, Hashable, Codable {
    case ok, warning, error, rotate, review

    public var emoji: String {
      switch self {
      case .ok: return "✅"
      case .warning: return "⚠️"
      case .error: return "❌"
      case .rotate: return "🔄"
      case .review: return "🔍"
      }
    }

    public var plain: String { "[\(rawValue)]" }
  }

  public let level: Level
  public let token: String?
  public let message: String

  public init(level: Level, token: String?, message: String) {
    self.level = level
    self.token = token
    self.message = message
  }

  /// As the seed's recommendations read: the emoji, then the words.
  public var text: String { "\(level.emoji) \(message)" }

  /// In JSON, as the seed's: the text.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}

/// A grant the policy requires and the token lacks.
public struct MissingGrant: Sendable, Hashable, Codable {
  public let permissionGroup: String
  public let resource: String
  /// Whether the healer can add it (else `reason` says why not).
  public let healable: Bool
  public let reason: String?

  enum CodingKeys: String, CodingKey {
    case permissionGroup = "permission_group"
    case resource, healable, reason
  }
}

/// One token's health: the seed documents' fields, then ours.
public struct TokenHealth: Sendable, Hashable, Encodable {
  public let name: String
  /// `user` or `account`.
  public let tokenType: String
  public let tokenID: String
  /// As the policy writes it: `user`, `account main`.
  public let owner: String
  /// nil when it could not be known: no secret, or Cloudflare did not answer.
  @Nullable public private(set) var isValid: Bool?
  @Nullable public private(set) var isActive: Bool?
  /// As Cloudflare says: `active`, `disabled`, `expired`, `revoked (exposed)`…
  @Nullable public private(set) var status: String?
  @Nullable public private(set) var expiresOn: String?
  @Nullable public private(set) var notBefore: String?
  @Nullable public private(set) var daysUntilExpiry: Int?
  /// Permission group names, without repeats.
  public let missingPermissions: [String]
  public let missingGrants: [MissingGrant]
  public let hasAllPermissions: Bool
  public let extraPermissions: [String]
  public let verificationURL: String
  public let health: HealthState
  public let score: Int
  @Nullable public private(set) var healer: String?
  public let conditions: [Condition]
  public let recommendations: [Recommendation]
  /// Why the token could not be checked, if it could not.
  @Nullable public private(set) var error: String?
  /// A hash of the live grants (not a secret): to notice edits made elsewhere.
  @Nullable public private(set) var grantsHash: String?

  public let missingPermissionsCount: Int

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
  }

  public init(
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

  public func condition(_ type: ConditionType) -> Condition? { conditions.first { $0.type == type } }
}

/// The result of one health check, for any number of tokens (its JSON document is made by the renderers).
public struct HealthReport: Sendable, Hashable {
  public let timestamp: String
  public let overallStatus: HealthState
  public let overallScore: Int
  public let source: String
  /// In policy order.
  public let tokens: [TokenHealth]
  public let recommendations: [Recommendation]
  /// With `--heal` / `auto_heal=true`: what the heal did before this check.
  public var heal: HealReport.Summary?

  public init(
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

  public func token(named name: String) -> TokenHealth? { tokens.first { $0.name == name } }
}
