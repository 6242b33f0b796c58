import Basics
import TokenModel

/// A command's declared flags and options, and the parse of its arguments.
struct CommandSpec {
  struct Option {
    let name: String
    /// nil for a flag that takes no value.
    let valueName: String?
    let help: String
    /// For options with a fixed set of values.
    var choices: [String] = []
  }

  let name: String
  let summary: String
  /// `tokenwarden validate [options] PATH...`
  let usage: String
  let options: [Option]
  let details: String

  var allOptions: [Option] { options + [Option(name: "help", valueName: nil, help: "Show this help.")] }

  func helpText() -> String {
    var text = "Usage: \(usage)\n\n\(summary)\n"
    if !details.isEmpty { text += "\n" + details + "\n" }
    text += "\nOptions:\n"
    let rows = allOptions.map { option -> (String, String) in
      let head = "--" + option.name + (option.valueName.map { " " + $0 } ?? "")
      return (head, option.help)
    }
    let width = rows.map(\.0.count).max() ?? 0
    for (head, help) in rows {
      text += "  " + head + String(repeating: " ", count: width - head.count + 2) + help + "\n"
    }
    return text
  }
}

/// Parsed arguments: flags seen, option values (last wins, or all for repeated ones), positionals.
struct ParsedArguments {
  var flags: Set<String> = []
  var values: [String: [String]] = [:]
  var positionals: [String] = []

  func has(_ flag: String) -> Bool { flags.contains(flag) }
  func value(_ option: String) -> String? { values[option]?.last }
  func all(_ option: String) -> [String] { values[option] ?? [] }
}

/// A usage error, as a type: what was wrong with the command line. The caller prints `message` with the command's
/// usage and exits 1.
enum UsageError: Error, Equatable {
  /// `--flag` no command knows, with the nearest one it does.
  case unknownOption(String, didYouMean: String?)
  case takesNoValue(String)
  case needsValue(String, valueName: String)
  case notAChoice(String, value: String, choices: [String])

  var message: String {
    switch self {
    case .unknownOption(let written, let suggestion):
      return "unknown option '\(written)'" + (suggestion.map { "; did you mean '--\($0)'?" } ?? "")
    case .takesNoValue(let name): return "'--\(name)' takes no value"
    case .needsValue(let name, let valueName): return "'--\(name)' needs a value (\(valueName))"
    case .notAChoice(let name, let value, let choices):
      return "'--\(name)' takes one of \(choices.joined(separator: ", ")), not '\(value)'"
    }
  }
}

enum ArgumentParser {
  /// Parses `--flag`, `--option value`, `--option=value` and positionals; `--` ends options.
  static func parse(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> ParsedArguments {
    var result = ParsedArguments()
    var index = 0
    var onlyPositionals = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
        result.positionals.append(argument)
        continue
      }
      if argument == "--" {
        onlyPositionals = true
        continue
      }
      if argument == "-h" {
        result.flags.insert("help")
        continue
      }
      guard argument.hasPrefix("--") else {
        throw .unknownOption(argument, didYouMean: suggestion(for: argument, spec: spec))
      }
      var name = String(argument.dropFirst(2))
      var inlineValue: String?
      if let equals = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      guard let option = spec.allOptions.first(where: { $0.name == name }) else {
        throw .unknownOption("--\(name)", didYouMean: suggestion(for: name, spec: spec))
      }
      guard let valueName = option.valueName else {
        if inlineValue != nil { throw .takesNoValue(name) }
        result.flags.insert(name)
        continue
      }
      let value: String
      if let inlineValue {
        value = inlineValue
      } else if index < arguments.count {
        value = arguments[index]
        index += 1
      } else {
        throw .needsValue(name, valueName: valueName)
      }
      if !option.choices.isEmpty && !option.choices.contains(value) {
        throw .notAChoice(name, value: value, choices: option.choices)
      }
      result.values[name, default: []].append(value)
    }
    return result
  }

  /// The option nearest a misspelt one.
  static func suggestion(for name: String, spec: CommandSpec) -> String? {
    closest(String(name.drop { $0 == "-" }), among: spec.allOptions.map(\.name))
  }

  /// The candidate nearest `name` (an edit distance of 2 at most), for a did-you-mean.
  static func closest(_ name: String, among candidates: [String]) -> String? {
    Suggestion.closest(name, among: candidates, within: 2, ignoringCase: false)
  }
}

extension ParsedArguments {
  /// `--listen HOST:PORT` (the last colon separates the port), or the default; nil after printing what was wrong.
  func listenAddress(default fallback: String, invocation: Invocation) -> (host: String, port: UInt16, text: String)? {
    let text = value("listen") ?? fallback
    guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
      let port = UInt16(text[text.index(after: colon)...])
    else {
      invocation.report(.badValue(option: "--listen", expects: "HOST:PORT, like \(fallback)", got: text))
      return nil
    }
    return (String(text[..<colon]), port, text)
  }
}
