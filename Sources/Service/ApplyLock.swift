import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Serialises applies on one machine: a file in the state directory naming its holder. A holder whose process is gone
/// (same host) or that is older than an hour is stale and taken over. Correctness across machines rests on the
/// fingerprint check before each write, not on this lock.
public struct ApplyLock: Sendable {
  public struct Holder: Codable, Sendable {
    public let pid: Int32
    public let host: String
    public let started: String
    public let command: String
  }

  public let path: String

  public init(stateDirectory: String) { path = stateDirectory + "/apply.lock" }

  public static var hostName: String { ProcessInfo.processInfo.hostName }

  public func holder() -> Holder? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return try? JSONDecoder().decode(Holder.self, from: data)
  }

  /// Why a holder is stale, or nil while it is live.
  public func staleness(_ holder: Holder) -> String? {
    if holder.host == Self.hostName && kill(holder.pid, 0) != 0 && errno == ESRCH {
      return "its process \(holder.pid) has ended"
    }
    if let started = ISO8601DateFormatter().date(from: holder.started), Date().timeIntervalSince(started) > 3600 {
      return "it is more than an hour old"
    }
    return nil
  }

  public enum Acquired: Sendable {
    case acquired(tookOverStale: String?)
    case held(Holder)
  }

  public func acquire(command: String) -> Acquired {
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

  public func release() { unlink(path) }
}
