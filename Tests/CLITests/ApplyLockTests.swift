import Foundation
import Operations
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The apply lock between real processes: held while a holder runs, released by the kernel when it dies, never broken
/// from under a live holder, and never wedged by what is left in the file.
@Suite struct ApplyLockTests {
  static var benchPath: String {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    return here.appendingPathComponent("tokenwarden-bench").path
  }

  /// `tokenwarden-bench lock-holder DIR`: holds the lock until its stdin closes.
  final class Holder: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    let output = Pipe()

    init(stateDirectory: String, wait: Bool = false) throws {
      process.executableURL = URL(fileURLWithPath: ApplyLockTests.benchPath)
      process.arguments = ["lock-holder", stateDirectory] + (wait ? ["--wait"] : [])
      process.standardInput = input
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    /// The first line it prints: "acquired" or "held: …".
    func firstLine() -> String {
      var buffer = Data()
      while !buffer.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        buffer += chunk
      }
      return String(decoding: buffer, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }

    func go() { input.fileHandleForWriting.write(Data("go\n".utf8)) }

    func finish() {
      try? input.fileHandleForWriting.close()
      process.waitUntilExit()
    }

    func crash() {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  @Test func aLiveHolderBlocksApplyAndCannotBeBrokenAndItsCrashReleasesTheLock() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = ["TOKENWARDEN_STATE_DIR": state.path]
    let holder = try Holder(stateDirectory: state.path)
    #expect(try await blocking { holder.firstLine() } == "acquired")
    let pid = holder.process.processIdentifier
    let blocked = await Harness.run(["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment)
    #expect(blocked.status == 1)
    #expect(blocked.stderr.contains("another apply holds the lock: pid \(pid) on "), "\(blocked.stderr)")
    #expect(blocked.stderr.contains("(kill \(pid))"))
    let shown = await Harness.run(["lock"], environment: environment)
    #expect(shown.stdout.contains("Held by pid \(pid)"))
    #expect(shown.stdout.contains("tokenwarden-bench lock-holder"))
    let broken = await Harness.run(["lock", "--break"], environment: environment)
    #expect(broken.status == 1)
    #expect(broken.stderr.contains("A running apply's lock is never broken"))
    #expect(broken.stderr.contains("kill \(pid)"))
    // A crash between taking the lock and letting go: the kernel lets go.
    try await blocking { holder.crash() }
    let left = await Harness.run(["lock"], environment: environment)
    #expect(left.stdout.contains("ended without releasing it, which is harmless"), "\(left.stdout)")
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment)
    #expect(apply.status == 0, "\(apply.stderr)")
    let audit = await Harness.run(["history", "--applies", "--json"], environment: environment)
    #expect(audit.stdout.contains("\"outcome\" : \"applied\""))
    let after = await Harness.run(["lock"], environment: environment)
    #expect(after.stdout.hasPrefix("No apply holds the lock"))
  }

  @Test(arguments: ["", "\0\0garbage{", #"{"pid": 1, "host": "elsewhere", "started": "x", "command": "y"}"#])
  func whateverTheFileHoldsAFreeLockIsTaken(_ content: String) async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    try Data(content.utf8).write(to: state.appendingPathComponent("apply.lock"))
    let apply = await Harness.run(
      ["apply", "--sandbox", "--auto-approve", "policies/"], environment: ["TOKENWARDEN_STATE_DIR": state.path])
    #expect(apply.status == 0, "\(apply.stderr)")
    let broken = await Harness.run(["lock", "--break"], environment: ["TOKENWARDEN_STATE_DIR": state.path])
    #expect(broken.status == 0, "\(broken.stdout)\(broken.stderr)")
  }

  @Test func aDirectoryInThePlaceOfTheLockOrAStateDirectoryThatCannotBeIsAClearError() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    try FileManager.default.createDirectory(
      at: state.appendingPathComponent("apply.lock"), withIntermediateDirectories: true)
    let apply = await Harness.run(
      ["apply", "--sandbox", "--auto-approve", "policies/"], environment: ["TOKENWARDEN_STATE_DIR": state.path])
    #expect(apply.status == 1)
    #expect(apply.stderr.contains("cannot use the apply lock \(state.path)/apply.lock: it is a directory; remove it"))
    #expect(!apply.stderr.contains("pid \(getpid())"))
    // A state directory below a regular file cannot be created.
    let file = state.appendingPathComponent("file")
    try Data().write(to: file)
    let below = await Harness.run(["lock"], environment: ["TOKENWARDEN_STATE_DIR": file.path + "/state"])
    #expect(below.status == 1)
    #expect(below.stderr.contains("cannot be created"))
    #expect(below.stderr.contains("set TOKENWARDEN_STATE_DIR to a writable directory"))
  }

  @Test func twoProcessesStartedTogetherExactlyOneProceeds() async throws {
    for round in 0..<15 {
      let state = try Harness.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: state) }
      let first = try Holder(stateDirectory: state.path, wait: true)
      let second = try Holder(stateDirectory: state.path, wait: true)
      let lines = try await blocking { () -> [String] in
        first.go()
        second.go()
        return [first.firstLine(), second.firstLine()]
      }
      #expect(lines.filter { $0 == "acquired" }.count == 1, "round \(round): \(lines)")
      let winner = lines[0] == "acquired" ? first : second
      let loser = lines.first { $0 != "acquired" } ?? ""
      #expect(
        loser.contains("another apply holds the lock: pid \(winner.process.processIdentifier) on "),
        "round \(round): \(loser)")
      try await blocking {
        first.finish()
        second.finish()
      }
    }
  }
}
