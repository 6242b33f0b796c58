import Foundation
import HTTPServer

/// The simulator over loopback HTTP, under the same base path as Cloudflare's API (`/client/v4`).
extension Simulator {
  public static let basePath = "/client/v4"

  /// Serves the simulator; the base URL is `http://HOST:PORT/client/v4`.
  public func serve(configuration: ServerConfiguration = ServerConfiguration()) throws -> HTTPServer {
    try HTTPServer(configuration: configuration) { [self] request in
      await self.answer(request)
    }
  }

  func answer(_ request: ServerRequest) async -> ServerResponse {
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
