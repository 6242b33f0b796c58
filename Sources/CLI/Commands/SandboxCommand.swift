import Basics
import Foundation
import HTTPServer
import Simulator
import TokenModel

/// `tokenwarden sandbox`: the simulated Cloudflare account, served over loopback HTTP, or reset.
enum SandboxCommand {
  static let spec = CommandSpec(
    name: "sandbox",
    summary: "Serve the built-in simulated Cloudflare account over HTTP, or reset it.",
    usage: "tokenwarden sandbox [--listen HOST:PORT] [--scenario NAME|FILE] [--reset] [fault options]",
    options: [
      .init(
        name: "listen", valueName: "HOST:PORT", help: "Address to serve on (default 127.0.0.1:8788; port 0 picks one)."),
      .init(
        name: "scenario", valueName: "NAME|FILE", help: "\(Scenario.helpList) (seed by default), or a scenario file."),
      .init(name: "reset", valueName: nil, help: "Start the simulated account over from the scenario, then exit."),
      .init(name: "latency", valueName: "MS", help: "Add this many milliseconds to every answer."),
      .init(
        name: "error-rate", valueName: "RATE", help: "Answer this share of requests 502 with an HTML page (0 to 1)."),
      .init(name: "reset-rate", valueName: "RATE", help: "Reset this share of connections without answering."),
      .init(name: "rate-limited-rate", valueName: "RATE", help: "Answer this share of requests 429."),
      .init(name: "applied-but-failed-rate", valueName: "RATE", help: "Apply this share of PUTs but answer 500."),
      .init(name: "seed", valueName: "N", help: "Seed of the fault sequence (default 1)."),
      .init(name: "allow-self-edit", valueName: nil, help: "Let a token edit or roll itself (refused by default)."),
    ],
    details: """
      The account's state lives in the state directory (TOKENWARDEN_STATE_DIR, default the XDG state directory) and is
      shared with every command run with --sandbox, so plan → apply → plan shows changes taking hold.
      Prints the base URL and the export lines of the scenario's (fake) token values, then serves until SIGINT or
      SIGTERM. Point TokenWarden at it with CLOUDFLARE_API_BASE_URL. While it serves, it owns the state (its saves
      replace what other processes write there): stop it before --reset.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let store = SandboxStore(stateDirectory: Platform.stateDirectory(environment: invocation.environment))
    let saver = CoalescingSaver(store: store)
    defer { saver.flush() }
    let simulator: Simulator
    do {
      simulator = try store.simulator(
        scenario: arguments.value("scenario"), reset: arguments.has("reset"), saver: saver)
    } catch {
      invocation.report(.sandboxUnavailable(error.description))
      return 1
    }
    var faults = simulator.snapshot.faults
    var changed = false
    func rate(_ name: String, _ apply: (Double) -> Void) -> Bool {
      guard let text = arguments.value(name) else { return true }
      guard let value = Double(text), (0...1).contains(value) else {
        invocation.report(.badValue(option: "--\(name)", expects: "a number from 0 to 1", got: text))
        return false
      }
      apply(value)
      changed = true
      return true
    }
    guard rate("error-rate", { faults.errorRate = $0 }), rate("reset-rate", { faults.resetRate = $0 }),
      rate("rate-limited-rate", { faults.rateLimitedRate = $0 }),
      rate("applied-but-failed-rate", { faults.appliedButFailedRate = $0 })
    else { return 1 }
    if let text = arguments.value("latency") {
      guard let value = Int(text), value >= 0 else {
        invocation.report(.badValue(option: "--latency", expects: "milliseconds", got: text))
        return 1
      }
      faults.latencyMilliseconds = value
      changed = true
    }
    if let text = arguments.value("seed") {
      guard let value = UInt64(text) else {
        invocation.report(.badValue(option: "--seed", expects: "a whole number", got: text))
        return 1
      }
      faults.seed = value
      changed = true
    }
    if changed { simulator.setFaults(faults) }
    if arguments.has("allow-self-edit") { simulator.mutate { $0.settings.allowSelfEdit = true } }
    let state = simulator.snapshot
    if arguments.has("reset") {
      invocation.out("The sandbox was reset to scenario '\(state.name)': \(plural(state.tokens.count, "token")).\n")
      return 0
    }
    var configuration = ServerConfiguration()
    guard let (host, port, listen) = arguments.listenAddress(default: "127.0.0.1:8788", invocation: invocation) else {
      return 1
    }
    configuration.host = host
    configuration.port = port
    let termination = TerminationSignal()
    let server: HTTPServer
    do { server = try simulator.serve(configuration: configuration) } catch {
      invocation.report(.cannotListen(listen: listen, why: "\(error)"))
      return 1
    }
    let base = server.baseURL + Simulator.basePath
    var text = "Sandbox '\(state.name)' serving Cloudflare's token API at \(base)\n"
    if let description = state.description { text += description + "\n" }
    text += "\nexport CLOUDFLARE_API_BASE_URL=\(base)\n"
    for token in state.tokens.prefix(20) { if let env = token.env { text += "export \(env)=\(token.secret)\n" } }
    if state.tokens.count > 20 { text += "# … \(state.tokens.count - 20) more tokens: see \(store.path)\n" }
    text += "\nThese values are fake: they work only against this sandbox. Stop with Ctrl-C.\n"
    invocation.out(text)
    let signal = await termination.wait()
    invocation.err("\(signal): stopping the sandbox.\n")
    server.stop(grace: 5)
    return 0
  }
}
