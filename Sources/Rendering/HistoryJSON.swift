import Foundation
import Health
import History

/// Plans and applies as JSON (`history --applies --json`); checks are `ServiceJSON.history`.
package enum HistoryJSON {
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
    let planDigest: String
    let source: String
    let result: String
    let tokens: [String: RunToken]

    enum CodingKeys: String, CodingKey {
      case id, timestamp, kind, source, result, tokens
      case planDigest = "plan_digest"
    }
  }

  struct Runs: Encodable {
    let formatVersion: String
    let count: Int
    let limit: Int
    let runs: [Run]

    enum CodingKeys: String, CodingKey {
      case formatVersion = "format_version"
      case count, limit, runs
    }
  }

  static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

  package static func runs(_ records: [RunRecord], limit: Int) -> String {
    let runs = records.map { run in
      Run(
        id: run.id ?? 0, timestamp: time(run.time), kind: run.kind, planDigest: run.planDigest, source: run.source,
        result: run.result,
        tokens: Dictionary(
          run.tokens.map { token in
            (
              token.name,
              RunToken(
                editor: token.editor, outcome: token.outcome.rawValue, message: token.message, before: token.before,
                added: token.added, after: token.after)
            )
          }, uniquingKeysWith: { first, _ in first }))
    }
    return JSONOutput.encode(Runs(formatVersion: "1", count: runs.count, limit: limit, runs: runs))
  }
}
