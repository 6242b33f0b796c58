import Basics
import Foundation

/// Serialises applies on one machine with `flock(2)` on `apply.lock` in the state directory.
///
/// The kernel holds the lock, not the file: it belongs to the open file description, so it is released when the
/// holder closes it or its process ends in any way (a crash, SIGKILL, a power cut), and a second open in the same
/// process contends like another process would. The file's content only says who holds it (pid, host, start, command)
/// for `tokenwarden lock`; an empty or garbled file changes nothing. The file itself is never removed: removing it
/// while another process waits on it would let two holders lock two different files.
///
/// Correctness across machines rests on the fresh read before each write, not on this lock; `flock` on a network
/// file system may lock only on the machine that takes it.
package final class ApplyLock: Sendable {
  package struct Holder: Codable, Sendable, Hashable {
    package let pid: Int32
    package let host: String
    package let started: String
    package let command: String

    package var description: String { "pid \(pid) on \(host) since \(started) (\(command))" }
  }

  /// Why the lock could not be taken.
  package enum Failure: Error, Sendable, CustomStringConvertible {
    /// Another process holds it; its details when it has written them.
    case held(Holder?)
    /// The lock file cannot be used at all.
    case unusable(path: String, reason: String)

    package var description: String {
      switch self {
      case .held(let holder?):
        return "another apply holds the lock: \(holder.description); wait for it to finish, or stop it "
          + (holder.host == ApplyLock.hostName ? "(kill \(holder.pid))" : "on \(holder.host)")
      case .held(nil):
        return
          "another apply holds the lock (it has not written its details yet); wait for it to finish, or see 'tokenwarden lock'"
      case .unusable(let path, let reason):
        return "cannot use the apply lock \(path): \(reason)"
      }
    }
  }

  package let path: String

  package init(stateDirectory: String) { path = stateDirectory + "/apply.lock" }

  package static var hostName: String { ProcessInfo.processInfo.hostName }

  /// A lock taken: released by `release()`, or by the kernel when the process ends.
  package final class Held: Sendable {
    let file: LockFile

    init(file: LockFile) { self.file = file }

    /// Clears the details (so a later `lock` shows no holder) and lets go.
    package func release() {
      file.clear()
      file.close()
    }
  }

  /// Takes the lock without waiting, writing this process's details into the file.
  package func acquire(command: String) throws(Failure) -> Held {
    let file = try open()
    if case .held(let holder) = try lock(file) {
      file.close()
      throw .held(holder)
    }
    let me = Holder(
      pid: LockFile.processID, host: Self.hostName, started: ISO8601DateFormatter().string(from: Date()),
      command: command)
    file.write([UInt8]((try? JSONEncoder().encode(me)) ?? Data()) + [UInt8(ascii: "\n")])
    return Held(file: file)
  }

  /// What `lock` shows.
  package enum State: Sendable, Hashable {
    case free
    /// Free, but a holder that ended without releasing left its details (harmless: the next apply takes the lock).
    case leftover(Holder)
    /// Held by a live process; its details when it has written them.
    case held(Holder?)
  }

  package func state() throws(Failure) -> State {
    let file = try open()
    defer { file.close() }
    if case .held(let holder) = try lock(file) { return .held(holder) }
    defer { file.unlock() }
    return Self.holder(in: file).map(State.leftover) ?? .free
  }

  /// Clears the details a holder left when it ended without releasing. A live holder is never broken: its lock is
  /// the kernel's, and taking it from a running apply would let two write at once. Answers the state found.
  package func breakLeftover() throws(Failure) -> State {
    let file = try open()
    defer { file.close() }
    if case .held(let holder) = try lock(file) { return .held(holder) }
    defer { file.unlock() }
    let left = Self.holder(in: file)
    file.clear()
    return left.map(State.leftover) ?? .free
  }

  /// Takes the lock on `file` without waiting: `.free` when taken, else the holder.
  ///
  /// A holder writes its details right after taking the lock, so a lock held with no details for long is not an
  /// apply's: a child process another thread is starting shares the descriptor (and so the lock) from fork until
  /// its exec closes it. Such a lock is gone within milliseconds: it is tried once more before it counts as held.
  func lock(_ file: LockFile) throws(Failure) -> State {
    for attempt in 0..<2 {
      switch file.tryLock() {
      case .taken: return .free
      case .failed(let reason): throw .unusable(path: path, reason: reason)
      case .busy: break
      }
      if let holder = currentHolder() { return .held(holder) }
      if attempt == 1 { break }
    }
    return .held(nil)
  }

  /// Opens (creating) the lock file, saying plainly what is in the way.
  func open() throws(Failure) -> LockFile {
    let directory = (path as NSString).deletingLastPathComponent
    do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
      throw .unusable(
        path: path,
        reason:
          "the state directory \(directory) cannot be created (\(error.localizedDescription)); set TOKENWARDEN_STATE_DIR to a writable directory"
      )
    }
    switch LockFile.open(path) {
    case .success(let file): return file
    case .failure(.isDirectory): throw .unusable(path: path, reason: "it is a directory; remove it (rmdir \(path))")
    case .failure(.isSymbolicLink): throw .unusable(path: path, reason: "it is a symbolic link; remove it")
    case .failure(.notWritable(let reason)):
      throw .unusable(path: path, reason: "\(reason); set TOKENWARDEN_STATE_DIR to a writable directory")
    case .failure(.other(let reason)): throw .unusable(path: path, reason: reason)
    }
  }

  /// The holder's details. A holder writes them right after taking the lock: a reader that comes in between reads an
  /// empty file, so it looks again a few times before saying the details are not there.
  func currentHolder() -> Holder? {
    for attempt in 0..<20 {
      if case .success(let file) = LockFile.open(path, readOnly: true) {
        defer { file.close() }
        if let holder = Self.holder(in: file) { return holder }
      }
      if attempt < 19 { LockFile.pause(milliseconds: 5) }
    }
    return nil
  }

  static func holder(in file: LockFile) -> Holder? {
    let bytes = file.read(limit: 4096)
    guard !bytes.isEmpty else { return nil }
    return try? JSONDecoder().decode(Holder.self, from: Data(bytes))
  }
}
