import Foundation
import HTTPServer
import Synchronization

/// The service's own names and origins, and what it takes from a browser.
///
/// A browser that has logged in to the dashboard sends its credentials with every request to the service's origin,
/// including a form another site posts there, and a page on a domain re-bound to 127.0.0.1 reaches a service on
/// loopback under that domain's name. So the service answers only requests addressed to one of its own names, and
/// changes state only for a request that proves it is not another site's: one carrying a Bearer token (a cross-site
/// form or image cannot set that header), or a browser's word that it comes from the service's own pages.
package final class ServiceOrigin: Sendable {
  /// Host names (lower case, IPv6 without brackets) the service answers to.
  package let hosts: Set<String>
  /// Origins (`http://127.0.0.1:8787`) of the service's own pages, besides the public URL's.
  let publicOrigin: String?
  let listenHost: String
  /// The port bound, known once the server listens (it may have been 0).
  let port = Mutex<UInt16>(0)

  package init(listenHost: String, port: UInt16, publicURL: URL?, allowedHosts: [String]) {
    var hosts = Set(allowedHosts.map(Self.bare))
    let listen = Self.bare(listenHost)
    if !Self.isWildcard(listen) { hosts.insert(listen) }
    if Self.isLoopback(listen) { hosts.formUnion(["localhost", "127.0.0.1", "::1"]) }
    if let host = publicURL?.host { hosts.insert(Self.bare(host)) }
    self.hosts = hosts
    self.listenHost = listen
    publicOrigin = publicURL.flatMap(Self.origin(of:))
    self.port.withLock { $0 = port }
  }

  /// `example.com`, `::1`: lower case, no brackets, no port.
  static func bare(_ host: String) -> String {
    var text = HTTPText.lowercase(host)
    if text.hasPrefix("[") {
      text = String(text.dropFirst().prefix { $0 != "]" })
    } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
      text = String(text[..<colon])
    }
    return text
  }

  package static func isWildcard(_ host: String) -> Bool { ["0.0.0.0", "::", ""].contains(bare(host)) }

  package static func isLoopback(_ host: String) -> Bool {
    let name = bare(host)
    if name == "localhost" || name == "::1" { return true }
    let octets = name.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
  }

  static func origin(of url: URL) -> String? {
    guard let scheme = url.scheme?.lowercased(), let host = url.host else { return nil }
    let defaultPort = scheme == "https" ? 443 : 80
    let port = url.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
    let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    return "\(scheme)://\(name.lowercased())\(port)"
  }

  /// Whether a request's `Host` names this service (its port aside: what stops DNS re-binding is the name).
  package func answers(host: String?) -> Bool {
    guard let host, !host.isEmpty else { return false }
    return hosts.contains(Self.bare(host))
  }

  /// Origins of the service's own pages: each of its names on the port it listens on, and the public URL's.
  var origins: Set<String> {
    let bound = port.withLock { $0 }
    var origins = Set(
      hosts.map { host in "http://" + (host.contains(":") ? "[\(host)]" : host) + (bound == 80 ? "" : ":\(bound)") })
    if let publicOrigin { origins.insert(publicOrigin) }
    return origins
  }

  /// Whether a browser says the request comes from the service's own pages, or from no page at all (an address
  /// typed in): `Sec-Fetch-Site: same-origin` or `none`, or an `Origin` that is the service's.
  package func isSameOrigin(_ request: ServerRequest) -> Bool {
    if let site = request.headers["sec-fetch-site"]?.lowercased() {
      return site == "same-origin" || site == "none"
    }
    if let origin = request.headers["origin"]?.lowercased() { return origins.contains(origin) }
    return false
  }

  /// Whether the request carries a Bearer token (already checked by then): a header no cross-site form, link or
  /// image can set.
  package static func hasBearer(_ request: ServerRequest) -> Bool {
    guard let header = request.headers["authorization"] else { return false }
    return HTTPText.hasPrefix(header, ignoringCase: "bearer ")
  }
}
