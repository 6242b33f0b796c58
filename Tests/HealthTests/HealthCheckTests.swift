import Basics
import CloudflareAPI
import Foundation
import Health
import Simulator
import Testing
import TokenModel

/// Health checks against the simulator: every token state Cloudflare can report, expiry windows, transition times,
/// and invariants over random states.
@Suite struct HealthCheckTests {
  static let now = Date()
  static func id(_ name: String) -> HexID { PermissionCatalog.bundled.groups(named: name)[0].id }

  static let accountGroups = [
    "Workers KV Storage Write", "Workers R2 Storage Write", "Workers AI Write", "AI Gateway Write", "Queues Write",
    "Vectorize Write", "Hyperdrive Write", "Workers Tail Read", "Pages Write", "Images Write",
    "Cloudflare Tunnel Write",
    "Account Analytics Read", "Workers Scripts Write", "D1 Write",
  ]

  /// The seed's two tokens as the policy requires them.
  static func desired(warnBeforeDays: Int? = nil) -> DesiredState {
    let account = Scenario.mainAccount
    return DesiredState(tokens: [
      DesiredToken(
        name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
        secretVariable: "CLOUDFLARE_ACCOUNT_TOKEN", healer: .token("user_token"),
        warnBeforeSeconds: warnBeforeDays.map { $0 * 86_400 },
        grants: accountGroups.map {
          DesiredGrant(group: id($0), resource: .account(account), groupName: $0, resourceName: "account main")
        }, location: "t"),
      DesiredToken(
        name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user",
        secretVariable: "CLOUDFLARE_USER_TOKEN", healer: .token("account_token"), warnBeforeSeconds: nil,
        grants: [
          DesiredGrant(
            group: id("API Tokens Write"), resource: .user, groupName: "API Tokens Write", resourceName: "user")
        ],
        location: "t"),
    ])
  }

  /// The seed state with both tokens issued yesterday (no rotation advice) and the account token complete.
  static func state() -> SimulatorState {
    var state = Scenario.seed(invisible: false)
    let yesterday = CloudflareDate.format(now.addingTimeInterval(-86_400))
    for index in state.tokens.indices { state.tokens[index].issuedOn = yesterday }
    state.tokens[0].policies[0].permissionGroups = accountGroups.map { id($0).rawValue }
    return state
  }

