/// The compact view of a check: the seed's `GET /tokens/status` answer, for any number of tokens.
public struct StatusReport: Sendable, Hashable, Encodable {
  public struct Token: Sendable, Hashable, Encodable {
    let tokenType: String
    let tokenID: String
    @Nullable var isValid: Bool?
    @Nullable var isActive: Bool?
    @Nullable var status: String?
    @Nullable var expiresOn: String?
    @Nullable var daysUntilExpiry: Int?
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
