import TokenModel

/// Turns a parsed document into a policy file, reporting what does not fit schema version 1.
///
/// The schema (see docs/policy.md):
///
///     version: 1
///     accounts:  { NAME: ACCOUNT_ID, … }
///     zones:     { NAME: ZONE_ID, … }                                   optional
///     templates: { NAME: [PERMISSION | include: TEMPLATE, …], … }      optional
///     observers: { user | account NAME: TOKEN_NAME, … }                  optional
///     tokens:
///       NAME:
///         id: TOKEN_ID
///         owner: user | account NAME
///         secret: $ENVIRONMENT_VARIABLE
///         healer: TOKEN_NAME | self                                     optional
///         expiry: { warn_before: 14d }                                  optional
///         grants:
///           - resource: account NAME | all zones of account NAME | zone NAME | user
///             permissions: [PERMISSION | include: TEMPLATE, …]
struct PolicyDecoder {
  let source: SourceFile
  let catalog: PermissionCatalog
  /// Every distinct permission looked up, and what it resolved to.
  var lookups: [Resolution: Lookup] = [:]
  var requestNames: [String: (names: [String], id: HexID?)] = [:]
  /// The same, by the text as written: one string to hash per permission of every token.
  var lookupsByText: [Written: Lookup] = [:]

  struct Written: Hashable {
    let text: String
    let scope: PermissionScope
  }
  var sink: DiagnosticSink
  var accounts: [String: HexID] = [:]
  var zones: [String: HexID] = [:]
  /// Template bodies as written; expanded on use.
  var templateNodes: [String: YAMLNode] = [:]
  var templateCache: [String: [PermissionRequest]] = [:]
  /// Record where each grant is required (`explain`); off otherwise, as it costs an array per permission.
  var recordOrigins = false
  /// Token name → where each of its grants is required, in file order (a grant required twice, twice).
  var origins: [String: [GrantOrigin]] = [:]

  init(source: SourceFile, catalog: PermissionCatalog) {
    self.source = source
    self.catalog = catalog
    self.sink = DiagnosticSink(path: source.path)
  }

  /// The keys each mapping of schema version 1 may hold; the JSON Schema (`tokenwarden schema`) lists the same.
  enum Keys {
    static let policy = ["version", "accounts", "zones", "templates", "observers", "tokens"]
    static let token = ["id", "owner", "secret", "healer", "expiry", "rotation", "unused_after", "grants"]
    static let rotation = ["every", "strategy", "sinks", "grace", "lifetime", "sink_token"]
    static let expiry = ["warn_before"]
    static let grant = ["resource", "permissions"]
  }

  /// A permission as written, before it is resolved against a resource's scope.
  struct PermissionRequest {
    /// The API group names to look up, in order: the text exactly as written (Cloudflare's own names contain ': ',
    /// like "Access: Apps and Policies Write"), then its `Product: level` dashboard reading ("Workers Scripts Write").
    let names: [String]
    /// The group's 32-hex id, when the permission was written as one.
    var id: HexID? = nil
    /// The name the did-you-mean and rename tables work from: the dashboard reading when there is one.
    var apiName: String { names.last ?? written }
    /// As the user wrote it, for messages.
    let written: String
    let range: SourceRange
    /// The `include:` entries it came through, outermost first (recorded only with `recordOrigins`).
    var via: [(template: String, range: SourceRange)] = []
  }

