import CloudflareAPI
import Foundation
import Health
import History
import LiveState
import Operations
import Rendering
import Rotation
import TokenModel

/// What a scheduled run rotates: tokens whose policy says `rotation: {strategy: roll, every: …, sinks: […]}` and whose
/// value the service does not itself need (it keeps the new value in memory for its own checks). A `replace`, which
/// changes the token's id and so the policy, is reported as due, never done by the service.
package struct ScheduledRotations: Sendable {
  let runner: HealthRunner
  let sinks: SinkWriter
  let journal: HistoryStore
  let now: @Sendable () -> Date

  package init(runner: HealthRunner, sinks: SinkWriter, journal: HistoryStore, now: @escaping @Sendable () -> Date) {
    self.runner = runner
    self.sinks = sinks
    self.journal = journal
    self.now = now
  }

  /// Rolls what is due; returns the log lines and the events to notify.
  package func run(after outcome: HealthCheck.Outcome) async -> (log: [String], events: [NotificationEvent]) {
    guard let observation = outcome.observation else { return ([], []) }
    let check = runner.check
    let desired = check.desired
    let needed = RotationEditor.neededByTheService(desired, observation: observation)
    var log: [String] = []
    var events: [NotificationEvent] = []
    for token in desired.tokens {
      guard let policy = token.rotation, let every = policy.every,
        case .read(let live)? = observation.tokens[token.name],
        live.status == .active, let issued = live.issuedOn.flatMap(CloudflareDate.parse)
      else { continue }
      // A roll keeps `issued_on`: the journal says when the value last changed.
      let rolled = (try? journal.rotations(token: token.name, limit: 10))?.first { $0.state == .done }?.updated
      let since = max(issued, rolled ?? issued)
      // Before the warning window: when the expiry would be inside it by the next scheduled check, a roll with a
      // lifetime moves it away.
      var expiring = false
      if policy.lifetime != nil, let expires = live.expiresOn.flatMap(CloudflareDate.parse) {
        let window = Double(token.warnBeforeSeconds ?? HealthEvaluator.defaultWarnBeforeSeconds)
        let next = check.nextCheck?(now()) ?? now()
        expiring = expires.timeIntervalSince(next) <= window
      }
      guard now().timeIntervalSince(since) >= Double(every) || expiring else { continue }
      let age = Int(now().timeIntervalSince(since) / 86_400)
      guard policy.strategy == .roll else {
        log.append(
          "rotation due: \(token.name) is \(age) days old (every \(PolicyDuration.text(every))); the service rolls only, a replace changes the policy: run 'tokenwarden rotate \(token.name)'"
        )
        continue
      }
      guard !needed.contains(token.name), !policy.sinks.isEmpty else {
        log.append(
          "rotation due: \(token.name) is \(age) days old (every \(PolicyDuration.text(every))); \(policy.sinks.isEmpty ? "it has no sink" : "the service uses its value"), so it is not rolled on schedule: run 'tokenwarden rotate \(token.name)'"
        )
        continue
      }
      let credentials = check.credentials
      guard
        let editor = RotationEditor.choose(
          for: token, desired: desired, observation: observation, credentials: credentials)
      else {
        log.append("rotation due: no token whose secret the service holds can roll \(token.name)")
        continue
      }
      let rolledSecrets = check.rolled
      let rotator = Rotator(
        client: check.client, sinks: sinks, journal: journal, now: now,
        keep: { name, secret in rolledSecrets.set(secret, for: name) })
      let request = Rotator.Request(
        token: token, strategy: .roll, sinks: policy.sinks, grace: policy.grace, lifetime: policy.lifetime,
        editor: editor,
        sinkCredential: policy.sinkToken.flatMap { credentials[$0] })
      switch await rotator.rotate(request) {
      case .rotated:
        let detail =
          "rolled on schedule (every \(PolicyDuration.text(every))); the new value is in "
          + policy.sinks.map { "\($0)" }.joined(separator: ", ")
        log.append("\(token.name): \(detail)")
        events.append(.rotated(token: token.name, succeeded: true, detail: detail))
      case .failed(let reason, _, _, _):
        log.append("\(token.name): rolling on schedule failed: \(reason)")
        events.append(.rotated(token: token.name, succeeded: false, detail: reason))
      }
    }
    return (log, events)
  }
}
