#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed system call: which one, errno and its words.
package struct SocketError: Error, CustomStringConvertible, Sendable {
  package let operation: String
  package let code: Int32

  package var description: String { "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// Thin checked wrappers over the socket calls the server uses; every result is checked here.
enum Socket {
  @discardableResult
  static func check(_ result: Int32, _ operation: String) throws(SocketError) -> Int32 {
    if result < 0 { throw SocketError(operation: operation, code: errno) }
    return result
  }

  /// A non-blocking listening TCP socket on `host:port` (IPv4); port 0 picks a free port.
  static func listen(host: String, port: UInt16, backlog: Int32) throws(SocketError) -> Int32 {
    #if canImport(Glibc)
      let type = Int32(SOCK_STREAM.rawValue)
    #else
      let type = SOCK_STREAM
    #endif
    // "localhost" is the IPv4 loopback (a name is not resolved: DNS could point it anywhere); "[::1]" and other
    // IPv6 literals bind an IPv6 socket.
    var name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if name.lowercased() == "localhost" { name = "127.0.0.1" }
    let v6 = name.contains(":")
    let fd = try check(socket(v6 ? AF_INET6 : AF_INET, type, 0), "socket")
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    // `bind` with an address of either family.
    func bind<Address>(_ address: inout Address) -> Int32 {
      withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.bind(fd, $0, socklen_t(MemoryLayout<Address>.size))
        }
      }
    }
    var v6Address = sockaddr_in6()
    v6Address.sin6_family = sa_family_t(AF_INET6)
    v6Address.sin6_port = port.bigEndian
    var v4Address = sockaddr_in()
    v4Address.sin_family = sa_family_t(AF_INET)
    v4Address.sin_port = port.bigEndian
    let parsed =
      v6 ? inet_pton(AF_INET6, name, &v6Address.sin6_addr) : inet_pton(AF_INET, name, &v4Address.sin_addr)
    guard parsed == 1 else {
      close(fd)
      throw SocketError(operation: "inet_pton(\(host))", code: EINVAL)
    }
    let bound = v6 ? bind(&v6Address) : bind(&v4Address)
    if bound < 0 {
      let code = errno
      close(fd)
      throw SocketError(operation: "bind \(host):\(port)", code: code)
    }
    do {
      try check(Glibc.listen(fd, backlog), "listen")
      try setNonBlocking(fd)
    } catch {
      close(fd)
      throw error
    }
    return fd
  }

  static func setNonBlocking(_ fd: Int32) throws(SocketError) {
    let flags = try check(fcntl(fd, F_GETFL), "fcntl(F_GETFL)")
    try check(fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl(F_SETFL)")
  }

  /// The port a socket is bound to.
  static func port(of fd: Int32) throws(SocketError) -> UInt16 {
    // Large enough for either family; the port sits at the same offset in both.
    var address = sockaddr_in6()
    var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
    let result = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    try check(result, "getsockname")
    return UInt16(bigEndian: address.sin6_port)
  }

  /// Accepts one pending connection: its descriptor and peer address, or nil when none is waiting.
  static func accept(_ listener: Int32) -> (Int32, String)? {
    var address = sockaddr_in6()
    var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
    let fd = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
    }
    guard fd >= 0 else { return nil }
    try? setNonBlocking(fd)
    var yes: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    if Int32(address.sin6_family) == AF_INET6 {
      inet_ntop(AF_INET6, &address.sin6_addr, &text, socklen_t(INET6_ADDRSTRLEN))
    } else {
      withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
          var ip = v4.pointee.sin_addr
          _ = inet_ntop(AF_INET, &ip, &text, socklen_t(INET6_ADDRSTRLEN))
        }
      }
    }
    let end = text.firstIndex(of: 0) ?? text.count
    return (fd, String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }

  enum ReadResult {
    case data(Int)
    case wouldBlock
    case closed
  }

  static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
    let count = recv(fd, buffer.baseAddress, buffer.count, 0)
    if count > 0 { return .data(count) }
    if count == 0 { return .closed }
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .wouldBlock : .closed
  }

  /// Writes everything, waiting for the socket to drain until `deadline` (monotonic seconds). False on failure.
  static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: Double) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return 0 }
        return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
      }
      if sent > 0 {
        offset += sent
        continue
      }
      guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return false }
      let remaining = deadline - Monotonic.seconds()
      guard remaining > 0 else { return false }
      var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      _ = poll(&entry, 1, Int32(min(remaining, 1) * 1000))
    }
    return true
  }

  /// Closes without waiting; with `reset`, the peer sees a connection reset instead of an orderly close.
  static func close(_ fd: Int32, reset: Bool = false) {
    if reset {
      var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }
    _ = Glibc.close(fd)
  }
}

/// Seconds on the monotonic clock (not the standard library's `Clock` protocol: a plain number for poll deadlines).
enum Monotonic {
  static func seconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
