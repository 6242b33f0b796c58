import Basics

/// The permission groups a token policy can name, looked up by id or by name.
///
/// Names are not unique: the same name can exist in two scopes with different ids ("Logs Read"), so lookups by name
/// return every group of that name and callers choose by scope. Everything else is keyed by id.
package struct PermissionCatalog: Sendable {
  package let groups: [PermissionGroup]
  /// Where the catalog came from, for messages: "bundled catalog (311 groups)" or "live catalog".
  package let origin: String
  private let byID: [HexID: PermissionGroup]
  private let byName: [String: [PermissionGroup]]
  private let byFoldedName: [String: [PermissionGroup]]
  /// Names groups had before Cloudflare renamed them (their ids stay): "Teams Read" → the id of "Zero Trust Read".
  package let previousNames: [String: HexID]

  package init(groups: [PermissionGroup], origin: String, previousNames: [String: HexID] = [:]) {
    self.groups = groups
    self.origin = origin
    self.previousNames = previousNames
    var byID: [HexID: PermissionGroup] = [:]
    var byName: [String: [PermissionGroup]] = [:]
    var byFoldedName: [String: [PermissionGroup]] = [:]
    for group in groups {
      byID[group.id] = group
      byName[group.name, default: []].append(group)
      byFoldedName[Self.fold(group.name), default: []].append(group)
    }
    self.byID = byID
    self.byName = byName
    self.byFoldedName = byFoldedName
  }

  package func group(id: HexID) -> PermissionGroup? { byID[id] }

  /// Every group with exactly this name (one per scope at most, in practice).
  package func groups(named name: String) -> [PermissionGroup] { byName[name] ?? [] }

  /// The group now called otherwise that once had this name, when no group has it today.
  package func renamedGroup(named name: String) -> PermissionGroup? {
    guard byName[name] == nil, let id = previousNames[name] else { return nil }
    return byID[id]
  }

  /// This catalog (the live one) completed by `fallback` (the bundled one), name by name: a name only the fallback
  /// has is looked up there; a group the fallback knows under another name is a rename (the old name resolves to the
  /// group, with a warning); a name both have under different ids is a disagreement, said, and this catalog wins.
  /// One disagreeing name never costs the whole live catalog.
  package func merging(fallback: PermissionCatalog) -> (catalog: PermissionCatalog, notes: [String]) {
    var groups = self.groups
    var previous = fallback.previousNames.filter { byID[$0.value] != nil }
    for (name, id) in previousNames { previous[name] = id }
    var notes: [String] = []
    var added = 0
    for group in fallback.groups {
      if let current = byID[group.id] {
        if current.name != group.name && byName[group.name] == nil { previous[group.name] = group.id }
      } else if let same = byName[group.name]?.first(where: { Set($0.scopes) == Set(group.scopes) }) {
        notes.append(
          "'\(group.name)' has id \(same.id.rawValue) in the live catalog and \(group.id.rawValue) in the bundled one; using the live one"
        )
      } else {
        groups.append(group)
        added += 1
      }
    }
    let origin = added == 0 ? self.origin : "\(self.origin), with the bundled catalog for \(added) groups it lacks"
    return (PermissionCatalog(groups: groups, origin: origin, previousNames: previous), notes)
  }

  /// Groups whose name matches ignoring case and repeated spaces; for "did you mean" only.
  package func groups(foldedName name: String) -> [PermissionGroup] { byFoldedName[Self.fold(name)] ?? [] }

  static func fold(_ name: String) -> String {
    name.lowercased().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
  }

  /// Up to `limit` names close to `name` by edit distance, closest first.
  package func suggestions(for name: String, limit: Int = 1) -> [String] {
    let target = Self.fold(name)
    let threshold = max(2, target.count / 4)
    var scored: [(Int, String)] = []
    for candidate in byName.keys {
      let distance = EditDistance.between(target, Self.fold(candidate), limit: threshold)
      if distance <= threshold { scored.append((distance, candidate)) }
    }
    return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.1)
  }

  /// The catalog bundled with TokenWarden, used offline and whenever the live one cannot be read.
  package static let bundled: PermissionCatalog = {
    var groups: [PermissionGroup] = []
    var previous: [String: HexID] = [:]
    for line in bundledPermissionGroups.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 4, let id = HexID(String(fields[0])) else { continue }
      let scopes = fields[1].split(separator: ",").compactMap { PermissionScope(rawValue: String($0)) }
      groups.append(PermissionGroup(id: id, name: String(fields[2]), scopes: scopes))
      for name in fields[3].split(separator: "|") { previous[String(name)] = id }
    }
    return PermissionCatalog(groups: groups, origin: "bundled catalog", previousNames: previous)
  }()
}
