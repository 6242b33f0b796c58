import Basics
import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// The token endpoints of both families.
extension Simulator {
  func verify(_ caller: SimToken, family: TokenFamily) -> SimResponse {
    // Account-owned tokens fail /user/tokens/verify with 1000 although they are valid (reported by several users;
    // Cloudflare documents /accounts/{id}/tokens/verify for them).
    switch (family, caller.owner) {
    case (.user, .user): break
    case (.account(let account), .account(let owner)) where account == owner: break
    default: return invalidToken()
    }
    let status = effectiveStatus(caller)
    let verification = APITokenVerification(
      id: caller.id.rawValue, status: TokenStatus(status), expiresOn: caller.expiresOn, notBefore: caller.notBefore)
    let message = status == "active" ? "This API Token is valid and active" : "This API Token is \(status)"
    return Self.success(verification, messages: [APIMessage(code: 10000, message: message)])
  }

  func permissionGroups(_ caller: SimToken, family: TokenFamily, query: [String: String]) -> SimResponse {
    if let refusal = refusal(caller, family: family, write: false) { return refusal }
    var groups = catalog.groups
    if case .account = family { groups = groups.filter { !$0.scopes.contains(.user) } }
    if let name = query["name"] { groups = groups.filter { $0.name == name } }
    if let scope = query["scope"] { groups = groups.filter { $0.scopes.map(\.rawValue).contains(scope) } }
    let result = groups.map { APIPermissionGroup(id: $0.id.rawValue, name: $0.name, scopes: $0.scopes.map(\.rawValue)) }
    return Self.success { result.write(json: &$0) }
  }

  func list(_ caller: SimToken, family: TokenFamily, query: [String: String]) -> SimResponse {
    if let refusal = refusal(caller, family: family, write: false) { return refusal }
    let page = Int(query["page"] ?? "1") ?? 0
    let perPage = Int(query["per_page"] ?? "20") ?? 0
    guard page >= 1 else { return Self.failure(400, 1001, "page must be a number of at least 1") }
    guard (5...50).contains(perPage) else { return Self.failure(400, 1001, "per_page must be between 5 and 50") }
    let start = (page - 1).multipliedReportingOverflow(by: perPage)
    let first = start.overflow ? Int.max - perPage : start.partialValue
    let listed = visiblePage(
      caller, family: family, range: first..<first + perPage, descending: query["direction"] == "desc",
      includeExpired: query["include_expired"] == "true")
    let settings = state.withLock { $0.settings }
    let slice = listed.page.map { render($0, settings: settings) }
    let info = ResultInfo(page: page, perPage: perPage, count: slice.count, totalCount: listed.total)
    return Self.success(info: info) { slice.write(json: &$0) }
  }

  func details(_ caller: SimToken, family: TokenFamily, id: String) -> SimResponse {
    if let refusal = refusal(caller, family: family, write: false) { return refusal }
    guard let token = visibleToken(caller, family: family, id: id) else {
      return notFound(family: family, id: id)
    }
    return Self.success(token: render(token))
  }

  func notFound(family: TokenFamily, id: String) -> SimResponse {
    Self.failure(404, 7003, "Could not route to \(family.tokensPath)/\(id), perhaps your object identifier is invalid?")
  }

  func roll(_ caller: SimToken, family: TokenFamily, id: String) -> SimResponse {
    if let refusal = refusal(caller, family: family, write: true) { return refusal }
    guard var token = visibleToken(caller, family: family, id: id) else {
      return notFound(family: family, id: id)
    }
    if token.id == caller.id && !state.withLock({ $0.settings.allowSelfEdit }) {
      return Self.failure(403, 9109, "Unauthorized to access requested resource: a token may not roll itself here")
    }
    token.secret = issueSecret(for: token.owner)
    token.modifiedOn = CloudflareDate.format(now())
    store(token)
    return Self.success(token.secret)
  }

