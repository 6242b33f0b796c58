import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Serialises applies on one machine: a file in the state directory naming its holder. A holder whose process is gone
/// (same host) or that is older than an hour is stale and taken over. Correctness across machines rests on the
/// fingerprint check before each write, not on this lock.
struct ApplyLock {
  struct Holder: Codable {
    let pid: Int32
    let host: String
    let started: String
    let command: String
  }

  let path: String

  init(stateDirectory: String) { path = stateDirectory + "/apply.lock" }

  static var hostName: String { ProcessInfo.processInfo.hostName }

  func holder() -> Holder? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return try? JSONDecoder().decode(Holder.self, from: data)
  }

  /// Why a holder is stale, or nil while it is live.
  func staleness(_ holder: Holder) -> String? {
    if holder.host == Self.hostName && kill(holder.pid, 0) != 0 && errno == ESRCH {
      return "its process \(holder.pid) has ended"
    }
    if let started = ISO8601DateFormatter().date(from: holder.started), Date().timeIntervalSince(started) > 3600 {
      return "it is more than an hour old"
    }
    return nil
  }

  enum Acquired {
    case acquired(tookOverStale: String?)
    case held(Holder)
  }

  func acquire(command: String) -> Acquired {
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    var tookOver: String?
    for _ in 0..<2 {
      let me = Holder(
        pid: getpid(), host: Self.hostName, started: ISO8601DateFormatter().string(from: Date()), command: command)
      let data = (try? JSONEncoder().encode(me)) ?? Data()
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
      if fd >= 0 {
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return .acquired(tookOverStale: tookOver)
      }
      guard let existing = holder(), let why = staleness(existing) else {
        return .held(holder() ?? me)
      }
      tookOver = "took over a stale lock of pid \(existing.pid) on \(existing.host) (\(why))"
      unlink(path)
    }
    return .held(holder() ?? Holder(pid: 0, host: "?", started: "?", command: "?"))
  }

  func release() { unlink(path) }
}

/// `tokenwarden lock`: who holds the apply lock; `--break` removes it.
enum LockCommand {
  static let spec = CommandSpec(
    name: "lock", summary: "Show who holds the apply lock of this machine, or break it.",
    usage: "tokenwarden lock [--break]",
    options: [.init(name: "break", valueName: nil, help: "Remove the lock (only when its holder is gone).")],
    details: "The lock lives in the state directory (TOKENWARDEN_STATE_DIR).")

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let lock = ApplyLock(stateDirectory: Platform.stateDirectory(environment: invocation.environment))
    guard let holder = lock.holder() else {
      invocation.out("No apply holds the lock (\(lock.path)).\n")
      return 0
    }
    let stale = lock.staleness(holder).map { " — stale: \($0)" } ?? ""
    invocation.out("Held by pid \(holder.pid) on \(holder.host) since \(holder.started): \(holder.command)\(stale)\n")
    if arguments.has("break") {
      lock.release()
      invocation.out("Lock broken.\n")
    }
    return 0
  }
}
