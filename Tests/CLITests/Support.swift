import CLI
import Foundation
import Synchronization
import TestSupport
import Testing

/// Runs the command line in-process and records what it prints.
final class Recorder: Sendable {
  let out = Mutex("")
  let err = Mutex("")

  var stdout: String { out.withLock { $0 } }
  var stderr: String { err.withLock { $0 } }
}

struct RunResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum Harness {
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  static func run(
    _ arguments: [String], environment: [String: String] = [:], terminal: Bool = false, directory: String? = nil,
    now: Date = Harness.now
  ) async -> RunResult {
    let recorder = Recorder()
    let console = Console(
      writeOut: { text in recorder.out.withLock { $0 += text } },
      writeErr: { text in recorder.err.withLock { $0 += text } },
      stdoutIsTerminal: terminal, stderrIsTerminal: terminal, stdinIsTerminal: false)
    let invocation = Invocation(
      arguments: arguments, environment: environment, console: console,
      workingDirectory: directory ?? repositoryRoot.path, now: { now })
    let status = await TokenWardenCLI.run(invocation)
    return RunResult(status: status, stdout: recorder.stdout, stderr: recorder.stderr)
  }

  /// The clock of commands run by tests: golden files hold ages ("issued 205 days ago") computed from it.
  static let now = ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z") ?? Date()

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Golden files under `Tests/CLITests/Snapshots`, re-recorded with `TOKENWARDEN_RECORD=1`.
enum Snapshot {
  static var directory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
  }

  static func input(_ name: String) -> String { directory.appendingPathComponent(name).path }

  static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    Golden.check(actual, against: directory.appendingPathComponent(name), sourceLocation: sourceLocation)
  }
}

extension Harness {
  /// A built-in scenario as the sandbox saves it, its tokens changed by `edit`, written as a scenario file named
  /// `file` in the state directory; returns the file's path.
  static func scenario(
    _ name: String, state: URL, environment: [String: String], saveAs file: String,
    editing edit: ([[String: Any]]) -> [[String: Any]]
  ) async throws -> String {
    let reset = await run(["sandbox", "--reset", "--scenario", name], environment: environment)
    try #require(reset.status == 0, "\(reset.stderr)")
    let stateFile = state.appendingPathComponent("sandbox/state.json")
    var document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: stateFile)) as? [String: Any])
    document["tokens"] = edit(try #require(document["tokens"] as? [[String: Any]]))
    let scenario = state.appendingPathComponent(file)
    try JSONSerialization.data(withJSONObject: document).write(to: scenario)
    return scenario.path
  }

  /// Runs a program through `env` and returns its status and output (stdout and stderr together).
  static func process(_ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil) throws
    -> (status: Int32, output: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
