/// Routes by method and path: exact paths, or patterns with `{name}` segments. Unknown paths get 404; known paths
/// with another method get 405 and `Allow`.
package struct Router: Sendable {
  package typealias Handler = @Sendable (ServerRequest, [String: String]) async -> ServerResponse

  struct Route: Sendable {
    let method: String
    let segments: [String]
    let handler: Handler
  }

  var routes: [Route] = []
  /// The answer for unknown paths (404) and other methods (405, with `Allow`): plain text unless a user of the
  /// router prefers its own error shape.
  let failure: @Sendable (_ status: Int, _ message: String, _ headers: [(String, String)]) -> ServerResponse

  package init(
    failure: @escaping @Sendable (Int, String, [(String, String)]) -> ServerResponse = { status, message, headers in
      .text(status, message + "\n", headers: headers)
    }
  ) {
    self.failure = failure
  }

  package mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
    routes.append(Route(method: method, segments: Self.segments(pattern), handler: handler))
  }

  static func segments(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }

  static func match(_ pattern: [String], _ path: [String]) -> [String: String]? {
    guard pattern.count == path.count else { return nil }
    var parameters: [String: String] = [:]
    for (expected, actual) in zip(pattern, path) {
      if expected.hasPrefix("{") && expected.hasSuffix("}") {
        parameters[String(expected.dropFirst().dropLast())] = actual
      } else if expected != actual {
        return nil
      }
    }
    return parameters
  }

  package func handle(_ request: ServerRequest) async -> ServerResponse {
    let path = Self.segments(request.path)
    if path.contains("..") { return failure(404, "not found", []) }
    var allowed: [String] = []
    for route in routes {
      guard let parameters = Self.match(route.segments, path) else { continue }
      if route.method == request.method || (request.method == "HEAD" && route.method == "GET") {
        return await route.handler(request, parameters)
      }
      allowed.append(route.method)
    }
    if allowed.isEmpty { return failure(404, "not found", []) }
    return failure(405, "method \(request.method) not allowed", [("Allow", allowed.joined(separator: ", "))])
  }

  package var handler: ServerHandler {
    let router = self
    return { await router.handle($0) }
  }
}
