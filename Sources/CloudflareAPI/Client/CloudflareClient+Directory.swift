import TokenModel

// Accounts and zones: the names `import` writes into a policy.
extension CloudflareClient {
  /// The accounts the token reaches (`GET /accounts`, every page). Cloudflare refuses account-owned tokens here
  /// (error 1001); they read their own account with `account(_:as:)`.
  package func accounts(as credential: Credential) async throws(CloudflareError) -> [APIAccount] {
    try await everyPage("/accounts", as: credential)
  }

  /// One account (`GET /accounts/{id}`).
  package func account(_ id: HexID, as credential: Credential) async throws(CloudflareError) -> APIAccount {
    try await send("GET", "/accounts/" + id.rawValue, as: credential).result
  }

  /// The zones the token may see (`GET /zones`, every page): none, not an error, for a token without zone grants.
  package func zones(as credential: Credential) async throws(CloudflareError) -> [APIZone] {
    try await everyPage("/zones", as: credential)
  }

  /// A list walked page by page, 50 at a time, until `result_info.total_count` is reached or a page comes back short.
  func everyPage<Element: JSONResult>(_ path: String, as credential: Credential) async throws(CloudflareError)
    -> [Element]
  {
    let size = 50
    var items: [Element] = []
    for page in 1... {
      let answer: Page<[Element]> = try await send(
        "GET", path, query: ["page": "\(page)", "per_page": "\(size)"], as: credential)
      items += answer.result
      let total = answer.info?.totalCount ?? Int.max
      if answer.result.count < size || items.count >= total || page * size >= configuration.maxListedTokens {
        return items
      }
    }
    return items
  }
}
