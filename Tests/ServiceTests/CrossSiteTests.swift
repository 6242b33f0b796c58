import CloudflareAPI
import Foundation
import Service
import Simulator
import Testing
import TokenModel

/// The service against hostile web pages, over real loopback sockets: a browser holding the dashboard's Basic
/// credentials sends them with another site's form; a page on a re-bound domain reaches a loopback service under its
/// own name; any site may frame the dashboard.
@Suite struct CrossSiteTests {
  static let basic = Harness.Auth.basic("anyone", Harness.token)

  /// Whether the account token still lacks what the seed lacks: no heal wrote to it. (The harnesses run monitor-only,
  /// so the scheduled run at start checks without healing.)
  static func nothingHealed(_ harness: Harness) -> Bool {
    let token = harness.simulator.snapshot.tokens.first { $0.name == "account_token" }!
    let d1 = PermissionCatalog.bundled.groups(named: "D1 Write")[0].id.rawValue
    return !token.policies.contains { $0.permissionGroups.contains(d1) }
  }

  @Test func aCrossSiteFormWithBasicCredentialsIsRefusedAndHealsNothing() async throws {
    let harness = try await Harness.start(monitorOnly: true)
    defer { Task { await harness.stop() } }
    await harness.ready()
    let form = try await harness.request(
      "POST", "/tokens/heal", auth: Self.basic,
      headers: [
        ("Origin", "https://evil.example"), ("Content-Type", "application/x-www-form-urlencoded"),
        ("Sec-Fetch-Site", "cross-site"),
      ])
    #expect(form.status == 403)
    #expect(try (form.json()["error"] as? [String: Any])?["code"] as? String == "forbidden")
    // An image or link: GET with auto_heal.
    let image = try await harness.request(
      "GET", "/tokens/health?auto_heal=true", auth: Self.basic, headers: [("Sec-Fetch-Site", "cross-site")])
    #expect(image.status == 403)
    // An older browser without Sec-Fetch-Site: the Origin decides.
    let old = try await harness.request(
      "POST", "/tokens/heal", auth: Self.basic, headers: [("Origin", "https://evil.example")])
    #expect(old.status == 403)
    #expect(Self.nothingHealed(harness))
    let runs = try await harness.service.monitor.runner.recorder.store?.recentRuns(limit: 10) ?? []
    #expect(runs.allSatisfy { $0.kind != "apply" }, "\(runs)")
  }

  @Test func theDashboardsOwnPagesAndScriptsWithABearerTokenMayHeal() async throws {
    let harness = try await Harness.start(monitorOnly: true)
    defer { Task { await harness.stop() } }
    await harness.ready()
    let sameOrigin = try await harness.request(
      "POST", "/tokens/heal", auth: Self.basic, headers: [("Sec-Fetch-Site", "same-origin")])
    #expect(sameOrigin.status == 200, "\(sameOrigin.text)")
    let ownOrigin = try await harness.request(
      "POST", "/tokens/heal", auth: Self.basic, headers: [("Origin", "http://127.0.0.1:\(harness.service.server.port)")]
    )
    #expect(ownOrigin.status == 200, "\(ownOrigin.text)")
    let script = try await harness.request("POST", "/tokens/heal")
    #expect(script.status == 200, "\(script.text)")
    // The scheme's case does not matter (RFC 9110).
    let lower = try await harness.request(
      "GET", "/tokens/status", auth: .none, headers: [("Authorization", "bearer \(Harness.token)")])
    #expect(lower.status == 200)
    #expect(!Self.nothingHealed(harness))
  }

  @Test func aForeignHostIsMisdirectedButHealthzAnswersAnyName() async throws {
    let harness = try await Harness.start(monitorOnly: true)
    defer { Task { await harness.stop() } }
    await harness.ready()
    let port = harness.service.server.port
    let rebound = try await harness.request("GET", "/tokens/status", host: "evil.example:\(port)")
    #expect(rebound.status == 421)
    #expect(try (rebound.json()["error"] as? [String: Any])?["code"] as? String == "misdirected_request")
    #expect(try await harness.request("GET", "/tokens/status", host: "localhost:\(port)").status == 200)
    #expect(try await harness.request("GET", "/tokens/status", host: "[::1]:\(port)").status == 200)
    #expect(try await harness.request("GET", "/healthz", auth: .none, host: "10.0.0.7").status == 200)
  }