  // MARK: Update

  func update(_ caller: SimToken, family: TokenFamily, id: String, body: Data) -> SimResponse {
    if let refusal = refusal(caller, family: family, write: true) { return refusal }
    guard let existing = visibleToken(caller, family: family, id: id) else {
      return notFound(family: family, id: id)
    }
    if existing.id == caller.id && !state.withLock({ $0.settings.allowSelfEdit }) {
      return Self.failure(403, 9109, "Unauthorized to access requested resource: a token may not edit itself here")
    }
    switch edited(existing, caller: caller, body: body) {
    case .failure(let refusal): return refusal.response
    case .success(var updated):
      updated.modifiedOn = CloudflareDate.format(now())
      store(updated)
      return Self.success(token: render(updated))
    }
  }

  /// `token` with the fields of a PUT or POST body, each policy checked as Cloudflare checks it; or the refusal.
  func edited(_ existing: SimToken, caller: SimToken, body: Data) -> Result<SimToken, RefusedWrite> {
    guard let json = try? JSONDecoder().decode(JSONValue.self, from: body), let fields = json.objectValue else {
      return .failure(RefusedWrite(Self.failure(400, 6007, "Malformed JSON in request body")))
    }
    guard let name = fields["name"]?.stringValue, !name.isEmpty, name.count <= 120 else {
      return .failure(RefusedWrite(Self.failure(400, 1001, "name is required and must be at most 120 characters")))
    }
    guard case .array(let policyValues)? = fields["policies"] else {
      return .failure(RefusedWrite(Self.failure(400, 1001, "policies is required")))
    }
    var policies: [SimPolicy] = []
    for (index, value) in policyValues.enumerated() {
      switch validatePolicy(value, index: index, target: existing, caller: caller) {
      case .failure(let response): return .failure(RefusedWrite(response))
      case .success(let policy): policies.append(policy)
      }
    }
    let settings = state.withLock { $0.settings }
    var updated = existing
    updated.name = name
    updated.policies = policies
    func optionalString(_ key: String, _ current: String?) -> String?? {
      guard let value = fields[key] else { return settings.putClearsOmittedFields ? .some(nil) : .some(current) }
      if case .null = value { return .some(nil) }
      guard let text = value.stringValue else { return nil }
      return .some(text)
    }
    guard let expires = optionalString("expires_on", existing.expiresOn),
      let notBefore = optionalString("not_before", existing.notBefore)
    else { return .failure(RefusedWrite(Self.failure(400, 1001, "expires_on and not_before must be RFC 3339 dates"))) }
    for date in [expires, notBefore].compactMap({ $0 }) where CloudflareDate.parse(date) == nil {
      return .failure(RefusedWrite(Self.failure(400, 1001, "'\(date)' is not an RFC 3339 date")))
    }
    updated.expiresOn = expires
    updated.notBefore = notBefore
    if let status = fields["status"] {
      guard let text = status.stringValue, ["active", "disabled", "expired"].contains(text) else {
        return .failure(RefusedWrite(Self.failure(400, 1001, "status must be active, disabled or expired")))
      }
      updated.status = text
    } else if settings.putClearsOmittedFields {
      updated.status = "active"
    }
    if let condition = fields["condition"] {
      updated.condition = condition == .null ? nil : condition
    } else if settings.putClearsOmittedFields {
      updated.condition = nil
    }
    return .success(updated)
  }

  /// A write refused, with Cloudflare's answer.
  struct RefusedWrite: Error {
    let response: SimResponse
    init(_ response: SimResponse) { self.response = response }
  }

  // MARK: Create

