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
  /// Blocks until SIGINT or SIGTERM arrives; returns the signal's name.
  static func waitForTerminationSignal() -> String {
    let semaphore = DispatchSemaphore(value: 0)
    let received = LockedString()
    var sources: [DispatchSourceSignal] = []
    for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        received.set(name)
        semaphore.signal()
      }
      source.resume()
      sources.append(source)
    }
    semaphore.wait()
    sources.forEach { $0.cancel() }
    return received.value
  }

  /// The state directory: `TOKENWARDEN_STATE_DIR`, else `$XDG_STATE_HOME/tokenwarden`, else
  /// `~/.local/state/tokenwarden`.
  static func stateDirectory(environment: [String: String]) -> String {
    if let explicit = environment["TOKENWARDEN_STATE_DIR"], !explicit.isEmpty { return explicit }
    if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/tokenwarden" }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/state/tokenwarden"
  }
}

final class LockedString: @unchecked Sendable {
  private let lock = NSLock()
  private var stored = ""
  func set(_ value: String) { lock.withLock { stored = value } }
  var value: String { lock.withLock { stored } }
}
