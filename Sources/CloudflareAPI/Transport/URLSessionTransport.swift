import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production transport. Reads share one session; every write gets a fresh session, so a write is never sent on
/// a reused connection (on Linux, a reset reused connection can make libcurl resend a PUT without its body).
package final class URLSessionTransport: HTTPTransport {
  private let readSession: URLSession
  private let idleTimeout: TimeInterval
  private let configuration: URLSessionConfiguration

  /// `idleTimeout` is URLSession's own (idle) timer; the client enforces the total deadline.
  package init(idleTimeout: TimeInterval = 30) {
    self.idleTimeout = idleTimeout
    configuration = Self.configuration(idleTimeout: idleTimeout)
    readSession = URLSession(configuration: configuration)
  }

  /// Made once per process, and copied: Foundation reads the whole process environment, several times, to make one
  /// (with 10,000 secrets in the environment, 60–90 ms; copying it takes microseconds).
  private static let base: URLSessionConfiguration = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.urlCache = nil
    configuration.urlCredentialStorage = nil
    return configuration
  }()

  /// Makes the configuration ahead, on the caller's thread: a command starts this beside reading its policy.
  package static func prepare() { _ = base }

  /// Ephemeral, and without cookie, credential or response stores at all: the API needs none of them, and nothing a
  /// request carried is kept anywhere.
  static func configuration(idleTimeout: TimeInterval) -> URLSessionConfiguration {
    // A copy keeps the stores unset (a new configuration would make a response cache again).
    let configuration = (base.copy() as? URLSessionConfiguration) ?? .ephemeral
    configuration.timeoutIntervalForRequest = idleTimeout
    configuration.httpMaximumConnectionsPerHost = 16
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.httpCookieStorage = nil
    configuration.urlCache = nil
    configuration.urlCredentialStorage = nil
    return configuration
  }

  deinit { readSession.invalidateAndCancel() }

  package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    var urlRequest = URLRequest(url: request.url)
    urlRequest.httpMethod = request.method
    urlRequest.timeoutInterval = idleTimeout
    for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
    urlRequest.httpBody = request.body
    let isWrite = request.method != "GET" && request.method != "HEAD"
    let session: URLSession
    if isWrite {
      session = URLSession(configuration: configuration)
    } else {
      session = readSession
    }
    defer { if isWrite { session.finishTasksAndInvalidate() } }
    do {
      let (data, response) = try await session.data(for: urlRequest)
      guard let http = response as? HTTPURLResponse else { throw TransportFailure.connection("not an HTTP response") }
      var headers: [String: String] = [:]
      for (name, value) in http.allHeaderFields {
        if let name = name as? String, let value = value as? String { headers[name] = value }
      }
      return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    } catch let error as TransportFailure {
      throw error
    } catch let error as URLError where error.code == .timedOut {
      throw TransportFailure.timedOut
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw TransportFailure.connection((error as NSError).localizedDescription)
    }
  }
}
