import Foundation

/// A request as handlers see it.
package struct ServerRequest: Sendable {
  package var method: String
  /// The request target as sent: path and query, percent-encoded.
  package var target: String
  /// The path without the query, percent-decoded.
  package var path: String
  package var query: [String: String]
  /// Header names lowercased; repeated headers joined with ", ".
  package var headers: [String: String]
  package var body: Data
  package var remoteAddress: String

  package init(
    method: String, target: String, headers: [String: String] = [:], body: Data = Data(),
    remoteAddress: String = "127.0.0.1"
  ) {
    self.method = method
    self.target = target
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let rawPath = parts.first.map(String.init) ?? "/"
    path = rawPath.removingPercentEncoding ?? rawPath
    var query: [String: String] = [:]
    if parts.count == 2 {
      for pair in parts[1].split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(kv[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[0])
        let value =
          kv.count == 2
          ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
        query[key] = value
      }
    }
    self.query = query
    self.headers = headers
    self.body = body
    self.remoteAddress = remoteAddress
  }
}

/// A response; `resetConnection` drops the connection without answering (fault injection).
package struct ServerResponse: Sendable {
  package var status: Int
  package var headers: [(String, String)]
  package var body: Data
  package var resetConnection = false
  /// Close the connection after this response.
  package var close = false

  package init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  package static func text(_ status: Int, _ text: String, headers: [(String, String)] = []) -> ServerResponse {
    ServerResponse(
      status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers, body: Data(text.utf8))
  }

  package static func json(_ status: Int, _ data: Data, headers: [(String, String)] = []) -> ServerResponse {
    ServerResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: data)
  }

  package static let reset: ServerResponse = {
    var response = ServerResponse(status: 0)
    response.resetConnection = true
    return response
  }()

  /// The bytes on the wire.
  /// The bytes on the wire; `headOnly` (an answer to HEAD): the headers, Content-Length included, without the body.
  func serialized(keepAlive: Bool, headOnly: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256 + (headOnly ? 0 : body.count))
    out += "HTTP/1.1 ".utf8
    out += String(status).utf8
    out.append(0x20)
    out += Self.reason(status).utf8
    out += "\r\n".utf8
    var hasLength = false
    var hasConnection = false
    for (name, value) in headers {
      let lower = HTTPText.lowercase(name)
      if lower == "content-length" { hasLength = true }
      if lower == "connection" { hasConnection = true }
      out += name.utf8
      out += ": ".utf8
      out += value.utf8
      out += "\r\n".utf8
    }
    if !hasLength {
      out += "Content-Length: ".utf8
      out += String(body.count).utf8
      out += "\r\n".utf8
    }
    if !hasConnection { out += (keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n").utf8 }
    out += "\r\n".utf8
    if !headOnly { out.append(contentsOf: body) }
    return out
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 201: return "Created"
    case 204: return "No Content"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 408: return "Request Timeout"
    case 413: return "Content Too Large"
    case 414: return "URI Too Long"
    case 429: return "Too Many Requests"
    case 431: return "Request Header Fields Too Large"
    case 500: return "Internal Server Error"
    case 501: return "Not Implemented"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    case 505: return "HTTP Version Not Supported"
    default: return "Status \(status)"
    }
  }
}

package typealias ServerHandler = @Sendable (ServerRequest) async -> ServerResponse
