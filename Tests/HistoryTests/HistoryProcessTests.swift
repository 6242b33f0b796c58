import Foundation
import History
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Real processes writing the history database: killed with SIGKILL mid-burst, and two at once.
///
/// The writer is `tokenwarden-bench history-writer PATH COUNT`, built alongside the tests; it prints each id after
/// its transaction commits, so every id read from it must be in the database whatever happens next.
@Suite struct HistoryProcessTests {
  static var writerPath: String {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    return here.appendingPathComponent("tokenwarden-bench").path
  }

  /// A running writer and the ids it has reported committed.
  final class Writer: @unchecked Sendable {
    let process = Process()
    let output = Pipe()
    var buffer = Data()

    /// `gate`: the writer opens the database only when a line arrives on it.
    init(path: String, count: Int, gate: Pipe? = nil) throws {
      process.executableURL = URL(fileURLWithPath: HistoryProcessTests.writerPath)
      process.arguments = ["history-writer", path, String(count)] + (gate == nil ? [] : ["--wait"])
      if let gate { process.standardInput = gate }
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    /// Reads until `count` commits were reported (or the writer ended); the ids read.
    func readCommits(_ count: Int) -> [Int64] {
      var ids: [Int64] = []
      while ids.count < count {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        buffer += chunk
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
          let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
          buffer = Data(buffer[(newline + 1)...])
          if let id = Int64(line.replacingOccurrences(of: "committed ", with: "")) { ids.append(id) }
        }
      }
      return ids
    }
  }

  @Test func killedMidBurstTheDatabaseIsIntactAndEveryCommittedRowIsThere() async throws {
    #expect(
      FileManager.default.isExecutableFile(atPath: Self.writerPath), "build tokenwarden-bench first (swift build)")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tokenwarden-kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history.db").path
    let (committed, reasons) = try await blocking { () -> ([Int64], [Process.TerminationReason]) in
      var committed: [Int64] = []
      var reasons: [Process.TerminationReason] = []
      var generator = SystemRandomNumberGenerator()
      for _ in 0..<12 {
        let writer = try Writer(path: path, count: 100_000)
        // Killed after a random number of commits: somewhere inside a later transaction, or between two.
        committed += writer.readCommits(Int.random(in: 1...150, using: &generator))
        kill(writer.process.processIdentifier, SIGKILL)
        writer.process.waitUntilExit()
        reasons.append(writer.process.terminationReason)
      }
      return (committed, reasons)
    }
    #expect(reasons.allSatisfy { $0 == .uncaughtSignal })
    let store = try HistoryStore(path: path, retentionDays: nil)
    #expect(try store.integrityCheck() == "ok")
    let stored = Set(try store.recentChecks(limit: 1_000_000).compactMap(\.id))
    #expect(Set(committed).isSubset(of: stored))
    let counts = try store.counts()
    // Whole checks or none: every stored check has both its tokens and its event.
    #expect(counts["check_tokens"] == (counts["checks"] ?? 0) * 2)
    #expect(counts["events"] == counts["checks"])
  }

  @Test func twoProcessesWritingAtOnceGetNoErrorAndLoseNoRow() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tokenwarden-two-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history.db").path
    let (ids, statuses) = try await blocking { () -> ([[Int64]], [Int32]) in
      let writers = [try Writer(path: path, count: 300), try Writer(path: path, count: 300)]
      let ids = writers.map { $0.readCommits(300) }
      for writer in writers { writer.process.waitUntilExit() }
      return (ids, writers.map(\.process.terminationStatus))
    }
    #expect(statuses == [0, 0])
    #expect(ids.map(\.count) == [300, 300])
    let store = try HistoryStore(path: path, retentionDays: nil)
    #expect(try store.counts()["checks"] == 600)
    #expect(Set(ids.flatMap { $0 }).count == 600)
  }

  /// Processes that create the database together: switching a new file to WAL is answered "locked" at once, without
  /// the busy timeout, while another process holds it; every one of them must still open it and write.
  @Test func processesCreatingTheDatabaseTogetherAllWrite() async throws {
    for _ in 0..<20 {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "tokenwarden-new-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let path = directory.appendingPathComponent("history.db").path
      let (ids, statuses) = try await blocking { () -> ([[Int64]], [Int32]) in
        let gates = (0..<4).map { _ in Pipe() }
        let writers = try gates.map { try Writer(path: path, count: 3, gate: $0) }
        // All started; now let them open the new file at the same moment.
        for gate in gates { gate.fileHandleForWriting.write(Data("go\n".utf8)) }
        let ids = writers.map { $0.readCommits(3) }
        for writer in writers { writer.process.waitUntilExit() }
        return (ids, writers.map(\.process.terminationStatus))
      }
      #expect(statuses == [0, 0, 0, 0])
      #expect(ids.map(\.count) == [3, 3, 3, 3])
      #expect(try HistoryStore(path: path, retentionDays: nil).counts()["checks"] == 12)
    }
  }
}
