import LiveState
import Planning
import PolicyLanguage
import TokenModel

/// Writes the policy that, applied, changes nothing: each token with the permissions it effectively holds, in the
/// policy language. What the language cannot say (deny policies, conditions, wildcard and R2 resources, groups no
/// catalog knows) is left out of the policy, said in a comment on the token and returned as a note; TokenWarden never
/// removes a grant, so what is left out is kept on the token as it is.
package enum PolicyWriter {
  package struct Output: Sendable {
    package let text: String
    /// Per token, what the policy cannot say: `(token key, what)`.
    package let notes: [(token: String, note: String)]
    package let tokenCount: Int
  }

  /// What could not be represented, as a type; the comment's English is in `text`.
  enum Omission: Hashable {
    case deny(group: String, resource: String)
    case resource(group: String, resource: String)
    case unknownGroup(String)
    case condition
    case status(String)

    var text: String {
      switch self {
      case .deny(let group, let resource):
        "kept on the token, not in this policy (it has no denies): deny '\(group)' on \(resource)"
      case .resource(let group, let resource):
        "kept on the token, not in this policy (it cannot name the resource): '\(group)' on \(resource)"
      case .unknownGroup(let id):
        "kept on the token, not in this policy: permission group \(id), which no catalog knows"
      case .condition: "its condition (IP ranges) is not in this policy; TokenWarden keeps it as it is on every write"
      case .status(let status): "it is \(status) in Cloudflare; TokenWarden never changes a token's status"
      }
    }
  }

  package static func write(
    _ inventory: Inventory, catalog: PermissionCatalog, header: [String]
  ) -> Output {
    var keys = KeyMaker()
    // Accounts and zones the tokens name, keyed by name where known.
    var accountIDs = Set<String>()
    var zoneIDs = Set<String>()
    for token in inventory.tokens {
      if case .account(let id) = token.family { accountIDs.insert(id.rawValue) }
      for grant in token.grants {
        let (kind, id) = ResourceKind.of(grant.resource)
        guard id != "*" else { continue }
        switch kind {
        case .account, .zonesOfAccount: accountIDs.insert(String(id))
        case .zone: zoneIDs.insert(String(id))
        case .user, .other: break
        }
      }
    }
    let accountKeys = keys.names(
      for: accountIDs.sorted(), named: inventory.accountNames, fallbackPrefix: "account", namespace: "account")
    let zoneKeys = keys.names(
      for: zoneIDs.sorted(), named: inventory.zoneNames, fallbackPrefix: "zone", namespace: "zone")

    // Each token's entries: resource text → permissions as written.
    struct Entry {
      let resource: String
      var permissions: [String]
    }
    struct Written {
      let key: String
      let token: Inventory.Token
      var entries: [Entry]
      var omissions: [Omission]
    }
    var written: [Written] = []
    for token in inventory.tokens {
      var entries: [String: Entry] = [:]
      var order: [String] = []
      var omissions: [Omission] = []
      if token.hasCondition { omissions.append(.condition) }
      if token.status != .active { omissions.append(.status(token.status.rawValue)) }
      for grant in token.grants {
        let group = HexID(grant.group).flatMap { catalog.group(id: $0) }
        let groupName = group?.name ?? grant.group
        let (kind, id) = ResourceKind.of(grant.resource)
        if grant.effect == .deny {
          omissions.append(.deny(group: groupName, resource: describe(grant.resource, accountKeys, zoneKeys)))
          continue
        }
        guard let group else {
          omissions.append(.unknownGroup(grant.group))
          continue
        }
        let resource: String?
        let scope: PermissionScope
        switch kind {
        case .user: (resource, scope) = ("user", .user)
        case .account: (resource, scope) = (id == "*" ? nil : accountKeys[String(id)].map { "account \($0)" }, .account)
        case .zonesOfAccount:
          (resource, scope) = (id == "*" ? nil : accountKeys[String(id)].map { "all zones of account \($0)" }, .zone)
        case .zone: (resource, scope) = (id == "*" ? nil : zoneKeys[String(id)].map { "zone \($0)" }, .zone)
        case .other: (resource, scope) = (nil, .account)
        }
        guard let resource else {
          omissions.append(.resource(group: groupName, resource: describe(grant.resource, accountKeys, zoneKeys)))
          continue
        }
        // Only what the token may effectively do: an allow a deny overrides is not required of it.
        guard EffectivePermissions.holds(group: grant.group, on: grant.resource, in: token.grants) else { continue }
        if entries[resource] == nil {
          entries[resource] = Entry(resource: resource, permissions: [])
          order.append(resource)
        }
        entries[resource]?.permissions.append(permissionText(group, scope: scope, catalog: catalog))
      }
      let sortedEntries = order.sorted { resourceRank($0) < resourceRank($1) }.compactMap { key -> Entry? in
        guard var entry = entries[key] else { return nil }
        entry.permissions.sort()
        return entry
      }
      written.append(
        Written(key: keys.token(token.name), token: token, entries: sortedEntries, omissions: omissions))
    }

    // Permission lists three or more tokens share become templates.
    var holders: [[String]: Set<String>] = [:]
    for token in written {
      for entry in token.entries where entry.permissions.count > 1 {
        holders[entry.permissions, default: []].insert(token.key)
      }
    }
    // Named shared_1, shared_2… from the most shared.
    var templates: [[String]: String] = [:]
    let shared = holders.filter { $0.value.count >= 3 }.sorted {
      ($0.value.count, $1.key.joined(separator: "\n")) > ($1.value.count, $0.key.joined(separator: "\n"))
    }
    for (index, entry) in shared.enumerated() { templates[entry.key] = "shared_\(index + 1)" }

    var lines = header.map { "# " + $0 }
    lines += ["version: 1", ""]
    if !accountKeys.isEmpty {
      lines.append("accounts:")
      for (id, key) in accountKeys.sorted(by: { $0.value < $1.value }) { lines.append("  \(key): \(scalar(id: id))") }
      lines.append("")
    }
    if !zoneKeys.isEmpty {
      lines.append("zones:")
      for (id, key) in zoneKeys.sorted(by: { $0.value < $1.value }) { lines.append("  \(key): \(scalar(id: id))") }
      lines.append("")
    }
    if !templates.isEmpty {
      lines.append("templates:")
      for (list, name) in templates.sorted(by: { $0.value < $1.value }) {
        lines.append("  \(name):")
        lines += list.map { "    - " + quoted($0) }
      }
      lines.append("")
    }
    lines.append("tokens:")
    var notes: [(token: String, note: String)] = []
    for (index, token) in written.enumerated() {
      if index > 0 { lines.append("") }
      if token.token.name != token.key { lines.append("  # \(quotedComment(token.token.name)) in Cloudflare.") }
      for omission in token.omissions {
        lines.append("  # " + omission.text.prefix(1).uppercased() + omission.text.dropFirst() + ".")
        notes.append((token.key, omission.text))
      }
      lines.append("  \(token.key):")
      lines.append("    id: \(scalar(id: token.token.id))")
      switch token.token.family {
      case .user: lines.append("    owner: user")
      case .account(let id): lines.append("    owner: account \(accountKeys[id.rawValue] ?? id.rawValue)")
      }
      lines.append("    secret: $\(inventory.variables[token.token.id] ?? variableName(token.key))")
      if token.entries.isEmpty {
        lines.append("    grants: []")
        continue
      }
      lines.append("    grants:")
      for entry in token.entries {
        lines.append("      - resource: \(entry.resource)")
        lines.append("        permissions:")
        if let template = templates[entry.permissions] {
          lines.append("          - include: \(template)")
        } else {
          lines += entry.permissions.map { "          - " + quoted($0) }
        }
      }
    }
    return Output(text: lines.joined(separator: "\n") + "\n", notes: notes, tokenCount: written.count)
  }

  /// The dashboard's words (`Workers Scripts: edit`) where they read back as exactly this group on a resource of this
  /// scope, else the API's exact name, else (two groups of one name) its id.
  static func permissionText(_ group: PermissionGroup, scope: PermissionScope, catalog: PermissionCatalog) -> String {
    func resolves(_ names: [String]) -> Bool {
      for name in names {
        let found = catalog.groups(named: name).filter { $0.scopes.contains(scope) }
        if !found.isEmpty { return found.count == 1 && found[0].id == group.id }
      }
      return false
    }
    if !group.name.contains(":") {
      for (suffix, level) in [(" Write", "edit"), (" Read", "read")] where group.name.hasSuffix(suffix) {
        let product = String(group.name.dropLast(suffix.count))
        if resolves(["\(product): \(level)", group.name]) { return "\(product): \(level)" }
      }
    }
    return resolves([group.name]) ? group.name : group.id.rawValue
  }

  /// User first, then accounts, zones of accounts, zones; alphabetical within each.
  static func resourceRank(_ resource: String) -> (Int, String) {
    if resource == "user" { return (0, resource) }
    if resource.hasPrefix("account ") { return (1, resource) }
    if resource.hasPrefix("all zones") { return (2, resource) }
    return (3, resource)
  }

  /// A grant's resource in words, for a comment: `all accounts`, `account main`, by id where it has no key.
  static func describe(_ key: String, _ accountKeys: [String: String], _ zoneKeys: [String: String]) -> String {
    let (kind, rawID) = ResourceKind.of(key)
    let id = (kind == .zone ? zoneKeys[String(rawID)] : accountKeys[String(rawID)]) ?? String(rawID)
    switch (kind, rawID == "*") {
    case (.account, true): return "all accounts"
    case (.zone, true): return "all zones"
    case (.zonesOfAccount, true): return "all zones of all accounts"
    case (.account, false): return "account \(id)"
    case (.zone, false): return "zone \(id)"
    case (.zonesOfAccount, false): return "all zones of account \(id)"
    case (.user, _): return "user"
    case (.other, _): return String(rawID)
    }
  }

  /// An id as a plain scalar, or quoted where YAML would read it as a number (`1234e5678`, all digits).
  static func scalar(id: String) -> String {
    let digits = id.filter(\.isNumber).count
    let exponents = id.filter { $0 == "e" || $0 == "E" }.count
    return digits + exponents == id.count && exponents <= 1 ? "\"\(id)\"" : id
  }

  /// A plain scalar when it reads back as the same string, else double-quoted; `Product: level` as the one-entry
  /// mapping the policy language reads it as.
  static func quoted(_ text: String) -> String {
    for level in [": edit", ": read"] where text.hasSuffix(level) {
      let product = String(text.dropLast(level.count))
      if quoted(product) == product && !product.contains(":") { return text }
    }
    let plain =
      !text.isEmpty && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.contains(": ") && !text.contains(" #")
      && !text.contains("\"") && !"-?:,[]{}#&*!|>'%@`".contains(text.first!)
    return plain
      ? text
      : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  static func quotedComment(_ name: String) -> String {
    "'" + String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)) + "'"
  }

  /// `CLOUDFLARE_` and the token's key in capitals: `$CLOUDFLARE_DNS_BOT`.
  static func variableName(_ key: String) -> String {
    "CLOUDFLARE_" + String(key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }
}

