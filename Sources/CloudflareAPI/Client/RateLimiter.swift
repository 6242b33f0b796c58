import Foundation
import Synchronization

/// Keeps TokenWarden under Cloudflare's request budget (1,200 requests per 5 minutes per user by default), and never
/// waits in silence.
///
/// One limiter is shared by the whole process. It admits a request when fewer than `limit` were sent in the last
/// `window` seconds, and follows what Cloudflare's headers say of the budget (`RateLimitHeaders`):
/// - while the tightest limit has few requests left, it spreads them over the time until that limit resets instead
///   of running into 429s (pacing: our own choice, it never fails a run);
/// - after a 429, it waits what `Retry-After` says; when a limit is reported spent, until it resets. Those waits are
///   Cloudflare's: longer than the caller's `maxWait` they fail the request at once, saying when to try again.
/// Any wait longer than `announceAfter` seconds is announced once, with how long and why.
///
/// A lock, not an actor: a request admitted at once (the usual case) does not hop to another executor and back, which
/// on a busy two-thread pool means waiting behind whatever runs there. Only a request that must wait sleeps.
package final class RateLimiter: Sendable {
  package let limit: Int
  package let window: Double
  private let time: any TimeSource
  /// Waits longer than this are announced.
  package static let announceAfter = 5.0

  private struct State {
    /// Send times of admitted requests within the window, oldest first.
    var sent: [Double] = []
    var head = 0
    /// Cloudflare's tightest limit as last reported, its reset made absolute.
    var quota: RateLimitHeaders.Quota?
    var quotaResetAt: Double?
    /// Until when Cloudflare refuses every request (a 429's `Retry-After`).
    var blockedUntil = -Double.infinity
    var lastPaced = -Double.infinity
    /// The end of the last wait announced: concurrent requests waiting for the same thing say it once.
    var announcedUntil = -Double.infinity
  }

  private let state = Mutex(State())

  package static let shared = RateLimiter()

  package init(limit: Int = 1200, window: Double = 300, time: any TimeSource = SystemTime()) {
    self.limit = max(1, limit)
    self.window = window
    self.time = time
  }

  /// Requests left: Cloudflare's tightest limit when it reported one, else our own accounting of the window.
  package var remaining: Int {
    let now = time.now()
    return state.withLock { state in
      let own = limit - state.sent[state.head...].filter { $0 > now - window }.count
      return state.quota.map { min($0.remaining, own) } ?? own
    }
  }

  /// A wait Cloudflare imposes that is longer than the caller allows.
  package struct WaitTooLong: Error, Sendable {
    package let seconds: Double
    package let reason: String
  }

  /// Why a request waits.
  enum Decision {
    case go
    /// Our own pacing: never fails.
    case pace(Double, String)
    /// Cloudflare's: bounded by `maxWait`.
    case imposed(Double, String)
  }

  /// Waits until a request may be sent, then counts it. Throws when Cloudflare imposes a wait longer than `maxWait`.
  package func acquire(maxWait: Double = .infinity, announce: (@Sendable (String) -> Void)? = nil) async throws {
    while true {
      let now = time.now()
      let seconds: Double
      let reason: String
      switch admit(now: now) {
      case .go: return
      case .pace(let wait, let why):
        (seconds, reason) = (wait, why)
      case .imposed(let wait, let why):
        if wait > maxWait { throw WaitTooLong(seconds: wait, reason: why) }
        (seconds, reason) = (wait, why)
      }
      if seconds > Self.announceAfter, let announce {
        let fresh = state.withLock { state in
          guard now + seconds > state.announcedUntil + 1 else { return false }
          state.announcedUntil = now + seconds
          return true
        }
        if fresh { announce("waiting \(Self.duration(seconds)): \(reason)") }
      }
      try await time.sleep(seconds: seconds)
    }
  }

  /// Counts a request sent now and answers `.go`, or answers how long to wait before asking again, and why.
  private func admit(now: Double) -> Decision {
    state.withLock { state in
      while state.head < state.sent.count && state.sent[state.head] <= now - window { state.head += 1 }
      if state.head > 1024 && state.head * 2 > state.sent.count {
        state.sent.removeFirst(state.head)
        state.head = 0
      }
      if now < state.blockedUntil {
        return .imposed(
          state.blockedUntil - now, "Cloudflare answered 429 (rate limited) and asked to retry after that")
      }
      if let quota = state.quota {
        let resetAt = state.quotaResetAt
        if let resetAt, resetAt <= now {
          // That window is over: its count no longer applies until the next answer reports the new one.
          state.quota = nil
          state.quotaResetAt = nil
        } else if quota.remaining <= 0 {
          if let resetAt {
            return .imposed(resetAt - now, "Cloudflare reports its rate limit \"\(quota.name)\" spent until then")
          }
          // Spent, with no reset said: one request at the rate the budget allows; a 429 would say how long.
          let wait = state.lastPaced + window / Double(limit) - now
          if wait > 0 { return .pace(wait, "Cloudflare reports the rate limit spent") }
        } else {
          let quotaSize = quota.quota ?? limit
          if quota.remaining < max(10, quotaSize / 20) {
            // Few left: spread them over the time until the limit resets, instead of a burst into 429s.
            let left = (resetAt ?? now + (quota.windowSeconds ?? window)) - now
            let wait = state.lastPaced + left / Double(quota.remaining) - now
            if wait > 0 {
              return .pace(
                wait,
                "pacing requests to stay under Cloudflare's rate limit (\(quota.remaining) left of \(quotaSize) for the next \(Self.duration(left)))"
              )
            }
          }
        }
      }
      if state.sent.count - state.head >= limit {
        return .pace(
          state.sent[state.head] + window - now,
          "TokenWarden sent \(limit) requests in the last \(Self.duration(window)), Cloudflare's budget")
      }
      state.sent.append(now)
      state.lastPaced = now
      if state.quota != nil { state.quota!.remaining = max(0, state.quota!.remaining - 1) }
      return .go
    }
  }

  /// Takes Cloudflare's view of the budget from a response's headers.
  package func observe(_ headers: RateLimitHeaders) {
    let now = time.now()
    state.withLock { state in
      if let retryAfter = headers.retryAfter {
        // A 429 says when capacity returns: that, not the window its other headers count down, is when to retry.
        state.blockedUntil = max(state.blockedUntil, now + retryAfter)
        state.quota = nil
        state.quotaResetAt = nil
      } else if let tightest = headers.tightest {
        state.quota = tightest
        state.quotaResetAt = tightest.resetSeconds.map { now + $0 }
      }
    }
  }

  /// A 429 without `Retry-After`: back off this long before the next request, whoever sends it.
  package func block(for seconds: Double) {
    let now = time.now()
    state.withLock { $0.blockedUntil = max($0.blockedUntil, now + seconds) }
  }

  /// Takes Cloudflare's view of the budget in the older headers' terms (`X-RateLimit-Remaining`, `-Limit`).
  package func observe(remaining: Int?, limit: Int? = nil) {
    var headers: [String: String] = [:]
    if let remaining { headers["x-ratelimit-remaining"] = String(remaining) }
    if let limit { headers["x-ratelimit-limit"] = String(limit) }
    observe(RateLimitHeaders(headers))
  }

  /// What a run of `requests` requests costs in time at Cloudflare's budget, when it needs more than is left:
  /// "1,394 requests: about 5 min at Cloudflare's 1,200 per 5 minutes". Nil when the budget covers it.
  package func estimate(requests: Int) -> String? {
    let left = remaining
    guard requests > left else { return nil }
    // The budget left goes at once; each further `limit` requests wait for a window to pass.
    let windows = (Double(requests - left) / Double(limit)).rounded(.up)
    let number = NumberFormatter()
    number.numberStyle = .decimal
    number.locale = Locale(identifier: "en_US")
    let count = { (value: Int) in number.string(from: NSNumber(value: value)) ?? String(value) }
    return
      "\(count(requests)) requests: about \(Self.duration(windows * window)) at Cloudflare's \(count(limit)) per \(Self.duration(window).replacingOccurrences(of: " min", with: " minutes"))"
  }

  /// "12 s", "4 min", "2 h 5 min".
  package static func duration(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.up))
    if whole < 60 { return "\(whole) s" }
    if whole < 3600 {
      let minutes = whole / 60
      return whole % 60 == 0 || minutes >= 10 ? "\(minutes) min" : "\(minutes) min \(whole % 60) s"
    }
    let minutes = (whole % 3600) / 60
    return "\(whole / 3600) h" + (minutes == 0 ? "" : " \(minutes) min")
  }
}
