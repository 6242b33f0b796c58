import CloudflareAPI
import Foundation
import HTTPServer
import Health
import History
import Operations
import Service
import Simulator
import Synchronization
import Testing

/// The service over loopback HTTP with an injectable clock: scheduled runs, endpoints, auth, load bounds, staleness.
@Suite struct ServiceTests {
  /// History with a recent check, so the service makes no catch-up run at start (only a plain check).
  static func recentCheck(_ runner: HealthRunner) async {
    let outcome = await runner.run()
    runner.recorder.record(outcome.report, at: runner.now())
  }

  @Test func aScheduledRunHealsTheAccountTokenAndTheHistoryShowsIt() async throws {
    let harness = try await Harness.start(schedules: ["* * * * *"], prepare: Self.recentCheck)
    let wake = await harness.ready()
    #expect(wake == ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z"))
    let before = try await harness.request("GET", "/tokens/status").data()
    #expect(before["overall_health"] as? String == "degraded")
    harness.clock.advance(to: wake)
    await harness.ready()  // the run is over when the scheduler sleeps again
    let history = try await harness.request("GET", "/tokens/history?limit=5").data()
    let checks = try #require(history["history"] as? [[String: Any]])
    // Newest first: the run's check after the heal, its check before (with the heal), the plain check at start, and
    // the check recorded before the service started.
    #expect(checks.map { $0["overall_health"] as? String } == ["healthy", "degraded", "degraded", "degraded"])
    #expect(checks[1]["heal_attempted"] as? Bool == true)
    #expect(checks[1]["heal_result"] as? String == "success")
    let status = try await harness.request("GET", "/tokens/status").data()
    #expect(status["overall_health"] as? String == "healthy")
    let log = harness.log.withLock { $0 }
    #expect(log.contains("Starting token health check (scheduled run)"))
    #expect(log.contains("Token health check completed. Overall: degraded (score 87)"))
    #expect(
      log.contains {
        $0.contains("account_token via user_token: added 2 permissions (Workers Scripts Write, D1 Write)")
      })
    #expect(await harness.service.monitor.counters.healSuccesses == 1)
    await harness.stop()
  }

  @Test func aCatchUpRunHappensAtStartWhenTheLastRunIsOld() async throws {
    let harness = try await Harness.start(monitorOnly: true)
    await harness.ready()
    #expect(harness.log.withLock { $0 }.contains("Starting token health check (catch-up run)"))
    // Monitor only: nothing was healed.
    let status = try await harness.request("GET", "/tokens/status").data()
    #expect(status["overall_health"] as? String == "degraded")
    #expect(await harness.service.monitor.counters.healAttempts == 0)
    await harness.stop()
  }

  @Test func aFailedRunIsRetriedWithBackoffBeforeTheNextSchedule() async throws {
    let harness = try await Harness.start(prepare: Self.recentCheck)
    let scheduled = await harness.ready()
    var faults = FaultSettings()
    faults.errorRate = 1
    harness.simulator.setFaults(faults)
    harness.clock.advance(to: scheduled)
    let retry = await harness.ready()
    #expect(retry > scheduled && retry <= scheduled.addingTimeInterval(60))
    // Cloudflare is back: the retry succeeds and the next wake is the schedule again.
    harness.simulator.setFaults(FaultSettings())
    harness.clock.advance(to: retry)
    let next = await harness.ready()
    #expect(next == scheduled.addingTimeInterval(6 * 3_600))
    await harness.stop()
  }

  @Test func everyEndpointButHealthzNeedsTheClientToken() async throws {
    let harness = try await Harness.start(prepare: Self.recentCheck)
    await harness.ready()
    for (method, path) in [
      ("GET", "/tokens/health"), ("POST", "/tokens/heal"), ("GET", "/tokens/status"), ("GET", "/tokens/history"),
      ("GET", "/metrics"), ("GET", "/"), ("GET", "/openapi.json"), ("GET", "/nowhere"),
    ] {
      for auth in [Harness.Auth.none, .bearer("wrong"), .basic("admin", "wrong"), .bearer(Harness.token + "x")] {
        let response = try await harness.request(method, path, auth: auth)
        #expect(response.status == 401, "\(method) \(path)")
        #expect(response.headers["www-authenticate"]?.contains("Basic realm=\"TokenWarden\"") == true)
        #expect((try response.json()["error"] as? [String: Any])?["code"] as? String == "unauthorized")
        #expect(!response.text.contains(Harness.token))
      }
    }
    #expect(try await harness.request("GET", "/healthz", auth: .none).status == 200)
    #expect(try await harness.request("GET", "/", auth: .basic("anyone", Harness.token)).status == 200)
    #expect(try await harness.request("GET", "/tokens/status", auth: .bearer(Harness.token)).status == 200)
    await harness.stop()
  }

  @Test func badQueriesMethodsAndPathsGetTheirStatus() async throws {
    let harness = try await Harness.start(prepare: Self.recentCheck)
    await harness.ready()
    for target in [
      "/tokens/history?limit=0", "/tokens/history?limit=1001", "/tokens/history?limit=ten",
      "/tokens/health?auto_heal=maybe",
      "/tokens/status?verbose=1", "/metrics?x=y",
    ] {
      let response = try await harness.request("GET", target)
      #expect(response.status == 400, "\(target)")
      #expect((try response.json()["error"] as? [String: Any])?["code"] as? String == "bad_request")
    }
    let limit = try await harness.request("GET", "/tokens/history?limit=0")
    #expect(limit.text.contains("limit must be a whole number from 1 to 1000, not '0'"))
    let wrongMethod = try await harness.request("POST", "/tokens/status")
    #expect(wrongMethod.status == 405)
    #expect(wrongMethod.headers["allow"] == "GET")
    #expect(try await harness.request("GET", "/tokens/heal").headers["allow"] == "POST")
    for path in [
      "/tokens", "/tokens/health/extra", "/../etc/passwd", "/tokens/%2e%2e/status", "/%2e%2e/%2e%2e/etc/passwd",
    ] {
      #expect(try await harness.request("GET", path).status == 404, "\(path)")
    }
    await harness.stop()
  }

  @Test func statusAndMetricsNeverCallCloudflareAndHealthIsBoundedByItsInterval() async throws {
    let harness = try await Harness.start(healthInterval: 3_600, prepare: Self.recentCheck)
    await harness.ready()
    let requests = harness.client.counter.total
    for _ in 0..<20 {
      #expect(try await harness.request("GET", "/tokens/status").status == 200)
      #expect(try await harness.request("GET", "/metrics").status == 200)
      #expect(try await harness.request("GET", "/tokens/health").status == 200)
    }
    #expect(harness.client.counter.total == requests)
    let status = try await harness.request("GET", "/tokens/status").data()
    #expect(status["stale"] as? Bool == false)
    #expect(status["checked_at"] as? String == "2026-11-22T11:59:30Z")
    await harness.stop()
  }

  @Test func concurrentHealthCallersShareOneCheck() async throws {
    let harness = try await Harness.start(healthInterval: 0, prepare: Self.recentCheck)
    await harness.ready()
    let monitor = harness.service.monitor
    let checks = await monitor.counters.checks
    // Hold Cloudflare's answers until every caller is waiting on the same check.
    var faults = FaultSettings()
    faults.latencyMilliseconds = 300
    harness.simulator.setFaults(faults)
    let callers = 12
    try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<callers { group.addTask { try await harness.request("GET", "/tokens/health").status } }
      for try await status in group { #expect(status == 200) }
    }
    let ran = await monitor.counters.checks - checks
    #expect(ran >= 1 && ran < callers)
    await harness.stop()
  }

  @Test func whenCloudflareIsDownTheLastKnownStateIsServedMarkedStale() async throws {
    let harness = try await Harness.start(healthInterval: 0, prepare: Self.recentCheck)
    await harness.ready()
    var faults = FaultSettings()
    faults.errorRate = 1
    harness.simulator.setFaults(faults)
    let health = try await harness.request("GET", "/tokens/health")
    #expect(health.status == 200)
    let report = try health.data()
    #expect(report["stale"] as? Bool == true)
    #expect((report["last_error"] as? String)?.contains("HTTP 502") == true)
    #expect(report["overall_health"] as? String == "degraded")
    let status = try await harness.request("GET", "/tokens/status").data()
    #expect(status["stale"] as? Bool == true)
    let metrics = try await harness.request("GET", "/metrics").text
    #expect(metrics.contains("tokenwarden_last_check_stale 1"))
    #expect(metrics.contains("tokenwarden_check_failures_total 1"))
    #expect(metrics.contains(#"tokenwarden_cloudflare_errors_total{method="GET",endpoint="/user/tokens/verify"}"#))
    await harness.stop()
  }

  @Test func healOverHTTPKeepsTheSeedShapeAndMetricsCountIt() async throws {
    let harness = try await Harness.start(prepare: Self.recentCheck)
    await harness.ready()
    let heal = try await harness.request("POST", "/tokens/heal")
    #expect(heal.status == 200)
    let body = try heal.data()
    #expect(try heal.json()["message"] as? String == "Successfully healed all tokens: 2 permissions added.")
    let result = try #require((body["auto_heal_results"] as? [String: [String: Any]])?["account_token"])
    #expect(result["permissions_added"] as? [String] == ["Workers Scripts Write", "D1 Write"])
    let autoHeal = try await harness.request("GET", "/tokens/health?auto_heal=true").data()
    #expect(autoHeal["overall_health"] as? String == "healthy")
    let metrics = try await harness.request("GET", "/metrics").text
    #expect(metrics.contains("tokenwarden_heal_attempts_total 1"))
    #expect(metrics.contains(#"tokenwarden_heal_results_total{result="success"} 1"#))
    #expect(metrics.contains(#"tokenwarden_token_health{token="account_token",state="healthy"} 1"#))
    #expect(metrics.contains("# TYPE tokenwarden_cloudflare_requests_total counter"))
    #expect(!metrics.contains("cfat_") && !metrics.contains("cfut_"))
    await harness.stop()
  }

  @Test func theDashboardShowsTheSeedSituationAndEscapesWhatItPrints() async throws {
    let harness = try await Harness.start(source: "<script>alert('x')</script> & co", prepare: Self.recentCheck)
    await harness.ready()
    let page = try await harness.request("GET", "/")
    #expect(page.status == 200)
    #expect(page.headers["content-type"] == "text/html; charset=utf-8")
    let html = page.text
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"))
    #expect(!html.contains("<script"))
    #expect(html.contains("Workers Scripts Write on account main"))
    #expect(html.contains("<svg role=\"img\" aria-label=\"Health over the last"))
    #expect(html.contains("aria-label=\"Days until each token expires\""))
    #expect(html.contains("MissingHealable"))
    // Refreshes itself at the check interval (30 s here), without a script.
    #expect(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"))
    // The healer of every token, from the policy when nothing is to be added.
    #expect(html.contains("<td data-label=\"Healer\">user_token</td>"))
    #expect(html.contains("<td data-label=\"Healer\">account_token</td>"))
    // Cards on a narrow screen.
    #expect(html.contains("<table class=\"cards\">"))
    #expect(html.contains("@media (max-width:700px)"))
    await harness.stop()
  }

  @Test func webhookNotificationsOnStateChangesAndHeals() async throws {
    let received = Lines()
    let arrivals = AsyncStream<Void>.makeStream()
    var router = Router()
    router.add("POST", "/hook") { request, _ in
      received.append(String(decoding: request.body, as: UTF8.self))
      arrivals.continuation.yield()
      return .json(200, Data("{}".utf8))
    }
    let receiver = try HTTPServer(handler: router.handler)
    defer { receiver.stop(grace: 1) }
    let url = try #require(URL(string: receiver.baseURL + "/hook"))
    let harness = try await Harness.start(notifier: Notifier(url: url) { _ in }, prepare: Self.recentCheck)
    await harness.ready()
    #expect(try await harness.request("POST", "/tokens/heal").status == 200)
    var iterator = arrivals.stream.makeAsyncIterator()
    _ = await iterator.next()
    _ = await iterator.next()
    let messages = received.withLock { $0 }
    let texts = messages.compactMap { message in
      (try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: String])?["text"]
    }
    #expect(texts.count == 2)
    #expect(texts.contains { $0.contains("✅ account_token is now healthy (was degraded)") })
    #expect(texts.contains { $0.hasPrefix("TokenWarden heal: Successfully healed all tokens: 2 permissions added.") })
    #expect(!messages.joined().contains("cfat_") && !messages.joined().contains("cfut_"))
    await harness.stop()
  }

  @Test func manyConnectionsAtOnceAllGetAnswers() async throws {
    // 100 at once from one address: more than the default of 64 a client, so the limit is raised.
    let harness = try await Harness.start(maxConnectionsPerClient: 128, prepare: Self.recentCheck)
    await harness.ready()
    let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
      for _ in 0..<100 {
        group.addTask {
          var statuses: [Int] = []
          for _ in 0..<10 { statuses.append(try await harness.request("GET", "/tokens/status").status) }
          return statuses
        }
      }
      var all: [Int] = []
      for try await statuses in group { all += statuses }
      return all
    }
    #expect(statuses.count == 1_000)
    #expect(statuses.allSatisfy { $0 == 200 })
    await harness.stop()
  }
}

