import CloudflareAPI
import Foundation
import Health
import Planning
import Reconciler
import TokenModel

/// A check, an apply under the machine's apply lock, and a heal (check, apply, check), each recorded in the history:
/// what `health`, `heal`, `apply` and the service's runs share.
package struct HealthRunner: Sendable {
  package let check: HealthCheck
  package let recorder: HistoryRecorder
  /// The state directory, where the apply lock lives.
  package let stateDirectory: String
  package let now: @Sendable () -> Date

  package init(
    check: HealthCheck, recorder: HistoryRecorder, stateDirectory: String, now: @escaping @Sendable () -> Date
  ) {
    self.check = check
    self.recorder = recorder
    self.stateDirectory = stateDirectory
    self.now = now
  }

  /// One check, with what the history knew before it. Not recorded: the caller records it, with a heal if any.
  package func run() async -> HealthCheck.Outcome {
    await check.run(previous: recorder.previous(check.desired.tokens.map(\.name)), now: now)
  }

  /// Runs `body` holding this machine's apply lock; the lock's failure when another apply holds it or it cannot be
  /// used. Callers that ask a person first take it before asking, so that what they confirm is what gets applied.
  package static func withApplyLock<T>(
    stateDirectory: String, command: String, _ body: () async -> T
  ) async -> Result<T, ApplyLock.Failure> {
    let held: ApplyLock.Held
    do { held = try ApplyLock(stateDirectory: stateDirectory).acquire(command: command) } catch {
      return .failure(error)
    }
    defer { held.release() }
    return .success(await body())
  }

  /// Applies and records the apply; the caller holds the apply lock.
  package static func applyAndRecord(
    _ document: PlanDocument, desired: DesiredState, client: CloudflareClient, credentials: [String: Credential],
    recorder: HistoryRecorder, at time: @Sendable () -> Date, onChange: Applier.OnChange = .replan,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async -> [ApplyResult] {
    let results = await Applier(client: client, credentials: credentials, onChange: onChange).apply(
      document.plan, desired: desired, progress: progress)
    recorder.record(results, of: document, at: time())
    return results
  }

  /// Applies under the apply lock and records the apply.
  package static func applyUnderLock(
    _ document: PlanDocument, desired: DesiredState, client: CloudflareClient, credentials: [String: Credential],
    stateDirectory: String, command: String, recorder: HistoryRecorder, at time: @Sendable () -> Date,
    onChange: Applier.OnChange = .replan, progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async -> Result<[ApplyResult], ApplyLock.Failure> {
    await withApplyLock(stateDirectory: stateDirectory, command: command) {
      await applyAndRecord(
        document, desired: desired, client: client, credentials: credentials, recorder: recorder, at: time,
        onChange: onChange, progress: progress)
    }
  }

  /// Heals what `before` found missing, checks again, and records both checks (the first with the heal's result).
  package func heal(
    before: HealthCheck.Outcome, startedAt: Date, command: String,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async -> Result<HealReport, ApplyLock.Failure> {
    guard before.plan.hasChanges else {
      recorder.record(before.report, at: startedAt)
      return .success(HealReport(plan: before.plan, results: [], before: before.report, after: before.report))
    }
    let applied = await Self.applyUnderLock(
      PlanDocument(plan: before.plan), desired: check.desired, client: check.client, credentials: check.credentials,
      stateDirectory: stateDirectory, command: command, recorder: recorder, at: now, progress: progress)
    switch applied {
    case .failure(let held): return .failure(held)
    case .success(let results):
      let afterStarted = now()
      let after = await run()
      let report = HealReport(plan: before.plan, results: results, before: before.report, after: after.report)
      recorder.record(before.report, at: startedAt, heal: report)
      recorder.record(after.report, at: afterStarted)
      return .success(report)
    }
  }
}
