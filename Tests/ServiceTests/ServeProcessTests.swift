import Foundation
import History
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `tokenwarden serve` as a process (built beside the tests): SIGTERM lets the run in progress finish, then exit 0.
@Suite struct ServeProcessTests {
  static var binary: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
      .appendingPathComponent("tokenwarden").path
  }

  static func run(_ arguments: [String], environment: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    return process
  }

  @Test func sigtermLetsTheRunningCycleFinishAndExitsZero() async throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build tokenwarden first (swift build)")
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = [
      "TOKENWARDEN_STATE_DIR": state.path, "CLIENT_AUTH_TOKEN": "serve-test-token-0123456789abcdef",
      "PATH": "/usr/bin:/bin",
    ]
    // Slow answers from the sandbox, so the catch-up run at start is still going when SIGTERM arrives.
    let reset = try Self.run(["sandbox", "--reset", "--latency", "150"], environment: environment)
    reset.standardOutput = FileHandle.nullDevice
    try reset.run()
    try await blocking { reset.waitUntilExit() }
    let serve = try Self.run(["serve", "--sandbox", "--listen", "127.0.0.1:0", "policies/"], environment: environment)
    let output = Pipe()
    let errors = Pipe()
    serve.standardOutput = output
    serve.standardError = errors
    try serve.run()
    let (text, stopped, log, status) = try await blocking { () -> (String, Bool, String, Int32) in
      let exited = DispatchSemaphore(value: 0)
      serve.terminationHandler = { _ in exited.signal() }
      var text = ""
      while !text.contains("Stop with Ctrl-C") {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
      }
      kill(serve.processIdentifier, SIGTERM)
      // Bounded, so a lost signal fails the test instead of hanging the suite.
      let stopped = exited.wait(timeout: .now() + 120) == .success || !serve.isRunning
      if !stopped { kill(serve.processIdentifier, SIGKILL) }
      let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      serve.waitUntilExit()
      return (text, stopped, log, serve.terminationStatus)
    }
    #expect(text.contains("TokenWarden serving at http://127.0.0.1:"))
    #expect(stopped, "serve did not stop within 120 s of SIGTERM")
    #expect(status == 0, "\(log)")
    #expect(log.contains("SIGTERM: finishing the run in progress, then stopping."))
    #expect(log.contains("stopped."))
    #expect(!log.contains("serve-test-token-0123456789abcdef"))
    // The catch-up run was not cut short: its heal is in the history.
    let store = try HistoryStore(path: state.appendingPathComponent("history.db").path)
    let checks = try store.recentChecks(limit: 5)
    #expect(checks.first?.overall == "healthy")
    #expect(checks.contains { $0.healAttempted && $0.healResult == "success" })
  }
}