  static func check(
    _ state: SimulatorState, desired: DesiredState = desired(), secrets: [String: String] = [:],
    previous: [String: PreviousCheck] = [:], at time: Date = now
  ) async -> HealthCheck.Outcome {
    let simulator = Simulator(state: state, now: { time })
    let base = URL(string: "https://api.test/client/v4")!
    let client = CloudflareClient(
      baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base),
      rateLimiter: RateLimiter(limit: 100_000))
    var credentials: [String: Credential] = [:]
    var missing: [String: String] = [:]
    for token in desired.tokens {
      let secret = secrets[token.name] ?? state.tokens.first { $0.id == token.id }?.secret
      if let secret, !secret.isEmpty {
        credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(secret))
      } else {
        missing[token.name] = "\(token.secretVariable) is not set"
      }
    }
    let check = HealthCheck(
      client: client, desired: desired, catalog: .bundled, credentials: credentials, missingSecrets: missing,
      toolVersion: "t", policyDigest: "d", source: "test")
    return await check.run(previous: previous, now: { time })
  }

  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let change: @Sendable (inout SimulatorState) -> Void
    var secret: String? = nil
    let health: HealthState
    let condition: (ConditionType, Condition.Status, ConditionReason)
    let advice: String?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "complete", change: { _ in }, health: .healthy, condition: (.permissionsSatisfied, .true, "AllPresent"),
      advice: nil),
    Case(
      name: "disabled", change: { $0.tokens[0].status = "disabled" }, health: .unhealthy,
      condition: (.active, .false, "Disabled"), advice: "account_token is disabled: re-enable it in the dashboard"),
    Case(
      name: "revoked (exposed)", change: { $0.tokens[0].status = "revoked (exposed)" }, health: .unhealthy,
      condition: (.active, .false, "RevokedExposed"),
      advice: "account_token was revoked by Cloudflare (revoked (exposed)): create a new token"),
    Case(
      name: "expired", change: { $0.tokens[0].expiresOn = CloudflareDate.format(now.addingTimeInterval(-3_600)) },
      health: .unhealthy, condition: (.active, .false, "Expired"), advice: "account_token expired on"),
    Case(
      name: "expiring in 3 days",
      change: { $0.tokens[0].expiresOn = CloudflareDate.format(now.addingTimeInterval(3.5 * 86_400)) },
      health: .degraded, condition: (.expiringSoon, .true, "WithinWarningWindow"),
      advice: "account_token expires in 3 days: rotate it"),
    Case(
      name: "expiring in 30 days",
      change: { $0.tokens[0].expiresOn = CloudflareDate.format(now.addingTimeInterval(30.5 * 86_400)) },
      health: .healthy, condition: (.expiringSoon, .false, "OutsideWarningWindow"), advice: nil),
    Case(
      name: "not valid yet", change: { $0.tokens[0].notBefore = CloudflareDate.format(now.addingTimeInterval(86_400)) },
      health: .unhealthy, condition: (.active, .false, "NotYetValid"), advice: "account_token is not valid before"),
    Case(
      name: "rolled elsewhere", change: { _ in }, secret: "cfat_aValueThatWasRolledAway000000000000000",
      health: .unhealthy,
      condition: (.valid, .false, "InvalidToken"), advice: "account_token is not valid: Cloudflare rejects it"),
    Case(
      name: "secret unset", change: { _ in }, secret: "", health: .unhealthy, condition: (.valid, .unknown, "NoSecret"),
      advice: "account_token cannot be checked: CLOUDFLARE_ACCOUNT_TOKEN is not set"),
    Case(
      name: "two permissions missing", change: { $0.tokens[0].policies[0].permissionGroups.removeLast(2) },
      health: .degraded,
      condition: (.permissionsSatisfied, .false, "MissingHealable"),
      advice:
        "account_token is missing 2 permissions (Workers Scripts Write, D1 Write): run 'tokenwarden heal' to add them via user_token"
    ),
    Case(
      name: "deny policy",
      change: { state in
        state.tokens[0].policies[0].permissionGroups.removeLast()
        state.tokens[0].policies.append(
          SimPolicy(
            id: String(repeating: "d", count: 32), effect: "deny", permissionGroups: [id("D1 Write").rawValue],
            resources: .object(["com.cloudflare.api.account.\(Scenario.mainAccount)": .string("*")])))
      }, health: .unhealthy, condition: (.permissionsSatisfied, .false, "DeniedByPolicy"),
      advice: "denied by a deny policy on the token (deny 'D1 Write' on account main)"),
  ]

  @Test(arguments: cases) func eachTokenStateGivesItsHealthConditionAndAdvice(_ testCase: Case) async throws {
    var state = Self.state()
    testCase.change(&state)
    let secrets = testCase.secret.map { ["account_token": $0] } ?? [:]
    let report = await Self.check(state, secrets: secrets).report
    let token = try #require(report.token(named: "account_token"))
    #expect(token.health == testCase.health)
    let condition = try #require(token.condition(testCase.condition.0))
    #expect(condition.status == testCase.condition.1)
    #expect(condition.reason == testCase.condition.2)
    if let advice = testCase.advice {
      #expect(token.recommendations.contains { $0.message.contains(advice) }, "\(token.recommendations.map(\.message))")
    } else {
      #expect(token.recommendations.isEmpty, "\(token.recommendations.map(\.message))")
    }
    #expect(report.overallStatus == max(testCase.health, report.token(named: "user_token")?.health ?? .healthy))
    if testCase.health == .unhealthy && (token.isValid != true || token.isActive != true) { #expect(token.score == 0) }
  }

  @Test func thePolicysWarningWindowDecidesWhenExpiryDegrades() async throws {
    var state = Self.state()
    state.tokens[0].expiresOn = CloudflareDate.format(Self.now.addingTimeInterval(10.5 * 86_400))
    let defaultWindow = await Self.check(state).report.token(named: "account_token")
    #expect(defaultWindow?.health == .healthy)
    let wider = await Self.check(state, desired: Self.desired(warnBeforeDays: 14)).report.token(named: "account_token")
    #expect(wider?.health == .degraded)
    #expect(wider?.daysUntilExpiry == 10)
  }

  /// Predictive expiry: the advice says when the next scheduled check comes, whether it comes after the expiry, and
  /// the command that rotates a token with a `rotation:` block.
  @Test func expiryAdviceLooksAheadToTheNextCheckAndTheRotation() async throws {
    var state = Self.state()
    state.tokens[0].expiresOn = CloudflareDate.format(Self.now.addingTimeInterval(6.5 * 86_400))
    var desired = Self.desired(warnBeforeDays: 14)
    desired.tokens[0].rotation = RotationPolicy(every: 90 * 86_400, strategy: .replace)
    let simulator = Simulator(state: state, now: { Self.now })
    let base = URL(string: "https://api.test/client/v4")!
    let client = CloudflareClient(
      baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base),
      rateLimiter: RateLimiter(limit: 100_000))
    var credentials: [String: Credential] = [:]
    for token in desired.tokens {
      let secret = state.tokens.first { $0.id == token.id }!.secret
      credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(secret))
    }
    var check = HealthCheck(
      client: client, desired: desired, catalog: .bundled, credentials: credentials, missingSecrets: [:],
      toolVersion: "t", policyDigest: "d", source: "test")
    check.rotateAdviceArguments = " --sandbox"
    for (hours, after) in [(5.0, false), (24.0 * 8, true)] {
      check.nextCheck = { now in now.addingTimeInterval(hours * 3600) }
      let report = await check.run(previous: [:], now: { Self.now }).report
      let advice = report.recommendations.map(\.message).first { $0.hasPrefix("account_token expires") }
      let expected =
        "account_token expires in 6 days; next scheduled check in \(hours < 48 ? "5 h" : "8 days")"
        + (after ? ", after it expires" : "") + "; rotation due: run 'tokenwarden rotate --sandbox account_token'"
      #expect(advice == expected)
    }
  }

  @Test func conditionsKeepTheirTransitionTimeWhileTheirStatusHolds() async throws {
    let earlier = Self.now.addingTimeInterval(-7_200)
    let first = await Self.check(Self.state(), at: earlier).report.token(named: "account_token")
    let conditions = try #require(first?.conditions)
    let previous = [
      "account_token": PreviousCheck(time: earlier, grantsHash: first?.grantsHash, conditions: conditions)
    ]
    var state = Self.state()
    state.tokens[0].status = "disabled"
    let second = try #require(await Self.check(state, previous: previous).report.token(named: "account_token"))
    let stamp = CloudflareDate.format(earlier)
    #expect(second.condition(.valid)?.lastTransitionTime == stamp)
    #expect(second.condition(.active)?.lastTransitionTime == CloudflareDate.format(Self.now))
    #expect(second.condition(.drifted)?.status == .false)
    // A grant added in the dashboard since: drift.
    var edited = Self.state()
    edited.tokens[0].policies[0].permissionGroups.append(Self.id("Workers Scripts Read").rawValue)
    let third = try #require(await Self.check(edited, previous: previous).report.token(named: "account_token"))
    #expect(third.condition(.drifted)?.status == .true)
    #expect(third.condition(.drifted)?.lastTransitionTime == CloudflareDate.format(Self.now))
    #expect(third.extraPermissions == ["Workers Scripts Read on account main"])
  }

  /// Random token states: the score stays in 0…100, healthy means everything is in order, the overall state is the
  /// worst, and "all healthy" is said exactly when it is true.
  @Test func invariantsHoldForRandomStates() async throws {
    for seed in 0..<UInt64(60) {
      var rng = SplitMix64(seed: seed)
      var state = Self.state()
      for index in state.tokens.indices {
        if rng.unit() < 0.2 {
          state.tokens[index].status = ["disabled", "expired", "revoked (exposed)"][Int(rng.next() % 3)]
        }
        if rng.unit() < 0.3 {
          state.tokens[index].expiresOn = CloudflareDate.format(
            Self.now.addingTimeInterval((rng.unit() * 20 - 2) * 86_400))
        }
        if rng.unit() < 0.4 {
          let groups = state.tokens[index].policies[0].permissionGroups
          state.tokens[index].policies[0].permissionGroups.removeLast(min(groups.count, Int(rng.next() % 3)))
        }
      }
      let report = await Self.check(state).report
      for token in report.tokens {
        #expect((0...100).contains(token.score), "seed \(seed)")
        if token.health == .healthy {
          #expect(token.isValid == true && token.isActive == true && token.hasAllPermissions, "seed \(seed)")
        }
        if !token.hasAllPermissions || token.isActive != true { #expect(token.health != .healthy, "seed \(seed)") }
      }
      #expect(report.overallStatus == report.tokens.map(\.health).max(), "seed \(seed)")
      let allHealthy = report.recommendations.first?.message == "All tokens are healthy and have required permissions."
      #expect(allHealthy == (report.overallStatus == .healthy), "seed \(seed)")
    }
  }
}
