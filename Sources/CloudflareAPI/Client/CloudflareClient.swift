import Foundation
import JSON
import Synchronization
import TokenModel

/// Settings of the client; defaults suit Cloudflare's published limits.
package struct ClientConfiguration: Sendable {
  /// Attempts per request, the first included.
  package var maxAttempts = 4
  /// Backoff: full jitter over `baseDelay × 2^attempt`, capped at `maxDelay` (seconds).
  package var baseDelay = 0.5
  package var maxDelay = 8.0
  /// Waits Cloudflare imposes (a 429's `Retry-After`, a budget its headers report spent) longer than this fail the
  /// request at once, saying when to try again; 0 fails at the first. Our own pacing is not bounded by it.
  package var maxWait = 60.0
  /// Total deadline of one attempt, reads and writes.
  package var readTimeout = 30.0
  package var writeTimeout = 15.0
  /// Requests in flight at once.
  package var concurrency = 8
  /// Page size of list calls (Cloudflare allows 5 to 50).
  package var pageSize = 50
  /// More tokens than any family holds: a list past it (a `total_count` above it, or full pages without end) is a
  /// broken answer.
  package var maxListedTokens = 1_000_000

  package init() {}
}

/// One line per request, for `--debug`: never an Authorization header or a token value.
package typealias APILogger = @Sendable (String) -> Void

/// The typed client of Cloudflare's token endpoints, both families.
package final class CloudflareClient: Sendable {
  package let baseURL: URL
  package let configuration: ClientConfiguration
  let transport: any HTTPTransport
  package let rateLimiter: RateLimiter
  let time: any TimeSource
  let deadlineTime: any TimeSource
  let semaphore: AsyncSemaphore
  let logger: APILogger?
  /// Hears of long waits (over `RateLimiter.announceAfter`): one line each, for stderr.
  let notice: APILogger?
  let jitter: @Sendable () -> Double
  /// Requests sent, by method and path pattern; for benchmarks and metrics.
  package let counter = RequestCounter()
  /// The budget Cloudflare last reported (its tightest limit's remaining requests), for progress lines.
  package let lastRemaining = Mutex<Int?>(nil)

  package init(
    baseURL: URL, transport: any HTTPTransport, configuration: ClientConfiguration = ClientConfiguration(),
    rateLimiter: RateLimiter = .shared, time: any TimeSource = SystemTime(),
    deadlineTime: any TimeSource = SystemTime(), logger: APILogger? = nil, notice: APILogger? = nil,
    jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
  ) {
    self.baseURL = baseURL
    self.transport = transport
    self.configuration = configuration
    self.rateLimiter = rateLimiter
    self.time = time
    self.deadlineTime = deadlineTime
    self.semaphore = AsyncSemaphore(limit: configuration.concurrency)
    self.logger = logger
    self.notice = notice
    self.jitter = jitter
  }
}
