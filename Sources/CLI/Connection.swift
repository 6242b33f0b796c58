import CloudflareAPI
import Foundation
import Simulator
import TokenModel

/// How a command reaches Cloudflare: the real API, or the in-process sandbox; and where token values come from.
struct Connection {
  let client: CloudflareClient
  /// Environment variables for secrets: the process's, with the sandbox's fake secrets over them in sandbox mode.
  let secrets: [String: String]
  /// "Cloudflare (https://…)" or "the sandbox (scenario seed)".
  let description: String
  let simulator: Simulator?

  static let options: [CommandSpec.Option] = [
    .init(name: "sandbox", valueName: nil, help: "Talk to the built-in simulated Cloudflare account instead of Cloudflare."),
    .init(name: "scenario", valueName: "NAME|FILE", help: "With --sandbox: start from this scenario (seed, seed-invisible, many[:N], or a file)."),
    .init(name: "api-base", valueName: "URL", help: "API base URL (default: CLOUDFLARE_API_BASE_URL, else Cloudflare's)."),
    .init(name: "debug", valueName: nil, help: "Log every API request to stderr (also TOKENWARDEN_LOG=debug); never a token value."),
  ]

  struct Failure: Error {
    let message: String
  }

  static func make(_ invocation: Invocation, _ arguments: ParsedArguments) throws(Failure) -> Connection {
    let debug = arguments.has("debug") || invocation.environment["TOKENWARDEN_LOG"] == "debug"
    let logger: APILogger? = debug ? { @Sendable line in invocation.err("debug: " + line + "\n") } : nil
    if arguments.has("sandbox") {
      let store = SandboxStore(stateDirectory: Platform.stateDirectory(environment: invocation.environment))
      let simulator: Simulator
      do { simulator = try store.simulator(scenario: arguments.value("scenario")) } catch {
        throw Failure(message: error.description)
      }
      let base = URL(string: "https://sandbox.tokenwarden.invalid/client/v4")!
      let client = CloudflareClient(
        baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base), logger: logger)
      var secrets = invocation.environment
      let state = simulator.snapshot
      for token in state.tokens { if let env = token.env { secrets[env] = token.secret } }
      return Connection(
        client: client, secrets: secrets, description: "the sandbox (scenario \(state.name))", simulator: simulator)
    }
    if arguments.value("scenario") != nil { throw Failure(message: "--scenario goes with --sandbox") }
    let text = arguments.value("api-base") ?? invocation.environment["CLOUDFLARE_API_BASE_URL"]
      ?? "https://api.cloudflare.com/client/v4"
    guard let base = URL(string: text), base.scheme == "https" || base.scheme == "http", base.host != nil else {
      throw Failure(message: "invalid API base URL '\(text)': expected https://HOST/PATH")
    }
    let client = CloudflareClient(baseURL: base, transport: URLSessionTransport(), logger: logger)
    return Connection(client: client, secrets: invocation.environment, description: "Cloudflare (\(text))", simulator: nil)
  }

  /// The credential of a policy token, when its variable is set.
  func credential(for token: DesiredToken) -> Credential? {
    guard let value = secrets[token.secretVariable], !value.isEmpty else { return nil }
    return Credential(label: token.name, tokenID: token.id, secret: Secret(value))
  }
}
