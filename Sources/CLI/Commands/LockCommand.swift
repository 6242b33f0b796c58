import Foundation
import Operations

/// `tokenwarden lock`: who holds the apply lock; `--break` clears what a holder that ended left behind.
enum LockCommand {
  static let spec = CommandSpec(
    name: "lock", summary: "Show who holds the apply lock of this machine.",
    usage: "tokenwarden lock [--break]",
    options: [
      .init(
        name: "break", valueName: nil,
        help: "Clear the details a holder left when it ended (never the lock of a running apply).")
    ],
    details: """
      The lock lives in the state directory (TOKENWARDEN_STATE_DIR). The kernel releases it when its holder ends,
      however it ends, so a crashed apply never leaves it taken.
      Exit status: 0, or 1 when --break meets a running apply or the lock file cannot be used.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let lock = ApplyLock(stateDirectory: Platform.stateDirectory(environment: invocation.environment))
    let state: ApplyLock.State
    do { state = try arguments.has("break") ? lock.breakLeftover() : lock.state() } catch {
      invocation.report(.lockUnavailable("\(error)"))
      return 1
    }
    switch state {
    case .free:
      invocation.out("No apply holds the lock (\(lock.path)).\n")
      return 0
    case .leftover(let holder):
      if arguments.has("break") {
        invocation.out(
          "Cleared the details left by \(holder.description), which ended without releasing; the lock was already free.\n"
        )
      } else {
        invocation.out(
          "No apply holds the lock (\(lock.path)); the last holder, \(holder.description), ended without releasing it, which is harmless.\n"
        )
      }
      return 0
    case .held(let holder):
      let who = holder.map { "Held by \($0.description)." } ?? "Held by a process that has not written its details yet."
      let stop =
        holder.map {
          $0.host == ApplyLock.hostName
            ? " To end it, stop that process: kill \($0.pid)" : " To end it, stop that process on \($0.host)."
        } ?? ""
      if arguments.has("break") {
        invocation.report(.lockHeldNotBroken(holder: who, stop: stop))
        return 1
      }
      invocation.out("\(who)\(stop)\n")
      return 0
    }
  }
}
