import Basics
import Foundation
import Health
import History
import LiveState
import Planning
import Reconciler
import TokenModel

/// The history database as commands and the service use it: opened in the state directory, and never in the way —
/// when it cannot be used, the work still gets done and `warn` says that history was not recorded.
package struct HistoryRecorder: Sendable {
  /// Why nothing was recorded; the caller says it in words.
  package enum Problem: Sendable {
    /// The database could not be opened: nothing will be recorded by this recorder.
    case cannotOpen(HistoryError)
    /// One record could not be written.
    case notRecorded(HistoryError)
  }

  package let store: HistoryStore?
  package let warn: @Sendable (Problem) -> Void

  /// `TOKENWARDEN_HISTORY_RETENTION_DAYS`: days to keep (default 365); `0` keeps everything.
  package static func retentionDays(_ environment: [String: String]) -> Int? {
    guard let text = environment["TOKENWARDEN_HISTORY_RETENTION_DAYS"] else { return 365 }
    guard let days = Int(text), days >= 0 else { return 365 }
    return days == 0 ? nil : days
  }

  /// Opens the store in the state directory; on failure warns (once) and records nothing.
  package init(stateDirectory: String, environment: [String: String], warn: @escaping @Sendable (Problem) -> Void) {
    self.warn = warn
    do {
      store = try HistoryStore(
        path: HistoryStore.defaultPath(stateDirectory: stateDirectory), retentionDays: Self.retentionDays(environment))
    } catch {
      warn(.cannotOpen(error))
      store = nil
    }
  }

  func attempt(_ body: (HistoryStore) throws(HistoryError) -> Void) {
    guard let store else { return }
    do { try body(store) } catch {
      warn(.notRecorded(error))
    }
  }

  // MARK: Health checks

  /// What the history knew of each token: for transition times and out-of-band changes.
  package func previous(_ names: [String]) -> [String: PreviousCheck] {
    var previous: [String: PreviousCheck] = [:]
    attempt { store throws(HistoryError) in
      for (name, known) in try store.lastKnown(names) {
        let conditions =
          known.conditions.flatMap { try? JSONDecoder().decode([Condition].self, from: Data($0.utf8)) } ?? []
        previous[name] = PreviousCheck(time: known.time, grantsHash: known.grantsHash, conditions: conditions)
      }
    }
    return previous
  }

  /// Records a check and its `token_health_check` event, with the heal's results when one was attempted.
  package func record(_ report: HealthReport, at time: Date, heal: HealReport? = nil) {
    let results = Dictionary((heal?.results ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let tokens = report.tokens.map { token in
      let result = results[token.name].flatMap { $0.outcome == .skipped ? nil : $0 }
      return TokenCheck(
        name: token.name, tokenID: token.tokenID, tokenType: token.tokenType, isValid: token.isValid,
        isActive: token.isActive, status: token.status, state: token.health.rawValue, score: token.score,
        missing: token.missingGrants.map { "\($0.permissionGroup) on \($0.resource)" }, expiresOn: token.expiresOn,
        grantsHash: token.grantsHash,
        conditions: (try? encoder.encode(token.conditions)).map { String(decoding: $0, as: UTF8.self) } ?? "[]",
        healAttempted: result != nil, healResult: result.map { $0.success ? "success" : "failed" },
        lastUsedOn: token.lastUsedOn)
    }
    let healResult = heal.map { $0.success ? "success" : "failed" }
    let check = CheckRecord(
      time: time, overall: report.overallStatus.rawValue, score: report.overallScore, source: report.source,
      healAttempted: heal != nil, healResult: healResult, tokens: tokens)
    let counts = Dictionary(grouping: report.tokens, by: \.health).mapValues(\.count)
    let metadata: [String: String] = [
      "overall_health": report.overallStatus.rawValue, "overall_score": String(report.overallScore),
      "tokens_checked": String(report.tokens.count), "healthy": String(counts[.healthy] ?? 0),
      "degraded": String(counts[.degraded] ?? 0), "unhealthy": String(counts[.unhealthy] ?? 0),
      "heal_attempted": heal == nil ? "false" : "true", "heal_result": healResult ?? "none", "source": report.source,
    ]
    let event = EventRecord(
      time: time, type: "token_health_check",
      metadata: (try? encoder.encode(metadata)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    attempt { store throws(HistoryError) in try store.record(check, event: event) }
  }

  // MARK: Plans and applies

  /// A token's grant lists as a key hashed by their ends only (equal keys are still compared whole): hashing every
  /// string of every grant of 10,000 tokens cost more than writing the lines out.
  struct GrantLists: Hashable {
    let satisfied: [PlannedGrant]
    let extra: [PlannedGrant]
    let add: [PlannedGrant]

    func hash(into hasher: inout Hasher) {
      for list in [satisfied, extra, add] {
        hasher.combine(list.count)
        hasher.combine(list.first?.group)
        hasher.combine(list.first?.resource)
        hasher.combine(list.last?.group)
      }
    }
  }

  static func line(_ grant: LiveGrant) -> String { "\(grant.effect) \(grant.group) \(grant.resource)" }
  static func line(_ grant: PlannedGrant) -> String { "\(grant.effect) \(grant.group) \(grant.resource)" }

  /// A plan: per token what was read (satisfied and extra grants), what it would add, and what would result.
  package func record(_ document: PlanDocument, at time: Date) {
    var run = Self.run(of: document.plan, at: time)
    run.planDigest = document.digest
    record(run)
  }

  /// The record of a plan but its digest, which `record(_:)` is given once known: made while the digest is computed.
  package static func run(of plan: Plan, at time: Date) -> RunRecord {
    let result = plan.blockedCount > 0 ? "blocked" : plan.hasChanges ? "changes" : "no-changes"
    // Tokens mostly hold one of a few grant lists, and add as many: each distinct list is written out as lines once,
    // each message once.
    var lines: [GrantLists: (before: [String], added: [String], after: [String])] = [:]
    var wouldAdd: [Int: String] = [:]
    let tokens = plan.tokens.map { token in
      let lists = Self.memo(&lines, GrantLists(satisfied: token.satisfied, extra: token.extra, add: token.add)) {
        let before = ($0.satisfied + $0.extra).map(Self.line).sorted()
        let added = $0.add.map(Self.line)
        return (before, added, (before + added).sorted())
      }
      let outcome: RunOutcome = token.hasChanges ? .add : token.blocked.isEmpty ? .none : .blocked
      let message =
        token.readError ?? token.remediation
        ?? (token.hasChanges
          ? Self.memo(&wouldAdd, lists.added.count) { "would add \(plural($0, "permission"))" } : "nothing to add")
      return RunToken(
        name: token.name, editor: token.editor, outcome: outcome, message: message, before: lists.before,
        added: lists.added, after: lists.after)
    }
    return RunRecord(time: time, kind: "plan", planDigest: "", source: plan.source, result: result, tokens: tokens)
  }

  /// What `make` makes of `key`, made once per distinct key: one value, shared by the thousands of tokens that share
  /// the key.
  static func memo<Key: Hashable, Value>(_ made: inout [Key: Value], _ key: Key, _ make: (Key) -> Value) -> Value {
    if let known = made[key] { return known }
    let value = make(key)
    made[key] = value
    return value
  }

  /// A plan's record, its digest set.
  package func record(_ run: RunRecord) {
    attempt { store throws(HistoryError) in try store.record(run) }
  }

  /// An apply: per token the grants before, added and after, the editor and the outcome.
  package func record(_ results: [ApplyResult], of document: PlanDocument, at time: Date) {
    let failed = results.contains { ![.applied, .alreadyPresent].contains($0.outcome) }
    let tokens = results.map { result in
      RunToken(
        name: result.token, editor: result.editor, outcome: RunOutcome(rawValue: result.outcome.rawValue),
        message: result.message,
        before: result.before.map(Self.line), added: result.added.map(Self.line), after: result.after.map(Self.line),
        afterHash: result.after.isEmpty ? nil : LiveGrant.hash(of: result.after))
    }
    attempt { store throws(HistoryError) in
      try store.record(
        RunRecord(
          time: time, kind: "apply", planDigest: document.digest, source: document.plan.source,
          result: failed ? "failed" : "applied", tokens: tokens))
    }
  }
}
