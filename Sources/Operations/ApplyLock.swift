import Foundation

#if canImport(Glibc)
  import Glibc
#endif

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
    let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Clears the details (so a later `lock` shows no holder) and lets go.
    package func release() {
      _ = ftruncate(descriptor, 0)
      close(descriptor)
    }
  }

  /// Takes the lock without waiting, writing this process's details into the file.
  package func acquire(command: String) throws(Failure) -> Held {
    let descriptor = try open()
    if case .held(let holder) = try lock(descriptor) {
      close(descriptor)
      throw .held(holder)
    }
    let me = Holder(
      pid: getpid(), host: Self.hostName, started: ISO8601DateFormatter().string(from: Date()), command: command)
    let data = [UInt8]((try? JSONEncoder().encode(me)) ?? Data()) + [UInt8(ascii: "\n")]
    _ = ftruncate(descriptor, 0)
    _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    return Held(descriptor: descriptor)
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
    let descriptor = try open()
    defer { close(descriptor) }
    if case .held(let holder) = try lock(descriptor) { return .held(holder) }
    defer { _ = flock(descriptor, LOCK_UN) }
    return Self.holder(in: descriptor).map(State.leftover) ?? .free
  }

  /// Clears the details a holder left when it ended without releasing. A live holder is never broken: its lock is
  /// the kernel's, and taking it from a running apply would let two write at once. Answers the state found.
  package func breakLeftover() throws(Failure) -> State {
    let descriptor = try open()
    defer { close(descriptor) }
    if case .held(let holder) = try lock(descriptor) { return .held(holder) }
    defer { _ = flock(descriptor, LOCK_UN) }
    let left = Self.holder(in: descriptor)
    _ = ftruncate(descriptor, 0)
    return left.map(State.leftover) ?? .free
  }

  /// Takes the lock on `descriptor` without waiting: `.free` when taken, else the holder.
  ///
  /// A holder writes its details right after taking the lock, so a lock held with no details for long is not an
  /// apply's: a child process another thread is starting shares the descriptor (and so the lock) from fork until
  /// its exec closes it. Such a lock is gone within milliseconds: it is tried once more before it counts as held.
  func lock(_ descriptor: Int32) throws(Failure) -> State {
    for attempt in 0..<2 {
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return .free }
      guard errno == EWOULDBLOCK else { throw .unusable(path: path, reason: String(cString: strerror(errno))) }
      if let holder = currentHolder() { return .held(holder) }
      if attempt == 1 { break }
    }
    return .held(nil)
  }

  /// Opens (creating) the lock file, saying plainly what is in the way.
  func open() throws(Failure) -> Int32 {
    let directory = (path as NSString).deletingLastPathComponent
    do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
      throw .unusable(
        path: path,
        reason:
          "the state directory \(directory) cannot be created (\(error.localizedDescription)); set TOKENWARDEN_STATE_DIR to a writable directory"
      )
    }
    let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard descriptor >= 0 else {
      let reason = errno
      switch reason {
      case EISDIR: throw .unusable(path: path, reason: "it is a directory; remove it (rmdir \(path))")
      case ELOOP: throw .unusable(path: path, reason: "it is a symbolic link; remove it")
      case EACCES, EROFS, EPERM:
        throw .unusable(
          path: path, reason: "\(String(cString: strerror(reason))); set TOKENWARDEN_STATE_DIR to a writable directory")
      default: throw .unusable(path: path, reason: String(cString: strerror(reason)))
      }
    }
    return descriptor
  }

  /// The holder's details. A holder writes them right after taking the lock: a reader that comes in between reads an
  /// empty file, so it looks again a few times before saying the details are not there.
  func currentHolder() -> Holder? {
    for attempt in 0..<20 {
      let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
      if descriptor >= 0 {
        defer { close(descriptor) }
        if let holder = Self.holder(in: descriptor) { return holder }
      }
      if attempt < 19 { usleep(5_000) }
    }
    return nil
  }

  static func holder(in descriptor: Int32) -> Holder? {
    var bytes = [UInt8](repeating: 0, count: 4096)
    let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    return try? JSONDecoder().decode(Holder.self, from: Data(bytes[0..<count]))
  }
}
