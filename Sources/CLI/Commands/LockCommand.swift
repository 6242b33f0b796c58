import Foundation
import Service

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