  /// `POST /user/tokens` or `POST /accounts/{id}/tokens`: a new token with the body's fields, and its secret, shown
  /// this once. Refused past the family's quota.
  func create(_ caller: SimToken, family: TokenFamily, body: Data) -> SimResponse {
    if let refusal = refusal(caller, family: family, write: true) { return refusal }
    let owner: SimOwner
    let quota: Int
    switch family {
    case .user:
      guard case .user(let user) = caller.owner else {
        return Self.failure(403, 9109, "Unauthorized to access requested resource")
      }
      (owner, quota) = (.user(user), Scenario.userTokenQuota)
    case .account(let account): (owner, quota) = (.account(account), Scenario.accountTokenQuota)
    }
    let held = state.withLock { $0.tokens.count { $0.owner == owner } }
    if held >= quota {
      let whose =
        if case .user = owner { "user-owned API tokens per user" } else { "account-owned API tokens per account" }
      return Self.failure(400, 1001, "Token quota exceeded: at most \(quota) \(whose)")
    }
    let stamp = CloudflareDate.format(now())
    let draft = SimToken(
      id: HexID(issueID())!, name: "", owner: owner, secret: issueSecret(for: owner), env: nil, issuedOn: stamp,
      modifiedOn: stamp, policies: [])
    switch edited(draft, caller: caller, body: body) {
    case .failure(let refusal): return refusal.response
    case .success(let token):
      let created = state.withLock { current -> SimulatorState in
        current.tokens.append(token)
        return current
      }
      onChange?(created)
      // The token as GET shows it, and its value, which Cloudflare shows only in this answer.
      return Self.success { writer in
        writer.object { object in
          render(token).writeFields(json: &object)
          object.field("value", token.secret)
        }
      }
    }
  }

  enum PolicyCheck {
    case success(SimPolicy)
    case failure(SimResponse)
  }

  /// Validates one policy of a PUT against the catalog, the target's owner and the caller's own permissions.
  func validatePolicy(_ value: JSONValue, index: Int, target: SimToken, caller: SimToken) -> PolicyCheck {
    func fail(_ message: String) -> PolicyCheck { .failure(Self.failure(400, 1001, "policies[\(index)]: \(message)")) }
    guard let fields = value.objectValue else { return fail("must be an object") }
    let effect = fields["effect"]?.stringValue ?? ""
    guard effect == "allow" || effect == "deny" else { return fail("effect must be allow or deny") }
    guard case .array(let groupValues)? = fields["permission_groups"], !groupValues.isEmpty else {
      return fail("permission_groups must be a non-empty list")
    }
    var groups: [PermissionGroup] = []
    for groupValue in groupValues {
      guard let id = groupValue.objectValue?["id"]?.stringValue else {
        return fail("every permission group needs an id")
      }
      guard let hex = HexID(id), let group = catalog.group(id: hex) else {
        return fail("unknown permission group '\(id)'")
      }
      groups.append(group)
    }
    guard let resources = fields["resources"], let resourceFields = resources.objectValue, !resourceFields.isEmpty
    else {
      return fail("resources must be a non-empty object")
    }
    var scopes: [(key: String, scope: PermissionScope)] = []
    for (key, value) in resourceFields {
      if value.stringValue == "*" {
        guard let scope = Self.scope(ofResource: key) else { return fail("unknown resource '\(key)'") }
        scopes.append((key, scope))
      } else if let nested = value.objectValue, key.hasPrefix("com.cloudflare.api.account."),
        Self.scope(ofResource: key) == .account
      {
        for (inner, innerValue) in nested {
          guard innerValue.stringValue == "*", let scope = Self.scope(ofResource: inner), scope != .account,
            scope != .user
          else { return fail("unknown nested resource '\(inner)' under '\(key)'") }
          scopes.append((inner, scope))
        }
      } else {
        return fail("resource '\(key)' must map to \"*\" or to nested resources")
      }
    }
    for group in groups {
      for (key, scope) in scopes where !group.scopes.contains(scope) {
        return fail(
          "permission group '\(group.name)' applies to \(group.scopes.map(\.rawValue).joined(separator: ", ")), not to '\(key)'"
        )
      }
    }
    if case .account(let owner) = target.owner {
      if groups.contains(where: { $0.scopes.contains(.user) }) {
        return fail("account-owned tokens cannot hold user permissions")
      }
      for (key, _) in scopes
      where key.hasPrefix("com.cloudflare.api.account.") && !key.contains(".zone")
        && !key.hasSuffix(owner.rawValue)
      {
        return fail("account-owned tokens can only access their own account, not '\(key)'")
      }
    }
    // Cloudflare's common permission check (error 1001): an account-owned caller granting a specific zone must hold
    // each group itself. Account-wide, all-zones and R2 resources are not checked.
    if case .account = caller.owner {
      for (key, scope) in scopes where scope == .zone && !key.hasSuffix(".*") {
        for group in groups where !holds(caller, [group.name], on: key) {
          return .failure(
            Self.failure(
              400, 1001, "Failed common permission check against resources. (Permission group: \"\(group.name)\")"))
        }
      }
    }
    let ids = groups.map(\.id.rawValue)
    return .success(SimPolicy(id: issueID(), effect: effect, permissionGroups: ids, resources: resources))
  }

