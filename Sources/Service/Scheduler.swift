import Foundation
import Synchronization

/// The service's clock: the real one, or a test's that moves only when told to.
package protocol ServiceClock: Sendable {
  func now() -> Date
  /// Returns at `date` (or at once if it has passed); throws `CancellationError` when the task is cancelled.
  func sleep(until date: Date) async throws
}

package struct SystemClock: ServiceClock {
  package init() {}
  package func now() -> Date { Date() }
  package func sleep(until date: Date) async throws {
    let seconds = date.timeIntervalSinceNow
    if seconds > 0 { try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded(.up)))) }
  }
}

/// Stops a scheduler between runs: a sleep is interrupted, a run in progress is not.
package final class SchedulerControl: Sendable {
  struct State {
    var stopped = false
    var sleep: Task<Void, Error>?
  }

  private let state = Mutex(State())

  package init() {}

  package var isStopped: Bool { state.withLock { $0.stopped } }

  package func stop() {
    state.withLock { current in
      current.stopped = true
      current.sleep?.cancel()
    }
  }

  func sleep(_ clock: any ServiceClock, until date: Date) async throws {
    let task = Task { try await clock.sleep(until: date) }
    let stopped = state.withLock { current -> Bool in
      if current.stopped { return true }
      current.sleep = task
      return false
    }
    if stopped { task.cancel() }
    try await task.value
  }
}

/// Runs a job on cron schedules: never two at once, missed runs not replayed, one catch-up run at start when the last
/// run is older than the shortest interval, and after a failure retries with exponential backoff and jitter (1 minute
/// doubling to 1 hour) until the run succeeds or the next scheduled time comes.
package struct Scheduler: Sendable {
  package let schedules: [CronExpression]
  package let clock: any ServiceClock
  package var baseBackoff: TimeInterval = 60
  package var maxBackoff: TimeInterval = 3_600

  package init(schedules: [CronExpression], clock: any ServiceClock) {
    self.schedules = schedules
    self.clock = clock
  }

  /// The next scheduled time after `date`, across every schedule.
  package func next(after date: Date) -> Date? { schedules.compactMap { $0.next(after: date) }.min() }

  /// The shortest interval between runs of any schedule.
  package func interval(at date: Date) -> TimeInterval? { schedules.compactMap { $0.interval(after: date) }.min() }

  /// Whether a catch-up run is due at start.
  package func catchUpDue(lastRun: Date?, at date: Date) -> Bool {
    guard let interval = interval(at: date) else { return false }
    guard let lastRun else { return true }
    return date.timeIntervalSince(lastRun) > interval
  }

  /// The delay before retry `attempt` (1, 2, …) after failures: full jitter over an exponential ceiling.
  package func backoff(attempt: Int, jitter: Double) -> TimeInterval {
    let ceiling = min(maxBackoff, baseBackoff * pow(2, Double(max(0, attempt - 1))))
    return max(1, ceiling * min(1, max(0, jitter)))
  }

  /// Runs until `control` stops it (between runs). `job` returns whether the run succeeded; `why` is `catch-up`,
  /// `scheduled` or `retry N`.
  package func run(lastRun: Date?, control: SchedulerControl, job: @Sendable (_ why: String) async -> Bool) async {
    var failures = 0
    if catchUpDue(lastRun: lastRun, at: clock.now()) {
      failures = await job("catch-up") ? 0 : 1
    }
    var generator = SystemRandomNumberGenerator()
    while !control.isStopped {
      let now = clock.now()
      guard let scheduled = next(after: now) else { return }
      var wake = scheduled
      var why = "scheduled"
      if failures > 0 {
        let retry = now.addingTimeInterval(
          backoff(attempt: failures, jitter: Double.random(in: 0...1, using: &generator)))
        if retry < scheduled {
          wake = retry
          why = "retry \(failures)"
        }
      }
      do { try await control.sleep(clock, until: wake) } catch { return }
      if control.isStopped { return }
      failures = await job(why) ? 0 : failures + 1
    }
  }
}
