import PolicyLanguage
import Rendering
import TokenModel

/// `tokenwarden validate`: parse and check policy files; exit 0 when valid, 1 when not.
enum ValidateCommand {
  static let spec = CommandSpec(
    name: "validate",
    summary: "Check policy files: syntax, schema, permission names and scopes, references between tokens.",
    usage: "tokenwarden validate [--json] [--format text|json|github] [--no-color] [PATH...]",
    options: [
      .init(name: "json", valueName: nil, help: "Same as --format json."),
      .init(
        name: "format", valueName: "FORMAT",
        help: "text (default), json (like terraform validate -json), or github (workflow annotations).",
        choices: ["text", "json", "github"]),
      .init(name: "no-color", valueName: nil, help: "Never colour the output (NO_COLOR is honoured too)."),
    ],
    details: """
      A PATH that is a directory means the *.yaml and *.yml files directly in it. Without PATH, 'policies'.
      With GITHUB_ACTIONS=true and no --format, the format is github.
      Exit status: 0 valid (warnings allowed), 1 invalid or unreadable.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) -> Int32 {
    var format = arguments.value("format") ?? (arguments.has("json") ? "json" : "text")
    if arguments.value("format") == nil && !arguments.has("json") && invocation.environment["GITHUB_ACTIONS"] == "true" {
      format = "github"
    }
    let paths = arguments.positionals.isEmpty ? ["policies"] : arguments.positionals
    let loaded = PolicyFiles.load(paths, workingDirectory: invocation.workingDirectory)
    if !loaded.missing.isEmpty {
      for problem in loaded.missing { invocation.err("Error: \(problem)\n") }
      return 1
    }
    let set = PolicySet.load(loaded.sources, catalog: .bundled)
    let diagnostics = loaded.diagnostics + set.diagnostics
    let renderer = DiagnosticRenderer(sources: loaded.sources)
    switch format {
    case "json":
      invocation.out(renderer.json(diagnostics))
    case "github":
      invocation.out(renderer.github(diagnostics))
      invocation.out(summary(set, diagnostics: diagnostics, fileCount: loaded.sources.count, style: TextStyle(color: false)))
    default:
      let style = TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
      invocation.out(renderer.text(diagnostics, style: style))
      invocation.out(summary(set, diagnostics: diagnostics, fileCount: loaded.sources.count, style: style))
    }
    return diagnostics.contains { $0.severity == .error } ? 1 : 0
  }

  static func summary(_ set: PolicySet, diagnostics: [Diagnostic], fileCount: Int, style: TextStyle) -> String {
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.count - errors
    let files = plural(fileCount, "policy file")
    if errors > 0 {
      let failing = Set(diagnostics.filter { $0.severity == .error }.map(\.path)).count
      let warningText = warnings > 0 ? " and " + plural(warnings, "warning") : ""
      return "\n" + style.red("Error:") + " " + plural(errors, "error") + warningText
        + " in \(failing) of \(files); nothing was checked against Cloudflare.\n"
    }
    let grants = set.desired.tokens.reduce(0) { $0 + $1.grants.count }
    let warningText = warnings > 0 ? " (" + plural(warnings, "warning") + ")" : ""
    let verb = fileCount == 1 ? "is" : "are"
    return (diagnostics.isEmpty ? "" : "\n") + style.green("Success!") + " \(files) \(verb) valid: "
      + plural(set.desired.tokens.count, "token") + ", " + plural(grants, "permission") + warningText + ".\n"
  }
}

func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
