import CloudflareAPI
import Foundation

/// The simulator as an in-process transport: the client's requests never leave the process.
public struct SimulatorTransport: HTTPTransport {
  public let simulator: Simulator
  /// The path prefix of the base URL (`/client/v4`), stripped before routing.
  public let basePath: String

  public init(simulator: Simulator, baseURL: URL) {
    self.simulator = simulator
    let path = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
    basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
    var path = components?.percentEncodedPath ?? request.url.path
    if path.hasPrefix(basePath) { path = String(path.dropFirst(basePath.count)) }
    var query: [String: String] = [:]
    for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
    let arrival = ContinuousClock.now
    let response = simulator.handle(
      SimRequest(method: request.method, path: path, query: query, headers: request.headers, body: request.body ?? Data()))
    try await response.delay(since: arrival)
    if response.resetConnection { throw TransportFailure.connection("connection reset by peer") }
    return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
  }
}
