import Rendering

/// The command line: `tokenwarden COMMAND [options]`. Each command parses its own options.
package enum TokenWardenCLI {
  package static let version = "0.1.0"

  static var commands: [(spec: CommandSpec, run: (Invocation, ParsedArguments) async -> Int32)] {
    [
      (ValidateCommand.spec, ValidateCommand.run),
      (FmtCommand.spec, FmtCommand.run),
      (PlanCommand.spec, PlanCommand.run),
      (ShowCommand.spec, ShowCommand.run),
      (ApplyCommand.spec, ApplyCommand.run),
      (ImportCommand.spec, ImportCommand.run),
      (ExplainCommand.spec, ExplainCommand.run),
      (RotateCommand.spec, RotateCommand.run),
      (SchemaCommand.spec, SchemaCommand.run),
      (CompletionCommand.spec, CompletionCommand.run),
      (HealthCommand.spec, HealthCommand.run),
      (StatusCommand.spec, StatusCommand.run),
      (HealCommand.spec, HealCommand.run),
      (HistoryCommand.spec, HistoryCommand.run),
      (UsageCommand.spec, UsageCommand.run),
      (ProbeCommand.spec, ProbeCommand.run),
      (ServeCommand.spec, ServeCommand.run),
      (LockCommand.spec, LockCommand.run),
      (SandboxCommand.spec, SandboxCommand.run),
    ]
  }

  /// Other names of commands: `adopt` is what some tools call `import`.
  static let aliases = ["adopt": "import"]

  static var overview: String {
    var text = """
      Usage: tokenwarden COMMAND [options]

      TokenWarden reconciles Cloudflare API token permissions with policy files kept in git.

      Commands:

      """
    let width = commands.map(\.spec.name.count).max() ?? 0
    for command in commands {
      text +=
        "  " + command.spec.name + String(repeating: " ", count: width - command.spec.name.count + 2)
        + command.spec.summary + "\n"
    }
    text += """

      Global options:
        --help      Show this help, or a command's help with 'tokenwarden COMMAND --help'.
        --version   Print the version.

      """
    return text
  }

  /// Runs one command line (without the program name); returns the exit status.
  package static func run(_ invocation: Invocation) async -> Int32 {
    var arguments = invocation.arguments
    guard let first = arguments.first else {
      invocation.err(overview)
      return 1
    }
    switch first {
    case "--version", "version":
      invocation.out("tokenwarden \(version)\n")
      return 0
    case "__complete":
      // For completion scripts only: not in the overview.
      guard arguments.count >= 2, arguments[1] == "tokens" else { return 1 }
      return CompletionCommand.completeTokens(invocation, paths: Array(arguments.dropFirst(2)))
    case "--help", "-h":
      invocation.out(overview)
      return 0
    case "help":
      guard arguments.count > 1 else {
        invocation.out(overview)
        return 0
      }
      guard let command = commands.first(where: { $0.spec.name == arguments[1] }) else {
        let guess = ArgumentParser.closest(arguments[1], among: commands.map(\.spec.name))
        invocation.report(.unknownCommand(arguments[1], guess: guess, forHelp: true))
        invocation.err("\n" + overview)
        return 1
      }
      invocation.out(command.spec.helpText())
      return 0
    default:
      break
    }
    arguments.removeFirst()
    let name = aliases[first] ?? first
    guard let command = commands.first(where: { $0.spec.name == name }) else {
      let guess = ArgumentParser.closest(first, among: commands.map(\.spec.name))
      invocation.report(.unknownCommand(first, guess: guess, forHelp: false))
      invocation.err("\n" + overview)
      return 1
    }
    do {
      let parsed = try ArgumentParser.parse(arguments, spec: command.spec)
      if parsed.has("help") {
        invocation.out(command.spec.helpText())
        return 0
      }
      var forCommand = invocation
      forCommand.arguments = arguments
      let status = await command.run(forCommand, parsed)
      if status != 0 { printFailureDocument(invocation, arguments: arguments) }
      return status
    } catch {
      invocation.report(.usage(error.message))
      invocation.err("\n" + command.spec.helpText())
      printFailureDocument(invocation, arguments: arguments)
      return 1
    }
  }

  /// A `--json` run that failed before printing its document prints what it said on stderr as JSON instead, so that a
  /// script reading stdout always gets a document with `format_version`, and each message's stable code.
  static func printFailureDocument(_ invocation: Invocation, arguments: [String]) {
    let json = zip(arguments, arguments.dropFirst().map(Optional.some) + [nil]).contains { word, next in
      word == "--json" || word == "--format=json" || (word == "--format" && next == "json")
    }
    guard json, !invocation.log.wroteOutput, !invocation.log.messages.isEmpty else { return }
    invocation.out(invocation.log.failureDocument)
  }
}
