import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// `GET /accounts` and `GET /zones`: the names `import` gives accounts and zones. Cloudflare lists what the calling
/// token's policies reach; it refuses `GET /accounts` to account-owned tokens outright (error 1001), which may read
/// their own account with `GET /accounts/{id}` (a probe area here, needing Account Settings Read).
extension Simulator {
  func directory(_ request: SimRequest, zones: Bool) -> SimResponse {
    let caller: SimToken
    switch authenticate(request, verifying: false) {
    case .failure(let response): return response
    case .success(let token): caller = token
    }
    if let limited = countRequest(for: caller) { return limited }
    var response = zones ? listZones(caller, query: request.query) : listAccounts(caller, query: request.query)
    response.headers.merge(rateHeaders(for: caller)) { current, _ in current }
    return response
  }

  func listAccounts(_ caller: SimToken, query: [String: String]) -> SimResponse {
    guard let user = userOf(caller) else {
      return Self.failure(400, 1001, "List accounts endpoint does not support account owned tokens.")
    }
    let accounts = state.withLock { $0.accounts }.filter { account in
      user.role(in: account.id) != nil && reaches(caller, account: account.id)
    }
    return paged(accounts, query: query) { account in
      .object(["id": .string(account.id.rawValue), "name": .string(account.name)])
    }
  }

  func listZones(_ caller: SimToken, query: [String: String]) -> SimResponse {
    let (zones, accounts) = state.withLock { ($0.zones, $0.accounts) }
    let user = userOf(caller)
    let visible = zones.filter { zone in
      if let only = query["account.id"], only != zone.account.rawValue { return false }
      switch caller.owner {
      case .account(let owner): if owner != zone.account { return false }
      case .user: if user?.role(in: zone.account) == nil { return false }
      }
      return holdsZoneGroup(caller, zone: zone)
    }
    return paged(visible, query: query) { zone in
      let accountName = accounts.first { $0.id == zone.account }?.name ?? ""
      return .object([
        "id": .string(zone.id.rawValue), "name": .string(zone.name), "status": .string("active"),
        "account": .object(["id": .string(zone.account.rawValue), "name": .string(accountName)]),
      ])
    }
  }

  /// Whether any allow policy of the token names the account, all accounts, or zones of it.
  func reaches(_ token: SimToken, account: HexID) -> Bool {
    let key = "com.cloudflare.api.account.\(account)"
    return token.policies.contains { policy in
      guard policy.effect == "allow", let fields = policy.resources.objectValue else { return false }
      return fields.keys.contains { Self.keyMatches($0, key) }
    }
  }

  /// Whether the token holds some zone-scoped group on the zone: on it, on all zones, or on all zones of its account.
  func holdsZoneGroup(_ token: SimToken, zone: SimZone) -> Bool {
    let zoneKey = "com.cloudflare.api.account.zone.\(zone.id)"
    let accountKey = "com.cloudflare.api.account.\(zone.account)"
    return token.policies.contains { policy in
      guard policy.effect == "allow", let fields = policy.resources.objectValue,
        policy.permissionGroups.contains(where: { id in
          HexID(id).flatMap { catalog.group(id: $0) }?.scopes.contains(.zone) ?? false
        })
      else { return false }
      return fields.contains { key, value in
        if value.stringValue == "*" { return Self.keyMatches(key, zoneKey) }
        guard Self.keyMatches(key, accountKey), let nested = value.objectValue else { return false }
        return nested.keys.contains { Self.keyMatches($0, zoneKey) }
      }
    }
  }

  /// One page of `items` (`page`, `per_page` from 5 to 50, default 20), with Cloudflare's `result_info`.
  func paged<T>(_ items: [T], query: [String: String], _ render: (T) -> JSONValue) -> SimResponse {
    let page = Int(query["page"] ?? "1") ?? 0
    let perPage = Int(query["per_page"] ?? "20") ?? 0
    guard page >= 1 else { return Self.failure(400, 1001, "page must be a number of at least 1") }
    guard (5...50).contains(perPage) else { return Self.failure(400, 1001, "per_page must be between 5 and 50") }
    let offset = (page - 1).multipliedReportingOverflow(by: perPage)
    let start = offset.overflow ? items.count : min(items.count, offset.partialValue)
    let slice = items[start..<min(items.count, start + perPage)].map(render)
    let info = ResultInfo(page: page, perPage: perPage, count: slice.count, totalCount: items.count)
    return Self.success(info: info) { JSONValue.array(slice).write(json: &$0) }
  }
}
