#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Platform queries, in one place.
enum Platform {
  static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}

import Dispatch
import Foundation

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

/// SIGINT and SIGTERM, caught from the moment this is made (make it before announcing that the service is up, so a
/// signal sent right after the announcement is not lost), and waited for later.
final class TerminationSignal: @unchecked Sendable {
  private let semaphore = DispatchSemaphore(value: 0)
  private let received = LockedString()
  private var sources: [DispatchSourceSignal] = []

  init() {
    for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [received, semaphore] in
        received.set(name)
        semaphore.signal()
      }
      source.resume()
      sources.append(source)
    }
  }

  /// Waits (on a thread of its own, off the cooperative pool) for the first signal; returns its name.
  func wait() async -> String {
    await withCheckedContinuation { continuation in
      Thread { [self] in
        semaphore.wait()
        sources.forEach { $0.cancel() }
        continuation.resume(returning: received.value)
      }.start()
    }
  }
}

final class LockedString: @unchecked Sendable {
  private let lock = NSLock()
  private var stored = ""
  func set(_ value: String) { lock.withLock { stored = value } }
  var value: String { lock.withLock { stored } }
}
