import Dispatch
import Foundation

/// Runs a program with something on its standard input (a secret for a sink command, a message for `sendmail`) and
/// nothing of it anywhere else; its output is discarded, since a program may echo what it was given.
package enum ProgramInput {
  package enum Outcome: Sendable, Equatable {
    /// It ran to the end; `read` is false when it exited or closed its input before taking all of it.
    case exited(status: Int32, read: Bool)
    case timedOut
    case cannotStart(String)
  }

  package static func run(
    _ executable: String, arguments: [String], directory: String? = nil, input: Data, timeout: Double
  ) -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe()
    BrokenPipes.ignore()
    process.standardInput = stdin
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do { try process.run() } catch { return .cannotStart(error.localizedDescription) }
    let read = (try? stdin.fileHandleForWriting.write(contentsOf: input)) != nil
    try? stdin.fileHandleForWriting.close()
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      process.waitUntilExit()
      return .timedOut
    }
    process.waitUntilExit()
    return .exited(status: process.terminationStatus, read: read)
  }
}
