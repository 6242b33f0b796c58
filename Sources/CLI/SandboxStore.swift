import Basics
import CloudflareAPI
import Foundation
import Simulator
import Synchronization
import TokenModel

/// The sandbox's simulated account, kept in the state directory so that commands see each other's changes.
///
/// The file holds the simulator's own database, fake secrets included (they exist only in the sandbox); it is written
/// atomically (a temporary file renamed over the old one) after every change.
struct SandboxStore {
  let path: String

  init(stateDirectory: String) { path = stateDirectory + "/sandbox/state.json" }

  enum Failure: Error, CustomStringConvertible {
    case scenario(Scenario.LoadError)
    case unreadable(String)

    var description: String {
      switch self {
      case .scenario(let error): return error.description
      case .unreadable(let detail): return detail
      }
    }
  }

  /// The stored state; a fresh `scenario` when there is none, when `reset`, or when a different scenario is asked for.
  func load(scenario: String?, reset: Bool) throws(Failure) -> SimulatorState {
    if !reset, let data = FileManager.default.contents(atPath: path) {
      do {
        let state = try JSONDecoder().decode(SimulatorState.self, from: data)
        if scenario == nil || scenario == state.name { return state }
      } catch {
        throw .unreadable(
          "the sandbox state \(path) is damaged (\(error)); run 'tokenwarden sandbox --reset' to start over")
      }
    }
    let state: SimulatorState
    do { state = try Scenario.load(scenario ?? "seed") } catch { throw .scenario(error) }
    save(state)
    return state
  }

  func save(_ state: SimulatorState) {
    let url = URL(fileURLWithPath: path)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    guard let data = try? encoder.encode(state) else { return }
    try? data.write(to: url, options: .atomic)
  }

  /// A simulator over the stored state that saves itself after every change: at once for one-shot commands, or
  /// coalesced on a background queue for the long-running server (call `flush` before exiting).
  func simulator(scenario: String?, reset: Bool = false, saver: CoalescingSaver? = nil) throws(Failure) -> Simulator {
    let state = try load(scenario: scenario, reset: reset)
    let store = self
    if let saver {
      // The saver takes a snapshot when it writes, not at every change: a state it kept from each change would make
      // the next change copy every token.
      let simulator = Simulator(state: state, onChange: { _ in saver.changed() })
      // Held until `flush`, which lets it go: whatever the command still changes before it ends is saved.
      saver.source.withLock { $0 = CoalescingSaver.Source { simulator.snapshot } }
      return simulator
    }
    return Simulator(state: state, onChange: { store.save($0) })
  }
}

/// Saves the latest state on a serial queue, skipping states superseded before their turn, and pausing between saves
/// for four times as long as the last one took (at least half a second): encoding 10,000 tokens takes a noticeable
/// fraction of a second, and a busy sandbox server saving back to back would take a core from the client being
/// measured. What changed in the pause is in the next save, and `flush` writes it at once (SIGINT, SIGTERM, exit).
final class CoalescingSaver: Sendable {
  let store: SandboxStore
  let queue = DispatchQueue(label: "tokenwarden.sandbox.save")
  /// The simulator's current state, read when a save starts. In a class: a closure read out of a `Mutex` through
  /// `inout` comes back wrapped in one more reabstraction thunk each time.
  let source = Mutex<Source?>(nil)

  final class Source: Sendable {
    let read: @Sendable () -> SimulatorState?
    init(_ read: @escaping @Sendable () -> SimulatorState?) { self.read = read }
  }
  let pending = Mutex(false)
  /// When the next save may start (uptime nanoseconds), set after each save.
  let notBefore = Mutex<UInt64>(0)

  init(store: SandboxStore) { self.store = store }

  func changed() {
    let first = pending.withLock { waiting -> Bool in
      defer { waiting = true }
      return !waiting
    }
    guard first else { return }
    let start = notBefore.withLock { $0 }
    queue.asyncAfter(deadline: DispatchTime(uptimeNanoseconds: max(start, DispatchTime.now().uptimeNanoseconds))) {
      self.writePending()
    }
  }

  func writePending() {
    guard
      pending.withLock({ waiting -> Bool in
        defer { waiting = false }
        return waiting
      }), let state = source.withLock({ $0 })?.read()
    else { return }
    let started = DispatchTime.now().uptimeNanoseconds
    store.save(state)
    let ended = DispatchTime.now().uptimeNanoseconds
    notBefore.withLock { $0 = ended + max(500_000_000, 4 * (ended - started)) }
  }

  /// Writes what is pending and waits for it; the last call of a command (it lets the simulator go).
  func flush() {
    queue.sync { writePending() }
    source.withLock { $0 = nil }
  }
}

/// One sandbox for every process of a state directory: `serve --sandbox` and the command line see each other's
/// changes. Around each request the simulator handles, a lock of the sandbox's own (`sandbox/state.lock`, not the
/// apply lock, which is held while a prompt waits) is taken, the state is read again when another process has written
/// it since, and what the request changed is saved before the lock is let go. Only the handling itself is locked, never
/// the simulated latency after it: a lock held across an await would block the threads the holder needs to resume.
final class SharedSandbox: Sendable {
  let store: SandboxStore
  let lockPath: String
  /// The state file as this process last read or wrote it.
  let seen: Mutex<String>
  let simulator: Simulator

  init(store: SandboxStore, simulator: Simulator) {
    self.store = store
    self.simulator = simulator
    lockPath = (store.path as NSString).deletingLastPathComponent + "/state.lock"
    seen = Mutex(Self.stamp(store.path))
  }

  /// Size and modification time: changes whenever the file is written.
  static func stamp(_ path: String) -> String { LockFile.stamp(path) }

  func around(_ handle: () -> SimResponse) -> SimResponse {
    let file = try? LockFile.open(lockPath, followLinks: true).get()
    file?.lock()
    defer {
      file?.unlock()
      file?.close()
    }
    if Self.stamp(store.path) != seen.withLock({ $0 }), let data = FileManager.default.contents(atPath: store.path),
      let state = try? JSONDecoder().decode(SimulatorState.self, from: data)
    {
      simulator.replaceState(state)
    }
    let response = handle()
    seen.withLock { $0 = Self.stamp(store.path) }
    return response
  }
}
