import Foundation
import Health
import History

/// The JSON documents of `GET /tokens/health`, `GET /tokens/status`, `POST /tokens/heal` and `GET /tokens/history`,
/// which `health`, `status`, `heal` and `history --json` print too.
///
/// They keep the shapes of the service TokenWarden replaces, so that its clients read ours unchanged: an envelope
/// `{"success": true, "data": {…}}`, the overall state as `overall_health`, and each token's object in `data` under its
/// name in the policy. TokenWarden's own fields sit beside those, never instead of them (`tokens` holds the same
/// objects again, so scripts need not tell token names from other keys).
package enum ServiceJSON {
  /// Version 2: the envelope and the seed's keys. Version 1 was the bare report.
  package static let formatVersion = "2"

  /// The service's view of a report: when it was checked, how old it is, whether it is stale.
  package struct Freshness: Sendable {
    package let checkedAt: Date
    package let ageSeconds: Int
    package let stale: Bool
    package let lastError: String?

    package init(checkedAt: Date, ageSeconds: Int, stale: Bool, lastError: String?) {
      self.checkedAt = checkedAt
      self.ageSeconds = ageSeconds
      self.stale = stale
      self.lastError = lastError
    }
  }

  // MARK: Documents

  package static func health(_ report: HealthReport, freshness: Freshness? = nil) -> String {
    encode(envelope(healthData(report, freshness: freshness)))
  }

  package static func status(_ report: HealthReport, freshness: Freshness? = nil) -> String {
    var data = Members()
    data.add("overall_health", report.overallStatus)
    let tokens = report.tokens.map { ($0.name, StatusToken($0)) }
    for (name, token) in tokens { data.add(name, token) }
    data.add("recommendations", report.recommendations)
    data.add("timestamp", report.timestamp)
    data.add("overall_status", report.overallStatus)
    data.add("overall_score", report.overallScore)
    data.add("source", report.source)
    data.add("tokens", Members(tokens))
    add(freshness, to: &data)
    return encode(envelope(data))
  }

  /// The report after the heal, with what the heal did (`auto_heal_results`) and the report before it.
  package static func heal(_ report: HealReport) -> String {
    var data = healthData(report.after, heal: report.summary)
    data.add("before", healthData(report.before))
    return encode(envelope(data, message: report.message))
  }

  package static func history(_ records: [CheckRecord], limit: Int) -> String {
    var data = Members()
    data.add("history", records.map(historyEntry))
    data.add("count", records.count)
    data.add("limit", limit)
    return encode(envelope(data))
  }

  /// `{"success": false, "error": {"status": 404, "code": "not_found", "message": "…"}}`.
  package static func error(status: Int, code: String, message: String) -> String {
    var detail = Members()
    detail.add("status", status)
    detail.add("code", code)
    detail.add("message", message)
    var document = Members()
    document.add("format_version", formatVersion)
    document.add("success", false)
    document.add("error", detail)
    return encode(document)
  }

  // MARK: Parts

  static func envelope(_ data: Members, message: String? = nil) -> Members {
    var document = Members()
    document.add("format_version", formatVersion)
    document.add("success", true)
    if let message { document.add("message", message) }
    document.add("data", data)
    return document
  }

  static func healthData(_ report: HealthReport, heal: HealReport.Summary? = nil, freshness: Freshness? = nil)
    -> Members
  {
    let heal = heal ?? report.heal
    var data = Members()
    data.add("timestamp", report.timestamp)
    for token in report.tokens { data.add(token.name, token) }
    data.add("overall_health", report.overallStatus)
    data.add("recommendations", report.recommendations)
    data.add("auto_heal_attempted", heal != nil)
    if let heal { data.add("auto_heal_results", Members(heal.results.map { ($0.name, $0) })) }
    data.add("overall_status", report.overallStatus)
    data.add("overall_score", report.overallScore)
    data.add("source", report.source)
    data.add("tokens", Members(report.tokens.map { ($0.name, $0) }))
    if let heal { data.add("heal", heal) }
    add(freshness, to: &data)
    return data
  }

  static func add(_ freshness: Freshness?, to data: inout Members) {
    guard let freshness else { return }
    data.add("checked_at", isoTime(freshness.checkedAt))
    data.add("age_seconds", freshness.ageSeconds)
    data.add("stale", freshness.stale)
    data.add("last_error", freshness.lastError)
  }

  /// The seed's entry (`<token>_valid`, `<token>_has_all_perms`, `<token>_missing_perms` for each token), then ours.
  static func historyEntry(_ check: CheckRecord) -> Members {
    var entry = Members()
    entry.add("timestamp", isoTime(check.time))
    entry.add("overall_health", check.overall)
    for token in check.tokens {
      entry.add(token.name + "_valid", token.isValid)
      entry.add(token.name + "_has_all_perms", token.isValid == true && token.missing.isEmpty)
      entry.add(token.name + "_missing_perms", token.missing.count)
    }
    entry.add("auto_heal_attempted", check.healAttempted)
    // Without a heal there is no success to report; false, as a boolean is what readers of this key expect.
    entry.add("auto_heal_success", check.healResult == "success")
    entry.add("id", check.id ?? 0)
    entry.add("overall_status", check.overall)
    entry.add("overall_score", check.score)
    entry.add("source", check.source)
    entry.add("heal_attempted", check.healAttempted)
    entry.add("heal_result", check.healResult)
    entry.add("tokens", Members(check.tokens.map { ($0.name, HistoryToken($0)) }))
    return entry
  }

  static func isoTime(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

  static func encode(_ document: Members) -> String { JSONOutput.encode(document) }
}

// MARK: Encodable pieces

/// A JSON object built member by member: the seed's keys and ours side by side, and tokens under their names.
struct Members: Encodable {
  private var members: [(String, any Encodable)] = []

  init() {}

  init<Value: Encodable>(_ pairs: [(String, Value)]) {
    members = pairs.map { ($0.0, $0.1 as any Encodable) }
  }

  mutating func add(_ key: String, _ value: (any Encodable)?) {
    members.append((key, value.map { $0 } ?? Null()))
  }

  struct Key: CodingKey {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
  }

  struct Null: Encodable {
    func encode(to encoder: Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    }
  }

  func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    for (key, value) in members { try container.encode(value, forKey: Key(key)) }
  }
}

