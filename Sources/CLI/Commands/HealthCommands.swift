import Basics
import Foundation
import Health
import Operations
import Reconciler
import Rendering
import TokenModel

/// What health, status and heal share: the policy, the connection, a check, the history.
enum HealthRun {
  static let exitCodes = """
    Exit status: 0 healthy, 2 degraded, 3 unhealthy, 1 when the check could not run (bad policy or arguments).
    """

  static func prepare(_ invocation: Invocation, _ arguments: ParsedArguments) async -> HealthRunner? {
    guard let context = await Reconcile.prepare(invocation, arguments, paths: arguments.positionals) else { return nil }
    let (set, catalog) = await Reconcile.resolveCatalog(context, invocation: invocation)
    var check = HealthCheck(
      client: context.connection.client, desired: set.desired, catalog: catalog, credentials: context.credentials,
      missingSecrets: context.missing, toolVersion: TokenWardenCLI.version, policyDigest: context.policyDigest,
      source: context.connection.description,
      progress: Reconcile.progressReporter(invocation, client: context.connection.client))
    check.adviceArguments = Reconcile.adviceArguments(arguments, paths: arguments.positionals)
    check.rotateAdviceArguments = Reconcile.adviceArguments(arguments, paths: [], policyOption: arguments.positionals)
    return HealthRunner(
      check: check, recorder: Reconcile.recorder(invocation),
      stateDirectory: Platform.stateDirectory(environment: invocation.environment), now: invocation.now)
  }

  /// The check; nil (after saying why) when Cloudflare could not be reached at all.
  static func check(_ runner: HealthRunner, invocation: Invocation) async -> HealthCheck.Outcome? {
    if let estimate = runner.check.client.rateLimiter.estimate(
      requests: RequestBudget.requestsPerCheck(runner.check.desired))
    {
      invocation.report(.rateEstimate(estimate))
    }
    let outcome = await runner.run()
    Reconcile.clearProgress(invocation)
    guard Reconcile.reached(runner.check.client, invocation: invocation, doing: "checked") else { return nil }
    return outcome
  }

  /// Heals under the apply lock with progress on a terminal; nil (after saying why) when the lock is held.
  static func heal(
    _ runner: HealthRunner, before: HealthCheck.Outcome, startedAt: Date, invocation: Invocation, command: String
  ) async -> HealReport? {
    let report = Reconcile.progressReporter(invocation, client: runner.check.client, unit: "tokens")
    let total = before.plan.changedTokens
    let counter = Counter()
    let result = await runner.heal(
      before: before, startedAt: startedAt,
      command: (["tokenwarden", command] + invocation.arguments).joined(separator: " ")
    ) { name in report?("applying \(name)", counter.next(), total) }
    Reconcile.clearProgress(invocation)
    switch result {
    case .success(let heal): return heal
    case .failure(let held):
      invocation.report(.lockUnavailable("\(held)"))
      return nil
    }
  }

  static func exitCode(_ state: HealthState) -> Int32 {
    switch state {
    case .healthy: return 0
    case .degraded: return 2
    case .unhealthy: return 3
    }
  }

  static func style(_ invocation: Invocation, _ arguments: ParsedArguments) -> TextStyle {
    TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
  }

  static let outputOptions: [CommandSpec.Option] = [
    .init(name: "json", valueName: nil, help: "Print JSON (the shape of the service's endpoint; see docs/service.md)."),
    .init(name: "no-color", valueName: nil, help: "Never colour the output or use emoji markers."),
  ]
}

/// `tokenwarden health`: validity, activity, expiry and permissions of every token, with recommendations.
enum HealthCommand {
  static let spec = CommandSpec(
    name: "health",
    summary: "Check every token: valid, active, expiring, permissions present; record the check in the history.",
    usage: "tokenwarden health [--heal] [--json] [--no-color] [--sandbox] [POLICY...]",
    options: [.init(name: "heal", valueName: nil, help: "Heal what is missing through the healer, then check again.")]
      + HealthRun.outputOptions + Connection.options,
    details: """
      Verifies each token through its own family (/user/tokens/verify or /accounts/ID/tokens/verify), reads its
      grants through the healer's view, and reports healthy, degraded or unhealthy per token and overall, with
      conditions (Valid, Active, ExpiringSoon, PermissionsSatisfied, Drifted, Unused), a score and recommendations.
      """ + "\n" + HealthRun.exitCodes)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard let runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    let started = invocation.now()
    guard let outcome = await HealthRun.check(runner, invocation: invocation) else { return 1 }
    var report = outcome.report
    var healed: HealReport?
    if arguments.has("heal") && outcome.plan.hasChanges {
      guard
        let heal = await HealthRun.heal(
          runner, before: outcome, startedAt: started, invocation: invocation, command: "health")
      else {
        return 1
      }
      healed = heal
      report = heal.after
      report.heal = heal.summary
    } else {
      runner.recorder.record(report, at: started)
    }
    if arguments.has("json") {
      invocation.out(ServiceJSON.health(report))
    } else {
      let renderer = HealthRenderer(style: HealthRun.style(invocation, arguments))
      invocation.out(healed.map(renderer.heal) ?? renderer.health(report))
    }
    return HealthRun.exitCode(report.overallStatus)
  }
}

/// `tokenwarden status`: the compact table of a fresh check.
enum StatusCommand {
  static let spec = CommandSpec(
    name: "status", summary: "A compact table of every token's validity, missing permissions, expiry and health.",
    usage: "tokenwarden status [--json] [--no-color] [--sandbox] [POLICY...]",
    options: HealthRun.outputOptions + Connection.options,
    details: "Runs the same check as 'health' (and records it), printed as one line per token.\n" + HealthRun.exitCodes)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard let runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    let started = invocation.now()
    guard let report = await HealthRun.check(runner, invocation: invocation)?.report else { return 1 }
    runner.recorder.record(report, at: started)
    if arguments.has("json") {
      invocation.out(ServiceJSON.status(report))
    } else {
      invocation.out(HealthRenderer(style: HealthRun.style(invocation, arguments)).status(report))
    }
    return HealthRun.exitCode(report.overallStatus)
  }
}

/// `tokenwarden heal`: health, apply with auto-approval through the healer, health again.
enum HealCommand {
  static let spec = CommandSpec(
    name: "heal", summary: "Check, add what is missing through the cross-token healer, check again: before and after.",
    usage: "tokenwarden heal [--json] [--no-color] [--sandbox] [POLICY...]",
    options: HealthRun.outputOptions + Connection.options,
    details: """
      Applies the plan of the check without asking (only additions, as 'apply' does), under the apply lock, and
      records both checks and the apply in the history. The exit status is the state after the heal.
      """ + "\n" + HealthRun.exitCodes)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard let runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    let started = invocation.now()
    guard let before = await HealthRun.check(runner, invocation: invocation) else { return 1 }
    guard
      let report = await HealthRun.heal(
        runner, before: before, startedAt: started, invocation: invocation, command: "heal")
    else {
      return 1
    }
    if arguments.has("json") {
      invocation.out(ServiceJSON.heal(report))
    } else {
      invocation.out(HealthRenderer(style: HealthRun.style(invocation, arguments)).heal(report))
    }
    return HealthRun.exitCode(report.after.overallStatus)
  }
}
