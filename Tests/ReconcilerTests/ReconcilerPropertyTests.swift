import Basics
import CloudflareAPI
import Foundation
import LiveState
import Planning
import Reconciler
import Simulator
import Synchronization
import Testing
import TokenModel

/// Random live states (extra grants, shuffled order, deny policies, nested resources) × random desired states:
/// plan and apply never remove a grant, and a second plan is empty when nothing is blocked.
@Suite struct ReconcilerPropertyTests {
  static let groups = [
    "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Queues Write", "Workers Tail Read", "Pages Write",
    "Vectorize Write", "Hyperdrive Write",
  ]
  static let zoneGroups = ["DNS Write", "Cache Purge", "Analytics Read"]
  static let account = Scenario.mainAccount
  static let zone = HexID("023e105f4ecef8ad9ca31a8372d0c353")!

  static func id(_ name: String) -> HexID { PermissionCatalog.bundled.groups(named: name)[0].id }

  struct Case {
    let state: SimulatorState
    let desired: DesiredState
  }

  static func randomCase(seed: UInt64) -> Case {
    var rng = SplitMix64(seed: seed)
    func pick<T>(_ items: [T]) -> [T] { items.filter { _ in rng.unit() < 0.5 } }
    var state = Scenario.seed(invisible: false)
    var policies: [SimPolicy] = []
    for (index, subset) in [pick(groups), pick(groups)].enumerated() where !subset.isEmpty {
      policies.append(
        SimPolicy(
          id: String(format: "%032x", index + 10), effect: "allow",
          permissionGroups: subset.shuffled(using: &rng).map { id($0).rawValue },
          resources: .object(["com.cloudflare.api.account.\(account)": .string("*")])))
    }
    let zoneSubset = pick(zoneGroups)
    if !zoneSubset.isEmpty {
      policies.append(
        SimPolicy(
          id: String(format: "%032x", 20), effect: "allow", permissionGroups: zoneSubset.map { id($0).rawValue },
          resources: .object([
            "com.cloudflare.api.account.\(account)": .object(["com.cloudflare.api.account.zone.*": .string("*")])
          ])))
    }
    let denied = rng.unit() < 0.3 ? pick(groups).prefix(1) : []
    if let deny = denied.first {
      policies.append(
        SimPolicy(
          id: String(format: "%032x", 30), effect: "deny", permissionGroups: [id(deny).rawValue],
          resources: .object(["com.cloudflare.api.account.\(account)": .string("*")])))
    }
    state.tokens[0].policies = policies.shuffled(using: &rng)
    var grants = pick(groups).map {
      DesiredGrant(group: id($0), resource: .account(account), groupName: $0, resourceName: "account main")
    }
    grants += pick(zoneGroups).map {
      DesiredGrant(
        group: id($0), resource: .allZones(account: account), groupName: $0, resourceName: "all zones of account main")
    }
    let target = DesiredToken(
      name: "account_token", id: Scenario.accountTokenID, owner: .account(account), ownerName: "account main",
      secretVariable: "A", healer: .token("user_token"), warnBeforeSeconds: nil, grants: grants, location: "t")
    let healer = DesiredToken(
      name: "user_token", id: Scenario.userTokenID, owner: .user, ownerName: "user", secretVariable: "U",
      healer: .automatic, warnBeforeSeconds: nil,
      grants: [
        DesiredGrant(
          group: id("API Tokens Write"), resource: .user, groupName: "API Tokens Write", resourceName: "user")
      ],
      location: "t")
    return Case(state: state, desired: DesiredState(tokens: [target, healer]))
  }