  mutating func decode(_ document: YAMLDocument) -> PolicyFile? {
    guard let root = document.root, !isNull(root) else {
      sink.error(.emptyPolicy, .point(0))
      return nil
    }
    guard let entries = mapping(root, "the policy") else { return nil }
    var fields = FieldReader(entries: entries)
    if let version = fields.take("version") {
      if version.value.scalar?.resolved != .int("1") {
        sink.error(
          .unsupportedVersion(version.value.scalar?.text ?? version.value.kindDescription), version.value.range)
      }
    } else {
      sink.error(.missingKey("version", in: "the policy"), root.range, note: "add 'version: 1' at the top")
    }
    if let node = fields.take("accounts")?.value { accounts = idMap(node, what: "account") }
    if let node = fields.take("zones")?.value { zones = idMap(node, what: "zone") }
    if let node = fields.take("templates")?.value, let templates = mapping(node, "'templates'") {
      for entry in templates {
        guard let name = name(entry.key) else { continue }
        templateNodes[name] = entry.value
      }
      for entry in templates {
        if let name = entry.key.scalar?.text { _ = expandTemplate(name, range: entry.key.range, stack: []) }
      }
    }
    var observers: [ObserverReference] = []
    if let node = fields.take("observers")?.value, let entries = mapping(node, "'observers'") {
      for entry in entries {
        guard let family = string(entry.key, "an observer's family"), let token = string(entry.value, "an observer")
        else { continue }
        let words = family.split(separator: " ").map(String.init)
        if words == ["user"] {
          observers.append(ObserverReference(family: .user, familyText: family, token: token, range: entry.value.range))
        } else if words.count == 2 && words[0] == "account" {
          if let id = account(words[1], range: entry.key.range) {
            observers.append(
              ObserverReference(family: .account(id), familyText: family, token: token, range: entry.value.range))
          }
        } else {
          sink.error(
            .invalidObserver("'\(family)' is not a family of tokens"), entry.key.range,
            note: "write 'user' (the user's tokens) or 'account NAME' (an account's tokens)")
        }
      }
    }
    var tokens: [DesiredToken] = []
    var declared: [String: SourceRange] = [:]
    var healers: [HealerReference] = []
    if let node = fields.take("tokens")?.value {
      if let tokenEntries = mapping(node, "'tokens'") {
        for entry in tokenEntries {
          guard let name = name(entry.key) else { continue }
          if ReservedTokenNames.all.contains(name) {
            sink.error(
              .reservedTokenName(name), entry.key.range,
              note:
                "the service's JSON documents put each token's object beside keys of their own, '\(name)' among them; choose another name"
            )
          }
          declared[name] = entry.key.range
          let (token, healer) = decodeToken(name: name, keyRange: entry.key.range, node: entry.value)
          if let token { tokens.append(token) }
          if let healer { healers.append(healer) }
        }
      }
    } else {
      sink.error(.missingKey("tokens", in: "the policy"), root.range)
    }
    reportUnknown(fields, in: "the policy", allowed: Keys.policy)
    return PolicyFile(
      source: source, tokens: tokens, declaredTokens: declared, healers: healers, observers: observers)
  }

  // MARK: Tokens

  /// The token when it is valid, and its healer reference whether or not it is.
  mutating func decodeToken(name: String, keyRange: SourceRange, node: YAMLNode) -> (DesiredToken?, HealerReference?) {
    let what = "token '\(name)'"
    guard let entries = mapping(node, what) else { return (nil, nil) }
    var fields = FieldReader(entries: entries)
    let errorsBefore = sink.items.count { $0.severity == .error }
    var id: HexID?
    if let field = fields.take("id") {
      id = hexID(field.value, what: "the id of \(what)")
    } else {
      sink.error(.missingKey("id", in: what), keyRange)
    }
    var owner: (TokenOwner, String)?
    if let field = fields.take("owner") {
      owner = decodeOwner(field.value)
    } else {
      sink.error(.missingKey("owner", in: what), keyRange, note: "write 'owner: user' or 'owner: account NAME'")
    }
    var secret: String?
    if let field = fields.take("secret") {
      secret = decodeSecret(field.value)
    } else {
      sink.error(
        .missingKey("secret", in: what), keyRange,
        note: "name the environment variable that holds its value: 'secret: $VARIABLE'")
    }
    var healer = HealerChoice.automatic
    var healerReference: HealerReference?
    if let field = fields.take("healer") {
      if let text = string(field.value, "'healer'") {
        healer = text == "self" ? .selfEdit : .token(text)
        if text == "self" { sink.warning(.selfEditRisk, field.value.range) }
        if text != "self" { healerReference = HealerReference(token: name, healer: text, range: field.value.range) }
      }
    }
    var warnBefore: Int?
    if let field = fields.take("expiry"), let expiry = mapping(field.value, "'expiry'") {
      var expiryFields = FieldReader(entries: expiry)
      if let warn = expiryFields.take("warn_before") { warnBefore = duration(warn.value, what: "'warn_before'") }
      reportUnknown(expiryFields, in: "'expiry'", allowed: Keys.expiry)
    }
    var rotation: RotationPolicy?
    if let field = fields.take("rotation") { rotation = decodeRotation(field.value) }
    var unusedAfter: Int?
    if let field = fields.take("unused_after") { unusedAfter = duration(field.value, what: "'unused_after'") }
    var grants: [DesiredGrant] = []
    if let field = fields.take("grants") {
      let errorsBeforeGrants = sink.items.count { $0.severity == .error }
      grants = decodeGrants(field.value, token: name, owner: owner?.0)
      if grants.isEmpty && sink.items.count(where: { $0.severity == .error }) == errorsBeforeGrants {
        sink.warning(.emptyGrant(name), field.key.range)
      }
    } else {
      sink.error(.missingKey("grants", in: what), keyRange)
    }
    reportUnknown(fields, in: what, allowed: Keys.token)
    let errorsAfter = sink.items.count { $0.severity == .error }
    guard errorsAfter == errorsBefore, let id, let owner, let secret else { return (nil, healerReference) }
    let position = source.position(of: keyRange.start)
    var token = DesiredToken(
      name: name, id: id, owner: owner.0, ownerName: owner.1, secretVariable: secret, healer: healer,
      warnBeforeSeconds: warnBefore, grants: grants, location: "\(source.path):\(position)")
    token.rotation = rotation
    token.unusedAfter = unusedAfter
    return (token, healerReference)
  }

