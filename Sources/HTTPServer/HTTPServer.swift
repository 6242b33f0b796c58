import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Settings of a server.
package struct ServerConfiguration: Sendable {
  package var host = "127.0.0.1"
  /// 0 picks a free port; read it back from `port` after `start()`.
  package var port: UInt16 = 0
  package var limits = ServerLimits()
  /// Connections served at once; more are shed with 503 and closed.
  package var maxConnections = 512
  /// Connections open at once from one address (0: no limit), so that one client's slow or idle connections cannot
  /// take every place. Behind a reverse proxy every client has the proxy's address: set the limit there instead.
  package var maxConnectionsPerClient = 64
  /// A request head must arrive within this many seconds of the first byte (or of the connection): else 408.
  package var headerTimeout = 10.0
  /// An idle keep-alive connection is closed after this many seconds.
  package var idleTimeout = 30.0
  /// A handler taking longer is answered 503.
  package var handlerTimeout = 60.0
  /// Writing one response may take at most this long.
  package var writeTimeout = 10.0

  package init() {}
}

/// An HTTP/1.1 server on plain sockets: one thread polls the listener and idle connections, requests run as tasks.
///
/// Keep-alive connections wait in the poll set, not on a thread, so a thousand idle clients cost a thousand
/// descriptors and buffers, no more. It knows nothing of tokens: it maps requests to a handler.
package final class HTTPServer: Sendable {
  package let configuration: ServerConfiguration
  let handler: ServerHandler
  let listener: Int32
  /// The port bound (useful with port 0).
  package let port: UInt16
  let wake: (read: Int32, write: Int32)
  let shared = Mutex(Shared())
  let finished = Mutex(false)
  let stopped = DispatchSemaphore(value: 0)

  /// What the poller and the request tasks exchange.
  struct Shared: Sendable {
    var running = true
    /// Connections handed back by finished requests, with what to do with them. Only the poller closes descriptors,
    /// so a descriptor number is never reused while a request still holds it.
    var returned: [(fd: Int32, after: AfterResponse)] = []
    var inFlight = 0
    /// Requests running, by number: when they time out and how to answer them then.
    var watched: [Int: Watched] = [:]
    var nextRequest = 0
    var connections = 0
    var shed = 0
    var served = 0
  }

  struct Watched: Sendable {
    let deadline: Double
    let answer: OnceResume
    let task: Task<Void, Never>?
  }

  enum AfterResponse: Sendable {
    case keepAlive
    case close
    case reset
  }

  /// Counters for tests and metrics.
  package struct Statistics: Sendable {
    package let openConnections: Int
    package let inFlight: Int
    package let shed: Int
    package let served: Int
  }

  package var statistics: Statistics {
    shared.withLock {
      Statistics(openConnections: $0.connections, inFlight: $0.inFlight, shed: $0.shed, served: $0.served)
    }
  }

  /// Binds and starts serving at once.
  package init(configuration: ServerConfiguration = ServerConfiguration(), handler: @escaping ServerHandler) throws {
    self.configuration = configuration
    self.handler = handler
    listener = try Socket.listen(host: configuration.host, port: configuration.port, backlog: 1024)
    port = try Socket.port(of: listener)
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw SocketError(operation: "pipe", code: errno) }
    try Socket.setNonBlocking(fds[0])
    try Socket.setNonBlocking(fds[1])
    wake = (fds[0], fds[1])
    let thread = Thread { [self] in
      var loop = PollLoop(server: self)
      loop.run()
      stopped.signal()
    }
    thread.name = "tokenwarden-http"
    thread.stackSize = 1 << 20
    thread.start()
  }

  /// `http://127.0.0.1:PORT`
  package var baseURL: String { "http://\(configuration.host):\(port)" }

  func wakePoller() {
    var byte: UInt8 = 1
    _ = Glibc.write(wake.write, &byte, 1)
  }

  /// Stops accepting, lets requests in flight finish (up to `grace` seconds), closes everything. Idempotent.
  package func stop(grace: Double = 10) {
    let first = finished.withLock { done -> Bool in
      defer { done = true }
      return !done
    }
    guard first else { return }
    shared.withLock { $0.running = false }
    wakePoller()
    // The poller exits once every connection is closed; requests in flight finish first, within the grace period.
    let deadline = Monotonic.seconds() + grace
    if stopped.wait(timeout: .now() + grace) == .timedOut {
      // Requests still running past the grace period keep their descriptors; the process is ending anyway.
      _ = deadline
    }
  }

  deinit {
    Socket.close(wake.read)
    Socket.close(wake.write)
  }
}

/// The poller: owns the listener and every connection that is not running a request.
struct PollLoop {
  struct Connection {
    var buffer: [UInt8] = []
    var scanned = 0
    var remote: String
    /// When the current wait ends: header deadline while a request is partial, idle deadline otherwise.
    var deadline: Double
    var busy = false
  }

