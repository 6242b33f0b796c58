import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// Authentication, permission evaluation, visibility and rate limiting.
extension Simulator {
  enum Access {
    case success(SimToken)
    case failure(SimResponse)
  }

  func invalidToken() -> SimResponse {
    Self.failure(state.withLock { $0.settings.invalidTokenStatus }, 1000, "Invalid API Token")
  }

  /// The calling token, or the answer refusing it. `verifying` lets an inactive token through to report its status.
  func authenticate(_ request: SimRequest, verifying: Bool) -> Access {
    guard let header = request.headers["authorization"] else {
      return .failure(Self.failure(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"))
    }
    guard header.hasPrefix("Bearer "), !header.dropFirst(7).isEmpty else {
      return .failure(Self.failure(400, 6003, "Invalid request headers"))
    }
    let secret = String(header.dropFirst(7))
    let found = state.withLock { current in
      index.withLock { $0.position(secret: secret, in: current.tokens) }.map { current.tokens[$0] }
    }
    guard let token = found else {
      return .failure(invalidToken())
    }
    // A revoked token's secret is refused outright, even to verify it (Cloudflare answers 1000 for revoked tokens).
    let status = effectiveStatus(token)
    if status != "active" && (!verifying || Self.isRevoked(status)) { return .failure(invalidToken()) }
    if let notBefore = token.notBefore.flatMap(CloudflareDate.parse), notBefore > now(), !verifying {
      return .failure(invalidToken())
    }
    if let condition = token.condition, !Self.ipAllowed(request.clientIP, by: condition) {
      return .failure(
        Self.failure(403, 9109, "Cannot use the access token from location: \(request.clientIP)"))
    }
    recordUse(of: token)
    return .success(token)
  }

  /// Cloudflare's `last_used_on`: set when a token is used, kept here at a day's precision (written at most once a
  /// day a token), so that a busy sandbox is not saved at every request.
  func recordUse(of token: SimToken) {
    let stamp = CloudflareDate.format(now())
    guard token.lastUsedOn?.prefix(10) != stamp.prefix(10) else { return }
    var used = token
    used.lastUsedOn = stamp
    store(used)
  }

  /// `revoked (exposed)` and the like: a status Cloudflare sets, not the spec's active, disabled or expired.
  static func isRevoked(_ status: String) -> Bool { TokenStatus(status).isRevoked }

  /// `expired` once `expires_on` has passed, whatever the stored status says.
  func effectiveStatus(_ token: SimToken) -> String {
    if let expires = token.expiresOn.flatMap(CloudflareDate.parse), expires <= now() { return "expired" }
    return token.status
  }

  /// `condition: {"request.ip" | "request_ip": {"in": [CIDR…], "not_in": [CIDR…]}}`
  static func ipAllowed(_ ip: String, by condition: JSONValue) -> Bool {
    guard let fields = condition.objectValue,
      let rule = (fields["request.ip"] ?? fields["request_ip"])?.objectValue
    else { return true }
    let allowList =
      rule["in"].flatMap { value -> [String]? in
        if case .array(let items) = value { return items.compactMap(\.stringValue) }
        return nil
      } ?? []
    let denyList =
      rule["not_in"].flatMap { value -> [String]? in
        if case .array(let items) = value { return items.compactMap(\.stringValue) }
        return nil
      } ?? []
    if denyList.contains(where: { CIDR.contains($0, ip) }) { return false }
    if allowList.isEmpty { return true }
    return allowList.contains { CIDR.contains($0, ip) }
  }

  // MARK: Permissions

  /// Whether `token` holds `groupName` on `resourceKey` (allow and no deny; `*` keys included).
  func holds(_ token: SimToken, _ groupNames: [String], on resourceKey: String) -> Bool {
    let ids = Set(groupNames.flatMap { catalog.groups(named: $0).map(\.id.rawValue) })
    var allowed = false
    for policy in token.policies where Set(policy.permissionGroups).intersection(ids).isEmpty == false {
      guard Self.covers(policy.resources, resourceKey) else { continue }
      if policy.effect == "deny" { return false }
      allowed = true
    }
    return allowed
  }

  /// Whether a policy's resources include `key` (flat keys, `*` wildcards, nested account → zone maps).
  static func covers(_ resources: JSONValue, _ key: String) -> Bool {
    guard let fields = resources.objectValue else { return false }
    for (resource, value) in fields {
      if Self.keyMatches(resource, key), value.stringValue == "*" { return true }
      if let nested = value.objectValue, key.hasPrefix("com.cloudflare.api.account.zone.") {
        // {"account.X": {"account.zone.*": "*"}}: zones of that account; the simulator does not model zone
        // ownership, so any zone under a nested wildcard counts.
        if nested.keys.contains(where: { Self.keyMatches($0, key) }) { return true }
      }
    }
    return false
  }

  static func keyMatches(_ pattern: String, _ key: String) -> Bool {
    if pattern == key { return true }
    if pattern.hasSuffix(".*") {
      let prefix = String(pattern.dropLast())
      let remainder = key.dropFirst(prefix.count)
      return key.hasPrefix(prefix) && !remainder.contains(".")
    }
    return false
  }

  func userOf(_ token: SimToken) -> SimUser? {
    guard case .user(let id) = token.owner else { return nil }
    return state.withLock { $0.users.first { $0.id == id } }
  }

  /// Checks that `caller` may use the family's endpoints (`write` for PUT); nil when allowed.
  func refusal(_ caller: SimToken, family: TokenFamily, write: Bool) -> SimResponse? {
    // Built only when it is the answer: a JSON body per allowed request would be wasted work.
    var unauthorized: SimResponse { Self.failure(403, 9109, "Unauthorized to access requested resource") }
    switch family {
    case .user:
      guard case .user(let userID) = caller.owner else { return unauthorized }
      let groups = write ? ["API Tokens Write"] : ["API Tokens Read", "API Tokens Write"]
      if !holds(caller, groups, on: "com.cloudflare.api.user.\(userID)") {
        return Self.failure(403, 10000, "Authentication error")
      }
    case .account(let account):
      switch caller.owner {
      case .account(let owner):
        guard owner == account else { return unauthorized }
      case .user:
        guard let role = userOf(caller)?.role(in: account) else { return unauthorized }
        if write && role != .superAdministrator {
          return Self.failure(
            403, 9109,
            "Unauthorized to access requested resource: only Super Administrators may update account-owned tokens")
        }
      }
      let groups = write ? ["Account API Tokens Write"] : ["Account API Tokens Read", "Account API Tokens Write"]
      if !holds(caller, groups, on: "com.cloudflare.api.account.\(account)") {
        return Self.failure(403, 10000, "Authentication error")
      }
    }
    return nil
  }

  /// Whether a family lists a token: a user's own tokens, or an account's.
  static func lists(_ family: TokenFamily, _ token: SimToken, caller: SimToken) -> Bool {
    switch family {
    case .user:
      guard case .user(let userID) = caller.owner else { return false }
      return token.owner == .user(userID)
    case .account(let account):
      return token.owner == .account(account)
    }
  }

  /// One page of the tokens a family lists, in their order (reversed for `desc`), and how many it lists in all.
  /// Only the page is copied out of the state: a list of 10,000 tokens in pages of 50 stays linear per page.
  /// A page of the tokens the family lists. Expired tokens are left out unless `includeExpired` (Cloudflare's
  /// `include_expired=true`, which its documentation says returns recently expired tokens; here, all of them);
  /// revoked tokens always are.
  func visiblePage(
    _ caller: SimToken, family: TokenFamily, range: Range<Int>, descending: Bool, includeExpired: Bool = false
  ) -> (page: [SimToken], total: Int) {
    state.withLock { current in
      var total = 0
      var page: [SimToken] = []
      let indices = descending ? Array(current.tokens.indices.reversed()) : Array(current.tokens.indices)
      for index in indices where Self.lists(family, current.tokens[index], caller: caller) {
        let status = effectiveStatus(current.tokens[index])
        // Where Cloudflare's documentation is silent, the harsh reading: revoked tokens are never listed.
        if (!includeExpired && status == "expired") || Self.isRevoked(status) { continue }
        if range.contains(total) { page.append(current.tokens[index]) }
        total += 1
      }
      return (page, total)
    }
  }

  /// The token with this id, when the family lists it.
  func visibleToken(_ caller: SimToken, family: TokenFamily, id: String) -> SimToken? {
    let id = id.lowercased()
    return state.withLock { current in
      guard let position = index.withLock({ $0.position(id: id, in: current.tokens) }) else { return nil }
      let token = current.tokens[position]
      return Self.lists(family, token, caller: caller) ? token : nil
    }
  }

  // MARK: Rate limit

  func bucket(for token: SimToken) -> String {
    switch token.owner {
    case .user(let id): return "user:" + id.rawValue
    case .account(let id): return "account:" + id.rawValue
    }
  }

  func seconds() -> Double { now().timeIntervalSinceReferenceDate }

  /// Counts the request; returns a 429 when the caller's budget is spent (and keeps refusing for the penalty).
  func countRequest(for token: SimToken) -> SimResponse? {
    let settings = state.withLock { $0.settings }
    let key = bucket(for: token)
    let time = seconds()
    let blockedFor: Double? = rate.withLock { buckets in
      var bucket = buckets[key] ?? RateBucket()
      defer { buckets[key] = bucket }
      if time < bucket.blockedUntil { return bucket.blockedUntil - time }
      // Times are appended in order: the ones that left the window are at the front.
      let cutoff = time - settings.rateWindowSeconds
      if let first = bucket.times.first, first <= cutoff {
        bucket.times.removeFirst(bucket.times.firstIndex { $0 > cutoff } ?? bucket.times.count)
      }
      if bucket.times.count >= settings.rateLimit {
        bucket.blockedUntil = time + settings.rateLimitPenaltySeconds
        return settings.rateLimitPenaltySeconds
      }
      bucket.times.append(time)
      return nil
    }
    guard let blockedFor else { return nil }
    var response = Self.failure(429, 971, "Please wait and consider throttling your request speed")
    response.headers["Retry-After"] = String(Int(blockedFor.rounded(.up)))
    if settings.legacyRateLimitHeaders {
      response.headers["X-RateLimit-Reset"] = Self.rfc1123(Date(timeIntervalSinceReferenceDate: time + blockedFor))
    }
    response.headers.merge(rateHeaders(for: token)) { current, _ in current }
    return response
  }

  /// Cloudflare's current headers (`Ratelimit`, `Ratelimit-Policy`), or with `legacy_rate_limit_headers` the older
  /// `X-RateLimit-Limit` and `-Remaining`.
  func rateHeaders(for token: SimToken) -> [String: String] {
    let settings = state.withLock { $0.settings }
    let time = seconds()
    // `countRequest` has just dropped the times that left the window: what is left is the window, oldest first.
    let (used, oldest) = rate.withLock { buckets -> (Int, Double?) in
      let times = buckets[bucket(for: token)]?.times ?? []
      return (times.count, times.first)
    }
    let remaining = max(0, settings.rateLimit - used)
    if settings.legacyRateLimitHeaders {
      return ["X-RateLimit-Limit": String(settings.rateLimit), "X-RateLimit-Remaining": String(remaining)]
    }
    // The window slides: the next request frees up when the oldest one counted leaves it.
    let reset = oldest.map { $0 + settings.rateWindowSeconds - time } ?? settings.rateWindowSeconds
    return [
      "Ratelimit": "\"default\";r=\(remaining);t=\(Int(max(0, reset).rounded(.up)))",
      "Ratelimit-Policy": "\"default\";q=\(settings.rateLimit);w=\(Int(settings.rateWindowSeconds))",
    ]
  }

  static func rfc1123(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: date)
  }
}

/// IPv4 and IPv6 CIDR matching for IP conditions.
enum CIDR {
  static func contains(_ cidr: String, _ ip: String) -> Bool {
    let parts = cidr.split(separator: "/", maxSplits: 1).map(String.init)
    guard let network = bytes(parts[0]), let address = bytes(ip), network.count == address.count else { return false }
    let prefix = parts.count == 2 ? Int(parts[1]) ?? -1 : network.count * 8
    guard prefix >= 0, prefix <= network.count * 8 else { return false }
    for bit in 0..<prefix {
      let index = bit / 8
      let mask = UInt8(0x80) >> UInt8(bit % 8)
      if network[index] & mask != address[index] & mask { return false }
    }
    return true
  }

  static func bytes(_ text: String) -> [UInt8]? {
    if text.contains(":") {
      var address = in6_addr()
      return inet_pton(AF_INET6, text, &address) == 1 ? withUnsafeBytes(of: &address) { Array($0) } : nil
    }
    var address = in_addr()
    return inet_pton(AF_INET, text, &address) == 1 ? withUnsafeBytes(of: &address) { Array($0) } : nil
  }
}
