import CloudflareAPI
import Foundation
import Planning
import Reconciler
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
  /// Where plans made through this connection may be applied.
  let target: PlanTarget

  static let options: [CommandSpec.Option] = [
    .init(
      name: "sandbox", valueName: nil, help: "Talk to the built-in simulated Cloudflare account instead of Cloudflare."),
    .init(
      name: "scenario", valueName: "NAME|FILE",
      help: "With --sandbox: start from this scenario (\(Scenario.helpList), or a file)."),
    .init(
      name: "api-base", valueName: "URL", help: "API base URL (default: CLOUDFLARE_API_BASE_URL, else Cloudflare's)."),
    .init(
      name: "debug", valueName: nil,
      help: "Log every API request to stderr (also TOKENWARDEN_LOG=debug); never a token value."),
    .init(
      name: "max-wait", valueName: "SECONDS",
      help: "Wait at most this long when Cloudflare's rate limit makes us wait (default 60; 0 fails at once)."),
  ]

  struct Failure: Error {
    let message: String
  }

  static func make(_ invocation: Invocation, _ arguments: ParsedArguments) throws(Failure) -> Connection {
    let debug = arguments.has("debug") || invocation.environment["TOKENWARDEN_LOG"] == "debug"
    let logger: APILogger? = debug ? { @Sendable line in invocation.err("debug: " + line + "\n") } : nil
    // Long waits are said on stderr, once each, whatever the log level: a run never stalls in silence.
    let notice: APILogger? = debug ? nil : { @Sendable line in invocation.report(.apiNotice(line)) }
    var configuration = ClientConfiguration()
    if let text = arguments.value("max-wait") {
      guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
        throw Failure(message: "--max-wait takes a number of seconds (0 or more), not '\(text)'")
      }
      configuration.maxWait = seconds
    }
    if arguments.has("sandbox") {
      let store = SandboxStore(stateDirectory: Platform.stateDirectory(environment: invocation.environment))
      let simulator: Simulator
      do { simulator = try store.simulator(scenario: arguments.value("scenario")) } catch {
        throw Failure(message: error.description)
      }
      let shared = SharedSandbox(store: store, simulator: simulator)
      let base = URL(string: "https://sandbox.tokenwarden.invalid/client/v4")!
      let client = CloudflareClient(
        baseURL: base,
        transport: SimulatorTransport(simulator: simulator, baseURL: base, around: { shared.around($0) }),
        configuration: configuration, logger: logger, notice: notice)
      var secrets = invocation.environment
      let state = simulator.snapshot
      for token in state.tokens { if let env = token.env { secrets[env] = token.secret } }
      return Connection(
        client: client, secrets: secrets, description: "the sandbox (scenario \(state.name))", simulator: simulator,
        target: .sandbox(scenario: state.name))
    }
    if arguments.value("scenario") != nil { throw Failure(message: "--scenario goes with --sandbox") }
    let base = try baseURL(arguments.value("api-base"), environment: invocation.environment)
    let client = CloudflareClient(
      baseURL: base, transport: URLSessionTransport(), configuration: configuration, logger: logger, notice: notice)
    let text = base.absoluteString
    return Connection(
      client: client, secrets: invocation.environment, description: "Cloudflare (\(text))", simulator: nil,
      target: .api(baseURL: text))
  }

  /// The API base URL from `--api-base`, else `CLOUDFLARE_API_BASE_URL`, else Cloudflare's. A URL with a user or
  /// password in it is refused (it would end up in plan files, PR comments and the history), and so is plain `http`
  /// to anything but this machine (token values would cross the network in the clear).
  static func baseURL(_ option: String?, environment: [String: String]) throws(Failure) -> URL {
    let variable = option == nil && environment["CLOUDFLARE_API_BASE_URL"] != nil
    let text = option ?? environment["CLOUDFLARE_API_BASE_URL"] ?? "https://api.cloudflare.com/client/v4"
    let origin = option != nil ? "--api-base" : variable ? "CLOUDFLARE_API_BASE_URL" : "the default"
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
      scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
    else {
      throw Failure(
        message:
          "invalid API base URL in \(origin): expected https://HOST/PATH, such as https://api.cloudflare.com/client/v4")
    }
    if components.user != nil || components.password != nil {
      // The URL itself is not repeated: it holds a credential.
      throw Failure(
        message:
          "the API base URL in \(origin) holds a user name or password; remove it (TokenWarden sends only the tokens of the policy, in the Authorization header)"
      )
    }
    if scheme == "http" && !isLoopback(host) {
      throw Failure(
        message:
          "the API base URL \(text) (\(origin)) is plain http to another machine: token values would cross the network unencrypted; use https (http is allowed only for localhost, 127.0.0.0/8 and [::1])"
      )
    }
    guard let url = components.url else { throw Failure(message: "invalid API base URL in \(origin): \(text)") }
    return url
  }

  static func isLoopback(_ host: String) -> Bool {
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if bare.lowercased() == "localhost" || bare == "::1" { return true }
    let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
  }

  /// The credential of a policy token, when its variable is set.
  func credential(for token: DesiredToken) -> Credential? {
    guard let value = secrets[token.secretVariable], !value.isEmpty else { return nil }
    return Credential(label: token.name, tokenID: token.id, secret: Secret(value))
  }
}
