import Foundation
import History

/// The history as JSON: the seed's `GET /tokens/history` answer (`history --json`), and plans and applies.
public enum HistoryJSON {
  struct Token: Encodable {
    let token_type: String
    let token_id: String
    let is_valid: Bool?
    let is_active: Bool?
    let status: String?
    let health: String
    let score: Int
    let missing_permissions: [String]
    let missing_permissions_count: Int
    let expires_on: String?
    let heal_attempted: Bool
    let heal_result: String?

    func encode(to encoder: Encoder) throws {
      // Unknown values are null, not missing: scripts can rely on every key.
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(token_type, forKey: .token_type)
      try container.encode(token_id, forKey: .token_id)
      try container.encode(is_valid, forKey: .is_valid)
      try container.encode(is_active, forKey: .is_active)
      try container.encode(status, forKey: .status)
      try container.encode(health, forKey: .health)
      try container.encode(score, forKey: .score)
      try container.encode(missing_permissions, forKey: .missing_permissions)
      try container.encode(missing_permissions_count, forKey: .missing_permissions_count)
      try container.encode(expires_on, forKey: .expires_on)
      try container.encode(heal_attempted, forKey: .heal_attempted)
      try container.encode(heal_result, forKey: .heal_result)
    }

    enum Keys: String, CodingKey {
      case token_type, token_id, is_valid, is_active, status, health, score, missing_permissions
      case missing_permissions_count, expires_on, heal_attempted, heal_result
    }
  }

  struct Check: Encodable {
    let id: Int64
    let timestamp: String
    let overall_status: String
    let overall_score: Int
    let source: String
    let heal_attempted: Bool
    let heal_result: String?
    let tokens: [String: Token]

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(id, forKey: .id)
      try container.encode(timestamp, forKey: .timestamp)
      try container.encode(overall_status, forKey: .overall_status)
      try container.encode(overall_score, forKey: .overall_score)
      try container.encode(source, forKey: .source)
      try container.encode(heal_attempted, forKey: .heal_attempted)
      try container.encode(heal_result, forKey: .heal_result)
      try container.encode(tokens, forKey: .tokens)
    }

    enum Keys: String, CodingKey {
      case id, timestamp, overall_status, overall_score, source, heal_attempted, heal_result, tokens
    }
  }

  struct Checks: Encodable {
    let count: Int
    let limit: Int
    let history: [Check]
  }

  struct RunToken: Encodable {
    let editor: String?
    let outcome: String
    let message: String
    let before: [String]
    let added: [String]
    let after: [String]
  }

  struct Run: Encodable {
    let id: Int64
    let timestamp: String
    let kind: String
    let plan_digest: String
    let source: String
    let result: String
    let tokens: [String: RunToken]
  }

  struct Runs: Encodable {
    let count: Int
    let limit: Int
    let runs: [Run]
  }

  static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

  public static func checks(_ records: [CheckRecord], limit: Int) -> String {
    let history = records.map { check in
      Check(
        id: check.id ?? 0, timestamp: time(check.time), overall_status: check.overall, overall_score: check.score,
        source: check.source, heal_attempted: check.healAttempted, heal_result: check.healResult,
        tokens: Dictionary(
          check.tokens.map { token in
            (
              token.name,
              Token(
                token_type: token.tokenType, token_id: token.tokenID, is_valid: token.isValid, is_active: token.isActive,
                status: token.status, health: token.state, score: token.score, missing_permissions: token.missing,
                missing_permissions_count: token.missing.count, expires_on: token.expiresOn,
                heal_attempted: token.healAttempted, heal_result: token.healResult)
            )
          }, uniquingKeysWith: { first, _ in first }))
    }
    return JSONOutput.encode(Checks(count: history.count, limit: limit, history: history))
  }

  public static func runs(_ records: [RunRecord], limit: Int) -> String {
    let runs = records.map { run in
      Run(
        id: run.id ?? 0, timestamp: time(run.time), kind: run.kind, plan_digest: run.planDigest, source: run.source,
        result: run.result,
        tokens: Dictionary(
          run.tokens.map { token in
            (
              token.name,
              RunToken(
                editor: token.editor, outcome: token.outcome, message: token.message, before: token.before,
                added: token.added, after: token.after)
            )
          }, uniquingKeysWith: { first, _ in first }))
    }
    return JSONOutput.encode(Runs(count: runs.count, limit: limit, runs: runs))
  }
}
