import Synchronization

/// At most `limit` operations at once; the rest wait in order. `signal` is synchronous and hands the slot straight
/// to the oldest waiter, so a finished request's slot is never parked behind other work.
final class AsyncSemaphore: Sendable {
  private struct State {
    var available: Int
    var waiters: [UnsafeContinuation<Void, Never>] = []
    var head = 0
  }

  private let state: Mutex<State>

  init(limit: Int) { state = Mutex(State(available: max(1, limit))) }

  func wait() async {
    let admitted = state.withLock { state in
      guard state.available > 0 else { return false }
      state.available -= 1
      return true
    }
    if admitted { return }
    await withUnsafeContinuation { continuation in
      // Between the check above and here a slot may have been freed: take it rather than wait for a signal that
      // already happened.
      let resumeNow = state.withLock { state in
        if state.available > 0 {
          state.available -= 1
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if resumeNow { continuation.resume() }
    }
  }

  func signal() {
    let next: UnsafeContinuation<Void, Never>? = state.withLock { state in
      guard state.head < state.waiters.count else {
        state.available += 1
        return nil
      }
      let waiter = state.waiters[state.head]
      state.head += 1
      if state.head == state.waiters.count {
        state.waiters.removeAll(keepingCapacity: true)
        state.head = 0
      }
      return waiter
    }
    next?.resume()
  }
}
