import Foundation

/// Limits on what a client may send.
package struct ServerLimits: Sendable {
  package var maxRequestLine = 8 * 1024
  package var maxHeaderBytes = 16 * 1024
  package var maxHeaderCount = 100
  package var maxBodyBytes = 1 << 20

  package init() {}
}

/// Parses one HTTP/1.1 request from the front of a buffer.
enum RequestParser {
  enum Outcome {
    /// More bytes are needed.
    case incomplete
    /// A request, and how many bytes of the buffer it used; `keepAlive` as the client asked.
    case request(ServerRequest, consumed: Int, keepAlive: Bool)
    /// The request cannot be served: answer with this status and close.
    case reject(Int, String)
  }

  /// `scannedUpTo`: bytes already searched for the end of the head by an earlier call, so a slow client costs linear time.
  static func parse(_ buffer: [UInt8], limits: ServerLimits, remoteAddress: String, scannedUpTo: Int = 0) -> Outcome {
    // The head ends at the first empty line.
    guard let headEnd = findHeadEnd(buffer, from: max(0, scannedUpTo - 3)) else {
      if let lineEnd = buffer[..<min(buffer.count, limits.maxRequestLine + 2)].firstIndex(of: 0x0A) {
        if lineEnd > limits.maxRequestLine { return .reject(414, "request line too long") }
      } else if buffer.count > limits.maxRequestLine {
        return .reject(414, "request line too long")
      }
      if buffer.count > limits.maxRequestLine + limits.maxHeaderBytes { return .reject(431, "headers too large") }
      return .incomplete
    }
    // Split on LF bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
    var lines = buffer[..<headEnd.start].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
    }
    guard !lines.isEmpty else { return .reject(400, "empty request") }
    let requestLine = lines.removeFirst()
    if requestLine.utf8.count > limits.maxRequestLine { return .reject(414, "request line too long") }
    if headEnd.start - requestLine.utf8.count > limits.maxHeaderBytes { return .reject(431, "headers too large") }
    let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[1].hasPrefix("/") || parts[1] == "*" else {
      return .reject(400, "malformed request line")
    }
    guard parts[0].utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return .reject(400, "malformed method") }
    let version = parts[2]
    guard version.hasPrefix("HTTP/") else { return .reject(400, "malformed request line") }
    guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return .reject(505, "only HTTP/1.0 and 1.1") }
    guard lines.count <= limits.maxHeaderCount else { return .reject(431, "too many headers") }
    var headers: [String: String] = [:]
    for line in lines where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
        return .reject(400, "malformed header line")
      }
      let name = HTTPText.lowercase(line[..<colon])
      guard !name.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) else {
        return .reject(400, "malformed header name")
      }
      let value = HTTPText.trim(line[line.index(after: colon)...])
      headers[name] = headers[name].map { $0 + ", " + value } ?? value
    }
    if headers["transfer-encoding"] != nil {
      return .reject(501, "chunked bodies are not supported; send Content-Length")
    }
    var length = 0
    if let text = headers["content-length"] {
      guard let value = Int(text), value >= 0 else { return .reject(400, "malformed Content-Length") }
      length = value
    }
    if length > limits.maxBodyBytes { return .reject(413, "body larger than \(limits.maxBodyBytes) bytes") }
    let total = headEnd.end + length
    guard buffer.count >= total else { return .incomplete }
    let connection = headers["connection"].map(HTTPText.lowercase) ?? ""
    let keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
    let request = ServerRequest(
      method: String(parts[0]), target: String(parts[1]), headers: headers, body: Data(buffer[headEnd.end..<total]),
      remoteAddress: remoteAddress)
    return .request(request, consumed: total, keepAlive: keepAlive)
  }

  /// Where the head's final empty line starts and where the body begins (CRLF CRLF, or bare LF LF).
  static func findHeadEnd(_ buffer: [UInt8], from start: Int = 0) -> (start: Int, end: Int)? {
    var index = start
    while index < buffer.count {
      if buffer[index] == 0x0A {
        if index + 1 < buffer.count && buffer[index + 1] == 0x0A { return (index, index + 2) }
        if index + 2 < buffer.count && buffer[index + 1] == 0x0D && buffer[index + 2] == 0x0A {
          return (index, index + 3)
        }
      }
      index += 1
    }
    return nil
  }
}
