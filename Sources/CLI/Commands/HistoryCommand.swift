import Foundation
import History
import Operations
import Rendering

/// `tokenwarden history`: the last health checks (or plans and applies) from the history database.
enum HistoryCommand {
  static let spec = CommandSpec(
    name: "history",
    summary: "List the last health checks, plans and applies, or rotations, from the history database.",
    usage: "tokenwarden history [--limit N] [--applies | --rotations] [--json] [--no-color]",
    options: [
      .init(name: "limit", valueName: "N", help: "How many, newest first (default 10, at most 1000)."),
      .init(
        name: "applies", valueName: nil, help: "List plans and applies (the audit trail) instead of health checks."),
      .init(
        name: "rotations", valueName: nil, help: "List rotations (the journal: old and new ids, how far each got)."),
    ] + HealthRun.outputOptions,
    details: """
      The database is history.db in the state directory (TOKENWARDEN_STATE_DIR); records older than
      TOKENWARDEN_HISTORY_RETENTION_DAYS (default 365, 0 keeps everything) are deleted as new ones are written.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    if !arguments.positionals.isEmpty {
      invocation.report(.usage("history takes no arguments, only options (got '\(arguments.positionals[0])')"))
      return 1
    }
    var limit = 10
    if let text = arguments.value("limit") {
      guard let value = Int(text), (1...1_000).contains(value) else {
        invocation.report(.badValue(option: "--limit", expects: "a whole number from 1 to 1000", got: text))
        return 1
      }
      limit = value
    }
    let store: HistoryStore
    do {
      store = try HistoryStore(
        path: HistoryStore.defaultPath(stateDirectory: Platform.stateDirectory(environment: invocation.environment)),
        retentionDays: HistoryRecorder.retentionDays(invocation.environment))
    } catch {
      invocation.report(.historyUnavailable(error.description))
      return 1
    }
    let renderer = HealthRenderer(style: HealthRun.style(invocation, arguments))
    do {
      if arguments.has("rotations") {
        let rotations = try store.rotations(limit: limit)
        invocation.out(
          arguments.has("json") ? HistoryJSON.rotations(rotations, limit: limit) : renderer.rotations(rotations))
      } else if arguments.has("applies") {
        let runs = try store.recentRuns(limit: limit)
        invocation.out(arguments.has("json") ? HistoryJSON.runs(runs, limit: limit) : renderer.runs(runs))
      } else {
        let checks = try store.recentChecks(limit: limit)
        invocation.out(arguments.has("json") ? ServiceJSON.history(checks, limit: limit) : renderer.history(checks))
      }
    } catch {
      invocation.report(.historyUnavailable(error.description))
      return 1
    }
    return 0
  }
}