extension ServiceTests {
  /// The service's own HTTP limits, through its port: headers too large, a body too large (slow requests get 408 from
  /// the same server: HTTPServerTests, with a short header deadline).
  @Test func oversizedRequestsGetTheirStatus() async throws {
    let harness = try await Harness.start(prepare: Self.recentCheck)
    await harness.ready()
    let port = harness.service.server.port
    func send(_ text: String) async throws -> String {
      let bytes = Array(text.utf8)
      return try await withCheckedThrowingContinuation { continuation in
        Thread {
          continuation.resume(with: Result { String(decoding: try Harness.exchange(bytes, port: port), as: UTF8.self) })
        }
        .start()
      }
    }
    let auth = "Authorization: Bearer \(Harness.token)\r\n"
    let bigHeader = "X-Padding: " + String(repeating: "a", count: 20_000) + "\r\n"
    #expect(
      try await send("GET /tokens/status HTTP/1.1\r\nHost: x\r\n\(auth)\(bigHeader)\r\n").hasPrefix("HTTP/1.1 431"))
    #expect(
      try await send("POST /tokens/heal HTTP/1.1\r\nHost: x\r\n\(auth)Content-Length: 5000000\r\n\r\n").hasPrefix(
        "HTTP/1.1 413"))
    await harness.stop()
  }
}
