import CloudflareAPI
import Foundation
import History
import Rotation
import Simulator
import Synchronization
import Testing
import TokenModel

/// Rotation against the simulator, stopped after every step as a kill would stop it, then run again: with
/// `replace` the consumer's file always holds a secret Cloudflare accepts; with `roll` the journal says what to do,
/// and the next run does it.
@Suite struct RotatorTests {
  static let now = ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z")!

  /// A kill: the run stops where it is, doing nothing more.
  struct Killed: Error {}

  final class Fixture: Sendable {
    let simulator: Simulator
    let client: CloudflareClient
    let directory: URL
    let journal: HistoryStore
    let secretFile: String

    init() throws {
      simulator = Simulator(state: Scenario.seed(invisible: false), now: { RotatorTests.now })
      let base = URL(string: "https://api.cloudflare.test/client/v4")!
      client = CloudflareClient(
        baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base),
        rateLimiter: RateLimiter(limit: 100_000))
      directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-rotate-\(UUID())")
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      journal = try HistoryStore(path: directory.appendingPathComponent("history.db").path, retentionDays: nil)
      secretFile = directory.appendingPathComponent("secret").path
      // The consumer reads the account token's secret from this file.
      try Data((token("account_token").secret + "\n").utf8).write(to: URL(fileURLWithPath: secretFile))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func token(_ name: String) -> SimToken { simulator.snapshot.tokens.first { $0.name == name }! }

    func credential(_ name: String) -> Credential {
      let token = token(name)
      return Credential(label: name, tokenID: token.id, secret: Secret(token.secret))
    }

    /// The token whose secret the file holds, if Cloudflare would accept it now.
    func consumersToken() -> SimToken? {
      guard let bytes = FileManager.default.contents(atPath: secretFile) else { return nil }
      let value = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      return simulator.snapshot.tokens.first { token in
        token.secret == value && token.status == "active"
          && (token.expiresOn.flatMap(CloudflareDate.parse).map { $0 > RotatorTests.now } ?? true)
      }
    }

    func rotator(killAt: Rotator.Step? = nil, check: @escaping @Sendable (Rotator.Step) -> Void = { _ in })
      -> Rotator
    {
      Rotator(
        client: client,
        sinks: SinkWriter(client: client, workingDirectory: directory.path, accounts: ["main": Scenario.mainAccount]),
        journal: journal, now: { RotatorTests.now },
        afterStep: { step in
          check(step)
          if step == killAt { throw Killed() }
        })
    }

    func request(_ strategy: RotationStrategy, sinks: [SecretSink]? = nil) -> Rotator.Request {
      let account = token("account_token")
      let desired = DesiredToken(
        name: "account_token", id: account.id, owner: .account(Scenario.mainAccount), ownerName: "account main",
        secretVariable: "CLOUDFLARE_ACCOUNT_TOKEN", healer: .token("user_token"), warnBeforeSeconds: nil, grants: [],
        location: "policies/worker.yaml:12:3")
      return Rotator.Request(
        token: desired, strategy: strategy, sinks: sinks ?? [.file(path: "secret")], grace: 86_400, lifetime: nil,
        editor: credential("user_token"), sinkCredential: nil)
    }
  }