  static func scope(ofResource key: String) -> PermissionScope? {
    if key.hasPrefix("com.cloudflare.api.account.zone.") { return .zone }
    if key.hasPrefix("com.cloudflare.api.account.") { return .account }
    if key.hasPrefix("com.cloudflare.api.user.") { return .user }
    if key.hasPrefix("com.cloudflare.edge.r2.bucket.") { return .r2Bucket }
    return nil
  }

  // MARK: Rendering and storage

  /// The token as the API returns it: groups sorted by id with names, policies in the simulator's own order (by
  /// their random ids, so order differs from what was written), condition under the configured key.
  func render(_ token: SimToken) -> APIToken { render(token, settings: state.withLock { $0.settings }) }

  func render(_ token: SimToken, settings: SimulatorSettings) -> APIToken {
    let policies = token.policies.sorted { $0.id < $1.id }.map { policy in
      APIPolicy(
        id: policy.id, effect: policy.effect,
        permissionGroups: policy.permissionGroups.sorted().map { id in
          APIPermissionGroupRef(id: id, name: groupNames[id] ?? groupNames[id.lowercased()])
        },
        resources: policy.resources)
    }
    var condition = token.condition
    if let fields = condition?.objectValue, settings.conditionKeyOnRead != "as-written",
      let rule = fields["request.ip"] ?? fields["request_ip"]
    {
      condition = .object([settings.conditionKeyOnRead: rule])
    }
    return APIToken(
      id: token.id.rawValue, name: token.name, status: TokenStatus(effectiveStatus(token)), issuedOn: token.issuedOn,
      modifiedOn: token.modifiedOn, lastUsedOn: token.lastUsedOn, notBefore: token.notBefore,
      expiresOn: token.expiresOn, condition: condition, policies: policies)
  }

  func store(_ token: SimToken) {
    let updated = state.withLock { current -> SimulatorState in
      if let position = index.withLock({ $0.position(id: token.id.rawValue, in: current.tokens) }) {
        current.tokens[position] = token
      }
      return current
    }
    onChange?(updated)
  }

  /// A fresh 32-hex id, reproducible from the state's counter.
  func issueID() -> String {
    let counter = state.withLock { current -> UInt64 in
      current.issued += 1
      return current.issued
    }
    var generator = SplitMix64(seed: counter &* 0x2545_F491_4F6C_DD1D)
    return String(format: "%016llx%016llx", generator.next(), generator.next())
  }

  /// A fake secret in Cloudflare's format: `cfut_`/`cfat_` and 40 characters.
  func issueSecret(for owner: SimOwner) -> String {
    let prefix: String
    switch owner {
    case .user: prefix = "cfut_"
    case .account: prefix = "cfat_"
    }
    return prefix + "sandbox" + issueID() + "x"
  }
}