  let server: HTTPServer
  var connections: [Int32: Connection] = [:]
  var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

  init(server: HTTPServer) { self.server = server }

  mutating func run() {
    var listening = true
    while true {
      let running = server.shared.withLock { $0.running }
      if !running && listening {
        Socket.close(server.listener)
        listening = false
      }
      takeReturned()
      if !running {
        // Close idle connections; wait only for busy ones.
        for (fd, connection) in connections where !connection.busy {
          Socket.close(fd)
          connections[fd] = nil
          server.shared.withLock { $0.connections -= 1 }
        }
        if connections.isEmpty { return }
      }
      var entries = [pollfd(fd: server.wake.read, events: Int16(POLLIN), revents: 0)]
      if listening { entries.append(pollfd(fd: server.listener, events: Int16(POLLIN), revents: 0)) }
      for (fd, connection) in connections where !connection.busy {
        entries.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
      }
      let now = Monotonic.seconds()
      let handlerDeadline = fireTimeouts() ?? now + 1
      let nextDeadline = min(handlerDeadline, connections.values.filter { !$0.busy }.map(\.deadline).min() ?? now + 1)
      let timeout = Int32(max(0, min(1, nextDeadline - now)) * 1000) + 1
      let ready = poll(&entries, nfds_t(entries.count), timeout)
      if ready < 0 && errno != EINTR { return }
      for entry in entries where entry.revents != 0 {
        if entry.fd == server.wake.read {
          var drain = [UInt8](repeating: 0, count: 64)
          while Glibc.read(server.wake.read, &drain, drain.count) > 0 {}
        } else if entry.fd == server.listener {
          acceptAll()
        } else {
          readFrom(entry.fd)
        }
      }
      expire()
    }
  }

  mutating func acceptAll() {
    while let (fd, remote) = Socket.accept(server.listener) {
      let count = server.shared.withLock { $0.connections }
      if count >= server.configuration.maxConnections {
        let response = ServerResponse.text(503, "server busy: too many connections; retry later\n")
        _ = Socket.writeAll(fd, response.serialized(keepAlive: false), deadline: Monotonic.seconds() + 0.05)
        Socket.close(fd)
        server.shared.withLock { $0.shed += 1 }
        continue
      }
      let perClient = server.configuration.maxConnectionsPerClient
      if perClient > 0, connections.values.lazy.filter({ $0.remote == remote }).count >= perClient {
        let response = ServerResponse.text(503, "too many connections from your address; close some and retry\n")
        _ = Socket.writeAll(fd, response.serialized(keepAlive: false), deadline: Monotonic.seconds() + 0.05)
        Socket.close(fd)
        server.shared.withLock { $0.shed += 1 }
        continue
      }
      connections[fd] = Connection(remote: remote, deadline: Monotonic.seconds() + server.configuration.headerTimeout)
      server.shared.withLock { $0.connections += 1 }
    }
  }

  mutating func readFrom(_ fd: Int32) {
    guard var connection = connections[fd], !connection.busy else { return }
    let wasEmpty = connection.buffer.isEmpty
    while true {
      let result = readBuffer.withUnsafeMutableBytes { Socket.read(fd, into: $0) }
      switch result {
      case .data(let count):
        connection.buffer.append(contentsOf: readBuffer[0..<count])
        let limits = server.configuration.limits
        if connection.buffer.count > limits.maxRequestLine + limits.maxHeaderBytes + limits.maxBodyBytes + 4 { break }
        continue
      case .wouldBlock:
        break
      case .closed:
        closeConnection(fd)
        return
      }
      break
    }
    if wasEmpty && !connection.buffer.isEmpty {
      connection.deadline = Monotonic.seconds() + server.configuration.headerTimeout
    }
    connections[fd] = connection
    process(fd)
  }

  /// Starts the next request buffered on `fd`, if it is complete.
  mutating func process(_ fd: Int32) {
    guard var connection = connections[fd], !connection.busy, !connection.buffer.isEmpty else { return }
    let outcome = RequestParser.parse(
      connection.buffer, limits: server.configuration.limits, remoteAddress: connection.remote,
      scannedUpTo: connection.scanned)
    switch outcome {
    case .incomplete:
      connection.scanned = connection.buffer.count
      connections[fd] = connection
    case .reject(let status, let reason):
      let response = ServerResponse.text(status, reason + "\n")
      _ = Socket.writeAll(fd, response.serialized(keepAlive: false), deadline: Monotonic.seconds() + 0.5)
      closeConnection(fd)
    case .request(let request, let consumed, let keepAlive):
      connection.buffer.removeFirst(consumed)
      connection.scanned = 0
      connection.busy = true
      connections[fd] = connection
      dispatch(request, fd: fd, keepAlive: keepAlive)
    }
  }