  /// `rotation: {every: 90d, strategy: replace, sinks: [...], grace: 24h, lifetime: 180d, sink_token: NAME}`.
  mutating func decodeRotation(_ node: YAMLNode) -> RotationPolicy? {
    guard let entries = mapping(node, "'rotation'") else { return nil }
    var fields = FieldReader(entries: entries)
    var policy = RotationPolicy()
    if let field = fields.take("every") { policy.every = duration(field.value, what: "'every'") }
    if let field = fields.take("grace") { policy.grace = duration(field.value, what: "'grace'") ?? policy.grace }
    if let field = fields.take("lifetime") { policy.lifetime = duration(field.value, what: "'lifetime'") }
    if let field = fields.take("strategy"), let text = string(field.value, "'strategy'") {
      if let strategy = RotationStrategy(rawValue: text) {
        policy.strategy = strategy
      } else {
        sink.error(
          .expectedType("'strategy'", expected: "replace or roll", found: "'\(text)'"), field.value.range)
      }
    }
    if let field = fields.take("sink_token") { policy.sinkToken = string(field.value, "'sink_token'") }
    if let field = fields.take("sinks"), let items = list(field.value, "'sinks'") {
      for item in items {
        guard let text = string(item, "a sink") else { continue }
        switch SecretSink.parse(text) {
        case .success(let parsed): policy.sinks.append(parsed)
        case .failure(let error): sink.error(.invalidSink(error.description), item.range)
        }
      }
    }
    reportUnknown(fields, in: "'rotation'", allowed: Keys.rotation)
    return policy
  }

  mutating func decodeOwner(_ node: YAMLNode) -> (TokenOwner, String)? {
    guard let text = string(node, "'owner'") else { return nil }
    if text == "user" { return (.user, "user") }
    let words = text.split(separator: " ")
    guard words.count == 2, words[0] == "account" else {
      sink.error(.invalidOwner(text), node.range)
      return nil
    }
    guard let id = account(String(words[1]), range: node.range) else { return nil }
    return (.account(id), text)
  }

  mutating func decodeSecret(_ node: YAMLNode) -> String? {
    guard let text = string(node, "'secret'") else { return nil }
    if text.hasPrefix("$") {
      let variable = String(text.dropFirst())
      if Self.isVariableName(variable) { return variable }
    } else if SecretMask.isTokenLiteral(text) {
      sink.error(.secretLiteral, node.range)
      return nil
    }
    sink.error(.invalidSecret(text), node.range)
    return nil
  }

