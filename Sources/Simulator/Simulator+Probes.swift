import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// The small read-only endpoints `probe` calls (Workers scripts, D1, KV, AI models, account details…), answered
/// according to the caller's permissions on the account.
extension Simulator {
  func probe(_ request: SimRequest, area: ProbeArea, account: String) -> SimResponse {
    let caller: SimToken
    switch authenticate(request, verifying: false) {
    case .failure(let response): return response
    case .success(let token): caller = token
    }
    if let limited = countRequest(for: caller) { return limited }
    var response = probeAnswer(caller, method: request.method, area: area, account: account)
    response.headers.merge(rateHeaders(for: caller)) { current, _ in current }
    return response
  }

  func probeAnswer(_ caller: SimToken, method: String, area: ProbeArea, account: String) -> SimResponse {
    guard method == "GET" else { return Self.failure(405, 10405, "Method not allowed") }
    let unauthorized = Self.failure(403, 9109, "Unauthorized to access requested resource")
    guard let accountID = HexID(account),
      let known = state.withLock({ $0.accounts.first { $0.id == accountID } })
    else { return unauthorized }
    switch caller.owner {
    case .account(let owner): guard owner == accountID else { return unauthorized }
    case .user: guard userOf(caller)?.role(in: accountID) != nil else { return unauthorized }
    }
    guard holds(caller, area.groups, on: "com.cloudflare.api.account.\(accountID)") else {
      return Self.failure(403, 10000, "Authentication error")
    }
    if case .account(let path) = area.kind, path == "/accounts/{account}" {
      return Self.success(JSONValue.object(["id": .string(accountID.rawValue), "name": .string(known.name)]))
    }
    let item = JSONValue.object(["id": .string("sandbox-\(area.name)-1"), "name": .string("example-\(area.name)")])
    return Self.success([item], info: ResultInfo(page: 1, perPage: 20, count: 1, totalCount: 1))
  }
}
