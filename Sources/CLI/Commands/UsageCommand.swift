import Foundation
import Health
import History
import Operations
import Rendering
import TokenModel

/// `tokenwarden usage`: which tokens are used, which are not, and which hold more than the policy requires.
enum UsageCommand {
  static let spec = CommandSpec(
    name: "usage",
    summary: "List tokens by last use, flag unused ones and those holding permissions the policy does not require.",
    usage: "tokenwarden usage [--since DURATION] [--json] [--no-color] [--sandbox] [POLICY...]",
    options: [
      .init(name: "since", valueName: "DURATION", help: "The window of recorded checks to look at (default 30d).")
    ] + HealthRun.outputOptions + Connection.options,
    details: """
      Runs a health check (recorded like any other), then reads the history: Cloudflare's last_used_on at each check
      gives the days each token was seen used. A token is unused past its policy's unused_after (default 30 days).
      Permissions it holds that the policy does not require are listed with the earliest check since which its grants
      are as they are now. Exit status: 0, 1 when the check could not run.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    var since = 30 * 86_400
    if let text = arguments.value("since") {
      guard let seconds = PolicyDuration.seconds(text) else {
        invocation.report(.badValue(option: "--since", expects: "a duration like 30d, 2w or 48h", got: text))
        return 1
      }
      since = seconds
    }
    guard let runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    guard let outcome = await HealthRun.check(runner, invocation: invocation) else { return 1 }
    let now = invocation.now()
    let checks =
      (try? runner.recorder.store?.checks(from: now.addingTimeInterval(-Double(since)), to: now.addingTimeInterval(1)))
      ?? []
    let desired = runner.check.desired
    // Each token's record in each check, gathered in one pass (a check holds every token).
    var byToken: [String: [(Date, TokenCheck)]] = [:]
    for check in checks {
      for token in check.tokens { byToken[token.name, default: []].append((check.time, token)) }
    }
    var tokens: [UsageReport.Token] = []
    for health in outcome.report.tokens {
      let threshold = desired.token(named: health.name)?.unusedAfter ?? HealthEvaluator.unusedDays * 86_400
      let used = health.lastUsedOn.flatMap(CloudflareDate.parse)
      let days = used.map { max(0, Int(now.timeIntervalSince($0) / 86_400)) }
      let history = byToken[health.name] ?? []
      var useDays = Set(history.compactMap { $0.1.lastUsedOn.map { String($0.prefix(10)) } })
      if let last = health.lastUsedOn { useDays.insert(String(last.prefix(10))) }
      // Oldest first: the earliest check of the latest unbroken run with today's grants.
      var unchangedSince: Date?
      for (time, token) in history.sorted(by: { $0.0 > $1.0 }) {
        guard token.grantsHash == health.grantsHash, health.grantsHash != nil else { break }
        unchangedSince = time
      }
      tokens.append(
        UsageReport.Token(
          name: health.name, tokenID: health.tokenID, lastUsedOn: health.lastUsedOn, daysSinceUse: days,
          unused: used.map { now.timeIntervalSince($0) > Double(threshold) } ?? true,
          unusedAfterDays: threshold / 86_400, extraPermissions: health.extraPermissions,
          grantsUnchangedSince: unchangedSince.map(CloudflareDate.format), useDays: useDays.sorted()))
    }
    tokens.sort { ($0.daysSinceUse ?? .max, $0.name) > ($1.daysSinceUse ?? .max, $1.name) }
    let report = UsageReport(sinceDays: since / 86_400, checks: checks.count, tokens: tokens)
    invocation.out(
      arguments.has("json")
        ? UsageRenderer.json(report) : UsageRenderer.text(report, style: HealthRun.style(invocation, arguments)))
    return 0
  }
}