/// Policy keys from Cloudflare's names: lower case, letters, digits, `-`, `_` and `.`, starting with a letter or
/// digit, unique in their namespace, never a reserved token name.
struct KeyMaker {
  private var used: [String: Set<String>] = [:]

  mutating func unique(_ base: String, namespace: String) -> String {
    var candidate = base
    var counter = 2
    while used[namespace, default: []].contains(candidate)
      || (namespace == "token" && ReservedTokenNames.all.contains(candidate))
    {
      candidate =
        namespace == "token" && counter == 2 && !used["token", default: []].contains(base + "_token")
        ? base + "_token" : "\(base)_\(counter)"
      counter += 1
    }
    used[namespace, default: []].insert(candidate)
    return candidate
  }

  static func slug(_ name: String) -> String {
    var out = ""
    for character in name.lowercased() {
      if character.isASCII
        && (character.isLetter || character.isNumber || character == "-" || character == "." || character == "_")
      {
        out.append(character)
      } else if !out.hasSuffix("_") {
        out.append("_")
      }
    }
    while let first = out.first, !(first.isLetter || first.isNumber) { out.removeFirst() }
    while out.hasSuffix("_") || out.hasSuffix(".") || out.hasSuffix("-") { out.removeLast() }
    return out
  }

  mutating func names(
    for ids: [String], named: [String: String], fallbackPrefix: String, namespace: String
  ) -> [String: String] {
    var keys: [String: String] = [:]
    for id in ids {
      let slug = named[id].map(Self.slug) ?? ""
      keys[id] = unique(slug.isEmpty ? "\(fallbackPrefix)_\(id.prefix(8))" : slug, namespace: namespace)
    }
    return keys
  }

  mutating func token(_ name: String) -> String {
    let slug = Self.slug(name)
    return unique(slug.isEmpty ? "token" : slug, namespace: "token")
  }

}
