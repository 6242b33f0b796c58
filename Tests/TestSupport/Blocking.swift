import Foundation
import Synchronization

/// Runs blocking work (reading a child process's output, waiting for it to exit, blocking sockets) on a thread of its
/// own and returns its result. Swift Testing runs tests, synchronous ones included, on the cooperative pool, which has
/// one thread per core: two tests blocking there stall every other test's tasks — and the HTTP servers they run —
/// until they finish.
///
/// The work runs in the calling task, moved onto that thread as its executor, so the task's locals come along: an
/// expectation checked inside is attributed to its test (on a bare thread it would be reported as «unknown»).
package func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  let executor = ThreadExecutor()
  defer { executor.finish() }
  return try await withTaskExecutorPreference(executor) { try body() }
}

/// A task executor with one thread of its own, which runs the jobs given to it in order until finished.
final class ThreadExecutor: TaskExecutor, Sendable {
  private struct State {
    var jobs: [UnownedJob] = []
    var finished = false
  }

  private let state = Mutex(State())
  private let available = DispatchSemaphore(value: 0)

  init() {
    let thread = Thread { [self] in run() }
    thread.name = "test-blocking"
    thread.start()
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    state.withLock { $0.jobs.append(job) }
    available.signal()
  }

  /// Lets the thread end once the jobs given so far have run.
  func finish() {
    state.withLock { $0.finished = true }
    available.signal()
  }

  private func run() {
    while true {
      available.wait()
      let (jobs, finished) = state.withLock { state -> ([UnownedJob], Bool) in
        defer { state.jobs.removeAll() }
        return (state.jobs, state.finished)
      }
      for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
      if finished && state.withLock({ $0.jobs.isEmpty }) { return }
    }
  }
}
