import CloudflareAPI
import Foundation
import Health
import History
import Operations
import Rotation
import Service
import Simulator
import Testing
import TokenModel

/// A scheduled run rolls what the policy says is due (strategy roll, sinks named, a value the service does not need
/// to edit tokens), keeps the new value in memory for its own checks, and only reports a replace as due.
@Suite struct ScheduledRotationTests {
  static let now = ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z")!

  /// The seed in a simulator, its credentials, the service's desired state with the user token healed by no one
  /// (so the account token's value is one the service does not need to edit tokens), and a temporary directory.
  struct Fixture {
    let directory: URL
    let simulator: Simulator
    let client: CloudflareClient
    let credentials: [String: Credential]
    var desired: DesiredState

    init(_ state: SimulatorState = Scenario.seed(invisible: false)) throws {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-scheduled-\(UUID())")
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      simulator = Simulator(state: state, now: { ScheduledRotationTests.now })
      let base = URL(string: "https://api.test/client/v4")!
      client = CloudflareClient(
        baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base),
        rateLimiter: RateLimiter(limit: 100_000))
      var credentials: [String: Credential] = [:]
      for token in simulator.snapshot.tokens {
        credentials[token.name] = Credential(label: token.name, tokenID: token.id, secret: Secret(token.secret))
      }
      self.credentials = credentials
      desired = Harness.desired()
      let user = desired.tokens[1]
      desired.tokens[1] = DesiredToken(
        name: user.name, id: user.id, owner: user.owner, ownerName: user.ownerName,
        secretVariable: user.secretVariable, healer: .automatic, warnBeforeSeconds: user.warnBeforeSeconds,
        grants: user.grants, location: user.location)
    }

    func run(nextCheck: (@Sendable (Date) -> Date?)? = nil) throws -> (HealthRunner, ScheduledRotations) {
      let recorder = HistoryRecorder(stateDirectory: directory.path, environment: [:]) { _ in }
      var check = HealthCheck(
        client: client, desired: desired, catalog: .bundled, credentials: credentials, missingSecrets: [:],
        toolVersion: "test", policyDigest: "sha256:test", source: "test")
      check.nextCheck = nextCheck
      let runner = HealthRunner(
        check: check, recorder: recorder, stateDirectory: directory.path, now: { ScheduledRotationTests.now })
      let rotations = ScheduledRotations(
        runner: runner,
        sinks: SinkWriter(client: client, workingDirectory: directory.path, accounts: ["main": Scenario.mainAccount]),
        journal: try #require(recorder.store), now: { ScheduledRotationTests.now })
      return (runner, rotations)
    }
  }

  @Test func aDueRollIsDoneAndTheServiceKeepsCheckingWithTheNewValue() async throws {
    var fixture = try Fixture()
    defer { try? FileManager.default.removeItem(at: fixture.directory) }
    let directory = fixture.directory
    let simulator = fixture.simulator
    fixture.desired.tokens[0].rotation = RotationPolicy(
      every: 30 * 86_400, strategy: .roll, sinks: [.file(path: "account.secret")])
    // The user token is what edits: due as well, but the service needs it, so it is only reported.
    fixture.desired.tokens[1].rotation = RotationPolicy(
      every: 30 * 86_400, strategy: .roll, sinks: [.file(path: "user.secret")])
    let (runner, rotations) = try fixture.run()
    let (log, events) = await rotations.run(after: await runner.run())
    #expect(log.contains { $0.hasPrefix("account_token: rolled on schedule (every 30d)") }, "\(log)")
    #expect(log.contains { $0.contains("user_token is") && $0.contains("the service uses its value") }, "\(log)")
    #expect(events.count == 1)
    let rolled = try String(contentsOf: directory.appendingPathComponent("account.secret"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let live = try #require(simulator.snapshot.tokens.first { $0.name == "account_token" })
    #expect(live.secret == rolled)
    #expect(live.id == Scenario.accountTokenID)
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("user.secret").path))
    // The service checks with the value it rolled, held in memory only.
    let after = await runner.run()
    #expect(after.report.token(named: "account_token")?.isValid == true)
    // Not due again until `every` has passed since the roll.
    let (again, _) = await rotations.run(after: after)
    #expect(!again.contains { $0.hasPrefix("account_token: rolled") }, "\(again)")
  }

  /// Before the warning window: a roll with a lifetime moves the expiry away, though `every` has not passed.
  @Test func aTokenAboutToEnterItsWarningWindowIsRolledWithANewExpiry() async throws {
    var state = Scenario.seed(invisible: false)
    state.tokens[0].expiresOn = CloudflareDate.format(Self.now.addingTimeInterval(20 * 86_400))
    var fixture = try Fixture(state)
    defer { try? FileManager.default.removeItem(at: fixture.directory) }
    let simulator = fixture.simulator
    fixture.desired.tokens[0].rotation = RotationPolicy(
      every: 365 * 86_400, strategy: .roll, sinks: [.file(path: "account.secret")], lifetime: 90 * 86_400)
    // The warning window is 14 days; the next scheduled check comes in 7: by then it would be inside.
    let (runner, rotations) = try fixture.run(nextCheck: { $0.addingTimeInterval(7 * 86_400) })
    let (log, _) = await rotations.run(after: await runner.run())
    #expect(log.contains { $0.hasPrefix("account_token: rolled on schedule") }, "\(log)")
    let live = try #require(simulator.snapshot.tokens.first { $0.name == "account_token" })
    #expect(live.expiresOn == CloudflareDate.format(Self.now.addingTimeInterval(90 * 86_400)))
  }
}
