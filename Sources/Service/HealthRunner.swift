import CloudflareAPI
import Foundation
import Health
import Reconciler
import TokenModel

/// A check, an apply under the machine's apply lock, and a heal (check, apply, check), each recorded in the history:
/// what `health`, `heal`, `apply` and the service's runs share.
public struct HealthRunner: Sendable {
  public let check: HealthCheck
  public let recorder: HistoryRecorder
  /// The state directory, where the apply lock lives.
  public let stateDirectory: String
  public let now: @Sendable () -> Date

  public init(check: HealthCheck, recorder: HistoryRecorder, stateDirectory: String, now: @escaping @Sendable () -> Date) {
    self.check = check
    self.recorder = recorder
    self.stateDirectory = stateDirectory
    self.now = now
  }

  /// One check, with what the history knew before it. Not recorded: the caller records it, with a heal if any.
  public func run() async -> HealthCheck.Outcome {
    await check.run(previous: recorder.previous(check.desired.tokens.map(\.name)), now: now)
  }

  /// A run's failure before any write: another apply holds the lock.
  public struct LockHeld: Error, Sendable, CustomStringConvertible {
    public let holder: ApplyLock.Holder
    public var description: String {
      "another apply holds the lock: pid \(holder.pid) on \(holder.host) since \(holder.started) (\(holder.command)); "
        + "wait for it, or if it is gone run 'tokenwarden lock --break'"
    }
  }

  /// Applies under the apply lock and records the apply. `warn` hears of a stale lock taken over.
  public static func applyUnderLock(
    _ document: PlanDocument, desired: DesiredState, client: CloudflareClient, credentials: [String: Credential],
    stateDirectory: String, command: String, recorder: HistoryRecorder, at time: @Sendable () -> Date,
    onChange: Applier.OnChange = .replan, progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async -> Result<[ApplyResult], LockHeld> {
    let lock = ApplyLock(stateDirectory: stateDirectory)
    switch lock.acquire(command: command) {
    case .held(let holder): return .failure(LockHeld(holder: holder))
    case .acquired(let tookOver): if let tookOver { recorder.warn("Warning: \(tookOver)\n") }
    }
    defer { lock.release() }
    let results = await Applier(client: client, credentials: credentials, onChange: onChange).apply(
      document.plan, desired: desired, progress: progress)
    recorder.record(results, of: document, at: time())
    return .success(results)
  }

  /// Heals what `before` found missing, checks again, and records both checks (the first with the heal's result).
  public func heal(
    before: HealthCheck.Outcome, startedAt: Date, command: String, progress: @escaping @Sendable (String) -> Void = { _ in }
  ) async -> Result<HealReport, LockHeld> {
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
