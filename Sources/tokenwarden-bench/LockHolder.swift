import Foundation
import Operations

/// A process that holds the apply lock, for the tests of the lock between processes.
enum LockHolder {
  static func run(stateDirectory: String) -> Int32 {
    let held: ApplyLock.Held
    do { held = try ApplyLock(stateDirectory: stateDirectory).acquire(command: "tokenwarden-bench lock-holder") } catch
    {
      FileHandle.standardOutput.write(Data("held: \(error)\n".utf8))
      return 1
    }
    FileHandle.standardOutput.write(Data("acquired\n".utf8))
    while readLine() != nil {}
    held.release()
    return 0
  }
}