  static func run(_ c: Case, faults: FaultSettings = FaultSettings()) async -> (
    before: Set<LiveGrant>, after: Set<LiveGrant>, first: Plan, second: Plan
  ) {
    var state = c.state
    state.faults = faults
    let simulator = Simulator(state: state)
    var configuration = ClientConfiguration()
    configuration.maxAttempts = 6
    let client = SimulatedAccount.client(simulator, configuration: configuration)
    let credentials = SimulatedAccount.credentials(state.tokens)
    func read() -> Set<LiveGrant> {
      let token = simulator.snapshot.tokens.first { $0.id == Scenario.accountTokenID }!
      var grants = Set<LiveGrant>()
      let api = APIToken(
        id: token.id.rawValue, name: token.name, status: .active,
        policies: token.policies.map {
          APIPolicy(
            effect: $0.effect, permissionGroups: $0.permissionGroups.map { APIPermissionGroupRef(id: $0) },
            resources: $0.resources)
        })
      grants = LiveGrant.grants(of: api)
      return grants
    }
    let before = read()
    let observer = Observer(client: client, credentials: credentials, missingSecrets: [:])
    func plan() async -> Plan {
      Planner.plan(
        desired: c.desired, observation: await observer.observe(c.desired), catalog: .bundled, toolVersion: "t",
        policyDigest: "d", source: "s")
    }
    var first = await plan()
    // Apply until it converges (faults may need several runs), bounded.
    for _ in 0..<10 {
      let current = await plan()
      if !current.hasChanges { break }
      _ = await Applier(client: client, credentials: credentials).apply(current, desired: c.desired)
    }
    if first.tokens.isEmpty { first = await plan() }
    return (before, read(), first, await plan())
  }

  @Test func neverRemovesAndConverges() async throws {
    for seed in 0..<UInt64(120) {
      let c = Self.randomCase(seed: seed)
      let (before, after, first, second) = await Self.run(c)
      #expect(before.isSubset(of: after), "seed \(seed): grants lost")
      #expect(!second.hasChanges, "seed \(seed): a second plan still adds")
      // Deny policies block, never get removed.
      let denies = before.filter { $0.effect == .deny }
      #expect(denies.isSubset(of: after))
      #expect(first.blockedCount == second.blockedCount)
    }
  }

  /// 10% 5xx, 5% 429, 2% resets, 5% PUTs applied but answered 500: still converges, nothing lost.
  @Test func convergesUnderFaults() async throws {
    for seed in 0..<UInt64(200) {
      var faults = FaultSettings()
      faults.seed = seed
      faults.errorRate = 0.10
      faults.rateLimitedRate = 0.05
      faults.resetRate = 0.02
      faults.appliedButFailedRate = 0.05
      let c = Self.randomCase(seed: seed + 1000)
      let (before, after, _, second) = await Self.run(c, faults: faults)
      #expect(before.isSubset(of: after), "seed \(seed): grants lost")
      #expect(!second.hasChanges, "seed \(seed): did not converge")
    }
  }

  @Test func placementJoinsAPolicyWithTheSameResourcesOrAddsOne() async throws {
    var c = Self.randomCase(seed: 3)
    var state = c.state
    state.tokens[0].policies = [
      SimPolicy(
        id: String(repeating: "1", count: 32), effect: "allow", permissionGroups: [Self.id("Queues Write").rawValue],
        resources: .object(["com.cloudflare.api.account.\(Self.account)": .string("*")]))
    ]
    c = Case(state: state, desired: c.desired)
    let (_, after, _, _) = await Self.run(c)
    let accountGrants = after.filter { $0.resource == "account:\(Self.account)" }
    #expect(
      accountGrants.contains(
        LiveGrant(effect: .allow, group: Self.id("Queues Write").rawValue, resource: "account:\(Self.account)")))
  }
}

/// A client of an in-process simulator that waits for nothing, and the credentials of a scenario's tokens.
enum SimulatedAccount {
  static let base = URL(string: "https://api.test/client/v4")!

