import Foundation

/// One HTTP exchange as the client sees it; the transport does only I/O.
package struct HTTPRequest: Sendable {
  package var method: String
  package var url: URL
  package var headers: [String: String]
  package var body: Data?

  package init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }

  /// The path and query, for logs and routing.
  package var target: String {
    let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
    let query = components?.percentEncodedQuery.map { "?" + $0 } ?? ""
    return (components?.percentEncodedPath ?? url.path) + query
  }
}

package struct HTTPResponse: Sendable {
  package var status: Int
  /// Header names lowercased.
  package var headers: [String: String]
  package var body: Data

  package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
    self.status = status
    var lowered: [String: String] = [:]
    for (name, value) in headers { lowered[name.lowercased()] = value }
    self.headers = lowered
    self.body = body
  }
}

/// Why no response arrived.
package enum TransportFailure: Error, Sendable, Equatable {
  /// The connection failed or was reset; for a write, the outcome is unknown.
  case connection(String)
  case timedOut
}

/// Sends requests. URLSession in production; the simulator in-process for tests and `--sandbox`.
package protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
