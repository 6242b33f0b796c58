import Foundation
import Synchronization
import Simulator
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
    if let saver { return Simulator(state: state, onChange: { saver.schedule($0) }) }
    return Simulator(state: state, onChange: { store.save($0) })
  }
}

/// Saves the latest state on a serial queue, skipping states superseded before their turn: a busy sandbox server
/// writes its file a few times a second instead of once per request.
final class CoalescingSaver: Sendable {
  let store: SandboxStore
  let queue = DispatchQueue(label: "tokenwarden.sandbox.save")
  let pending = Mutex<SimulatorState?>(nil)

  init(store: SandboxStore) { self.store = store }

  func schedule(_ state: SimulatorState) {
    let first = pending.withLock { current -> Bool in
      defer { current = state }
      return current == nil
    }
    guard first else { return }
    queue.async { self.writePending() }
  }

  func writePending() {
    guard let state = pending.withLock({ current -> SimulatorState? in
      defer { current = nil }
      return current
    }) else { return }
    store.save(state)
  }

  /// Writes what is pending and waits for it.
  func flush() { queue.sync { writePending() } }
}
