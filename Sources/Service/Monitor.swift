import Foundation
import Health
import Operations
import Rendering
import Synchronization

/// The service's state: the last check, a single flight for fresh checks, and one gate through which heals and
/// scheduled runs pass one at a time. Load on Cloudflare stays bounded whatever the traffic: `latest` never calls it,
/// `health` shares one check among concurrent callers and starts at most one per `minInterval`.
package actor Monitor {
  package typealias Snapshot = CheckSnapshot
  package typealias Counters = ServiceCounters

  package let runner: HealthRunner
  let clock: any ServiceClock
  let minInterval: TimeInterval
  let notifier: Notifier?
  /// Rotations a scheduled run does (rolls due by the policy), when the service was given them.
  let rotations: ScheduledRotations?
  let log: @Sendable (String) -> Void
  package private(set) var snapshot: Snapshot? {
    didSet { snapshotGeneration.withLock { $0 += 1 } }
  }
  /// Counts changes of `snapshot`, readable without waiting for the actor: pages made from the snapshot are served
  /// from memory while it is unchanged, and asking this costs no hop onto the actor.
  package nonisolated let snapshotGeneration = Mutex(0)
  package private(set) var counters = Counters()
  /// Callers waiting for the check in flight rather than starting their own (observable for tests).
  package private(set) var sharedCallers = 0
  private var inFlight: Task<Snapshot, Never>?
  /// Each token's state at the last check: notifications go out on transitions, not on every run.
  private var states: [String: HealthState]
  private var busy = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  package init(
    runner: HealthRunner, clock: any ServiceClock, minInterval: TimeInterval, notifier: Notifier?,
    baseline: [String: HealthState], rotations: ScheduledRotations? = nil, log: @escaping @Sendable (String) -> Void
  ) {
    self.rotations = rotations
    self.runner = runner
    self.clock = clock
    self.minInterval = minInterval
    self.notifier = notifier
    self.states = baseline
    self.log = log
  }

  // MARK: The gate

  private func enter() async {
    if busy {
      await withCheckedContinuation { waiters.append($0) }
    } else {
      busy = true
    }
  }

  private func leave() {
    if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
  }

  /// Returns once no heal or scheduled run is in progress (for a graceful stop).
  package func idle() async {
    await enter()
    leave()
  }

  // MARK: Checks

  /// A fresh check, shared by concurrent callers, at most one per `minInterval`; with `autoHeal`, a heal follows when
  /// something can be added.
  package func health(autoHeal: Bool = false) async -> Snapshot {
    let current = await check()
    guard autoHeal, current.report.tokens.contains(where: { $0.health == .degraded && $0.healer != nil }) else {
      return current
    }
    switch await heal() {
    case .success(let heal):
      var served = snapshot ?? current
      var report = heal.after
      report.heal = heal.summary
      served = Snapshot(report: report, checkedAt: served.checkedAt, stale: served.stale, lastError: served.lastError)
      return served
    case .failure(let held):
      var served = current
      served.lastError = "heal not attempted: \(held)"
      return served
    }
  }

  func check() async -> Snapshot {
    if let snapshot, !snapshot.stale, clock.now().timeIntervalSince(snapshot.checkedAt) < minInterval {
      return snapshot
    }
    if let inFlight {
      sharedCallers += 1
      defer { sharedCallers -= 1 }
      return await inFlight.value
    }
    let task = Task { await self.freshCheck() }
    inFlight = task
    let result = await task.value
    inFlight = nil
    return result
  }

  private func freshCheck() async -> Snapshot {
    let started = clock.now()
    let outcome = await runner.run()
    runner.recorder.record(outcome.report, at: started)
    return await accept(outcome.report, at: started)
  }

  /// Why Cloudflare could not be asked at all, when every token that could be verified failed to be.
  static func unreachable(_ report: HealthReport) -> String? {
    let checkable = report.tokens.filter { $0.condition(.valid)?.reason != .noSecret }
    let failed = checkable.filter { $0.condition(.valid)?.reason == .verifyFailed }
    guard !checkable.isEmpty, failed.count == checkable.count else { return nil }
    return failed.first?.condition(.valid)?.message ?? "Cloudflare could not be reached"
  }

  /// Takes a new report as the served one — unless Cloudflare was unreachable and an earlier one exists, which is then
  /// served marked stale — and sends notifications for state changes.
  private func accept(_ report: HealthReport, at time: Date) async -> Snapshot {
    counters.checks += 1
    if let failure = Self.unreachable(report) {
      counters.failedChecks += 1
      log("health check could not reach Cloudflare: \(failure)")
      // A transition: told once, when checks stop working, not at every failed check after.
      if snapshot?.lastError == nil, let notifier { await notifier.notify(.checkFailed(failure)) }
      if var last = snapshot {
        last.stale = true
        last.lastError = failure
        snapshot = last
        return last
      }
      let first = Snapshot(report: report, checkedAt: time, stale: false, lastError: failure)
      snapshot = first
      return first
    }
    let previous = states
    states = Dictionary(report.tokens.map { ($0.name, $0.health) }, uniquingKeysWith: { first, _ in first })
    let fresh = Snapshot(report: report, checkedAt: time, stale: false, lastError: nil)
    snapshot = fresh
    if let notifier, NotificationText.transitions(from: previous, to: report) != nil {
      await notifier.notify(.changed(from: previous, to: report))
    }
    return fresh
  }

  // MARK: Heal and scheduled runs

  /// Check, heal, check again — through the gate, so never at the same time as a scheduled run.
  package func heal() async -> Result<HealReport, ApplyLock.Failure> {
    await enter()
    defer { leave() }
    let started = clock.now()
    let before = await runner.run()
    return await heal(before, startedAt: started)
  }

  private func heal(_ before: HealthCheck.Outcome, startedAt: Date) async -> Result<HealReport, ApplyLock.Failure> {
    let attempted = before.plan.hasChanges
    if attempted { counters.healAttempts += 1 }
    let result = await runner.heal(before: before, startedAt: startedAt, command: "tokenwarden serve (heal)")
    switch result {
    case .success(let heal):
      if attempted {
        if heal.success { counters.healSuccesses += 1 } else { counters.healFailures += 1 }
      }
      counters.checks += attempted ? 1 : 0
      _ = await accept(heal.after, at: clock.now())
      if attempted, let notifier { await notifier.notify(.healed(heal)) }
    case .failure(let held):
      if attempted { counters.healFailures += 1 }
      log("heal not attempted: \(held)")
    }
    return result
  }

  /// A scheduled run: a check, then a heal unless `monitorOnly`; logged like the seed's cron job and recorded.
  /// Returns whether it succeeded (Cloudflare reachable, and the heal, if any, complete).
  package func scheduledRun(why: String, monitorOnly: Bool) async -> Bool {
    await enter()
    defer { leave() }
    counters.scheduledRuns += 1
    let started = clock.now()
    log("Starting token health check (\(why) run)")
    let before = await runner.run()
    let renderer = HealthRenderer(style: TextStyle(color: false))
    if !monitorOnly, let rotations {
      let (lines, events) = await rotations.run(after: before)
      for line in lines { log(line) }
      if let notifier { for event in events { await notifier.notify(event) } }
    }
    if monitorOnly || !before.plan.hasChanges {
      runner.recorder.record(before.report, at: started)
      _ = await accept(before.report, at: started)
      for line in renderer.health(before.report).split(separator: "\n") { log(String(line)) }
      return Self.unreachable(before.report) == nil
    }
    switch await heal(before, startedAt: started) {
    case .success(let heal):
      for line in renderer.heal(heal).split(separator: "\n") { log(String(line)) }
      return heal.success && Self.unreachable(heal.after) == nil
    case .failure:
      for line in renderer.health(before.report).split(separator: "\n") { log(String(line)) }
      return false
    }
  }
}
