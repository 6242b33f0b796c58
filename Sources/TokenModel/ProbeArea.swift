/// A small read-only endpoint that shows whether a token can use one permission area: what `probe` calls, and what
/// the sandbox answers according to each token's permissions.
package struct ProbeArea: Sendable, Hashable {
  package enum Kind: Sendable, Hashable {
    /// The token's own verify endpoint (its family's): any valid, active token passes.
    case verify
    /// The token list of the token's own family: user tokens need API Tokens, account tokens Account API Tokens.
    case tokenList
    /// An account endpoint: `{account}` in the path is each account probed.
    case account(path: String)
  }

  /// The name shown and accepted by `--area`: "workers-scripts".
  package let name: String
  /// In words: "list Workers scripts".
  package let title: String
  package let kind: Kind
  /// Any of these permission groups (by API name) on the account opens the endpoint.
  package let groups: [String]

  package init(name: String, title: String, kind: Kind, groups: [String]) {
    self.name = name
    self.title = title
    self.kind = kind
    self.groups = groups
  }

  static func account(_ name: String, _ title: String, _ path: String, _ product: String) -> ProbeArea {
    ProbeArea(name: name, title: title, kind: .account(path: path), groups: ["\(product) Read", "\(product) Write"])
  }

  /// The areas probed by default: those of the seed documents' token test script.
  package static let standard: [ProbeArea] = [
    ProbeArea(name: "verify", title: "verify the token", kind: .verify, groups: []),
    ProbeArea(
      name: "api-tokens", title: "list API tokens", kind: .tokenList,
      groups: ["API Tokens Read", "API Tokens Write", "Account API Tokens Read", "Account API Tokens Write"]),
    account("workers-scripts", "list Workers scripts", "/accounts/{account}/workers/scripts", "Workers Scripts"),
    account("d1", "list D1 databases", "/accounts/{account}/d1/database", "D1"),
    account("kv", "list KV namespaces", "/accounts/{account}/storage/kv/namespaces", "Workers KV Storage"),
    account("ai", "search Workers AI models", "/accounts/{account}/ai/models/search", "Workers AI"),
    account("account", "read the account's details", "/accounts/{account}", "Account Settings"),
  ]

  /// Further areas, probed with `--all-areas` or named with `--area`.
  package static let more: [ProbeArea] = [
    account("r2", "list R2 buckets", "/accounts/{account}/r2/buckets", "Workers R2 Storage"),
    account("queues", "list Queues", "/accounts/{account}/queues", "Queues"),
    account("vectorize", "list Vectorize indexes", "/accounts/{account}/vectorize/v2/indexes", "Vectorize"),
    account("hyperdrive", "list Hyperdrive configs", "/accounts/{account}/hyperdrive/configs", "Hyperdrive"),
    account("ai-gateway", "list AI Gateways", "/accounts/{account}/ai-gateway/gateways", "AI Gateway"),
    account("pages", "list Pages projects", "/accounts/{account}/pages/projects", "Pages"),
    account("images", "list Images", "/accounts/{account}/images/v1", "Images"),
    account("tunnels", "list Cloudflare Tunnels", "/accounts/{account}/cfd_tunnel", "Cloudflare Tunnel"),
  ]

  package static var all: [ProbeArea] { standard + more }

  /// The account area whose path matches `path` (`/accounts/ID/…`), and the account id in it.
  package static func matching(path: String) -> (area: ProbeArea, account: String)? {
    let parts = path.split(separator: "/").map(String.init)
    guard parts.count >= 2, parts[0] == "accounts" else { return nil }
    for area in all {
      guard case .account(let template) = area.kind else { continue }
      let pattern = template.split(separator: "/").map(String.init)
      guard pattern.count == parts.count else { continue }
      if zip(pattern, parts).allSatisfy({ $0 == "{account}" || $0 == $1 }) { return (area, parts[1]) }
    }
    return nil
  }
}