  static func isVariableName(_ text: String) -> Bool {
    guard let first = text.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
    return text.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || isDigit($0) }
  }

  static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
  static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

  mutating func duration(_ node: YAMLNode, what: String) -> Int? {
    guard let text = node.scalar?.text, node.scalar?.resolved == .string || node.scalar?.resolved.isInt == true
    else {
      sink.error(
        .expectedType(what, expected: "a duration like '14d'", found: node.kindDescription), node.range)
      return nil
    }
    let unit = text.last
    let number = Int(text.dropLast())
    let seconds: Int? =
      switch unit {
      case "h": number.map { $0 * 3600 }
      case "d": number.map { $0 * 86400 }
      case "w": number.map { $0 * 7 * 86400 }
      default: nil
      }
    guard let seconds, let number, number > 0, number <= 10_000 else {
      sink.error(.invalidDuration(text), node.range)
      return nil
    }
    return seconds
  }

  // MARK: Grants

  mutating func decodeGrants(_ node: YAMLNode, token: String, owner: TokenOwner?) -> [DesiredGrant] {
    if isNull(node) { return [] }
    guard let items = list(node, "'grants'") else { return [] }
    var grants: [DesiredGrant] = []
    var seen = FirstSeen<DesiredGrant, SourceRange>()
    for item in items {
      guard let entries = mapping(item, "a grant") else { continue }
      var fields = FieldReader(entries: entries)
      let on = fields.take("resource")
      let permissions = fields.take("permissions")
      reportUnknown(fields, in: "a grant", allowed: Keys.grant)
      guard let on else {
        sink.error(.missingKey("resource", in: "a grant"), item.range, note: "say what the permissions apply to")
        continue
      }
      guard let permissions else {
        sink.error(.missingKey("permissions", in: "a grant"), item.range)
        continue
      }
      guard let (resource, resourceName) = decodeResource(on.value) else { continue }
      if case .account(let ownerAccount) = owner {
        if resource == .user {
          sink.error(
            .wrongOwnerResource(token, "cannot hold user permissions"), on.value.range,
            note: "user permissions belong on a user-owned token")
          continue
        }
        if let account = resource.account, account != ownerAccount {
          sink.error(
            .wrongOwnerResource(token, "can only be granted access to its own account"), on.value.range)
          continue
        }
      }
      for request in permissionRequests(permissions.value, stack: []) {
        guard let group = resolve(request, on: resource, resourceName: resourceName) else { continue }
        let grant = DesiredGrant(
          group: group.id, resource: resource, groupName: group.name, resourceName: resourceName)
        if recordOrigins {
          origins[token, default: []].append(
            GrantOrigin(
              grant: grant, written: request.written, location: location(request.range),
              resourceLocation: location(on.value.range),
              via: request.via.map { GrantOrigin.Include(template: $0.template, location: location($0.range)) }))
        }
        if let first = seen.insert(grant, at: request.range) {
          let line = source.position(of: first.start).line
          sink.warning(
            .duplicatePermission(group.name, resourceName), request.range, note: "first granted at line \(line)")
          continue
        }
        grants.append(grant)
      }
    }
    return grants
  }

  func location(_ range: SourceRange) -> GrantOrigin.Location {
    let position = source.position(of: range.start)
    return GrantOrigin.Location(path: source.path, line: position.line, column: position.column)
  }

  mutating func decodeResource(_ node: YAMLNode) -> (Resource, String)? {
    guard let text = string(node, "'resource'") else { return nil }
    let words = text.split(separator: " ").map(String.init)
    if words == ["user"] { return (.user, "user") }
    if words.count == 2 && words[0] == "account" {
      return account(words[1], range: node.range).map { (.account($0), text) }
    }
    if words.count == 2 && words[0] == "zone" {
      guard let id = zones[words[1]] else {
        let suggestion = Suggest.closest(words[1], among: Array(zones.keys))
        sink.error(
          .unknownZone(words[1]), node.range,
          note: suggestion.map { "did you mean '\($0)'?" } ?? "declare it under 'zones:' with its id")
        return nil
      }
      return (.zone(id), text)
    }
    if words.count == 5 && words[0...3] == ["all", "zones", "of", "account"] {
      return account(words[4], range: node.range).map { (.allZones(account: $0), text) }
    }
    sink.error(.invalidResource(text), node.range)
    return nil
  }

  mutating func account(_ name: String, range: SourceRange) -> HexID? {
    if let id = accounts[name] { return id }
    let suggestion = Suggest.closest(name, among: Array(accounts.keys))
    sink.error(
      .unknownAccount(name), range,
      note: suggestion.map { "did you mean '\($0)'?" } ?? "declare it under 'accounts:' with its id")
    return nil
  }

  // MARK: Permissions

  /// The permissions of a list, with templates expanded.
  mutating func permissionRequests(_ node: YAMLNode, stack: [String]) -> [PermissionRequest] {
    guard let items = list(node, "'permissions'") else { return [] }
    var requests: [PermissionRequest] = []
    for item in items {
      if let scalar = item.scalar {
        guard scalar.resolved == .string, !scalar.text.isEmpty else {
          sink.error(
            .expectedType("a permission", expected: "a name", found: item.kindDescription), item.range)
          continue
        }
        requests.append(request(scalar.text, range: item.range))
      } else if let entries = item.entries, entries.count == 1, let key = entries[0].key.scalar?.text {
        let value = entries[0].value
        if key == "include" {
          guard let template = string(value, "'include'") else { continue }
          let expanded = expandTemplate(template, range: value.range, stack: stack)
          requests +=
            recordOrigins
            ? expanded.map { request in
              var through = request
              through.via.insert((template, value.range), at: 0)
              return through
            } : expanded
        } else if let level = value.scalar?.text, value.scalar?.resolved == .string {
          requests.append(request(key + ": " + level, range: SourceRange(item.range.start, value.range.end)))
        } else {
          sink.error(
            .expectedType(
              "the access level of '\(key)'", expected: "a word like 'read' or 'edit'", found: value.kindDescription),
            value.range)
        }
      } else {
        sink.error(
          .expectedType(
            "a permission", expected: "a name, 'Product: level' or 'include: TEMPLATE'", found: item.kindDescription),
          item.range)
      }
    }
    return requests
  }

  /// "Workers Scripts: edit" → "Workers Scripts Write"; API names, those with ': ' in them too, pass through; a
  /// 32-hex id names a group by id.
  /// What a permission as written names, worked out once per distinct text (a large policy repeats a few dozen).
  mutating func request(_ written: String, range: SourceRange) -> PermissionRequest {
    if let (names, id) = requestNames[written] {
      return PermissionRequest(names: names, id: id, written: written, range: range)
    }
    let request = Self.request(written, range: range)
    requestNames[written] = (request.names, request.id)
    return request
  }

  static func request(_ written: String, range: SourceRange) -> PermissionRequest {
    if let id = HexID(written) { return PermissionRequest(names: [], id: id, written: written, range: range) }
    guard let colon = written.lastIndex(of: ":") else {
      return PermissionRequest(names: [written], written: written, range: range)
    }
    let product = written[..<colon].trimmingSpaces
    let level = written[written.index(after: colon)...].trimmingSpaces.lowercased()
    let suffix: String
    switch level {
    case "edit", "write": suffix = "Write"
    case "read": suffix = "Read"
    default: suffix = level.prefix(1).uppercased() + level.dropFirst()
    }
    return PermissionRequest(names: [written, product + " " + suffix], written: written, range: range)
  }

  mutating func expandTemplate(_ name: String, range: SourceRange, stack: [String]) -> [PermissionRequest] {
    if let cached = templateCache[name] { return cached }
    guard let node = templateNodes[name] else {
      let suggestion = Suggest.closest(name, among: Array(templateNodes.keys))
      sink.error(
        .unknownTemplate(name), range,
        note: suggestion.map { "did you mean '\($0)'?" } ?? "declare it under 'templates:'")
      return []
    }
    if stack.contains(name) {
      sink.error(.templateCycle((stack + [name]).joined(separator: " → ")), range)
      return []
    }
    let expanded = permissionRequests(node, stack: stack + [name])
    templateCache[name] = expanded
    return expanded
  }

  /// What a permission, as written, resolves to on a resource of one scope: a pure function of the catalog, so that
  /// it is looked up once per distinct permission (a policy of 10,000 tokens writes a few dozen), and so that a policy
  /// read with one catalog can tell whether another would resolve it the same.
  struct Resolution: Hashable, Sendable {
    let id: HexID?
    let names: [String]
    let scope: PermissionScope
  }

  enum Lookup: Hashable, Sendable {
    case found(PermissionGroup, renamedFrom: String?)
    case noSuchID
    case wrongScope(PermissionGroup)
    case unknown
  }

  static func lookup(_ key: Resolution, in catalog: PermissionCatalog) -> Lookup {
    var candidates: [PermissionGroup] = []
    var renamedFrom: String?
    if let id = key.id {
      guard let group = catalog.group(id: id) else { return .noSuchID }
      candidates = [group]
    } else {
      candidates = key.names.lazy.map { catalog.groups(named: $0) }.first { !$0.isEmpty } ?? []
      // A name Cloudflare has since changed (the id stays): the group under its new name.
      if candidates.isEmpty,
        let (former, group) = key.names.lazy.compactMap({ name in
          catalog.renamedGroup(named: name).map { (name, $0) }
        }).first
      {
        renamedFrom = former
        candidates = [group]
      }
    }
    if let match = candidates.first(where: { $0.scopes.contains(key.scope) }) {
      return .found(match, renamedFrom: renamedFrom)
    }
    if let other = candidates.first { return .wrongScope(other) }
    return .unknown
  }

  /// The catalog group for a permission on a resource, choosing by the resource's scope when a name exists in
  /// several scopes.
  mutating func resolve(_ request: PermissionRequest, on resource: Resource, resourceName: String) -> PermissionGroup? {
    let written = Written(text: request.written, scope: resource.scope)
    let lookup: Lookup
    if let known = lookupsByText[written] {
      lookup = known
    } else {
      let key = Resolution(id: request.id, names: request.id == nil ? request.names : [], scope: resource.scope)
      lookup = lookups[key] ?? Self.lookup(key, in: catalog)
      lookups[key] = lookup
      lookupsByText[written] = lookup
    }
    switch lookup {
    case .found(let group, let former):
      if let former {
        sink.warning(
          .permissionRenamed(former, to: group.name), request.range,
          note: "write '\(group.name)'; the former name is kept working for now")
      }
      return group
    case .noSuchID:
      sink.error(
        .unknownPermission(request.written), request.range,
        note: "no permission group has this id in \(catalog.origin); ids come from Cloudflare's permission groups")
    case .wrongScope(let other):
      let applies = other.scopes.map(\.plural).joined(separator: " and ")
      sink.error(.permissionScope(request.written, applies: applies, resource: resourceName), request.range)
    case .unknown:
      sink.error(.unknownPermission(request.written), request.range, note: suggestion(for: request))
    }
    return nil
  }

  /// Did-you-mean in the form the user wrote: API names, or "Product: level".
  func suggestion(for request: PermissionRequest) -> String {
    var candidates: [String] = []
    if let renamed = Self.dashboardRenames.first(where: { request.apiName.hasPrefix($0.key + " ") }) {
      candidates.append(renamed.value + request.apiName.dropFirst(renamed.key.count))
    }
    candidates += catalog.groups(foldedName: request.apiName).map(\.name)
    candidates += catalog.suggestions(for: request.apiName, limit: 1)
    guard let best = candidates.first(where: { !catalog.groups(named: $0).isEmpty }) else {
      return "names come from Cloudflare's permission groups (\(catalog.origin)); see 'tokenwarden validate --help'"
    }
    // The dashboard form only where it reads back as the same group: never a suggestion that fails again.
    if request.written.contains(":") && !best.contains(": ") {
      let product: String
      let level: String
      if best.hasSuffix(" Write") {
        (product, level) = (String(best.dropLast(6)), "edit")
      } else if best.hasSuffix(" Read") {
        (product, level) = (String(best.dropLast(5)), "read")
      } else {
        return "did you mean '\(best)'?"
      }
      let suggested = "\(product): \(level)"
      if Self.request(suggested, range: request.range).names.contains(where: {
        catalog.groups(named: $0).contains { $0.name == best }
      }) {
        return "did you mean '\(suggested)'?"
      }
      return "did you mean '\(best)'?"
    }
    return "did you mean '\(best)'?"
  }

  /// Product words the dashboard or Cloudflare's permission docs use where the API's group names differ (the
  /// dashboard's "Cloudflare Pages" is the API's "Pages", "Argo Tunnel" is now "Cloudflare Tunnel").
  static let dashboardRenames = [
    "Cloudflare Pages": "Pages", "Cloudflare Images": "Images", "Argo Tunnel": "Cloudflare Tunnel",
    "Workers Analytics Engine": "Account Analytics", "Cloudflare Calls": "Calls",
  ]

  // MARK: Small readers

  mutating func idMap(_ node: YAMLNode, what: String) -> [String: HexID] {
    guard let entries = mapping(node, "'\(what)s'") else { return [:] }
    var result: [String: HexID] = [:]
    for entry in entries {
      guard let name = name(entry.key), let id = hexID(entry.value, what: "the id of \(what) '\(name)'") else {
        continue
      }
      result[name] = id
    }
    return result
  }

  mutating func hexID(_ node: YAMLNode, what: String) -> HexID? {
    // An id of digits alone reads as an integer; its text is still the id.
    if let scalar = node.scalar, scalar.resolved == .string || scalar.resolved.isInt, let id = HexID(scalar.text) {
      return id
    }
    sink.error(.badIDPrefix(what), node.range, note: node.scalar.map { "found '\($0.text)'" })
    return nil
  }

  mutating func name(_ key: YAMLNode) -> String? {
    guard let text = key.scalar?.text, key.scalar?.resolved == .string || key.scalar?.resolved.isInt == true,
      Self.isName(text)
    else {
      sink.error(.invalidName(key.scalar?.text ?? ""), key.range)
      return nil
    }
    return text
  }

  static func isName(_ text: String) -> Bool {
    guard let first = text.utf8.first, isLetter(first) || isDigit(first) else { return false }
    return text.utf8.allSatisfy {
      isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
    }
  }

  func isNull(_ node: YAMLNode) -> Bool { node.scalar?.resolved == .null }

  mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLEntry]? {
    if let entries = node.entries { return entries }
    sink.error(.expectedType(what, expected: "a mapping", found: node.kindDescription), node.range)
    return nil
  }

  mutating func list(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
    if let items = node.items { return items }
    sink.error(.expectedType(what, expected: "a list", found: node.kindDescription), node.range)
    return nil
  }

  mutating func string(_ node: YAMLNode, _ what: String) -> String? {
    if let scalar = node.scalar, scalar.resolved == .string { return scalar.text }
    sink.error(.expectedType(what, expected: "a string", found: node.kindDescription), node.range)
    return nil
  }

  mutating func reportUnknown(_ fields: FieldReader, in what: String, allowed: [String]) {
    for entry in fields.remaining {
      let key = entry.key.scalar?.text ?? ""
      let suggestion = Suggest.closest(key, among: allowed)
      sink.error(
        .unknownKey(key, in: what), entry.key.range,
        note: suggestion.map { "did you mean '\($0)'?" }
          ?? "allowed: " + allowed.map { "'\($0)'" }.joined(separator: ", "))
    }
  }
}

/// Takes known keys out of a mapping; what remains is unknown.
struct FieldReader {
  private(set) var remaining: [YAMLEntry]

  init(entries: [YAMLEntry]) { remaining = entries }

  mutating func take(_ key: String) -> YAMLEntry? {
    guard let index = remaining.firstIndex(where: { $0.key.scalar?.text == key && $0.key.scalar?.resolved == .string })
    else { return nil }
    return remaining.remove(at: index)
  }
}

extension ResolvedScalar {
  var isInt: Bool {
    if case .int = self { return true }
    return false
  }
}

extension StringProtocol {
  var trimmingSpaces: String {
    var text = Substring(self)
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
