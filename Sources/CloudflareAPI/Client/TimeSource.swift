import Foundation

/// Time as the client and the rate limiter see it; tests substitute a virtual clock that advances on sleep.
package protocol TimeSource: Sendable {
  /// Seconds since an arbitrary origin, monotonic.
  func now() -> Double
  func sleep(seconds: Double) async throws
}

/// Real time.
package struct SystemTime: TimeSource {
  package init() {}

  package func now() -> Double {
    let instant = ContinuousClock.now
    let components = (instant - ContinuousClock.Instant.zeroReference).components
    return Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  /// A Dispatch timer rather than `Task.sleep`: a cancelled `Task.sleep` keeps its memory until its deadline, and the
  /// client cancels a deadline for every request that answers in time (thousands a minute, 30 s deadlines).
  package func sleep(seconds: Double) async throws {
    guard seconds > 0 else { return }
    let sleeper = TimerSleep()
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
        sleeper.start(seconds: seconds, continuation: continuation)
      }
    } onCancel: {
      sleeper.cancel()
    }
  }
}

/// One sleep on a Dispatch timer, resumed exactly once: by the timer, or by cancellation (which frees the timer).
final class TimerSleep: @unchecked Sendable {
  enum State {
    case idle
    case waiting(CheckedContinuation<Void, Error>, DispatchSourceTimer)
    case cancelled
    case finished
  }

  private let lock = NSLock()
  private var state = State.idle

  func start(seconds: Double, continuation: CheckedContinuation<Void, Error>) {
    lock.lock()
    defer { lock.unlock() }
    if case .cancelled = state {
      continuation.resume(throwing: CancellationError())
      return
    }
    // Made and started under the lock: a Dispatch source released before it was ever resumed would crash, and the
    // handler, on another thread, waits for the lock before it can finish.
    let timer = DispatchSource.makeTimerSource(queue: .global())
    timer.setEventHandler { [self] in finish(throwing: nil) }
    timer.schedule(deadline: .now() + seconds)
    state = .waiting(continuation, timer)
    timer.resume()
  }

  func cancel() { finish(throwing: CancellationError()) }

  private func finish(throwing error: Error?) {
    lock.lock()
    let current = state
    if case .waiting = current { state = .finished } else if case .idle = current, error != nil { state = .cancelled }
    lock.unlock()
    guard case .waiting(let continuation, let timer) = current else { return }
    timer.cancel()
    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
  }
}

extension ContinuousClock.Instant {
  /// A fixed reference so `now()` is a plain number.
  static let zeroReference = ContinuousClock.now
}
