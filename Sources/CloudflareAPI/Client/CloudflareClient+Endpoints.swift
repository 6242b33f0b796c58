import Foundation
import JSON
import Synchronization
import TokenModel

// The token endpoints, one method each.
extension CloudflareClient {
  package func token(_ id: HexID, in family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> APIToken
  {
    try await send("GET", family.tokensPath + "/" + id.rawValue, as: credential).result
  }

  /// PUT: replaces the whole token. `retrySafe` only when repeating it cannot do harm (the caller re-reads first).
  package func updateToken(
    _ id: HexID, in family: TokenFamily, _ update: APITokenUpdate, as credential: Credential, retrySafe: Bool = false
  ) async throws(CloudflareError) -> APIToken {
    let body: Data
    do { body = try JSONEncoder().encode(update) } catch {
      throw .malformedResponse(
        APICall(method: "PUT", path: family.tokensPath, caller: credential.display), status: 0,
        "cannot encode the update")
    }
    return try await send(
      "PUT", family.tokensPath + "/" + id.rawValue, body: body, as: credential, retrySafe: retrySafe
    )
    .result
  }

  /// POST: a new token of the family, with the update's fields. Never retried: a lost answer would leave a token
  /// whose value nobody has.
  package func createToken(_ family: TokenFamily, _ update: APITokenUpdate, as credential: Credential)
    async throws(CloudflareError) -> CreatedToken
  {
    let body: Data
    do { body = try JSONEncoder().encode(update) } catch {
      throw .malformedResponse(
        APICall(method: "POST", path: family.tokensPath, caller: credential.display), status: 0,
        "cannot encode the token")
    }
    return try await send("POST", family.tokensPath, body: body, as: credential).result
  }

  /// The calling token's own status, through its family's verify endpoint.
  package func verify(_ family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> APITokenVerification
  {
    try await send("GET", family.tokensPath + "/verify", as: credential).result
  }

  /// A read-only GET of any endpoint below the base URL, its `result` as JSON: what `probe` calls.
  package func get(_ path: String, as credential: Credential) async throws(CloudflareError) -> JSONValue {
    try await send("GET", path, as: credential).result
  }

  /// The live catalog of permission groups the family can grant.
  package func permissionGroups(_ family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> [APIPermissionGroup]
  {
    try await send("GET", family.tokensPath + "/permission_groups", as: credential).result
  }

  /// Rolls the token's value; the old value stops working at once. Never retried.
  package func rollToken(_ id: HexID, in family: TokenFamily, as credential: Credential) async throws(CloudflareError)
    -> Secret
  {
    let value: Page<String> = try await send(
      "PUT", family.tokensPath + "/" + id.rawValue + "/value", body: Data("{}".utf8), as: credential)
    return Secret(value.result)
  }
}
