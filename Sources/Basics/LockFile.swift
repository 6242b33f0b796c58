#if canImport(Glibc)
  import Glibc
#endif

/// An open file locked with `flock(2)`: the platform calls for file locks, in one place (the apply lock and the
/// sandbox's state file use them). The kernel holds the lock, not the file: it belongs to the open file description,
/// so it goes when the descriptor is closed or the process ends in any way.
package struct LockFile: Sendable {
  package let descriptor: Int32

  package enum OpenFailure: Error, Sendable {
    case isDirectory
    case isSymbolicLink
    /// Permission denied, or a read-only file system; the system's words.
    case notWritable(String)
    case other(String)
  }

  /// Opens `path`, creating it unless `readOnly`; never through a symbolic link unless `followLinks`.
  package static func open(_ path: String, readOnly: Bool = false, followLinks: Bool = false)
    -> Result<LockFile, OpenFailure>
  {
    var flags = O_CLOEXEC | (readOnly ? O_RDONLY : O_RDWR | O_CREAT)
    if !followLinks { flags |= O_NOFOLLOW }
    let descriptor = Glibc.open(path, flags, 0o644)
    guard descriptor < 0 else { return .success(LockFile(descriptor: descriptor)) }
    let code = errno
    switch code {
    case EISDIR: return .failure(.isDirectory)
    case ELOOP: return .failure(.isSymbolicLink)
    case EACCES, EROFS, EPERM: return .failure(.notWritable(Self.text(code)))
    default: return .failure(.other(Self.text(code)))
    }
  }

  package enum Attempt: Sendable {
    case taken
    /// Another open file description holds it.
    case busy
    case failed(String)
  }

  /// Takes the lock without waiting.
  package func tryLock() -> Attempt {
    if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return .taken }
    return errno == EWOULDBLOCK ? .busy : .failed(Self.text(errno))
  }

  /// Takes the lock, waiting for it; false when it cannot be taken at all.
  @discardableResult
  package func lock() -> Bool { flock(descriptor, LOCK_EX) == 0 }

  package func unlock() { _ = flock(descriptor, LOCK_UN) }

  /// Empties the file.
  package func clear() { _ = ftruncate(descriptor, 0) }

  /// Replaces the file's content.
  package func write(_ bytes: [UInt8]) {
    clear()
    _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
  }

  /// The file's first `limit` bytes.
  package func read(limit: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: limit)
    let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
    return count > 0 ? Array(bytes[0..<count]) : []
  }

  package func close() { _ = Glibc.close(descriptor) }

  package static var processID: Int32 { getpid() }

  /// A few milliseconds, between looks at a file another process is about to write.
  package static func pause(milliseconds: Int) { usleep(useconds_t(milliseconds * 1000)) }

  /// Size and modification time to the nanosecond: changes whenever the file at `path` is written ("-" when there
  /// is none).
  package static func stamp(_ path: String) -> String {
    var info = stat()
    guard stat(path, &info) == 0 else { return "-" }
    return "\(info.st_size).\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }

  static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
