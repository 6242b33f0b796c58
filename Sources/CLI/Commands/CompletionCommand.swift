import Foundation
import PolicyLanguage
import Simulator

/// `tokenwarden completion bash|zsh|fish`: a completion script made from the commands' own option tables, so it
/// never falls behind them. Token names come from `tokenwarden __complete tokens`, which reads the policy in the
/// current directory when the user presses tab.
enum CompletionCommand {
  static let spec = CommandSpec(
    name: "completion",
    summary: "Print a shell completion script: commands, options, their values, policy token names, scenarios.",
    usage: "tokenwarden completion bash|zsh|fish",
    options: [],
    details: """
      bash:  source <(tokenwarden completion bash)            (or save it in ~/.local/share/bash-completion/completions/tokenwarden)
      zsh:   tokenwarden completion zsh > "${fpath[1]}/_tokenwarden"   (then restart zsh)
      fish:  tokenwarden completion fish > ~/.config/fish/completions/tokenwarden.fish
      Token names (--target, explain) are read from the policy files under ./policies when tab is pressed.
      """)

  static let shells = ["bash", "zsh", "fish"]

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard arguments.positionals.count == 1, let shell = arguments.positionals.first, shells.contains(shell) else {
      invocation.report(.usage("completion takes one shell: bash, zsh or fish"))
      invocation.err("\n" + spec.helpText())
      return 1
    }
    let commands = TokenWardenCLI.commands.map(\.spec)
    switch shell {
    case "bash": invocation.out(bash(commands))
    case "zsh": invocation.out(zsh(commands))
    default: invocation.out(fish(commands))
    }
    return 0
  }

  /// What a value of an option is completed with.
  enum Values: Equatable {
    case none
    case files
    case tokens
    case scenarios
    case words([String])
  }

  static func values(_ option: CommandSpec.Option) -> Values {
    guard let valueName = option.valueName else { return .none }
    if !option.choices.isEmpty { return .words(option.choices) }
    switch option.name {
    case "target": return .tokens
    case "scenario": return .scenarios
    case "policy", "out": return .files
    default: return valueName.contains("FILE") || valueName.contains("POLICY") || valueName == "PATH" ? .files : .none
    }
  }

  /// Commands whose first argument is a token of the policy.
  static let tokenFirst: Set = ["explain"]

  static var scenarios: [String] { Scenario.builtInNames }

  // MARK: bash

  static func bash(_ commands: [CommandSpec]) -> String {
    var text = """
      # tokenwarden completion for bash: source <(tokenwarden completion bash)
      _tokenwarden() {
        local cur prev command
        cur="${COMP_WORDS[COMP_CWORD]}"
        prev="${COMP_WORDS[COMP_CWORD-1]}"
        command="${COMP_WORDS[1]}"
        if [[ $COMP_CWORD -eq 1 ]]; then
          COMPREPLY=($(compgen -W "\(commands.map(\.name).joined(separator: " ")) help --help --version" -- "$cur"))
          return
        fi
        case "$command:$prev" in

      """
    for command in commands {
      for option in command.allOptions {
        let words: String
        switch values(option) {
        case .none: continue
        case .files: words = "compgen -f -- \"$cur\""
        case .tokens: words = "compgen -W \"$(tokenwarden __complete tokens 2>/dev/null)\" -- \"$cur\""
        case .scenarios:
          words = "compgen -W \"\(scenarios.joined(separator: " "))\" -- \"$cur\"; compgen -f -- \"$cur\""
        case .words(let choices): words = "compgen -W \"\(choices.joined(separator: " "))\" -- \"$cur\""
        }
        text += "    \(command.name):--\(option.name)) COMPREPLY=($(\(words))); return ;;\n"
      }
      if !command.allOptions.contains(where: { values($0) != .none }) { continue }
    }
    text += """
          *:--*) ;;
        esac
        local options=""
        case "$command" in

      """
    for command in commands {
      let options = command.allOptions.map { "--" + $0.name }.joined(separator: " ")
      text += "    \(command.name)) options=\"\(options)\" ;;\n"
    }
    text += """
          help) COMPREPLY=($(compgen -W "\(commands.map(\.name).joined(separator: " "))" -- "$cur")); return ;;
        esac
        if [[ "$cur" == -* ]]; then
          COMPREPLY=($(compgen -W "$options" -- "$cur"))
        elif [[ " \(tokenFirst.sorted().joined(separator: " ")) " == *" $command "* && $COMP_CWORD -eq 2 ]]; then
          COMPREPLY=($(compgen -W "$(tokenwarden __complete tokens 2>/dev/null)" -- "$cur"))
        else
          COMPREPLY=($(compgen -f -- "$cur"))
        fi
      }
      complete -o filenames -F _tokenwarden tokenwarden

      """
    return text
  }

  // MARK: zsh

  /// Text safe inside a zsh `_arguments` description: no brackets, colons or quotes.
  static func zshText(_ text: String) -> String {
    String(text.map { $0 == "'" ? "’" : "[]:\"`$\\".contains($0) ? " " : $0 }).trimmingCharacters(in: .whitespaces)
  }

  static func zsh(_ commands: [CommandSpec]) -> String {
    var text = """
      #compdef tokenwarden
      # tokenwarden completion for zsh: tokenwarden completion zsh > "${fpath[1]}/_tokenwarden"

      _tokenwarden_tokens() {
        local -a tokens
        tokens=(${(f)"$(tokenwarden __complete tokens 2>/dev/null)"})
        _describe 'token' tokens
      }

      _tokenwarden() {
        local -a commands
        commands=(

      """
    for command in commands { text += "    '\(command.name):\(zshText(command.summary))'\n" }
    text += """
        )
        if (( CURRENT == 2 )); then
          _describe 'command' commands
          return
        fi
        local command=$words[2]
        shift words
        (( CURRENT-- ))
        case $command in

      """
    for command in commands {
      var specs: [String] = []
      for option in command.allOptions {
        let head = "'*--\(option.name)[\(zshText(option.help))]"
        switch values(option) {
        case .none: specs.append(option.valueName == nil ? head + "'" : head + ":\(zshText(option.valueName ?? "")):'")
        case .files: specs.append(head + ":\(zshText(option.valueName ?? "")):_files'")
        case .tokens: specs.append(head + ":token:_tokenwarden_tokens'")
        case .scenarios: specs.append(head + ":scenario:(\(scenarios.joined(separator: " ")))'")
        case .words(let choices):
          specs.append(head + ":\(zshText(option.valueName ?? "")):(\(choices.joined(separator: " ")))'")
        }
      }
      if tokenFirst.contains(command.name) {
        specs.append("'1:token:_tokenwarden_tokens'")
        specs.append("'2:permission:'")
      } else if command.name == "completion" {
        specs.append("'1:shell:(\(shells.joined(separator: " ")))'")
      } else {
        specs.append("'*:file:_files'")
      }
      text +=
        "    \(command.name))\n      _arguments \\\n        " + specs.joined(separator: " \\\n        ")
        + "\n      ;;\n"
    }
    text += """
          help) _describe 'command' commands ;;
        esac
      }

      if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
        _tokenwarden "$@"
      else
        compdef _tokenwarden tokenwarden
      fi

      """
    return text
  }

  // MARK: fish

  static func fishText(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
  }

  static func fish(_ commands: [CommandSpec]) -> String {
    var lines = [
      "# tokenwarden completion for fish: tokenwarden completion fish > ~/.config/fish/completions/tokenwarden.fish",
      "complete -c tokenwarden -f",
    ]
    let names = commands.map(\.name).joined(separator: " ")
    for command in commands {
      lines.append(
        "complete -c tokenwarden -n 'not __fish_seen_subcommand_from \(names)' -a \(command.name) -d \(fishText(command.summary))"
      )
    }
    for command in commands {
      let condition = "-n '__fish_seen_subcommand_from \(command.name)'"
      for option in command.allOptions {
        var line = "complete -c tokenwarden \(condition) -l \(option.name)"
        switch values(option) {
        case .none: if option.valueName != nil { line += " -x" }
        case .files: line += " -r -F"
        case .tokens: line += " -x -a '(tokenwarden __complete tokens 2>/dev/null)'"
        case .scenarios: line += " -r -F -a '\(scenarios.joined(separator: " "))'"
        case .words(let choices): line += " -x -a '\(choices.joined(separator: " "))'"
        }
        lines.append(line + " -d \(fishText(option.help))")
      }
      if tokenFirst.contains(command.name) {
        lines.append("complete -c tokenwarden \(condition) -a '(tokenwarden __complete tokens 2>/dev/null)'")
      } else if command.name == "completion" {
        lines.append("complete -c tokenwarden \(condition) -a '\(shells.joined(separator: " "))'")
      } else {
        lines.append("complete -c tokenwarden \(condition) -F")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `tokenwarden __complete tokens`: the token names of the policy under ./policies (or the paths given), one per
  /// line; nothing, and status 0, when there is none to read: a tab press never prints an error.
  static func completeTokens(_ invocation: Invocation, paths: [String]) -> Int32 {
    let loaded = PolicyFiles.load(paths.isEmpty ? ["policies"] : paths, workingDirectory: invocation.workingDirectory)
    let set = PolicySet.load(loaded.sources)
    let names = set.files.flatMap { $0.declaredTokens.keys }
    invocation.out(Set(names).sorted().map { $0 + "\n" }.joined())
    return 0
  }
}
