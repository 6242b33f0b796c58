import Foundation
import PolicyLanguage
import Rendering

/// `tokenwarden fmt`: rewrite policy files in the canonical layout; `--check` only reports.
enum FmtCommand {
  static let spec = CommandSpec(
    name: "fmt",
    summary: "Rewrite policy files in the canonical layout, keeping their order and comments.",
    usage: "tokenwarden fmt [--check] [--diff] [--no-color] [PATH...]",
    options: [
      .init(name: "check", valueName: nil, help: "Change nothing; exit 3 when a file needs formatting."),
      .init(name: "diff", valueName: nil, help: "Show the changes as a unified diff."),
      .init(name: "no-color", valueName: nil, help: "Never colour the diff (NO_COLOR is honoured too)."),
    ],
    details: """
      Prints the name of each file that was (or, with --check, would be) changed. Without PATH, 'policies'.
      Exit status: 0 formatted, 3 files need formatting (with --check), 1 a file does not parse or cannot be written.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let paths = arguments.positionals.isEmpty ? ["policies"] : arguments.positionals
    let loaded = PolicyFiles.load(paths, workingDirectory: invocation.workingDirectory)
    for problem in loaded.missing { invocation.report(.policyFileProblem(problem)) }
    let errStyle = TextStyle(color: invocation.useColor(onStdout: false, noColorFlag: arguments.has("no-color")))
    let outStyle = TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
    let renderer = DiagnosticRenderer(sources: loaded.sources)
    invocation.err(renderer.text(loaded.diagnostics, style: errStyle))
    var failed = !loaded.missing.isEmpty || !loaded.diagnostics.isEmpty
    var changed = false
    for source in loaded.sources {
      let (formatted, diagnostics) = Formatter.format(source)
      guard let formatted else {
        invocation.err(renderer.text(diagnostics, style: errStyle))
        failed = true
        continue
      }
      let original = String(decoding: source.bytes, as: UTF8.self)
      guard formatted != original else { continue }
      changed = true
      invocation.out(source.path + "\n")
      if arguments.has("diff") {
        invocation.out(LineDiff.unified(old: original, new: formatted, path: source.path, style: outStyle))
      }
      if !arguments.has("check") {
        let absolute = source.path.hasPrefix("/") ? source.path : invocation.workingDirectory + "/" + source.path
        do {
          try Data(formatted.utf8).write(to: URL(fileURLWithPath: absolute), options: .atomic)
        } catch {
          invocation.report(.cannotWrite(path: source.path, why: error.localizedDescription))
          failed = true
        }
      }
    }
    if failed { return 1 }
    return arguments.has("check") && changed ? 3 : 0
  }
}
