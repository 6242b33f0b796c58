import CloudflareAPI
import Foundation

/// The simulator as an in-process transport: the client's requests never leave the process.
package struct SimulatorTransport: HTTPTransport {
  package let simulator: Simulator
  /// The path prefix of the base URL (`/client/v4`), stripped before routing.
  package let basePath: String
  /// Runs around the simulator's handling of each request (synchronous, without the latency that follows): the
  /// shared sandbox takes its lock and reads the state again there.
  package let around: (@Sendable (_ handle: () -> SimResponse) -> SimResponse)?

  package init(
    simulator: Simulator, baseURL: URL, around: (@Sendable (_ handle: () -> SimResponse) -> SimResponse)? = nil
  ) {
    self.simulator = simulator
    self.around = around
    let path = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
    basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
    var path = components?.percentEncodedPath ?? request.url.path
    if path.hasPrefix(basePath) { path = String(path.dropFirst(basePath.count)) }
    var query: [String: String] = [:]
    for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
    let arrival = ContinuousClock.now
    let simRequest = SimRequest(
      method: request.method, path: path, query: query, headers: request.headers, body: request.body ?? Data())
    let simulator = self.simulator
    let response = around.map { $0 { simulator.handle(simRequest) } } ?? simulator.handle(simRequest)
    try await response.delay(since: arrival)
    if response.resetConnection { throw TransportFailure.connection("connection reset by peer") }
    return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
  }
}