  @Test func withoutAuthenticationAForeignHostIsMisdirectedAndAHealNeedsItsOwnPages() async throws {
    let harness = try await Harness.start(monitorOnly: true, authenticated: false)
    defer { Task { await harness.stop() } }
    await harness.ready()
    let port = harness.service.server.port
    #expect(
      try await harness.request("GET", "/tokens/status", auth: .none, host: "rebound.example:\(port)").status == 421)
    #expect(try await harness.request("GET", "/tokens/status", auth: .none).status == 200)
    #expect(try await harness.request("POST", "/tokens/heal", auth: .none).status == 403)
    #expect(Self.nothingHealed(harness))
    let typed = try await harness.request("POST", "/tokens/heal", auth: .none, headers: [("Sec-Fetch-Site", "none")])
    #expect(typed.status == 200)
  }

  @Test func namesFromThePublicURLAndAllowedHostsAreAnswered() async throws {
    let harness = try await Harness.start(
      monitorOnly: true, publicURL: URL(string: "https://tokenwarden.example.com"), allowedHosts: ["warden.internal"])
    defer { Task { await harness.stop() } }
    await harness.ready()
    #expect(try await harness.request("GET", "/tokens/status", host: "tokenwarden.example.com").status == 200)
    #expect(try await harness.request("GET", "/tokens/status", host: "WARDEN.internal:8443").status == 200)
    #expect(try await harness.request("GET", "/tokens/status", host: "other.example.com").status == 421)
    let proxied = try await harness.request(
      "POST", "/tokens/heal", auth: Self.basic, host: "tokenwarden.example.com",
      headers: [("Origin", "https://tokenwarden.example.com")])
    #expect(proxied.status == 200, "\(proxied.text)")
  }

  @Test func theDashboardCannotBeFramedAndNoAnswerIsSniffed() async throws {
    let harness = try await Harness.start(monitorOnly: true)
    defer { Task { await harness.stop() } }
    await harness.ready()
    let dashboard = try await harness.request("GET", "/")
    #expect(dashboard.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true)
    #expect(dashboard.headers["x-frame-options"] == "DENY")
    #expect(dashboard.headers["referrer-policy"] == "no-referrer")
    #expect(dashboard.headers["x-content-type-options"] == "nosniff")
    for path in ["/tokens/status", "/tokens/history", "/metrics", "/healthz", "/nowhere"] {
      let answer = try await harness.request("GET", path)
      #expect(answer.headers["x-content-type-options"] == "nosniff", "\(path)")
      #expect(answer.headers["x-frame-options"] == "DENY", "\(path)")
    }
  }
}

/// The dashboard and the metrics are made once and served from memory, with entity tags: a client that has them
/// gets 304 and no body.
@Suite struct CachedPageTests {
  @Test(arguments: ["/", "/metrics"])
  func aSecondRequestWithTheEntityTagGets304(_ path: String) async throws {
    let harness = try await Harness.start(monitorOnly: true)
    defer { Task { await harness.stop() } }
    await harness.ready()
    let first = try await harness.request("GET", path)
    #expect(first.status == 200)
    #expect(first.headers["cache-control"] == "no-cache")
    let etag = try #require(first.headers["etag"])
    let again = try await harness.request("GET", path, headers: [("If-None-Match", etag)])
    #expect(again.status == 304, "\(path)")
    #expect(again.body.isEmpty)
    #expect(again.headers["etag"] == etag)
    let other = try await harness.request("GET", path, headers: [("If-None-Match", "\"something-else\"")])
    #expect(other.status == 200)
  }
}
