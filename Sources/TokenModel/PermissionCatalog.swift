/// The permission groups a token policy can name, looked up by id or by name.
///
/// Names are not unique: the same name can exist in two scopes with different ids ("Logs Read"), so lookups by name
/// return every group of that name and callers choose by scope. Everything else is keyed by id.
public struct PermissionCatalog: Sendable {
  public let groups: [PermissionGroup]
  /// Where the catalog came from, for messages: "bundled catalog (311 groups)" or "live catalog".
  public let origin: String
  private let byID: [HexID: PermissionGroup]
  private let byName: [String: [PermissionGroup]]
  private let byFoldedName: [String: [PermissionGroup]]

  public init(groups: [PermissionGroup], origin: String) {
    self.groups = groups
    self.origin = origin
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

  public func group(id: HexID) -> PermissionGroup? { byID[id] }

  /// Every group with exactly this name (one per scope at most, in practice).
  public func groups(named name: String) -> [PermissionGroup] { byName[name] ?? [] }

  /// Groups whose name matches ignoring case and repeated spaces; for "did you mean" only.
  public func groups(foldedName name: String) -> [PermissionGroup] { byFoldedName[Self.fold(name)] ?? [] }

  static func fold(_ name: String) -> String {
    name.lowercased().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
  }

  /// Up to `limit` names close to `name` by edit distance, closest first.
  public func suggestions(for name: String, limit: Int = 1) -> [String] {
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
  public static let bundled: PermissionCatalog = {
    var groups: [PermissionGroup] = []
    for line in bundledPermissionGroups.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 3, let id = HexID(String(fields[0])) else { continue }
      let scopes = fields[1].split(separator: ",").compactMap { PermissionScope(rawValue: String($0)) }
      groups.append(PermissionGroup(id: id, name: String(fields[2]), scopes: scopes))
    }
    return PermissionCatalog(groups: groups, origin: "bundled catalog")
  }()
}

/// Levenshtein distance with an early exit once every cell of a row exceeds `limit`.
public enum EditDistance {
  public static func between(_ a: String, _ b: String, limit: Int = .max) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMinimum = min(rowMinimum, current[j])
      }
      if rowMinimum > limit { return limit + 1 }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
