/// How a token's secret is replaced: `replace` creates a new token and expires the old one after a grace period (no
/// consumer is ever without a valid secret); `roll` gives the same token a new secret (the old one stops at once).
package enum RotationStrategy: String, Sendable, Hashable, Codable, CaseIterable {
  case replace
  case roll
}

/// Where a new secret is written. Parsed from the forms `--sink` and the policy's `sinks:` take.
package enum SecretSink: Sendable, Hashable, CustomStringConvertible {
  /// A Cloudflare Workers secret: `workers-secret:ACCOUNT/SCRIPT/NAME` (ACCOUNT: a policy account name or an id).
  case workersSecret(account: String, script: String, name: String)
  /// A file holding only the secret, written atomically with mode 0600: `file:PATH`.
  case file(path: String)
  /// One `VAR=value` line of a dotenv file: `env-file:PATH:VAR`.
  case envFile(path: String, variable: String)
  /// A program given the secret on stdin: `command:ARGV` (split as a shell splits words, without expansion).
  case command([String])

  package var description: String {
    switch self {
    case .workersSecret(let account, let script, let name): "workers-secret:\(account)/\(script)/\(name)"
    case .file(let path): "file:\(path)"
    case .envFile(let path, let variable): "env-file:\(path):\(variable)"
    case .command(let argv): "command:" + argv.joined(separator: " ")
    }
  }

  /// Why a sink's text is not one, in words.
  package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    package let description: String
  }

  package static let forms =
    "workers-secret:ACCOUNT/SCRIPT/NAME, file:PATH, env-file:PATH:VAR or command:PROGRAM ARGUMENTS"

  package static func parse(_ text: String) -> Result<SecretSink, ParseError> {
    guard let colon = text.firstIndex(of: ":") else {
      return .failure(ParseError(description: "'\(text)' is not a sink: write \(forms)"))
    }
    let kind = text[..<colon]
    let rest = String(text[text.index(after: colon)...])
    switch kind {
    case "workers-secret":
      let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
        return .failure(ParseError(description: "'\(text)': write workers-secret:ACCOUNT/SCRIPT/NAME"))
      }
      guard parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
        return .failure(ParseError(description: "'\(text)': a secret's name holds letters, digits and '_'"))
      }
      return .success(.workersSecret(account: parts[0], script: parts[1], name: parts[2]))
    case "file":
      guard !rest.isEmpty else { return .failure(ParseError(description: "'\(text)': write file:PATH")) }
      return .success(.file(path: rest))
    case "env-file":
      guard let last = rest.lastIndex(of: ":"), !rest[..<last].isEmpty else {
        return .failure(ParseError(description: "'\(text)': write env-file:PATH:VAR"))
      }
      let variable = String(rest[rest.index(after: last)...])
      guard let first = variable.first, first == "_" || first.isLetter,
        variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else {
        return .failure(ParseError(description: "'\(text)': '\(variable)' is not a variable name"))
      }
      return .success(.envFile(path: String(rest[..<last]), variable: variable))
    case "command":
      switch ShellWords.split(rest) {
      case .success(let words) where !words.isEmpty: return .success(.command(words))
      case .success: return .failure(ParseError(description: "'\(text)': name the program: command:PROGRAM ARGUMENTS"))
      case .failure(let error): return .failure(ParseError(description: "'\(text)': \(error.description)"))
      }
    default:
      return .failure(ParseError(description: "'\(kind)' is not a kind of sink: write \(forms)"))
    }
  }
}

/// A token's `rotation:` block.
package struct RotationPolicy: Sendable, Hashable {
  /// Rotate when the secret is this old (seconds); nil: only when asked.
  package var every: Int?
  package var strategy: RotationStrategy
  package var sinks: [SecretSink]
  /// How long the old token keeps working after a `replace` (seconds); default 24 hours.
  package var grace: Int
  /// The expiry a new token gets, from its creation (seconds); nil: none.
  package var lifetime: Int?
  /// The policy token whose secret writes Workers secrets; nil: the new token itself.
  package var sinkToken: String?

  package init(
    every: Int? = nil, strategy: RotationStrategy = .replace, sinks: [SecretSink] = [], grace: Int = 86_400,
    lifetime: Int? = nil, sinkToken: String? = nil
  ) {
    self.every = every
    self.strategy = strategy
    self.sinks = sinks
    self.grace = grace
    self.lifetime = lifetime
    self.sinkToken = sinkToken
  }
}

/// Words as a POSIX shell splits them, with single and double quotes and backslashes, and no expansion of any kind.
package enum ShellWords {
  package struct Unclosed: Error, Sendable, CustomStringConvertible {
    package var description: String { "a quote is not closed" }
  }

  package static func split(_ text: String) -> Result<[String], Unclosed> {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in text {
      if escaped {
        current.append(character)
        escaped = false
        continue
      }
      if let open = quote {
        if character == open {
          quote = nil
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else {
          current.append(character)
        }
        continue
      }
      switch character {
      case "'", "\"":
        quote = character
        inWord = true
      case "\\":
        escaped = true
        inWord = true
      case " ", "\t":
        if inWord { words.append(current) }
        current = ""
        inWord = false
      default:
        current.append(character)
        inWord = true
      }
    }
    if quote != nil || escaped { return .failure(Unclosed()) }
    if inWord { words.append(current) }
    return .success(words)
  }
}

/// `90d`, `24h`, `2w` → seconds; nil when it is not a duration of 1 to 10,000 units.
package enum PolicyDuration {
  package static func seconds(_ text: String) -> Int? {
    guard let unit = text.last, let number = Int(text.dropLast()), (1...10_000).contains(number) else { return nil }
    switch unit {
    case "h": return number * 3600
    case "d": return number * 86400
    case "w": return number * 7 * 86400
    default: return nil
    }
  }

  /// Seconds as the policy writes them: `90d`, `36h`.
  package static func text(_ seconds: Int) -> String {
    if seconds % 86400 == 0 { return "\(seconds / 86400)d" }
    return "\(seconds / 3600)h"
  }
}

extension SecretSink: Codable {
  package init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    switch Self.parse(text) {
    case .success(let sink): self = sink
    case .failure(let error):
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

extension RotationPolicy: Codable {}