  static func client(_ simulator: Simulator, configuration: ClientConfiguration = ClientConfiguration())
    -> CloudflareClient
  {
    CloudflareClient(
      baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base), configuration: configuration,
      rateLimiter: RateLimiter(limit: 100_000, time: NoWait()), time: NoWait())
  }

  static func credentials(_ tokens: [SimToken]) -> [String: Credential] {
    var credentials: [String: Credential] = [:]
    for token in tokens {
      credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
    }
    return credentials
  }
}

/// Time that passes only when someone sleeps: backoff and rate-limit waits without waiting.
final class NoWait: TimeSource {
  let offset = Mutex(0.0)
  func now() -> Double { offset.withLock { $0 } }
  func sleep(seconds: Double) async throws { offset.withLock { $0 += max(0, seconds) } }
}

/// A transport that "dies" after a number of requests: the last one reaches Cloudflare but its answer is lost, and
/// nothing after it is sent — what a process killed mid-apply looks like from Cloudflare's side.
final class DyingTransport: HTTPTransport {
  let inner: SimulatorTransport
  let budget: Mutex<Int>

  init(_ inner: SimulatorTransport, budget: Int) {
    self.inner = inner
    self.budget = Mutex(budget)
  }

  func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let left = budget.withLock { value -> Int in
      value -= 1
      return value
    }
    if left < -1 { throw TransportFailure.connection("process killed") }
    let response = try await inner.send(request)
    if left == -1 { throw TransportFailure.connection("process killed") }
    return response
  }
}

@Suite struct KilledApplyTests {
  @Test func aRunKilledAtAnyPointThenRerunConverges() async throws {
    for killAfter in stride(from: 0, to: 40, by: 1) {
      let c = ReconcilerPropertyTests.randomCase(seed: UInt64(killAfter) + 500)
      let simulator = Simulator(state: c.state)
      let base = URL(string: "https://api.test/client/v4")!
      var configuration = ClientConfiguration()
      configuration.maxAttempts = 1
      var credentials: [String: Credential] = [:]
      for token in c.state.tokens {
        credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
      }
      func client(_ transport: any HTTPTransport) -> CloudflareClient {
        CloudflareClient(
          baseURL: base, transport: transport, configuration: configuration,
          rateLimiter: RateLimiter(limit: 100_000, time: NoWait()), time: NoWait())
      }
      func grants() -> Set<LiveGrant> {
        let token = simulator.snapshot.tokens.first { $0.id == Scenario.accountTokenID }!
        return LiveGrant.grants(
          of: APIToken(
            id: token.id.rawValue, name: token.name, status: .active,
            policies: token.policies.map {
              APIPolicy(
                effect: $0.effect, permissionGroups: $0.permissionGroups.map { APIPermissionGroupRef(id: $0) },
                resources: $0.resources)
            }))
      }
      let before = grants()
      func run(_ client: CloudflareClient) async -> Plan {
        let observation = await Observer(client: client, credentials: credentials, missingSecrets: [:]).observe(
          c.desired)
        let plan = Planner.plan(
          desired: c.desired, observation: observation, catalog: .bundled, toolVersion: "t", policyDigest: "d",
          source: "s")
        _ = await Applier(client: client, credentials: credentials).apply(plan, desired: c.desired)
        return plan
      }
      let dying = DyingTransport(SimulatorTransport(simulator: simulator, baseURL: base), budget: killAfter)
      _ = await run(client(dying))
      #expect(before.isSubset(of: grants()), "killed after \(killAfter): grants lost")
      let healthy = client(SimulatorTransport(simulator: simulator, baseURL: base))
      _ = await run(healthy)
      let observation = await Observer(client: healthy, credentials: credentials, missingSecrets: [:]).observe(
        c.desired)
      let final = Planner.plan(
        desired: c.desired, observation: observation, catalog: .bundled, toolVersion: "t", policyDigest: "d",
        source: "s")
      #expect(!final.hasChanges, "killed after \(killAfter): did not converge")
      #expect(before.isSubset(of: grants()))
    }
  }
}