  @Test func replaceCreatesAVerifiedTokenAndExpiresTheOldAfterTheGrace() async throws {
    let fixture = try Fixture()
    let oldID = fixture.token("account_token").id.rawValue
    let outcome = await fixture.rotator().rotate(fixture.request(.replace))
    guard case .rotated(let old, let new, let expires, _) = outcome else {
      Issue.record("not rotated: \(outcome)")
      return
    }
    #expect(old == oldID)
    #expect(new != oldID)
    #expect(expires == "2026-11-23T12:00:00Z")
    #expect(fixture.consumersToken()?.id.rawValue == new)
    let created = try #require(fixture.simulator.snapshot.tokens.first { $0.id.rawValue == new })
    #expect(created.name == "account_token (rotated 2026-11-22)")
    #expect(
      Set(created.policies.map(\.permissionGroups))
        == Set(fixture.token("account_token").policies.map(\.permissionGroups)))
    // The old token still exists (never deleted), and expires in 24 hours.
    #expect(fixture.token("account_token").expiresOn == "2026-11-23T12:00:00Z")
    let journal = try fixture.journal.rotations(token: "account_token")
    #expect(journal.first?.state == .done)
    #expect(journal.first?.newID == new)
  }

  /// Every step, stopped: the file always holds an accepted secret, and the next run completes with exactly one
  /// new active token (what a stopped run created is expired once no sink holds it).
  @Test(arguments: Rotator.Step.allCases.filter { $0 != .orphansExpired })
  func replaceStoppedAfterAnyStepLeavesAValidSecretAndCompletes(_ step: Rotator.Step) async throws {
    let fixture = try Fixture()
    let oldID = fixture.token("account_token").id.rawValue
    let gaps = Mutex<[String]>([])
    let check: @Sendable (Rotator.Step) -> Void = { step in
      if fixture.consumersToken() == nil { gaps.withLock { $0.append(step.rawValue) } }
    }
    let first = await fixture.rotator(killAt: step, check: check).rotate(fixture.request(.replace))
    if step != .done, case .rotated = first { Issue.record("a stopped run reported success at \(step)") }
    #expect(fixture.consumersToken() != nil, "after a stop at \(step), the consumer holds no valid secret")
    let second = await fixture.rotator(check: check).rotate(fixture.request(.replace))
    if step == .done {
      // Completed already: a second rotation rotates again.
      guard case .rotated = second else { return #expect(Bool(false), "\(second)") }
    } else {
      guard case .rotated(_, let new, _, _) = second else {
        Issue.record("the run after a stop at \(step) did not complete: \(second)")
        return
      }
      #expect(fixture.consumersToken()?.id.rawValue == new)
      let active = fixture.simulator.snapshot.tokens.filter { token in
        token.name.hasPrefix("account_token (rotated")
          && (token.expiresOn.flatMap(CloudflareDate.parse).map { $0 > RotatorTests.now } ?? true)
      }
      #expect(active.map(\.id.rawValue) == [new], "stopped at \(step): \(active.map(\.name))")
      #expect(fixture.token("account_token").id.rawValue == oldID)
    }
    #expect(gaps.withLock { $0 }.isEmpty, "no valid secret in the file at \(gaps.withLock { $0 })")
    #expect(try fixture.journal.rotations(token: "account_token").allSatisfy { !$0.isOpen })
  }

  /// `roll` keeps the id; a run stopped after rolling has lost the secret, and the journal says so: the next run
  /// rolls again and writes it.
  @Test(arguments: [Rotator.Step.intent, .created, .written, .done])
  func rollStoppedAfterAnyStepIsFinishedByTheNextRun(_ step: Rotator.Step) async throws {
    let fixture = try Fixture()
    let id = fixture.token("account_token").id.rawValue
    _ = await fixture.rotator(killAt: step).rotate(fixture.request(.roll))
    let open = try fixture.journal.rotations(token: "account_token").first
    if step == .created {
      #expect(open?.state == .created)
      #expect(open?.message == "rolled; the old secret no longer works")
      #expect(fixture.consumersToken() == nil, "the rolled secret was not written: the consumer is broken")
    }
    let outcome = await fixture.rotator().rotate(fixture.request(.roll))
    guard case .rotated(let old, let new, _, _) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    #expect(old == id && new == id)
    #expect(fixture.consumersToken()?.id.rawValue == id)
  }

  /// A sink that fails after the new token exists: reported with both ids; the old secret still works.
  @Test func aFailingSinkLeavesTheOldSecretWorking() async throws {
    let fixture = try Fixture()
    let outcome = await fixture.rotator().rotate(
      fixture.request(.replace, sinks: [.file(path: "secret"), .command(["false"])]))
    guard case .failed(let reason, let old, let new, let lost) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    #expect(reason == "command:false: false exited with status 1")
    #expect(old == fixture.token("account_token").id.rawValue)
    #expect(new != nil && lost)
    #expect(fixture.token("account_token").expiresOn == nil, "the old token was expired")
    // The file took the new secret before the command failed; the new token still works, so the consumer does too.
    #expect(fixture.consumersToken() != nil)
  }

  /// The seed's deployment: the account token as a secret of its Worker. The new token writes its own secret there
  /// once it may (Workers Scripts Write), which the seed's token lacks until healed.
  @Test func aWorkersSecretSinkNeedsWorkersScriptsWrite() async throws {
    let fixture = try Fixture()
    let sink = SecretSink.workersSecret(account: "main", script: "my-worker", name: "CLOUDFLARE_ACCOUNT_TOKEN")
    let refused = await fixture.rotator().rotate(fixture.request(.replace, sinks: [sink]))
    guard case .failed(let reason, _, _, _) = refused else { return #expect(Bool(false), "\(refused)") }
    #expect(reason.hasPrefix("workers-secret:main/my-worker/CLOUDFLARE_ACCOUNT_TOKEN:"), "\(reason)")
    var request = fixture.request(.replace, sinks: [sink])
    request = Rotator.Request(
      token: request.token, strategy: .replace, sinks: [sink], grace: 3600, lifetime: 180 * 86400,
      editor: request.editor, sinkCredential: fixture.credential("user_token"))
    // The user token may not write Workers secrets either: the same refusal, through it.
    guard case .failed = await fixture.rotator().rotate(request) else { return #expect(Bool(false)) }
  }
}
