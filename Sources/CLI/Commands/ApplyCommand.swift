import Basics
import CloudflareAPI
import Foundation
import Operations
import Planning
import Reconciler
import Rendering
import TokenModel

/// `tokenwarden apply`: a saved plan exactly, or plan-then-confirm for a policy.
enum ApplyCommand {
  static let spec = CommandSpec(
    name: "apply",
    summary:
      "Add the planned permissions through the cross-token healer: a saved plan, or a policy after confirmation.",
    usage: "tokenwarden apply [--auto-approve] [--no-color] [--sandbox] (PLAN_FILE [--policy POLICY]... | POLICY...)",
    options: [
      .init(name: "auto-approve", valueName: nil, help: "Apply a policy's plan without asking."),
      .init(
        name: "policy", valueName: "POLICY",
        help:
          "With a plan file: the policy to check it against (repeatable; default: the files the plan was made from)."),
      .init(name: "no-color", valueName: nil, help: "Never colour the output."),
    ] + Connection.options,
    details: """
      With a plan file (from 'plan --out'), applies exactly it, without asking, refusing tokens changed since. The plan
      must have been made against the same API (or the sandbox), from the policy as it is now, and may add only what
      that policy requires; with TOKENWARDEN_PLAN_KEY set it must carry that key's signature.
      With policy files, plans, prints, and asks; without a terminal, --auto-approve is required.
      Exit status: 0 everything applied, 1 otherwise.
      """)

  static func readPlan(_ path: String, invocation: Invocation) -> PlanDocument? {
    let absolute = path.hasPrefix("/") ? path : invocation.workingDirectory + "/" + path
    guard let data = FileManager.default.contents(atPath: absolute) else {
      invocation.report(.planFileUnreadable(path: path))
      return nil
    }
    do { return try PlanDocument.read(data) } catch {
      invocation.report(.planFileInvalid(path: path, why: error.description))
      return nil
    }
  }

  /// Everything a saved plan must pass before anything is written: its signature (with `TOKENWARDEN_PLAN_KEY`), its
  /// target, the policy it came from, and that it adds nothing that policy does not require. Nil after saying why.
  static func checkSavedPlan(
    _ saved: PlanDocument, path: String, invocation: Invocation, arguments: ParsedArguments
  ) async -> Reconcile.Context? {
    let plan = saved.plan
    if let key = invocation.environment["TOKENWARDEN_PLAN_KEY"], !key.isEmpty {
      switch saved.authenticity(key: key) {
      case .valid: break
      case .unsigned:
        invocation.report(.planUnsigned(path: path))
        return nil
      case .wrongSignature:
        invocation.report(.planSignatureMismatch(path: path))
        return nil
      }
    } else if saved.signature != nil {
      invocation.report(.planSignatureUnchecked(path: path))
    }
    let given = arguments.all("policy")
    let paths = given.isEmpty ? plan.policyFiles : given
    guard let context = await Reconcile.prepare(invocation, arguments, paths: paths) else { return nil }
    let here = context.connection.target
    guard let target = plan.target, target == here else {
      var sandboxPlanPath: String?
      if case .sandbox? = plan.target, case .api = here { sandboxPlanPath = path }
      invocation.report(
        .planTargetMismatch(
          made: plan.target?.description ?? "an unknown target", here: "\(here)", sandboxPlanPath: sandboxPlanPath))
      return nil
    }
    guard context.policyDigest == plan.policyDigest else {
      invocation.report(.planPolicyDigestMismatch(paths: context.paths))
      return nil
    }
    // Permission names resolve as they did for the plan: against the live catalog when it can be read.
    let (set, _) = await Reconcile.resolveCatalog(context, invocation: invocation)
    let refusals = PlanAuthorisation.refusals(plan, desired: set.desired)
    guard refusals.isEmpty else {
      invocation.report(.planNotAuthorised(refusals))
      return nil
    }
    return context
  }

