import Foundation
import Health
import History

/// Plans and applies as JSON (`history --applies --json`); checks are `ServiceJSON.history`.
public enum HistoryJSON {
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
