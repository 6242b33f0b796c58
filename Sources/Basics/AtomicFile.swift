#if canImport(Glibc)
  import Glibc
#endif

/// Files that hold a secret: written whole or not at all (a temporary file in the same directory, renamed over the
/// target), readable by the owner only, never through a symbolic link or into a directory others may write to.
package enum AtomicFile {
  package struct Failure: Error, Sendable, CustomStringConvertible {
    package let description: String
  }

  /// Why `path` (absolute) must not receive a secret, if it must not: a symbolic link on the way, or a directory that
  /// someone else may write to (they could swap the file for one they read).
  package static func refusal(_ path: String) -> String? {
    #if canImport(Glibc)
      var prefix = ""
      let components = path.split(separator: "/", omittingEmptySubsequences: true)
      for (position, component) in components.enumerated() {
        prefix += "/" + component
        var status = stat()
        guard lstat(prefix, &status) == 0 else {
          // A missing file is created; a missing directory is an error when writing.
          if position == components.count - 1 { break }
          return "\(prefix) does not exist"
        }
        if status.st_mode & S_IFMT == S_IFLNK {
          return "\(prefix) is a symbolic link; name the file itself"
        }
      }
      let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
      var status = stat()
      guard lstat(directory.isEmpty ? "/" : directory, &status) == 0 else { return "\(directory) does not exist" }
      if status.st_mode & (S_IWGRP | S_IWOTH) != 0 {
        return
          "\(directory.isEmpty ? "/" : directory) may be written by others (mode \(String(status.st_mode & 0o777, radix: 8))); choose a directory only you can write"
      }
      return nil
    #else
      return "writing secrets to files is built for Linux only"
    #endif
  }

  /// Writes `bytes` to `path` (absolute) with mode 0600, atomically.
  package static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
    #if canImport(Glibc)
      if let refusal = refusal(path) { throw Failure(description: refusal) }
      let temporary = path + ".tokenwarden-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
      guard descriptor >= 0 else { throw Failure(description: "cannot create \(temporary): \(errorText())") }
      var written = 0
      while written < bytes.count {
        let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if result < 0 {
          if errno == EINTR { continue }
          let why = errorText()
          close(descriptor)
          unlink(temporary)
          throw Failure(description: "cannot write \(temporary): \(why)")
        }
        written += result
      }
      guard fsync(descriptor) == 0, close(descriptor) == 0 else {
        let why = errorText()
        unlink(temporary)
        throw Failure(description: "cannot write \(temporary): \(why)")
      }
      guard rename(temporary, path) == 0 else {
        let why = errorText()
        unlink(temporary)
        throw Failure(description: "cannot replace \(path): \(why)")
      }
    #else
      throw Failure(description: "writing secrets to files is built for Linux only")
    #endif
  }

  /// The file's bytes, or nil when it cannot be read.
  package static func read(_ path: String) -> [UInt8]? {
    #if canImport(Glibc)
      let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
      guard descriptor >= 0 else { return nil }
      defer { close(descriptor) }
      var bytes: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        bytes += buffer[..<count]
      }
      return bytes
    #else
      return nil
    #endif
  }

  #if canImport(Glibc)
    static func errorText() -> String { String(cString: strerror(errno)) }
  #endif
}
