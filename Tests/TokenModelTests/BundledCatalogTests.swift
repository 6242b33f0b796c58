import Foundation
import TestSupport
import Testing
import TokenModel

/// The bundled catalog is the shared reference of Cloudflare's permission groups, generated into Swift.
@Suite struct BundledCatalogTests {
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }
  static var sharedCatalog: URL {
    repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/cloudflare/permission-groups.json")
  }
  static var generatedFile: URL {
    repositoryRoot.appendingPathComponent("Sources/TokenModel/PermissionCatalog+Bundled.swift")
  }

  struct Reference: Decodable {
    struct Group: Decodable {
      let id: String
      let name: String
      let scopes: [String]
      let previousNames: [String]?
      enum CodingKeys: String, CodingKey {
        case id, name, scopes
        case previousNames = "previous_names"
      }
    }
    let permissionGroups: [Group]
    enum CodingKeys: String, CodingKey { case permissionGroups = "permission_groups" }
  }

  /// The generated Swift file for the reference JSON (what `TOKENWARDEN_RECORD=1` writes).
  static func generated(from reference: Reference) -> String {
    let rows = reference.permissionGroups
      .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
      .map {
        "\($0.id)\t\($0.scopes.joined(separator: ","))\t\($0.name)\t\(($0.previousNames ?? []).joined(separator: "|"))"
      }
    return """
      // swift-format-ignore-file
      // Generated from the shared permission-groups reference (\(rows.count) groups): id, scopes, name and former
      // names ('|'-separated), tab-separated.
      // Regenerate with `TOKENWARDEN_RECORD=1 swift test --filter BundledCatalogTests`; that test fails when this drifts.

      /// The permission groups bundled with TokenWarden.
      let bundledPermissionGroups = \"\"\"
      \(rows.joined(separator: "\n"))
      \"\"\"

      """
  }

  @Test func bundledCatalogMatchesTheSharedReference() throws {
    guard let data = FileManager.default.contents(atPath: Self.sharedCatalog.path) else {
      // The reference lives beside the repository (../shared); without it there is nothing to compare.
      let catalog = PermissionCatalog.bundled
      #expect(catalog.groups.count == 311)
      return
    }
    let reference = try JSONDecoder().decode(Reference.self, from: data)
    let expected = Self.generated(from: reference)
    Golden.check(expected, against: Self.generatedFile)
    let catalog = PermissionCatalog.bundled
    #expect(catalog.groups.count == reference.permissionGroups.count)
    for group in reference.permissionGroups {
      let bundled = catalog.group(id: HexID(group.id)!)
      #expect(bundled?.name == group.name)
      #expect(bundled?.scopes.map(\.rawValue) == group.scopes)
    }
  }

  @Test func formerNamesResolveToTheGroupNowCalledOtherwise() {
    #expect(PermissionCatalog.bundled.renamedGroup(named: "Teams Read")?.name == "Zero Trust Read")
    #expect(PermissionCatalog.bundled.renamedGroup(named: "Zero Trust Read") == nil)
  }

  /// The live catalog completed by the bundled one, name by name.
  @Test func mergingKeepsTheLiveCatalogAndFillsItsGapsNameByName() {
    let d1 = PermissionCatalog.bundled.groups(named: "D1 Write")[0]
    let live = PermissionCatalog(
      groups: [
        PermissionGroup(id: d1.id, name: "D1 Edit", scopes: d1.scopes),
        PermissionGroup(
          id: HexID("0123456789abcdef0123456789abcdef")!, name: "Workers Scripts Write", scopes: [.account]),
        PermissionGroup(id: HexID("fedcba9876543210fedcba9876543210")!, name: "Brand New Write", scopes: [.account]),
      ], origin: "live catalog")
    let (merged, notes) = live.merging(fallback: .bundled)
    // Live-only name.
    #expect(merged.groups(named: "Brand New Write").count == 1)
    // Bundled-only name.
    #expect(merged.groups(named: "Queues Write").count == 1)
    // Renamed: the old name finds the group under its new one.
    #expect(merged.renamedGroup(named: "D1 Write")?.name == "D1 Edit")
    // Disagreeing ids: the live one wins, and it is said.
    #expect(merged.groups(named: "Workers Scripts Write").map(\.id.rawValue) == ["0123456789abcdef0123456789abcdef"])
    #expect(
      notes.contains {
        $0.hasPrefix("'Workers Scripts Write' has id 0123456789abcdef0123456789abcdef in the live catalog")
      })
    #expect(merged.origin.hasPrefix("live catalog, with the bundled catalog for "))
  }

  @Test func namesInTwoScopesAreBothKept() {
    let logs = PermissionCatalog.bundled.groups(named: "Logs Read")
    #expect(Set(logs.flatMap(\.scopes)) == [.account, .zone])
  }

  @Test func suggestionsFindCloseNames() {
    #expect(PermissionCatalog.bundled.suggestions(for: "Workers Script Write") == ["Workers Scripts Write"])
    #expect(PermissionCatalog.bundled.suggestions(for: "zzzzzzzzzzzzzzzzzzzzz").isEmpty)
  }
}

@Suite struct SecretTests {
  @Test func aSecretNeverPrints() throws {
    let secret = Secret("cfut_supersecretvalue")
    #expect("\(secret)" == "<redacted>")
    #expect(String(describing: secret) == "<redacted>")
    #expect(String(reflecting: secret) == "<redacted>")
    var dumped = ""
    dump(secret, to: &dumped)
    #expect(!dumped.contains("supersecret"))
    let json = String(decoding: try JSONEncoder().encode(["token": secret]), as: UTF8.self)
    #expect(json == #"{"token":"<redacted>"}"#)
    #expect(secret.withValue { $0 } == "cfut_supersecretvalue")
  }
}

@Suite struct HexIDTests {
  @Test(arguments: ["4d841f1aa61bc019800506e138085f66", "4D841F1AA61BC019800506E138085F66"])
  func accepts(_ text: String) {
    #expect(HexID(text)?.rawValue == "4d841f1aa61bc019800506e138085f66")
  }

  @Test(arguments: [
    "", "4d841f1aa61bc019800506e138085f6", "4d841f1aa61bc019800506e138085f66a", "zd841f1aa61bc019800506e138085f66",
  ])
  func rejects(_ text: String) {
    #expect(HexID(text) == nil)
  }

  @Test func short() { #expect(HexID("4d841f1aa61bc019800506e138085f66")?.short == "4d84…5f66") }
}
