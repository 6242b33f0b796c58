import Foundation
import HTTPServer

/// The simulator over loopback HTTP, under the same base path as Cloudflare's API (`/client/v4`).
extension Simulator {
  package static let basePath = "/client/v4"

  /// Serves the simulator; the base URL is `http://HOST:PORT/client/v4`.
  package func serve(configuration: ServerConfiguration = ServerConfiguration()) throws -> HTTPServer {
    try HTTPServer(configuration: configuration) { [self] request in
      await self.answer(request)
    }
  }

  /// Outside the API's path: how many requests the sandbox has answered, for benchmarks that run TokenWarden as a
  /// separate process and need its request count.
  package static let requestCountPath = "/__sandbox/requests"

  func answer(_ request: ServerRequest) async -> ServerResponse {
    if request.path == Self.requestCountPath {
      return .json(200, Data(#"{"requests":\#(answeredRequests.withLock { $0 })}"#.utf8))
    }
    answeredRequests.withLock { $0 += 1 }
    guard request.path.hasPrefix(Self.basePath + "/") else {
      return .json(404, Self.failure(404, 7003, "No route for the URI").body)
    }
    let arrival = ContinuousClock.now
    let response = handle(
      SimRequest(
        method: request.method, path: String(request.path.dropFirst(Self.basePath.count)), query: request.query,
        headers: request.headers, body: request.body, clientIP: request.remoteAddress))
    try? await response.delay(since: arrival)
    if response.resetConnection { return .reset }
    return ServerResponse(
      status: response.status, headers: response.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
      body: response.body)
  }
}
