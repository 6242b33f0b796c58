import Foundation
import HTTPServer

#if canImport(Glibc)
  import Glibc
#endif

/// A hostile client against the service's HTTP server: `connections` connections from 127.0.0.2 that send half a
/// request line and then nothing, held open, while `/healthz` is asked from 127.0.0.1 every 50 ms. Reports how many
/// probes were answered within 1 s (the goal: 99% or more) and their latencies.
enum SlowClientBenchmark {
  /// `perClientLimit`: false to measure the server without the limit of connections an address may hold.
  static func run(connections: Int, probes: Int, perClientLimit: Bool = true) {
    var router = Router()
    router.add("GET", "/healthz") { _, _ in .json(200, Data(#"{"status":"ok"}"#.utf8)) }
    // The service's defaults: 512 connections in all, 64 an address, 10 s to send the headers.
    var configuration = ServerConfiguration()
    if !perClientLimit { configuration.maxConnectionsPerClient = 0 }
    guard let server = try? HTTPServer(configuration: configuration, handler: router.handler) else {
      print("cannot start the server")
      return
    }
    defer { server.stop(grace: 1) }
    var slow: [Int32] = []
    for _ in 0..<connections {
      guard let fd = connect(port: server.port, from: "127.0.0.2") else { break }
      _ = Array("GET /heal".utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      slow.append(fd)
    }
    defer { for fd in slow { close(fd) } }
    print(
      "\(slow.count) slow connections opened from 127.0.0.2"
        + (perClientLimit ? " (at most 64 held, the rest shed)" : " (no per-address limit)"))
    var latencies: [Double] = []
    var failed = 0
    for _ in 0..<probes {
      let start = Date()
      guard let fd = connect(port: server.port, from: nil) else {
        failed += 1
        continue
      }
      var timeout = timeval(tv_sec: 5, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      let request = Array("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n".utf8)
      _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      var buffer = [UInt8](repeating: 0, count: 1024)
      var response = [UInt8]()
      while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response += buffer[0..<count]
      }
      close(fd)
      if String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 200") {
        latencies.append(Date().timeIntervalSince(start))
      } else {
        failed += 1
      }
      usleep(50_000)
    }
    latencies.sort()
    let withinSecond = latencies.filter { $0 <= 1 }.count
    func at(_ share: Double) -> Double {
      latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * share))] * 1000
    }
    print(
      String(
        format:
          "/healthz from 127.0.0.1: %d of %d probes answered within 1 s (%.1f%%), %d failed; p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        withinSecond, probes, Double(withinSecond) * 100 / Double(max(probes, 1)), failed, at(0.5), at(0.99),
        (latencies.last ?? 0) * 1000))
    print("shed by the server: \(server.statistics.shed)")
  }

  static func connect(port: UInt16, from source: String?) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
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
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      return nil
    }
    return fd
  }
}
