import Foundation
import JSON
import Synchronization
import TokenModel

// Request execution: the slot and the rate limiter, the deadline, retries with backoff, logging and counting.
extension CloudflareClient {
  func send<Result: JSONResult>(
    _ method: String, _ path: String, query: [String: String] = [:], body: Data? = nil, as credential: Credential,
    retrySafe: Bool = false
  ) async throws(CloudflareError) -> Page<Result> {
    let call = APICall(method: method, path: path, caller: credential.display)
    guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
      throw .transport(call, "invalid base URL \(baseURL)")
    }
    let basePath =
      components.percentEncodedPath.hasSuffix("/")
      ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
    components.percentEncodedPath = basePath + path
    if !query.isEmpty {
      components.queryItems = query.keys.sorted().map { URLQueryItem(name: $0, value: query[$0]) }
    }
    guard let url = components.url else { throw .transport(call, "invalid base URL \(baseURL)") }
    var headers = ["Accept": "application/json", "User-Agent": "tokenwarden"]
    credential.secret.withValue { headers["Authorization"] = "Bearer " + $0 }
    if body != nil { headers["Content-Type"] = "application/json" }
    let request = HTTPRequest(method: method, url: url, headers: headers, body: body)
    let mayRetry = method == "GET" || retrySafe
    var attempt = 0
    while true {
      attempt += 1
      let outcome = await attemptOnce(request, call: call)
      switch outcome {
      case .success(let response):
        do {
          return try decode(response, call: call)
        } catch {
          guard attempt < configuration.maxAttempts, error.isTransient else { throw error }
          if case .rateLimited = error {
            // The limiter has the 429's Retry-After and holds every request until then (Cloudflare refuses them all);
            // without one, back off. Past --max-wait the next attempt fails with when to try again.
            if response.headers["retry-after"] == nil { rateLimiter.block(for: backoff(attempt)) }
          } else {
            guard mayRetry else { throw error }
            try await pause(backoff(attempt), call: call)
          }
        }
      case .failure(let error):
        // A wait Cloudflare imposes beyond --max-wait: retrying sooner would only be refused again.
        if case .rateLimited = error { throw error }
        guard attempt < configuration.maxAttempts, mayRetry else { throw error }
        try await pause(backoff(attempt), call: call)
      }
    }
  }

  func backoff(_ attempt: Int) -> Double {
    let ceiling = min(configuration.maxDelay, configuration.baseDelay * pow(2, Double(attempt - 1)))
    return ceiling * jitter()
  }

  func pause(_ seconds: Double, call: APICall) async throws(CloudflareError) {
    do { try await time.sleep(seconds: seconds) } catch { throw .transport(call, "cancelled") }
  }

  /// One attempt under the concurrency limit, the rate limit and a total deadline.
  func attemptOnce(_ request: HTTPRequest, call: APICall) async -> Result<HTTPResponse, CloudflareError> {
    await semaphore.wait()
    defer { semaphore.signal() }
    do {
      let notice = self.notice
      let logger = self.logger
      try await rateLimiter.acquire(maxWait: configuration.maxWait) { line in
        notice?(line)
        logger?(line)
      }
    } catch let tooLong as RateLimiter.WaitTooLong {
      return .failure(.rateLimited(call, retryAfterSeconds: Int(tooLong.seconds.rounded(.up))))
    } catch {
      return .failure(.transport(call, "cancelled"))
    }
    let deadline = request.method == "GET" ? configuration.readTimeout : configuration.writeTimeout
    let started = deadlineTime.now()
    let pattern = Self.pattern(call.path)
    counter.count(request.method, pattern: pattern)
    let transport = self.transport
    let deadlineTime = self.deadlineTime
    do {
      let response = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
        // The exchange itself runs ahead of whatever its caller does with answers: other requests wait on its slot.
        group.addTask(priority: .high) { try await transport.send(request) }
        group.addTask {
          try await deadlineTime.sleep(seconds: deadline)
          throw TransportFailure.timedOut
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TransportFailure.timedOut }
        return first
      }
      counter.countAnswered()
      let budget = RateLimitHeaders(response.headers)
      let tightest = budget.tightest
      if let tightest { lastRemaining.withLock { $0 = tightest.remaining } }
      rateLimiter.observe(budget)
      log(
        request, call: call, status: "\(response.status)", started: started, remaining: tightest?.remaining,
        limit: tightest?.quota.map(String.init))
      if response.status == 429 {
        counter.countRateLimited(request.method, pattern: pattern)
      } else if response.status >= 400 {
        counter.countError(request.method, pattern: pattern)
      }
      return .success(response)
    } catch TransportFailure.timedOut {
      // The total deadline, or the transport's own idle timer (URLSession's), whichever ran out first: what is
      // reported is how long this attempt actually waited.
      let waited = min(deadline, max(0, deadlineTime.now() - started))
      let seconds = waited >= deadline * 0.99 ? deadline : (waited * 10).rounded() / 10
      log(request, call: call, status: "timeout", started: started, remaining: nil, limit: nil)
      counter.countError(request.method, pattern: pattern)
      counter.noteUnanswered("no response within \(CloudflareError.format(seconds)) s")
      return .failure(.timeout(call, seconds: seconds))
    } catch let TransportFailure.connection(detail) {
      log(request, call: call, status: "connection failed", started: started, remaining: nil, limit: nil)
      counter.countError(request.method, pattern: pattern)
      counter.noteUnanswered(detail)
      return .failure(.transport(call, detail))
    } catch {
      counter.countError(request.method, pattern: pattern)
      return .failure(.transport(call, "\(error)"))
    }
  }

  func log(_ request: HTTPRequest, call: APICall, status: String, started: Double, remaining: Int?, limit: String?) {
    guard let logger else { return }
    let milliseconds = Int((deadlineTime.now() - started) * 1000)
    let budget = remaining.map { " rate-limit \($0)/\(limit ?? "?")" } ?? ""
    logger("\(request.method) \(request.target) as \(call.caller) → \(status) in \(milliseconds) ms\(budget)")
  }

  /// `/accounts/{id}/tokens/{id}` for counting requests by kind.
  static func pattern(_ path: String) -> String {
    "/"
      + path.split(separator: "/").map { $0.count == 32 && HexID(String($0)) != nil ? "{id}" : String($0) }
      .joined(separator: "/")
  }
}
