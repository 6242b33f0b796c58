import Foundation
import Health
import Reconciler
import Rendering
import TokenModel

/// What health, status and heal share: the policy, the connection, a check, the history.
enum HealthRun {
  static let exitCodes = """
    Exit status: 0 healthy, 2 degraded, 3 unhealthy, 1 when the check could not run (bad policy or arguments).
    """

  struct Prepared {
    let context: Reconcile.Context
    let check: HealthCheck
    let recorder: HistoryRecorder
  }

  static func prepare(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Prepared? {
    guard let context = Reconcile.prepare(invocation, arguments, paths: arguments.positionals) else { return nil }
    let (set, catalog) = await Reconcile.resolveCatalog(context, invocation: invocation)
    let check = HealthCheck(
      client: context.connection.client, desired: set.desired, catalog: catalog, credentials: context.credentials,
      missingSecrets: context.missing, toolVersion: TokenWardenCLI.version, policyDigest: context.policyDigest,
      source: context.connection.description,
      progress: Reconcile.progressReporter(invocation, client: context.connection.client))
    return Prepared(context: context, check: check, recorder: HistoryRecorder(invocation))
  }

  /// One check, with what the history knew before it.
  static func check(_ prepared: Prepared, invocation: Invocation) async -> HealthCheck.Outcome {
    let previous = prepared.recorder.previous(prepared.check.desired.tokens.map(\.name))
    let outcome = await prepared.check.run(previous: previous, now: invocation.now)
    Reconcile.clearProgress(invocation)
    return outcome
  }

  /// Heals what the check found missing (under the apply lock), checks again, records both checks; nil when the
  /// lock is held by another apply.
  static func heal(
    _ prepared: Prepared, before: HealthCheck.Outcome, startedAt: Date, invocation: Invocation, command: String
  ) async -> HealReport? {
    guard before.plan.hasChanges else {
      prepared.recorder.record(before.report, at: startedAt)
      return HealReport(plan: before.plan, results: [], before: before.report, after: before.report)
    }
    guard
      let results = await ApplyCommand.applyUnderLock(
        PlanDocument(plan: before.plan), desired: prepared.check.desired, client: prepared.context.connection.client,
        credentials: prepared.context.credentials, invocation: invocation, command: command)
    else { return nil }
    let afterStarted = invocation.now()
    let after = await check(prepared, invocation: invocation)
    let report = HealReport(plan: before.plan, results: results, before: before.report, after: after.report)
    prepared.recorder.record(before.report, at: startedAt, heal: report)
    prepared.recorder.record(after.report, at: afterStarted)
    return report
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
    .init(name: "json", valueName: nil, help: "Print JSON (the shape of the service's endpoint; see the README)."),
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
      conditions (Valid, Active, ExpiringSoon, PermissionsSatisfied, Drifted), a score and recommendations.
      """ + "\n" + HealthRun.exitCodes)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard let prepared = await HealthRun.prepare(invocation, arguments) else { return 1 }
    let started = invocation.now()
    let outcome = await HealthRun.check(prepared, invocation: invocation)
    var report = outcome.report
    var healed: HealReport?
    if arguments.has("heal") && outcome.plan.hasChanges {
      guard let heal = await HealthRun.heal(
          prepared, before: outcome, startedAt: started, invocation: invocation, command: "health") else {
        return 1
      }
      healed = heal
      report = heal.after
      report.heal = heal.summary
    } else {
      prepared.recorder.record(report, at: started)
    }
    if arguments.has("json") {
      invocation.out(JSONOutput.encode(report))
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
    guard let prepared = await HealthRun.prepare(invocation, arguments) else { return 1 }
    let started = invocation.now()
    let report = await HealthRun.check(prepared, invocation: invocation).report
    prepared.recorder.record(report, at: started)
    if arguments.has("json") {
      invocation.out(JSONOutput.encode(StatusReport(report)))
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
    guard let prepared = await HealthRun.prepare(invocation, arguments) else { return 1 }
    let started = invocation.now()
    let before = await HealthRun.check(prepared, invocation: invocation)
    guard let report = await HealthRun.heal(
        prepared, before: before, startedAt: started, invocation: invocation, command: "heal") else {
      return 1
    }
    if arguments.has("json") {
      invocation.out(JSONOutput.encode(report))
    } else {
      invocation.out(HealthRenderer(style: HealthRun.style(invocation, arguments)).heal(report))
    }
    return HealthRun.exitCode(report.after.overallStatus)
  }
}
