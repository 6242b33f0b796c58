import CloudflareAPI
import Foundation
import HTTPServer
import Simulator
import Synchronization
import TokenModel

/// The two ways tests reach the simulator: in-process, and over loopback HTTP through URLSession and our server.
enum Route: String, CaseIterable, CustomStringConvertible, Sendable {
  case inProcess = "in-process"
  case loopback = "loopback HTTP"
  var description: String { rawValue }
}

/// A simulator, a client wired to it by `route`, and the scenario's credentials.
final class Sandbox: Sendable {
  let simulator: Simulator
  let client: CloudflareClient
  let server: HTTPServer?

  init(
    _ scenario: SimulatorState, route: Route, configure: (inout ClientConfiguration) -> Void = { _ in },
    time: any TimeSource = InstantTime(), simulatorNow: (@Sendable () -> Date)? = nil
  ) throws {
    simulator = Simulator(state: scenario, now: simulatorNow ?? { Date() })
    var configuration = ClientConfiguration()
    // Long enough for a busy machine: a deadline missed there is a retry that counts against the rate budget, or a
    // failed write, and the test fails for nothing it checks. Tests of deadlines set their own.
    configuration.readTimeout = 120
    configuration.writeTimeout = 120
    configure(&configuration)
    let limiter = RateLimiter(limit: 100_000, window: 300, time: time)
    switch route {
    case .inProcess:
      server = nil
      let base = URL(string: "https://api.cloudflare.test/client/v4")!
      client = CloudflareClient(
        baseURL: base, transport: SimulatorTransport(simulator: simulator, baseURL: base), configuration: configuration,
        rateLimiter: limiter, time: time)
    case .loopback:
      let server = try simulator.serve()
      self.server = server
      client = CloudflareClient(
        baseURL: URL(string: server.baseURL + Simulator.basePath)!, transport: URLSessionTransport(idleTimeout: 120),
        configuration: configuration, rateLimiter: limiter, time: time)
    }
  }

  deinit { server?.stop(grace: 1) }

  func credential(_ name: String) -> Credential {
    let token = simulator.snapshot.tokens.first { $0.name == name }!
    return Credential(label: name, tokenID: token.id, secret: Secret(token.secret))
  }
}

/// Time that never waits: sleeping only records how long was asked for.
final class InstantTime: TimeSource {
  let slept = Mutex<[Double]>([])
  let offset = Mutex(0.0)

  func now() -> Double { offset.withLock { $0 } }

  func sleep(seconds: Double) async throws {
    slept.withLock { $0.append(seconds) }
    offset.withLock { $0 += max(0, seconds) }
  }

  var sleeps: [Double] { slept.withLock { $0 } }
}

/// A transport answering from a script, for client tests.
final class ScriptedTransport: HTTPTransport {
  let script: Mutex<[@Sendable (HTTPRequest) async throws -> HTTPResponse]>
  let seen = Mutex<[HTTPRequest]>([])

  init(_ steps: [@Sendable (HTTPRequest) async throws -> HTTPResponse]) { script = Mutex(steps) }

  func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    seen.withLock { $0.append(request) }
    let step = script.withLock { steps -> (@Sendable (HTTPRequest) async throws -> HTTPResponse)? in
      steps.isEmpty ? nil : steps.removeFirst()
    }
    guard let step else { return HTTPResponse(status: 599, body: Data("script exhausted".utf8)) }
    return try await step(request)
  }

  var requests: [HTTPRequest] { seen.withLock { $0 } }

  static func json(_ status: Int, _ text: String, headers: [String: String] = [:])
    -> @Sendable (HTTPRequest) async throws
    -> HTTPResponse
  {
    { _ in HTTPResponse(status: status, headers: headers, body: Data(text.utf8)) }
  }
}

enum Fixture {
  static func data(_ name: String) throws -> Data {
    try Data(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
    )
  }
}

extension HexID {
  static let main = HexID("b3304b14848de15c72c24a14b0cd187d")!
  static let accountToken = HexID("4d841f1aa61bc019800506e138085f66")!
  static let userToken = HexID("a753e62f6ffe44a7762befbce7a9eddf")!
}