  func dispatch(_ request: ServerRequest, fd: Int32, keepAlive: Bool) {
    let server = self.server
    server.shared.withLock { $0.inFlight += 1 }
    Task.detached {
      let response = await Self.respond(to: request, server: server)
      var after: HTTPServer.AfterResponse =
        keepAlive && !response.close && server.shared.withLock({ $0.running }) ? .keepAlive : .close
      if response.resetConnection {
        after = .reset
      } else {
        let bytes = response.serialized(keepAlive: after == .keepAlive, headOnly: request.method == "HEAD")
        if !Socket.writeAll(fd, bytes, deadline: Monotonic.seconds() + server.configuration.writeTimeout) {
          after = .close
        }
      }
      server.shared.withLock {
        $0.returned.append((fd, after))
        $0.inFlight -= 1
        $0.served += 1
      }
      server.wakePoller()
    }
  }

  /// The handler's answer within the handler timeout. A single watchdog (the poll loop) answers requests that run
  /// too long: no timer per request, whose memory a cancelled sleep would hold until it expires.
  static func respond(to request: ServerRequest, server: HTTPServer) async -> ServerResponse {
    let handler = server.handler
    let deadline = Monotonic.seconds() + server.configuration.handlerTimeout
    let number = server.shared.withLock { shared -> Int in
      shared.nextRequest += 1
      return shared.nextRequest
    }
    let response = await withCheckedContinuation { (continuation: CheckedContinuation<ServerResponse, Never>) in
      let answer = OnceResume(continuation)
      let task = Task {
        let response = await handler(request)
        answer.resume(response)
      }
      server.shared.withLock { $0.watched[number] = HTTPServer.Watched(deadline: deadline, answer: answer, task: task) }
      if answer.isDone { server.shared.withLock { $0.watched[number] = nil } }
    }
    server.shared.withLock { $0.watched[number] = nil }
    return response
  }

  /// Answers requests past their deadline with 503 and cancels their handlers.
  func fireTimeouts() -> Double? {
    let now = Monotonic.seconds()
    let (expired, next) = server.shared.withLock { shared -> ([HTTPServer.Watched], Double?) in
      let expired = shared.watched.filter { $0.value.deadline <= now }
      for key in expired.keys { shared.watched[key] = nil }
      return (Array(expired.values), shared.watched.values.map(\.deadline).min())
    }
    let seconds = Int(server.configuration.handlerTimeout)
    for watched in expired {
      var response = ServerResponse.text(503, "the request took longer than \(seconds) s\n")
      response.close = true
      watched.answer.resume(response)
      watched.task?.cancel()
    }
    return next
  }

  mutating func takeReturned() {
    let returned = server.shared.withLock { shared -> [(fd: Int32, after: HTTPServer.AfterResponse)] in
      defer { shared.returned.removeAll() }
      return shared.returned
    }
    for (fd, after) in returned {
      guard var connection = connections[fd] else { continue }
      switch after {
      case .reset:
        connections[fd] = nil
        Socket.close(fd, reset: true)
        server.shared.withLock { $0.connections -= 1 }
      case .close:
        closeConnection(fd)
      case .keepAlive:
        connection.busy = false
        connection.deadline =
          Monotonic.seconds()
          + (connection.buffer.isEmpty ? server.configuration.idleTimeout : server.configuration.headerTimeout)
        connections[fd] = connection
        process(fd)
      }
    }
  }

  /// Answers 408 to requests that did not arrive in time; closes idle connections past their deadline.
  mutating func expire() {
    let now = Monotonic.seconds()
    for (fd, connection) in connections where !connection.busy && connection.deadline <= now {
      if !connection.buffer.isEmpty {
        let response = ServerResponse.text(408, "request not received in time\n")
        _ = Socket.writeAll(fd, response.serialized(keepAlive: false), deadline: now + 0.1)
      }
      closeConnection(fd)
    }
  }

  mutating func closeConnection(_ fd: Int32) {
    guard connections.removeValue(forKey: fd) != nil else { return }
    Socket.close(fd)
    server.shared.withLock { $0.connections -= 1 }
  }
}

/// Resumes a continuation once: the handler and the watchdog race to answer.
final class OnceResume: Sendable {
  private let state: Mutex<CheckedContinuation<ServerResponse, Never>?>

  init(_ continuation: CheckedContinuation<ServerResponse, Never>) { state = Mutex(continuation) }

  func resume(_ response: ServerResponse) {
    let continuation = state.withLock { current -> CheckedContinuation<ServerResponse, Never>? in
      defer { current = nil }
      return current
    }
    continuation?.resume(returning: response)
  }

  var isDone: Bool { state.withLock { $0 == nil } }
}