/// A token in `GET /tokens/status`: the seed's four fields, then ours.
struct StatusToken: Encodable {
  let token: TokenHealth

  init(_ token: TokenHealth) { self.token = token }

  func encode(to encoder: Encoder) throws {
    var members = Members()
    members.add("is_valid", token.isValid)
    members.add("is_active", token.isActive)
    members.add("has_all_permissions", token.hasAllPermissions)
    members.add("missing_permissions_count", token.missingPermissionsCount)
    members.add("token_type", token.tokenType)
    members.add("token_id", token.tokenID)
    members.add("status", token.status)
    members.add("expires_on", token.expiresOn)
    members.add("days_until_expiry", token.daysUntilExpiry)
    members.add("health", token.health)
    members.add("score", token.score)
    try members.encode(to: encoder)
  }
}

/// A token in a history entry's `tokens`. Unknown values are null, not missing: scripts can rely on every key.
struct HistoryToken: Encodable {
  let token: TokenCheck

  init(_ token: TokenCheck) { self.token = token }

  func encode(to encoder: Encoder) throws {
    var members = Members()
    members.add("token_type", token.tokenType)
    members.add("token_id", token.tokenID)
    members.add("is_valid", token.isValid)
    members.add("is_active", token.isActive)
    members.add("status", token.status)
    members.add("health", token.state)
    members.add("score", token.score)
    members.add("missing_permissions", token.missing)
    members.add("missing_permissions_count", token.missing.count)
    members.add("expires_on", token.expiresOn)
    members.add("heal_attempted", token.healAttempted)
    members.add("heal_result", token.healResult)
    try members.encode(to: encoder)
  }
}
