import Foundation
import HTTPServer
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A raw client socket for sending exactly the bytes a test wants.
struct RawClient {
  let fd: Int32

  /// `from`: the local address to connect from (another loopback address is another client).
  init(port: UInt16, from source: String? = nil) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    if let source {
      var local = sockaddr_in()
      local.sin_family = sa_family_t(AF_INET)
      inet_pton(AF_INET, source, &local.sin_addr)
      _ = withUnsafePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    // Generous: on a busy 2-core machine other tests can hold the cooperative pool, where the server's handlers run,
    // for seconds; the bound is only there so that a real hang fails instead of stalling the suite.
    var timeout = timeval(tv_sec: 120, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  func send(_ text: String) { send(Array(text.utf8)) }

  func send(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// Reads one response (head and Content-Length body), or what arrived before the peer closed.
  func readResponse() -> String {
    var data = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = recv(fd, &chunk, chunk.count, 0)
      if count <= 0 { break }
      data += chunk[0..<count]
      let text = String(decoding: data, as: UTF8.self)
      if let range = text.range(of: "\r\n\r\n") {
        let head = text[..<range.lowerBound].lowercased()
        let length =
          head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
          .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        if text.utf8.count - text[..<range.upperBound].utf8.count >= length { break }
      }
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Everything until the peer closes.
  static func readAll(_ fd: Int32) -> String {
    var data = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = recv(fd, &chunk, chunk.count, 0)
      if count <= 0 { break }
      data += chunk[0..<count]
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// True when the server closed the connection (read returns 0).
  func isClosedByPeer() -> Bool {
    var byte: UInt8 = 0
    return recv(fd, &byte, 1, 0) == 0
  }

  func close() { Glibc.close(fd) }
}

@Suite struct HTTPServerTests {
  static func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
    var router = Router()
    router.add("GET", "/hello") { _, _ in .text(200, "hello\n") }
    router.add("POST", "/echo") { request, _ in ServerResponse(status: 200, body: request.body) }
    router.add("GET", "/items/{id}") { _, parameters in .text(200, "item \(parameters["id"] ?? "")\n") }
    router.add("GET", "/slow") { _, _ in
      try? await Task.sleep(for: .seconds(30))
      return .text(200, "late\n")
    }
    var configuration = ServerConfiguration()
    // Long enough for a loaded machine; the tests of deadlines set their own.
    configuration.headerTimeout = 120
    configure(&configuration)
    return try HTTPServer(configuration: configuration, handler: router.handler)
  }

  @Test func servesKeepAliveRequestsOnOneConnection() async throws {
    try await blocking {
      let server = try Self.server()
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      for index in 0..<3 {
        client.send("GET /items/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = client.readResponse()
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.hasSuffix("item \(index)\n"))
        #expect(response.contains("Connection: keep-alive"))
      }
    }
  }

  @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
    try await blocking {
      let server = try Self.server()
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send("GET /items/1 HTTP/1.1\r\n\r\nGET /items/2 HTTP/1.1\r\n\r\n")
      let first = client.readResponse()
      let second = first.contains("item 2") ? "" : client.readResponse()
      #expect(first.hasSuffix("item 1\n") || first.contains("item 1\n"))
      #expect(second.contains("item 2\n") || first.contains("item 2\n"))
    }
  }

  @Test func bodiesAreReadByContentLength() async throws {
    try await blocking {
      let server = try Self.server()
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")
      client.send("cde")
      #expect(client.readResponse().hasSuffix("\r\n\r\nabcde"))
    }
  }

  @Test(arguments: [
    ("GARBAGE\r\n\r\n", "400 Bad Request"),
    ("GET /hello HTTP/2.0\r\n\r\n", "505 HTTP Version Not Supported"),
    ("get /hello HTTP/1.1\r\n\r\n", "400 Bad Request"),
    ("GET /hello HTTP/1.1\r\nBroken header\r\n\r\n", "400 Bad Request"),
    ("POST /echo HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", "413 Content Too Large"),
    ("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "501 Not Implemented"),
    ("DELETE /hello HTTP/1.1\r\n\r\n", "405 Method Not Allowed"),
    ("GET /nowhere HTTP/1.1\r\n\r\n", "404 Not Found"),
    ("GET /items/../hello HTTP/1.1\r\n\r\n", "404 Not Found"),
  ])
  func badRequestsGetTheRightStatus(_ request: String, _ status: String) async throws {
    try await blocking {
      let server = try Self.server()
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send(request)
      let response = client.readResponse()
      #expect(response.hasPrefix("HTTP/1.1 \(status)\r\n"), "\(response)")
      if status.hasPrefix("405") { #expect(response.contains("Allow: GET")) }
    }
  }

  @Test func oversizedHeadersAndRequestLinesAreRefused() async throws {
    try await blocking {
      let server = try Self.server()
      defer { server.stop() }
      let long = try RawClient(port: server.port)
      long.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\r\n")
      #expect(long.readResponse().hasPrefix("HTTP/1.1 414 URI Too Long"))
      long.close()
      let big = try RawClient(port: server.port)
      big.send("GET /hello HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n")
      #expect(big.readResponse().hasPrefix("HTTP/1.1 431 Request Header Fields Too Large"))
      big.close()
      let many = try RawClient(port: server.port)
      many.send("GET /hello HTTP/1.1\r\n" + (0..<150).map { "X-\($0): v\r\n" }.joined() + "\r\n")
      #expect(many.readResponse().hasPrefix("HTTP/1.1 431"))
      many.close()
      // The server is still up.
      let after = try RawClient(port: server.port)
      after.send("GET /hello HTTP/1.1\r\n\r\n")
      #expect(after.readResponse().hasSuffix("hello\n"))
      after.close()
    }
  }

  @Test func aSlowClientGets408() async throws {
    try await blocking {
      let server = try Self.server { $0.headerTimeout = 0.3 }
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send("GET /hello HTTP/1.1\r\nHost:")
      #expect(client.readResponse().hasPrefix("HTTP/1.1 408 Request Timeout"))
    }
  }

  @Test func idleKeepAliveConnectionsAreClosed() async throws {
    try await blocking {
      let server = try Self.server { $0.idleTimeout = 0.3 }
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send("GET /hello HTTP/1.1\r\n\r\n")
      _ = client.readResponse()
      #expect(client.isClosedByPeer())
    }
  }

  @Test func connectionsBeyondTheCapAreShedAndTheServerStaysUp() async throws {
    try await blocking {
      let server = try Self.server { $0.maxConnections = 50 }
      defer { server.stop() }
      var clients: [RawClient] = []
      for _ in 0..<500 { clients.append(try RawClient(port: server.port)) }
      // Every connection gets either service or a 503, never a hang.
      var served = 0
      var shed = 0
      for client in clients {
        client.send("GET /hello HTTP/1.1\r\n\r\n")
      }
      for client in clients {
        let response = client.readResponse()
        if response.hasPrefix("HTTP/1.1 200") { served += 1 } else if response.hasPrefix("HTTP/1.1 503") { shed += 1 }
        client.close()
      }
      #expect(served == 50)
      #expect(shed == 450)
      #expect(server.statistics.shed == 450)
      let after = try RawClient(port: server.port)
      after.send("GET /hello HTTP/1.1\r\n\r\n")
      #expect(after.readResponse().hasSuffix("hello\n"))
      after.close()
    }
  }

  @Test func aHandlerPastItsTimeoutIsAnswered503() async throws {
    try await blocking {
      let server = try Self.server { $0.handlerTimeout = 0.2 }
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send("GET /slow HTTP/1.1\r\n\r\n")
      #expect(client.readResponse().hasPrefix("HTTP/1.1 503"))
    }
  }

  /// Other tests start servers at the same time, and the port a stopped server frees can be handed to one of them at
  /// once; a listener left open would accept every time, so three tries tell the two apart.
  @Test func stopClosesTheListener() async throws {
    let refused = try await blocking { () throws -> Bool in
      for _ in 0..<3 {
        let server = try Self.server()
        let port = server.port
        server.stop()
        guard let client = try? RawClient(port: port) else { return true }
        client.close()
      }
      return false
    }
    #expect(refused, "the port still accepted connections after stop, three times")
  }
}

/// HEAD gets the headers of GET and no body; the server listens by name and on IPv6 loopback.
@Suite struct HTTPServerListenTests {
  @Test func headAnswersHeadersOnly() async throws {
    let response = try await blocking { () throws -> String in
      let server = try HTTPServerTests.server()
      defer { server.stop() }
      let client = try RawClient(port: server.port)
      defer { client.close() }
      client.send("HEAD /hello HTTP/1.1\r\nConnection: close\r\n\r\n")
      return RawClient.readAll(client.fd)
    }
    #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
    #expect(response.contains("Content-Length: 6\r\n"))
    #expect(response.hasSuffix("\r\n\r\n"), "a body came with HEAD: \(response)")
  }

  @Test func listensOnLocalhostByNameAndOnIPv6Loopback() async throws {
    let answers = try await blocking { () throws -> [String] in
      var answers: [String] = []
      let named = try HTTPServerTests.server { $0.host = "localhost" }
      defer { named.stop() }
      let client = try RawClient(port: named.port)
      client.send("GET /hello HTTP/1.1\r\n\r\n")
      answers.append(client.readResponse())
      client.close()
      let v6 = try HTTPServerTests.server { $0.host = "[::1]" }
      defer { v6.stop() }
      let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
      defer { Glibc.close(fd) }
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = v6.port.bigEndian
      inet_pton(AF_INET6, "::1", &address.sin6_addr)
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
      guard connected == 0 else { return answers + ["no IPv6 connection"] }
      let request = Array("GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)
      _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      answers.append(RawClient.readAll(fd))
      answers.append(v6.baseURL)
      return answers
    }
    #expect(answers.count == 3)
    #expect(answers.first?.hasSuffix("hello\n") == true)
    #expect(answers.dropFirst().first?.hasSuffix("hello\n") == true, "\(answers)")
    #expect(answers.last?.hasPrefix("http://[::1]:") == true)
  }
}

/// One client's connections cannot take every place: past its limit it is answered 503, and others still get in.
@Suite struct PerClientLimitTests {
  @Test func aClientOverItsLimitIsShedAndAnotherClientIsServed() async throws {
    let (own, other) = try await blocking { () throws -> ([String], String) in
      let server = try HTTPServerTests.server { $0.maxConnectionsPerClient = 5 }
      defer { server.stop() }
      // Eight idle connections from 127.0.0.1: the first five are held open, the rest are told why and closed.
      let clients = try (0..<8).map { _ in try RawClient(port: server.port) }
      defer { for client in clients { client.close() } }
      clients.last?.send("GET /hello HTTP/1.1\r\n\r\n")
      let own = [clients.last?.readResponse() ?? ""]
      let stranger = try RawClient(port: server.port, from: "127.0.0.2")
      defer { stranger.close() }
      stranger.send("GET /hello HTTP/1.1\r\n\r\n")
      return (own, stranger.readResponse())
    }
    #expect(own.first?.hasPrefix("HTTP/1.1 503") == true, "\(own)")
    #expect(own.first?.contains("too many connections from your address") == true)
    #expect(other.hasSuffix("hello\n"), "\(other)")
  }
}