  static func isPlanFile(_ path: String, invocation: Invocation) -> Bool {
    guard !path.hasSuffix(".yaml") && !path.hasSuffix(".yml") else { return false }
    let absolute = path.hasPrefix("/") ? path : invocation.workingDirectory + "/" + path
    var directory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: absolute, isDirectory: &directory), !directory.boolValue else {
      return false
    }
    return FileManager.default.contents(atPath: absolute)?.first == UInt8(ascii: "{")
  }

  /// Applies with progress on a terminal and records the apply in the history; the caller holds the apply lock.
  static func applyAndRecord(
    _ document: PlanDocument, desired: DesiredState, client: CloudflareClient, credentials: [String: Credential],
    invocation: Invocation, onChange: Applier.OnChange
  ) async -> [ApplyResult] {
    let report = Reconcile.progressReporter(invocation, client: client, unit: "tokens")
    let total = document.plan.changedTokens
    let counter = Counter()
    let results = await HealthRunner.applyAndRecord(
      document, desired: desired, client: client, credentials: credentials, recorder: Reconcile.recorder(invocation),
      at: invocation.now, onChange: onChange
    ) { name in report?("applying \(name)", counter.next(), total) }
    if total > 0 { Reconcile.clearProgress(invocation) }
    return results
  }

  /// The whole apply holds this machine's apply lock, from before the plan is read or made, through the
  /// confirmation prompt, to the last write: what a person confirms is what is applied, with no other apply between.
  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let locked = await HealthRunner.withApplyLock(
      stateDirectory: Platform.stateDirectory(environment: invocation.environment),
      command: (["tokenwarden", "apply"] + invocation.arguments).joined(separator: " ")
    ) { await runLocked(invocation, arguments) }
    switch locked {
    case .success(let status): return status
    case .failure(let failure):
      invocation.report(.lockUnavailable("\(failure)"))
      return 1
    }
  }

  static func runLocked(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let style = TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
    let positionals = arguments.positionals
    var document: PlanDocument
    let context: Reconcile.Context
    let savedPlan = positionals.count == 1 && isPlanFile(positionals[0], invocation: invocation)
    if savedPlan {
      guard let saved = readPlan(positionals[0], invocation: invocation),
        let prepared = await checkSavedPlan(saved, path: positionals[0], invocation: invocation, arguments: arguments)
      else { return 1 }
      document = saved
      context = prepared
      invocation.out("Applying the saved plan \(positionals[0]) (\(saved.digest)).\n\n")
    } else {
      if arguments.has("policy") {
        invocation.report(.policyFlagWithoutPlan)
        return 1
      }
      guard let prepared = await Reconcile.prepare(invocation, arguments, paths: positionals),
        let planned = await Reconcile.plan(prepared, invocation: invocation, targets: [])
      else { return 1 }
      document = Reconcile.document(planned, invocation: invocation)
      context = prepared
      invocation.out(PlanRenderer(style: style).render(document))
      guard document.plan.hasChanges else { return document.plan.blockedCount > 0 ? 1 : 0 }
      if !arguments.has("auto-approve") {
        guard invocation.console.stdinIsTerminal else {
          invocation.err("\n")
          invocation.report(.noTerminalToConfirm)
          return 1
        }
        invocation.out(
          "\nDo you want to perform these actions?\n  TokenWarden will add the permissions above. Only 'yes' will be accepted to approve.\n\n  Enter a value: "
        )
        guard readLine() == "yes" else {
          invocation.out("\nApply cancelled.\n")
          return 1
        }
      }
      invocation.out("\n")
    }
    // Each token written costs a read, the write and a read back.
    if let estimate = context.connection.client.rateLimiter.estimate(requests: 3 * document.plan.changedTokens) {
      invocation.report(.rateEstimate(estimate))
    }
    let results = await applyAndRecord(
      document, desired: context.set.desired, client: context.connection.client, credentials: context.credentials,
      invocation: invocation, onChange: savedPlan ? .refuse : .replan)
    let renderer = ApplyRenderer(style: style)
    // Each token's line on stdout as the terminal shows it, the applier's warnings on stderr.
    for result in results {
      invocation.out(renderer.line(result))
      invocation.err(renderer.warnings(result))
    }
    invocation.out(renderer.summary(results))
    if ApplyRenderer.failed(results) == 0 { return document.plan.blockedCount > 0 ? 1 : 0 }
    return 1
  }
}
