import Foundation
import Health
import History

/// The history as JSON: the seed's `GET /tokens/history` answer (`history --json`), and plans and applies.
public enum HistoryJSON {
  // Unknown values are null, not missing: scripts can rely on every key.
  struct Token: Encodable {
    let token_type: String
    let token_id: String
    @Nullable var is_valid: Bool?
    @Nullable var is_active: Bool?
    @Nullable var status: String?
    let health: String
    let score: Int
    let missing_permissions: [String]
    let missing_permissions_count: Int
    @Nullable var expires_on: String?
    let heal_attempted: Bool
    @Nullable var heal_result: String?
  }

  struct Check: Encodable {
    let id: Int64
    let timestamp: String
    let overall_status: String
    let overall_score: Int
    let source: String
    let heal_attempted: Bool
    @Nullable var heal_result: String?
    let tokens: [String: Token]
  }

  struct Checks: Encodable {
    let format_version: String
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
    let format_version: String
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
    return JSONOutput.encode(Checks(format_version: "1", count: history.count, limit: limit, history: history))
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
    return JSONOutput.encode(Runs(format_version: "1", count: runs.count, limit: limit, runs: runs))
  }
}
