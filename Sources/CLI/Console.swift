import Foundation

/// Where a command writes, and what it knows about its terminal; tests substitute a recording console.
package struct Console: Sendable {
  package var writeOut: @Sendable (String) -> Void
  package var writeErr: @Sendable (String) -> Void
  package var stdoutIsTerminal: Bool
  package var stderrIsTerminal: Bool
  package var stdinIsTerminal: Bool

  package init(
    writeOut: @escaping @Sendable (String) -> Void, writeErr: @escaping @Sendable (String) -> Void,
    stdoutIsTerminal: Bool, stderrIsTerminal: Bool, stdinIsTerminal: Bool
  ) {
    self.writeOut = writeOut
    self.writeErr = writeErr
    self.stdoutIsTerminal = stdoutIsTerminal
    self.stderrIsTerminal = stderrIsTerminal
    self.stdinIsTerminal = stdinIsTerminal
  }

  /// The process's own standard streams.
  package static var standard: Console {
    Console(
      writeOut: { FileHandle.standardOutput.write(Data($0.utf8)) },
      writeErr: { FileHandle.standardError.write(Data($0.utf8)) },
      stdoutIsTerminal: Platform.isTerminal(1), stderrIsTerminal: Platform.isTerminal(2),
      stdinIsTerminal: Platform.isTerminal(0))
  }
}

/// What every command is given: its arguments after the command name, the environment and the console.
package struct Invocation: Sendable {
  package var arguments: [String]
  package var environment: [String: String]
  package var console: Console
  /// The directory relative paths are read from.
  package var workingDirectory: String
  /// The clock of health checks and history (tests fix it).
  package var now: @Sendable () -> Date
  /// What the run said on stderr, and whether it printed anything on stdout: a `--json` run that fails before its
  /// document prints its messages as one instead (`TokenWardenCLI.run`).
  let log = MessageLog()

  package init(
    arguments: [String], environment: [String: String], console: Console, workingDirectory: String,
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.arguments = arguments
    self.environment = environment
    self.console = console
    self.workingDirectory = workingDirectory
    self.now = now
  }

  func out(_ text: String) {
    log.markOutput()
    console.writeOut(text)
  }

  func err(_ text: String) { console.writeErr(text) }

  /// An error, warning or note from the catalogue, on stderr.
  func report(_ message: Message) {
    log.append(message)
    console.writeErr(message.line)
  }

  /// Colour on a terminal only, never with `NO_COLOR` set (to anything but the empty string) or `--no-color`.
  func useColor(onStdout: Bool, noColorFlag: Bool) -> Bool {
    if noColorFlag { return false }
    if let value = environment["NO_COLOR"], !value.isEmpty { return false }
    return onStdout ? console.stdoutIsTerminal : console.stderrIsTerminal
  }
}

/// A word as a POSIX shell reads it back: unchanged when it is plainly safe, else in single quotes.
func shellQuoted(_ word: String) -> String {
  let safe =
    !word.isEmpty
    && word.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_./=:@,+%".unicodeScalars.contains($0)
    }
  return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
