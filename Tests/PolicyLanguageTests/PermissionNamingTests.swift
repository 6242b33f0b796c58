import PolicyLanguage
import Testing
import TokenModel

/// Every permission group of the bundled catalog can be written in a policy, by its exact API name (whatever it
/// contains, ': ' and ',' included) and by its id; the dashboard form keeps working; did-you-mean never suggests a
/// string that would fail again.
@Suite struct PermissionNamingTests {
  /// A policy with one token per scope holding `permissions` (YAML list items) on a resource of that scope.
  static func policy(_ items: [PermissionScope: [String]]) -> String {
    var text = """
      version: 1
      accounts:
        main: b3304b14848de15c72c24a14b0cd187d
      zones:
        site: 023e105f4ecef8ad9ca31a8372d0c353
      tokens:

      """
    let resources: [(PermissionScope, String, String)] = [
      (.account, "account main", "account main"), (.zone, "zone site", "account main"), (.user, "user", "user"),
    ]
    for (index, (scope, resource, owner)) in resources.enumerated() {
      guard let permissions = items[scope], !permissions.isEmpty else { continue }
      text += """
          t\(index):
            id: \(String(format: "a%031x", index + 1))
            owner: \(owner)
            secret: $T\(index)
            grants:
              - resource: \(resource)
                permissions:

        """
      for permission in permissions { text += "              - \(permission)\n" }
    }
    return text
  }

  static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  static var placeable: [PermissionGroup] {
    PermissionCatalog.bundled.groups.filter { [.account, .zone, .user].contains($0.scopes.first) }
  }

  /// A policy read with one catalog is read again with another (the live one) only when that one resolves some
  /// permission differently; the answer must be exact, since "the same" skips the second reading.
  @Test func anotherCatalogResolvesTheSameOnlyWhenEveryPermissionDoes() throws {
    let text = Self.policy([.account: ["D1 Write", "Workers Scripts Write"], .zone: ["DNS Write"]])
    let set = PolicySet.load([SourceFile(path: "p.yaml", text: text)])
    #expect(set.isValid)
    #expect(set.resolvesTheSame(with: .bundled))
    let d1 = try #require(PermissionCatalog.bundled.groups(named: "D1 Write").first)
    let others = PermissionCatalog.bundled.groups.filter { $0.id != d1.id }
    // D1 Write gone; under another id; in another scope only; renamed; and a catalog where only unused groups differ.
    let gone = PermissionCatalog(groups: others, origin: "test")
    let moved = PermissionCatalog(
      groups: others + [
        PermissionGroup(id: HexID(String(repeating: "e", count: 32))!, name: d1.name, scopes: d1.scopes)
      ],
      origin: "test")
    let rescoped = PermissionCatalog(
      groups: others + [PermissionGroup(id: d1.id, name: d1.name, scopes: [.zone])], origin: "test")
    let renamed = PermissionCatalog(
      groups: others + [PermissionGroup(id: d1.id, name: "D1 Databases Write", scopes: d1.scopes)], origin: "test",
      previousNames: ["D1 Write": d1.id])
    for (name, catalog) in [("gone", gone), ("moved", moved), ("rescoped", rescoped), ("renamed", renamed)] {
      #expect(!set.resolvesTheSame(with: catalog), "\(name)")
    }
    let unrelated = PermissionCatalog.bundled.groups.filter { $0.name != "Workers KV Storage Read" }
    #expect(set.resolvesTheSame(with: PermissionCatalog(groups: unrelated, origin: "test")))
  }

  @Test func everyGroupResolvesByItsExactNameAndByItsID() throws {
    let groups = Self.placeable
    #expect(groups.count >= 300)
    for form in ["name", "id"] {
      var items: [PermissionScope: [String]] = [:]
      for group in groups {
        guard let scope = group.scopes.first else { continue }
        // An id of digits only would read as a number in YAML: quoted, as any such value must be.
        let id = group.id.rawValue.allSatisfy(\.isNumber) ? Self.quoted(group.id.rawValue) : group.id.rawValue
        items[scope, default: []].append(form == "name" ? Self.quoted(group.name) : id)
      }
      let set = PolicySet.load([SourceFile(path: "all.yaml", text: Self.policy(items))])
      #expect(set.diagnostics.isEmpty, "by \(form): \(set.diagnostics.prefix(3).map(\.message.text))")
      let resolved = Set(set.desired.tokens.flatMap { $0.grants.map(\.group) })
      let missing = groups.filter { !resolved.contains($0.id) }
      #expect(missing.isEmpty, "by \(form), not resolved: \(missing.prefix(5).map(\.name))")
      // Plans show the group's name, however it was written.
      let names = Set(set.desired.tokens.flatMap { $0.grants.map(\.groupName) })
      #expect(names.isSuperset(of: groups.map(\.name)), "by \(form)")
    }
  }

  @Test(arguments: [
    ("Access: Apps and Policies Write", "Access: Apps and Policies Write"),
    ("\"Zero Trust: Seats Write\"", "Zero Trust: Seats Write"),
    ("IP Prefixes: Read", "IP Prefixes: Read"),
    ("Load Balancing: Monitors and Pools Write", "Load Balancing: Monitors and Pools Write"),
    (
      "Access: Organizations, Identity Providers, and Groups Read",
      "Access: Organizations, Identity Providers, and Groups Read"
    ),
    ("Workers Scripts: edit", "Workers Scripts Write"),
    ("Workers Scripts Write", "Workers Scripts Write"),
  ])
  func namesWithAColonResolveWrittenAsTheyAre(_ written: String, _ group: String) {
    let set = PolicySet.load([SourceFile(path: "p.yaml", text: Self.policy([.account: [written]]))])
    #expect(set.diagnostics.isEmpty, "\(written): \(set.diagnostics.map(\.message.text))")
    #expect(set.desired.tokens.first?.grants.first?.groupName == group)
  }

  /// Whatever did-you-mean suggests, written back as suggested, resolves.
  @Test(arguments: [
    "Access: Apps and Policy Write", "Zero Trust: Seat Write", "Workers Script: edit", "Workers Scripts: wrte",
    "Load Balancing: Monitors and Pools: edit", "IP Prefix: Read", "D1: edit", "Pages: edit",
  ])
  func suggestionsResolveWhenWrittenAsSuggested(_ written: String) throws {
    let set = PolicySet.load([SourceFile(path: "p.yaml", text: Self.policy([.account: [Self.quoted(written)]]))])
    guard let diagnostic = set.diagnostics.first else { return }  // resolved as written: nothing to suggest
    let note = try #require(diagnostic.note)
    guard note.hasPrefix("did you mean '"), note.hasSuffix("'?") else { return }
    let suggestion = String(note.dropFirst("did you mean '".count).dropLast(2))
    let again = PolicySet.load([SourceFile(path: "p.yaml", text: Self.policy([.account: [Self.quoted(suggestion)]]))])
    #expect(again.diagnostics.isEmpty, "'\(written)' → '\(suggestion)': \(again.diagnostics.map(\.message.text))")
  }

  @Test func anUnknownIDSaysSo() {
    let set = PolicySet.load([
      SourceFile(path: "p.yaml", text: Self.policy([.account: ["fffffffffffffffffffffffffffffffe"]]))
    ])
    #expect(set.diagnostics.first?.message.id == "unknown-permission")
    #expect(set.diagnostics.first?.note?.contains("no permission group has this id") == true)
  }
}
