import Synchronization

/// Keeps TokenWarden under Cloudflare's request budget (1,200 requests per 5 minutes per user by default).
///
/// One limiter is shared by the whole process. It admits a request when fewer than `limit` were sent in the last
/// `window` seconds; when Cloudflare's `X-RateLimit-Remaining` says others are spending the same budget, it paces
/// requests evenly over the window instead of bursting into a 429.
///
/// A lock, not an actor: a request admitted at once (the usual case) does not hop to another executor and back, which
/// on a busy two-thread pool means waiting behind whatever runs there. Only a request that must wait sleeps.
public final class RateLimiter: Sendable {
  public let limit: Int
  public let window: Double
  private let time: any TimeSource

  private struct State {
    /// Send times of admitted requests within the window, oldest first.
    var sent: [Double] = []
    var head = 0
    /// The budget Cloudflare last reported as left, and its limit.
    var serverRemaining: Int?
    var serverLimit: Int?
    var lastPaced: Double = -.infinity
  }

  private let state = Mutex(State())

  public static let shared = RateLimiter()

  public init(limit: Int = 1200, window: Double = 300, time: any TimeSource = SystemTime()) {
    self.limit = max(1, limit)
    self.window = window
    self.time = time
  }

  /// Requests left in our own accounting of the window.
  public var remaining: Int {
    let now = time.now()
    return state.withLock { state in limit - state.sent[state.head...].filter { $0 > now - window }.count }
  }

  /// Waits until a request may be sent, then counts it.
  public func acquire() async throws {
    while true {
      let wait = admit(now: time.now())
      if wait <= 0 { return }
      try await time.sleep(seconds: wait)
    }
  }

  /// Counts a request sent now and answers 0, or answers how long to wait before asking again.
  private func admit(now: Double) -> Double {
    state.withLock { state in
      while state.head < state.sent.count && state.sent[state.head] <= now - window { state.head += 1 }
      if state.head > 1024 && state.head * 2 > state.sent.count {
        state.sent.removeFirst(state.head)
        state.head = 0
      }
      var wait = 0.0
      if state.sent.count - state.head >= limit {
        wait = state.sent[state.head] + window - now
      } else if let remaining = state.serverRemaining, remaining < max(10, (state.serverLimit ?? limit) / 20) {
        // Others are using the budget too: one request per (window / remaining) seconds.
        let interval = window / Double(max(remaining, 1))
        wait = state.lastPaced + interval - now
      }
      guard wait <= 0 else { return wait }
      state.sent.append(now)
      state.lastPaced = now
      if let current = state.serverRemaining { state.serverRemaining = current - 1 }
      return 0
    }
  }

  /// Takes Cloudflare's view of the budget from a response's headers (`X-RateLimit-Remaining`, `-Limit`). Pacing
  /// starts when fewer than 5% of Cloudflare's limit are left.
  public func observe(remaining: Int?, limit: Int? = nil) {
    state.withLock { state in
      if let remaining { state.serverRemaining = remaining }
      if let limit { state.serverLimit = limit }
    }
  }
}

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
