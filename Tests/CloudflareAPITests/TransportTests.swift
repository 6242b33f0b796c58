import CloudflareAPI
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// URLSession as the production transport uses it, against a server on loopback that keeps every connection open
/// and would take any number of requests on each: a write must still never go out on a connection that carried
/// anything before.
@Suite struct TransportTests {
  /// Accepts connections and answers every request on them with keep-alive, recording which connection carried which
  /// request line. Runs on threads of its own; `requests` is read by the test once the client is done.
  final class KeepAliveServer: @unchecked Sendable {
    let listener: Int32
    let port: UInt16
    let log = Mutex<[(connection: Int, line: String)]>([])
    let connections = Mutex(0)

    init() throws {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var yes: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = 0
      inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      listener = fd
      port = UInt16(bigEndian: address.sin_port)
      Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The listener is closed here, by the only thread that uses it, once `stop` has shut it down: closed from
    /// another thread, its number could be reused by another test's socket before this loop's next `accept`.
    func acceptLoop() {
      while true {
        let client = accept(listener, nil, nil)
        if client < 0 {
          close(listener)
          return
        }
        let number = connections.withLock { count -> Int in
          count += 1
          return count
        }
        Thread.detachNewThread { [self] in serve(client, number: number) }
      }
    }

    func serve(_ fd: Int32, number: Int) {
      defer { close(fd) }
      var buffer = [UInt8]()
      var chunk = [UInt8](repeating: 0, count: 4096)
      while true {
        // One request: the head, then Content-Length bytes of body.
        while !Self.hasCompleteRequest(buffer) {
          let count = recv(fd, &chunk, chunk.count, 0)
          if count <= 0 { return }
          buffer += chunk[0..<count]
        }
        let (line, consumed) = Self.firstRequest(buffer)
        buffer.removeFirst(consumed)
        log.withLock { $0.append((number, line)) }
        let body = #"{"success":true,"errors":[],"messages":[],"result":{}}"#
        let response =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        _ = Array(response.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      }
    }

    static func hasCompleteRequest(_ bytes: [UInt8]) -> Bool {
      let text = String(decoding: bytes, as: UTF8.self)
      guard let end = text.range(of: "\r\n\r\n") else { return false }
      return text[end.upperBound...].utf8.count >= contentLength(String(text[..<end.lowerBound]))
    }

    static func firstRequest(_ bytes: [UInt8]) -> (String, Int) {
      let text = String(decoding: bytes, as: UTF8.self)
      let end = text.range(of: "\r\n\r\n")!
      let head = String(text[..<end.lowerBound])
      let consumed = text[..<end.upperBound].utf8.count + contentLength(head)
      return (head.split(separator: "\r\n").first.map(String.init) ?? "", consumed)
    }

    static func contentLength(_ head: String) -> Int {
      head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }
  }

  @Test func everyWriteGoesOutOnAConnectionOfItsOwn() async throws {
    let server = try KeepAliveServer()
    defer { server.stop() }
    let transport = URLSessionTransport(idleTimeout: 120)
    let base = "http://127.0.0.1:\(server.port)/client/v4/user/tokens/"
    for index in 0..<6 {
      let method = index % 2 == 0 ? "GET" : "PUT"
      let response = try await transport.send(
        HTTPRequest(
          method: method, url: URL(string: base + "\(index)")!, headers: ["Content-Type": "application/json"],
          body: method == "PUT" ? Data("{}".utf8) : nil))
      #expect(response.status == 200)
    }
    let log = server.log.withLock { $0 }
    #expect(log.count == 6)
    for entry in log where entry.line.hasPrefix("PUT") {
      let onItsConnection = log.filter { $0.connection == entry.connection }
      #expect(
        onItsConnection.count == 1,
        "\(entry.line) shared connection \(entry.connection) with \(onItsConnection.map(\.line))")
    }
    // Reads still share their connection.
    let reads = Set(log.filter { $0.line.hasPrefix("GET") }.map(\.connection))
    #expect(reads.count == 1)
  }
}
