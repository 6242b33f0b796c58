/// The compact view of a check: the seed's `GET /tokens/status` answer, for any number of tokens.
public struct StatusReport: Sendable, Hashable, Encodable {
  public struct Token: Sendable, Hashable, Encodable {
    let tokenType: String
    let tokenID: String
    let isValid: Bool?
    let isActive: Bool?
    let status: String?
    let expiresOn: String?
    let daysUntilExpiry: Int?
    let missingPermissionsCount: Int
    let hasAllPermissions: Bool
    let health: HealthState
    let score: Int

    enum CodingKeys: String, CodingKey {
      case status, health, score
      case tokenType = "token_type"
      case tokenID = "token_id"
      case isValid = "is_valid"
      case isActive = "is_active"
      case expiresOn = "expires_on"
      case daysUntilExpiry = "days_until_expiry"
      case missingPermissionsCount = "missing_permissions_count"
      case hasAllPermissions = "has_all_permissions"
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(tokenType, forKey: .tokenType)
      try container.encode(tokenID, forKey: .tokenID)
      try container.encode(isValid, forKey: .isValid)
      try container.encode(isActive, forKey: .isActive)
      try container.encode(status, forKey: .status)
      try container.encode(expiresOn, forKey: .expiresOn)
      try container.encode(daysUntilExpiry, forKey: .daysUntilExpiry)
      try container.encode(missingPermissionsCount, forKey: .missingPermissionsCount)
      try container.encode(hasAllPermissions, forKey: .hasAllPermissions)
      try container.encode(health, forKey: .health)
      try container.encode(score, forKey: .score)
    }
  }

  public let formatVersion = HealthReport.formatVersion
  public let timestamp: String
  public let overallStatus: HealthState
  public let overallScore: Int
  public let source: String
  public let tokens: [String: Token]

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case timestamp, source, tokens
    case overallStatus = "overall_status"
    case overallScore = "overall_score"
  }

  public init(_ report: HealthReport) {
    timestamp = report.timestamp
    overallStatus = report.overallStatus
    overallScore = report.overallScore
    source = report.source
    tokens = Dictionary(
      report.tokens.map { token in
        (
          token.name,
          Token(
            tokenType: token.tokenType, tokenID: token.tokenID, isValid: token.isValid, isActive: token.isActive,
            status: token.status, expiresOn: token.expiresOn, daysUntilExpiry: token.daysUntilExpiry,
            missingPermissionsCount: token.missingPermissionsCount, hasAllPermissions: token.hasAllPermissions,
            health: token.health, score: token.score)
        )
      }, uniquingKeysWith: { first, _ in first })
  }
}
