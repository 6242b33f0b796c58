import Basics
import CloudflareAPI
import Foundation
import TokenModel

/// Writes a new secret where its consumers read it, and reads it back where the place allows. The secret is handed
/// over the sink's own channel only (an API body, a file of mode 0600, a program's stdin): never an argument, an
/// environment variable or a log line.
package struct SinkWriter: Sendable {
  package let client: CloudflareClient
  /// Relative paths are read from here.
  package let workingDirectory: String
  /// A policy's account names → ids, for `workers-secret:NAME/…`.
  package let accounts: [String: HexID]
  /// How long a `command:` sink may run.
  package let commandTimeout: Double

  package init(
    client: CloudflareClient, workingDirectory: String, accounts: [String: HexID], commandTimeout: Double = 60
  ) {
    self.client = client
    self.workingDirectory = workingDirectory
    self.accounts = accounts
    self.commandTimeout = commandTimeout
  }

  package struct Failure: Error, Sendable, CustomStringConvertible {
    package let description: String
  }

  /// What reading a sink back says.
  package enum ReadBack: Sendable {
    /// The value the sink holds.
    case value(Secret)
    /// The sink holds a secret of that name; its value cannot be read (a Workers secret).
    case present
    /// Nothing to read back (a command).
    case unsupported
    case missing(String)
  }

  func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : workingDirectory + "/" + path }

  func account(_ text: String) throws(Failure) -> HexID {
    if let id = accounts[text] ?? HexID(text) { return id }
    throw Failure(
      description:
        "workers-secret: '\(text)' is neither an account of the policy (\(accounts.keys.sorted().joined(separator: ", "))) nor an account id"
    )
  }

  /// Writes `secret` to `sink`; `credential` writes Workers secrets (it needs Workers Scripts Write on the account).
  package func write(_ sink: SecretSink, secret: Secret, credential: Credential) async throws(Failure) {
    switch sink {
    case .workersSecret(let accountText, let script, let name):
      let id = try account(accountText)
      do {
        try await client.putWorkerSecret(account: id, script: script, name: name, value: secret, as: credential)
      } catch {
        throw Failure(description: "\(sink): \(error.message)")
      }
    case .file(let path):
      let bytes = secret.withValue { Array($0.utf8) + [10] }
      do { try AtomicFile.write(bytes, to: absolute(path)) } catch {
        throw Failure(description: "\(sink): \(error.description)")
      }
    case .envFile(let path, let variable):
      let file = absolute(path)
      let existing = AtomicFile.read(file).map { String(decoding: $0, as: UTF8.self) } ?? ""
      let bytes = secret.withValue { Array(Self.envFile(existing, setting: variable, to: $0).utf8) }
      do { try AtomicFile.write(bytes, to: file) } catch {
        throw Failure(description: "\(sink): \(error.description)")
      }
    case .command(let argv):
      try run(argv, input: secret, sink: sink)
    }
  }

  /// Reads the sink back: the value where it can be read, the name where only that can be.
  package func readBack(_ sink: SecretSink, credential: Credential) async -> ReadBack {
    switch sink {
    case .workersSecret(let accountText, let script, let name):
      guard let id = try? account(accountText) else { return .missing("unknown account \(accountText)") }
      do {
        let names = try await client.workerSecretNames(account: id, script: script, as: credential)
        return names.contains(name) ? .present : .missing("\(script) has no secret \(name)")
      } catch {
        return .missing(error.message)
      }
    case .file(let path):
      guard let bytes = AtomicFile.read(absolute(path)) else { return .missing("cannot read \(path)") }
      let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      return text.isEmpty ? .missing("\(path) is empty") : .value(Secret(text))
    case .envFile(let path, let variable):
      guard let bytes = AtomicFile.read(absolute(path)) else { return .missing("cannot read \(path)") }
      guard let value = Self.value(of: variable, in: String(decoding: bytes, as: UTF8.self)) else {
        return .missing("\(path) has no \(variable)")
      }
      return .value(Secret(value))
    case .command: return .unsupported
    }
  }

  /// The dotenv text with `variable` set to `value`: its line replaced where it is (the first one), appended where
  /// it is not; every other line kept as it was.
  static func envFile(_ text: String, setting variable: String, to value: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let assignment = "\(variable)=\(value)"
    if let index = lines.firstIndex(where: { Self.assigns($0, variable) }) {
      lines[index] = assignment
      lines.removeAll { Self.assigns($0, variable) && $0 != assignment }
    } else {
      lines.append(assignment)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func assigns(_ line: String, _ variable: String) -> Bool {
    var trimmed = line.drop { $0 == " " || $0 == "\t" }
    if trimmed.hasPrefix("export ") { trimmed = trimmed.dropFirst(7).drop { $0 == " " } }
    return trimmed.hasPrefix(variable + "=")
  }

  static func value(of variable: String, in text: String) -> String? {
    for line in text.split(separator: "\n").map(String.init) where assigns(line, variable) {
      var value = String(line[line.index(after: line.firstIndex(of: "=")!)...])
      if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
        value = String(value.dropFirst().dropLast())
      }
      return value
    }
    return nil
  }

  /// Runs `argv` with the secret on stdin and nothing else of it anywhere; a non-zero exit or the timeout is a
  /// failure (its output is not shown: a program may echo what it was given).
  func run(_ argv: [String], input: Secret, sink: SecretSink) throws(Failure) {
    let program = argv[0]
    let outcome = input.withValue { value in
      ProgramInput.run(
        program.contains("/") ? absolute(program) : "/usr/bin/env",
        arguments: program.contains("/") ? Array(argv.dropFirst()) : argv, directory: workingDirectory,
        input: Data((value + "\n").utf8), timeout: commandTimeout)
    }
    switch outcome {
    case .exited(0, true): return
    case .exited(0, false):
      throw Failure(description: "\(sink): \(program) closed its input without reading the secret")
    case .exited(let status, _): throw Failure(description: "\(sink): \(program) exited with status \(status)")
    case .timedOut:
      throw Failure(description: "\(sink): \(program) did not finish within \(Int(commandTimeout)) s; it was stopped")
    case .cannotStart(let why): throw Failure(description: "\(sink): cannot start \(program): \(why)")
    }
  }
}
