import Foundation
import Operations
import Planning
import Reconciler
import Rendering

/// `tokenwarden plan`: what apply would add, never remove.
enum PlanCommand {
  static let spec = CommandSpec(
    name: "plan",
    summary: "Show which permissions apply would add to which token (it never removes any).",
    usage:
      "tokenwarden plan [--out FILE] [--format text|json|markdown|github] [--json] [--detailed-exitcode] [--no-color] [--target TOKEN]... [--sandbox] [POLICY...]",
    options: [
      .init(
        name: "format", valueName: "FORMAT",
        help: "text (default), json, markdown (a pull-request comment), github (annotations).",
        choices: ["text", "json", "markdown", "github"]),
      .init(name: "out", valueName: "FILE", help: "Save the plan (no secrets in it) for 'tokenwarden apply FILE'."),
      .init(name: "json", valueName: nil, help: "Print the plan as JSON (the plan file's format)."),
      .init(
        name: "detailed-exitcode", valueName: nil,
        help: "Exit 0 with nothing to do, 2 with changes, 1 on errors or blocked grants."),
      .init(name: "no-color", valueName: nil, help: "Never colour the output."),
      .init(name: "target", valueName: "TOKEN", help: "Plan only this token (repeatable)."),
    ] + Connection.options,
    details: """
      Reads the live tokens of the policy through their own API family, with the policy's tokens' secrets.
      Exit status: 0 planned (1 when a grant is blocked); with --detailed-exitcode 0 nothing to do, 2 changes, 1 error.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard let context = await Reconcile.prepare(invocation, arguments, paths: arguments.positionals),
      let plan = await Reconcile.plan(context, invocation: invocation, targets: arguments.all("target"))
    else { return 1 }
    let format = outputFormat(invocation, arguments)
    // What needs the digest and what does not run side by side: the history's record of the plan and the text
    // above the digest are made while it is computed, and the record is stored while the text is written.
    let now = invocation.now()
    let run = Task.detached { HistoryRecorder.run(of: plan, at: now) }
    let style = TextStyle(
      color: format == "text" && invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
    let renderer = PlanRenderer(style: style)
    // Plain text is written as it is made (nothing comes before it); GitHub's annotations, which come first, need
    // the digest, so there the pieces wait.
    let body = Task.detached { () -> [String] in
      var pieces: [String] = []
      switch format {
      case "text": renderer.renderBody(plan) { invocation.out($0) }
      case "github": renderer.renderBody(plan) { pieces.append($0) }
      default: break
      }
      return pieces
    }
    let document = Reconcile.document(plan, invocation: invocation)
    let recorder = Reconcile.recorder(invocation)
    var record = await run.value
    record.planDigest = document.digest
    let stored = Task.detached { [record] in recorder.record(record) }
    if let out = arguments.value("out") {
      let path = out.hasPrefix("/") ? out : invocation.workingDirectory + "/" + out
      do { try document.encoded().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
        invocation.report(.cannotWrite(path: "the plan to \(out)", why: error.localizedDescription))
        await stored.value
        return 1
      }
    }
    switch format {
    case "json":
      invocation.out(String(decoding: document.encoded(), as: UTF8.self))
    case "markdown":
      invocation.out(PlanMarkdownRenderer.render(document))
    default:
      if format == "github" { invocation.out(PlanMarkdownRenderer.annotations(document)) }
      for piece in await body.value { invocation.out(piece) }
      invocation.out(renderer.footer(document))
      if let out = arguments.value("out") {
        let sandbox = if case .sandbox? = document.plan.target { "--sandbox " } else { "" }
        invocation.out(
          "\nSaved the plan to \(out). Apply exactly it with: tokenwarden apply \(sandbox)\(shellQuoted(out))\n")
      }
    }
    appendStepSummary(document, invocation: invocation)
    await stored.value
    if document.plan.blockedCount > 0 { return 1 }
    if arguments.has("detailed-exitcode") && document.plan.hasChanges { return 2 }
    return 0
  }
}

/// text (the default), json, markdown or github (the default inside GitHub Actions).
func outputFormat(_ invocation: Invocation, _ arguments: ParsedArguments) -> String {
  if let format = arguments.value("format") { return format }
  if arguments.has("json") { return "json" }
  return invocation.environment["GITHUB_ACTIONS"] == "true" ? "github" : "text"
}

/// With `GITHUB_STEP_SUMMARY` set, appends the markdown plan there (GitHub reads at most 1 MiB of it).
func appendStepSummary(_ document: PlanDocument, invocation: Invocation) {
  guard let path = invocation.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
  let text = PlanMarkdownRenderer.render(document)
  let existing = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  guard existing + text.utf8.count < 1 << 20 else {
    invocation.report(.stepSummaryFull)
    return
  }
  if let handle = FileHandle(forWritingAtPath: path) {
    handle.seekToEndOfFile()
    handle.write(Data(text.utf8))
    try? handle.close()
  } else if !FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) {
    invocation.report(.stepSummaryUnwritable(path: path))
  }
}

/// `tokenwarden show FILE`: a saved plan, as text or JSON.
enum ShowCommand {
  static let spec = CommandSpec(
    name: "show", summary: "Show a saved plan.",
    usage: "tokenwarden show [--json] [--format text|json|markdown] [--no-color] FILE",
    options: [
      .init(name: "json", valueName: nil, help: "Print the plan file's JSON."),
      .init(
        name: "format", valueName: "FORMAT", help: "text (default), json, or markdown.",
        choices: ["text", "json", "markdown"]),
      .init(name: "no-color", valueName: nil, help: "Never colour the output."),
    ], details: "")

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard arguments.positionals.count == 1 else {
      invocation.report(.usage("show takes one plan file"))
      invocation.err("\n" + spec.helpText())
      return 1
    }
    guard let document = ApplyCommand.readPlan(arguments.positionals[0], invocation: invocation) else { return 1 }
    let format = arguments.value("format") ?? (arguments.has("json") ? "json" : "text")
    switch format {
    case "json": invocation.out(String(decoding: document.encoded(), as: UTF8.self))
    case "markdown": invocation.out(PlanMarkdownRenderer.render(document))
    default:
      let style = TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
      invocation.out(PlanRenderer(style: style, exact: true).render(document))
    }
    return 0
  }
}
