import Basics
import CloudflareAPI
import Foundation
import LiveState
import Planning
import Reconciler
import Synchronization
import TokenModel

/// One health check: every token verified through its own family, its grants read and planned, then evaluated; and
/// heal, which applies that plan through the cross-token healer. The CLI and the service run the same check.
package struct HealthCheck: Sendable {
  package let client: CloudflareClient
  package let desired: DesiredState
  package let catalog: PermissionCatalog
  /// The credentials the process was given (from the environment).
  let givenCredentials: [String: Credential]
  /// Values the service rolled while it ran (held in memory only): they replace the given ones.
  package let rolled = RolledSecrets()
  /// The credentials to use now: the given ones, with any value rolled since.
  package var credentials: [String: Credential] {
    let rolled = self.rolled.all
    guard !rolled.isEmpty else { return givenCredentials }
    var credentials = givenCredentials
    for (name, secret) in rolled {
      guard let given = credentials[name] else { continue }
      credentials[name] = Credential(label: given.label, tokenID: given.tokenID, secret: secret)
    }
    return credentials
  }
  /// Why the other tokens have no credential ("CLOUDFLARE_USER_TOKEN is not set").
  package let missingSecrets: [String: String]
  package let toolVersion: String
  package let policyDigest: String
  /// Where the tokens are read from, for reports (never a credential).
  package let source: String
  /// Called as requests complete: (phase, done, total).
  package var progress: (@Sendable (String, Int, Int) -> Void)?
  /// What follows a command printed as advice (" --sandbox policies/"), so that it runs as printed.
  package var adviceArguments = ""
  /// What follows `tokenwarden rotate` in advice.
  package var rotateAdviceArguments = ""
  /// When the next scheduled check runs (the service's schedules), for advice that looks ahead.
  package var nextCheck: (@Sendable (Date) -> Date?)?

  package init(
    client: CloudflareClient, desired: DesiredState, catalog: PermissionCatalog, credentials: [String: Credential],
    missingSecrets: [String: String], toolVersion: String, policyDigest: String, source: String,
    progress: (@Sendable (String, Int, Int) -> Void)? = nil
  ) {
    self.client = client
    self.desired = desired
    self.catalog = catalog
    self.givenCredentials = credentials
    self.missingSecrets = missingSecrets
    self.toolVersion = toolVersion
    self.policyDigest = policyDigest
    self.source = source
    self.progress = progress
  }

  package struct Outcome: Sendable {
    package let report: HealthReport
    package let plan: Plan
    /// Each token's verify, by name.
    package var verifications: [String: Verification] = [:]
    /// What was read, for what is decided after the check (rotations due).
    package var observation: Observation?

    /// Why no token could be verified when none could be reached (the network, the API base URL): the distinct
    /// failures. Nil when at least one answer came, or no token had a secret.
    package var unreachable: [String]? {
      var failures: [String] = []
      for verification in verifications.values {
        switch verification {
        case .failed(let why): if !failures.contains(why) { failures.append(why) }
        case .verified, .invalid: return nil
        case .noSecret: continue
        }
      }
      return failures.isEmpty ? nil : failures.sorted()
    }
  }

  /// Reads and verifies every token (at the same time), then evaluates.
  package func run(previous: [String: PreviousCheck], now: @Sendable () -> Date = { Date() }) async -> Outcome {
    let progress = self.progress
    let observer = Observer(
      client: client, credentials: credentials, missingSecrets: missingSecrets,
      progress: progress.map { report in { @Sendable done, total in report("reading tokens", done, total) } })
    async let observed = observer.observe(desired)
    async let verified = verify()
    let observation = await observed
    let verifications = await verified
    let plan = Planner.plan(
      desired: desired, observation: observation, catalog: catalog, toolVersion: toolVersion,
      policyDigest: policyDigest, source: source)
    var input = HealthEvaluator.Input(
      desired: desired, plan: plan, observation: observation, verifications: verifications, previous: previous,
      now: now(), baseURL: client.baseURL)
    input.adviceArguments = adviceArguments
    input.rotateAdviceArguments = rotateAdviceArguments
    input.nextCheck = nextCheck?(input.now)
    let report = HealthEvaluator.evaluate(input)
    var outcome = Outcome(report: report, plan: plan, verifications: verifications)
    outcome.observation = observation
    return outcome
  }

  /// One verify call per token with a secret: it needs the token's own value, so it cannot be batched.
  package func verify() async -> [String: Verification] {
    var results: [String: Verification] = [:]
    for token in desired.tokens where credentials[token.name] == nil {
      results[token.name] = .noSecret(missingSecrets[token.name] ?? "\(token.secretVariable) is not set")
    }
    let client = self.client
    let credentials = self.credentials
    let progress = self.progress
    let targets = desired.tokens.filter { credentials[$0.name] != nil }
    let done = Counter()
    let verified = await withTaskGroup(of: (String, Verification).self) { group in
      for token in targets {
        guard let credential = credentials[token.name] else { continue }
        group.addTask {
          let result = await Self.verify(client, TokenFamily(owner: token.owner), credential)
          progress?("verifying tokens", done.next(), targets.count)
          return (token.name, result)
        }
      }
      var collected: [String: Verification] = [:]
      for await (name, result) in group { collected[name] = result }
      return collected
    }
    results.merge(verified) { _, new in new }
    return results
  }

  static func verify(_ client: CloudflareClient, _ family: TokenFamily, _ credential: Credential) async -> Verification
  {
    do {
      return .verified(try await client.verify(family, as: credential))
    } catch {
      switch error {
      case .invalidToken:
        return .invalid("Cloudflare answers code 1000 (Invalid API Token) on \(family.tokensPath)/verify")
      default:
        return .failed(error.message)
      }
    }
  }

  /// Applies the plan's additions through the healer (the caller holds the apply lock).
  package func heal(_ plan: Plan, progress: @escaping @Sendable (String) -> Void = { _ in }) async -> [ApplyResult] {
    await Applier(client: client, credentials: credentials).apply(plan, desired: desired, progress: progress)
  }
}

/// Secrets a running service rolled: in memory only, never written anywhere but the rotation's sinks.
package final class RolledSecrets: Sendable {
  private let secrets = Mutex<[String: Secret]>([:])

  package init() {}

  package func set(_ secret: Secret, for name: String) { secrets.withLock { $0[name] = secret } }

  package var all: [String: Secret] { secrets.withLock { $0 } }
}
