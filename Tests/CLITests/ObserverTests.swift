import Foundation
import Testing

/// A read-only observer lists the tokens for plan, health and status: a pull-request job needs only its secret.
@Suite struct ObserverTests {
  static let policy = [
    Harness.repositoryRoot.appendingPathComponent("policies").path,
    Harness.repositoryRoot.appendingPathComponent("examples/observer.yaml").path,
  ]

  /// The seed-observer scenario with only the observer's secret in the environment, as in a pull-request job.
  static func onlyTheObserversSecret(_ state: URL, environment: [String: String]) async throws -> String {
    try await Harness.scenario("seed-observer", state: state, environment: environment, saveAs: "pr-job.json") {
      $0.map { token in
        var token = token
        if token["name"] as? String != "plan_reader" { token.removeValue(forKey: "env") }
        return token
      }
    }
  }

  @Test func aPlanWithOnlyTheObserversSecretListsWithItAlone() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let scenario = try await Self.onlyTheObserversSecret(state, environment: environment)
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", scenario, "--debug"] + Self.policy, environment: environment)
    #expect(plan.status == 0, "\(plan.stderr)")
    // The editor is chosen from what the observer read of it: the user token holds Account API Tokens Write.
    #expect(plan.stdout.contains("token \"account_token\" (4d84…5f66) will be updated in-place, via user_token"))
    #expect(plan.stdout.contains("+ \"Workers Scripts Write\" on account main"))
    let requests = plan.stderr.split(separator: "\n").filter {
      $0.hasPrefix("debug: GET") || $0.hasPrefix("debug: PUT")
    }
    #expect(!requests.isEmpty)
    for request in requests {
      #expect(request.contains(" as plan_reader "), "\(request)")
    }
  }

  @Test func thePlanOfTheScenario() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let plan = await Harness.run(
      ["plan", "--sandbox", "--scenario", "seed-observer", "policies/", "examples/observer.yaml"],
      environment: environment)
    #expect(plan.status == 0, "\(plan.stderr)")
    Snapshot.check(ReconcileCommandTests.stable(plan.stdout), "plan-seed-observer.txt")
  }

  @Test func healthWithOnlyTheObserversSecret() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let scenario = try await Self.onlyTheObserversSecret(state, environment: environment)
    let health = await Harness.run(
      ["health", "--sandbox", "--scenario", scenario, "--json"] + Self.policy, environment: environment)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(health.stdout.utf8)) as? [String: Any], "\(health.stderr)")
    let data = try #require(document["data"] as? [String: Any])
    let tokens = try #require(data["tokens"] as? [String: Any])
    #expect(tokens.keys.sorted() == ["account_token", "plan_reader", "user_token"])
  }

  /// With every secret (the apply job), apply still writes through the healer, and then there is nothing to add.
  @Test func applyWritesThroughTheHealer() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let apply = await Harness.run(
      ["apply", "--sandbox", "--scenario", "seed-observer", "--auto-approve"] + Self.policy, environment: environment)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let plan = await Harness.run(["plan", "--sandbox"] + Self.policy, environment: environment)
    #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
  }

  @Test func anObserverThatCanWriteIsAWarning() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = try String(contentsOfFile: Self.policy[1], encoding: .utf8).replacingOccurrences(
      of: "  user: plan_reader\n", with: "  user: user_token\n")
    try Data(text.utf8).write(to: directory.appendingPathComponent("observer.yaml"))
    let result = await Harness.run(["validate", Self.policy[0], "observer.yaml"], directory: directory.path)
    #expect(result.status == 0)
    #expect(result.stdout.contains("warning: observer 'user_token' is granted 'API Tokens Write'"), "\(result.stdout)")
  }
}

/// Health recommends restricting every token that can edit tokens, and every observer, without an IP condition or an
/// expiry; a token with both gets no such advice.
@Suite struct HardeningTests {
  @Test func editorsAndObserversWithoutConditionOrExpiryAreToldToRestrict() async throws {
    let (state, environment) = try ReconcileCommandTests.stateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    // The user token restricted as Cloudflare advises: an IP condition and an expiry.
    let scenario = try await Harness.scenario(
      "seed-observer", state: state, environment: environment, saveAs: "restricted.json"
    ) {
      $0.map { token in
        var token = token
        if token["name"] as? String == "user_token" {
          token["condition"] = ["request.ip": ["in": ["127.0.0.0/8", "::1/128"]]]
          token["expires_on"] = "2027-06-01T00:00:00Z"
        }
        return token
      }
    }
    let health = await Harness.run(
      ["health", "--sandbox", "--scenario", scenario, "--no-color"] + ObserverTests.policy,
      environment: environment)
    #expect(
      health.stdout.contains(
        "plan_reader lists every token as the observer and has no IP condition and no expiry: restrict it"),
      "\(health.stdout)")
    #expect(!health.stdout.contains("user_token can edit other tokens and has"), "\(health.stdout)")
  }
}
