import Dispatch
import Foundation

#if canImport(Glibc)
  import CMalloc
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Platform queries, in one place.
package enum Platform {
  static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

  /// The first executable `name` in the directories of PATH (of `environment`), else of the usual system ones.
  static func findProgram(_ name: String, environment: [String: String]) -> String? {
    let path = environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }

  /// Set once, first thing, by the executable. glibc gives each thread that allocates a heap of its own (up to eight
  /// per core), and memory freed in one is not reused by another: the policy's syntax tree, freed after reading,
  /// stayed resident while the plan was built on other threads. A command that runs once uses one heap (a plan of
  /// 10,000 tokens peaked at 118 MB with glibc's default, 100–108 MB with two heaps, 90–99 MB with one, no slower);
  /// the service, which serves many connections for days, keeps glibc's default.
  package static func prepareProcess(arguments: [String]) {
    #if canImport(Glibc)
      if arguments.first != "serve" { _ = mallopt(M_ARENA_MAX, 1) }
    #endif
  }
}

extension Platform {
  /// The state directory: `TOKENWARDEN_STATE_DIR`, else `$XDG_STATE_HOME/tokenwarden`, else
  /// `~/.local/state/tokenwarden`.
  static func stateDirectory(environment: [String: String]) -> String {
    if let explicit = environment["TOKENWARDEN_STATE_DIR"], !explicit.isEmpty { return explicit }
    if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/tokenwarden" }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/state/tokenwarden"
  }
}

/// The write end of the pipe the signal handler writes the signal's number to (async-signal-safe: one `write`).
nonisolated(unsafe) private var terminationPipeWriter: Int32 = -1

/// SIGINT and SIGTERM, caught from the moment this is made (make it before announcing that the service is up, so a
/// signal sent right after the announcement is not lost), and waited for later.
///
/// A plain handler writing to a pipe, not a Dispatch signal source: on Linux a source only sees signals that arrive on
/// a thread blocking them, and with the disposition set to ignore, a signal the kernel hands to any other thread
/// (the main thread waiting in `dispatchMain`, say) was silently dropped — `serve` then never stopped.
final class TerminationSignal: @unchecked Sendable {
  private let reader: Int32

  init() {
    var descriptors: [Int32] = [-1, -1]
    if pipe(&descriptors) == 0 {
      // Not inherited by the processes TokenWarden starts.
      for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    }
    reader = descriptors[0]
    terminationPipeWriter = descriptors[1]
    for number in [SIGINT, SIGTERM] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { number in
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(terminationPipeWriter, &byte, 1)
      }
      action.sa_flags = SA_RESTART
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
  }

  /// Waits (on a thread of its own, off the cooperative pool) for the first signal; returns its name.
  func wait() async -> String {
    let reader = self.reader
    return await withCheckedContinuation { continuation in
      Thread {
        var byte: UInt8 = 0
        while read(reader, &byte, 1) < 0 && errno == EINTR {}
        continuation.resume(returning: Int32(byte) == SIGINT ? "SIGINT" : "SIGTERM")
      }.start()
    }
  }
}
