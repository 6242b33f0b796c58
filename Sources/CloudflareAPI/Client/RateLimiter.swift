/// Keeps TokenWarden under Cloudflare's request budget (1,200 requests per 5 minutes per user by default).
///
/// One limiter is shared by the whole process. It admits a request when fewer than `limit` were sent in the last
/// `window` seconds; when Cloudflare's `X-RateLimit-Remaining` says others are spending the same budget, it paces
/// requests evenly over the window instead of bursting into a 429.
public actor RateLimiter {
  public let limit: Int
  public let window: Double
  private let time: any TimeSource
  /// Send times of admitted requests within the window, oldest first.
  private var sent: [Double] = []
  private var head = 0
  /// The budget Cloudflare last reported as left, and when.
  private var serverRemaining: Int?
  private var serverLimit: Int?
  private var lastPaced: Double = -.infinity

  public static let shared = RateLimiter()

  public init(limit: Int = 1200, window: Double = 300, time: any TimeSource = SystemTime()) {
    self.limit = max(1, limit)
    self.window = window
    self.time = time
  }

  /// Requests left in our own accounting of the window.
  public var remaining: Int {
    let now = time.now()
    return limit - sent[head...].filter { $0 > now - window }.count
  }

  /// Waits until a request may be sent, then counts it.
  public func acquire() async throws {
    while true {
      let now = time.now()
      while head < sent.count && sent[head] <= now - window { head += 1 }
      if head > 1024 && head * 2 > sent.count {
        sent.removeFirst(head)
        head = 0
      }
      var wait = 0.0
      if sent.count - head >= limit {
        wait = sent[head] + window - now
      } else if let serverRemaining, serverRemaining < max(10, (serverLimit ?? limit) / 20) {
        // Others are using the budget too: one request per (window / remaining) seconds.
        let interval = window / Double(max(serverRemaining, 1))
        wait = lastPaced + interval - now
      }
      if wait <= 0 {
        sent.append(now)
        lastPaced = now
        if let current = serverRemaining { serverRemaining = current - 1 }
        return
      }
      try await time.sleep(seconds: wait)
    }
  }

  /// Takes Cloudflare's view of the budget from a response's headers (`X-RateLimit-Remaining`, `-Limit`). Pacing
  /// starts when fewer than 5% of Cloudflare's limit are left.
  public func observe(remaining: Int?, limit: Int? = nil) {
    if let remaining { serverRemaining = remaining }
    if let limit { serverLimit = limit }
  }
}

/// At most `limit` operations at once; the rest wait in order.
actor AsyncSemaphore {
  private var available: Int
  private var waiters: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) { available = max(1, limit) }

  func wait() async {
    if available > 0 {
      available -= 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  func signal() {
    if waiters.isEmpty {
      available += 1
    } else {
      waiters.removeFirst().resume()
    }
  }
}
