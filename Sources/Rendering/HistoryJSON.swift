import Foundation
import Health
import History
import JSON
import TokenModel

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

  /// `history --rotations --json`: the journal, never a secret.
  package static func rotations(_ rotations: [RotationRecord], limit: Int) -> String {
    var writer = JSONWriter(pretty: true)
    writer.object { object in
      object.field("count", rotations.count)
      object.field("format_version", "1.0")
      object.field("limit", limit)
      object.key("rotations")
      object.array(rotations) { rotation, writer in
        writer.object { object in
          object.field("family", rotation.family)
          object.field("message", rotation.message)
          object.field("new_id", rotation.newID)
          object.field("new_name", rotation.newName)
          object.field("old_id", rotation.oldID)
          object.field("started", CloudflareDate.format(rotation.started))
          object.field("state", rotation.state.rawValue)
          object.field("strategy", rotation.strategy)
          object.field("token", rotation.token)
          object.field("updated", CloudflareDate.format(rotation.updated))
        }
      }
    }
    return String(decoding: writer.bytes, as: UTF8.self) + "\n"
  }
}
