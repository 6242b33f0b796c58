import Foundation
import PolicyLanguage
import Testing
import TokenModel

@Suite struct PolicyDecodingTests {
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  static func load(_ text: String) -> PolicySet {
    PolicySet.load([SourceFile(path: "p.yaml", text: text)])
  }

  @Test func theWorkerPolicyResolvesToRealPermissionGroups() throws {
    let url = Self.repositoryRoot.appendingPathComponent("policies/worker.yaml")
    let source = SourceFile(path: "policies/worker.yaml", bytes: [UInt8](try Data(contentsOf: url)))
    let set = PolicySet.load([source])
    #expect(set.diagnostics.isEmpty)
    let account = try #require(set.desired.token(named: "account_token"))
    #expect(account.id.rawValue == "4d841f1aa61bc019800506e138085f66")
    #expect(account.owner == .account(HexID("b3304b14848de15c72c24a14b0cd187d")!))
    #expect(account.secretVariable == "CLOUDFLARE_ACCOUNT_TOKEN")
    #expect(account.healer == .token("user_token"))
    #expect(account.warnBeforeSeconds == 14 * 86400)
    let names = Set(account.grants.map(\.groupName))
    #expect(
      names == [
        "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Workers R2 Storage Write", "Workers AI Write",
        "AI Gateway Write", "Queues Write", "Vectorize Write", "Hyperdrive Write", "Workers Tail Read", "Pages Write",
        "Images Write", "Cloudflare Tunnel Write", "Account Analytics Read",
      ])
    let ids = Set(account.grants.map(\.group.rawValue))
    #expect(ids.contains("e086da7e2179491d91ee5f35b3ca210a"))  // Workers Scripts Write
    #expect(ids.contains("09b2857d1c31407795e75e3fed8617a1"))  // D1 Write
    #expect(account.grants.allSatisfy { $0.resource == .account(HexID("b3304b14848de15c72c24a14b0cd187d")!) })
    let user = try #require(set.desired.token(named: "user_token"))
    #expect(user.owner == .user)
    // An account-owned token can never edit a user token: the user token has no named healer.
    #expect(user.healer == .automatic)
    #expect(user.grants.map(\.group.rawValue) == ["686d18d5ac6c441c867cbf6771e58a0a"])
    #expect(user.grants.first?.resource == .user)
  }

  /// "Logs Read" exists at account scope and at zone scope with different ids: the resource decides.
  @Test func namesInTwoScopesResolveByTheResource() throws {
    let set = Self.load(
      """
      version: 1
      accounts: {main: b3304b14848de15c72c24a14b0cd187d}
      zones: {site: 023e105f4ecef8ad9ca31a8372d0c353}
      tokens:
        logs:
          id: 4d841f1aa61bc019800506e138085f66
          owner: user
          secret: $LOGS
          grants:
            - resource: account main
              permissions: [Logs Read]
            - resource: zone site
              permissions: [Logs Read]
      """)
    #expect(set.diagnostics.isEmpty)
    let grants = try #require(set.desired.token(named: "logs")).grants
    #expect(grants.count == 2)
    #expect(grants[0].group != grants[1].group)
    let catalog = PermissionCatalog.bundled
    #expect(catalog.group(id: grants[0].group)?.scopes == [.account])
    #expect(catalog.group(id: grants[1].group)?.scopes == [.zone])
  }

  @Test(arguments: [
    ("Workers Scripts: edit", "Workers Scripts Write"), ("Workers Scripts: write", "Workers Scripts Write"),
    ("Workers Tail: read", "Workers Tail Read"), ("AI Gateway: run", "AI Gateway Run"),
    ("Workers Scripts Write", "Workers Scripts Write"),
  ])
  func dashboardWordsAndAPINames(_ written: String, _ group: String) throws {
    let set = Self.load(
      """
      version: 1
      accounts: {main: b3304b14848de15c72c24a14b0cd187d}
      tokens:
        t:
          id: 4d841f1aa61bc019800506e138085f66
          owner: user
          secret: $T
          grants:
            - resource: account main
              permissions: ['\(written)']
      """)
    #expect(set.diagnostics.isEmpty)
    #expect(set.desired.tokens.first?.grants.map(\.groupName) == [group])
  }

  @Test func templatesIncludeTemplates() throws {
    let set = Self.load(
      """
      version: 1
      accounts: {main: b3304b14848de15c72c24a14b0cd187d}
      templates:
        base: [Workers Scripts: edit]
        full:
          - include: base
          - D1: edit
      tokens:
        t:
          id: 4d841f1aa61bc019800506e138085f66
          owner: account main
          secret: $T
          healer: self
          grants:
            - resource: account main
              permissions:
                - include: full
      """)
    // `healer: self` is allowed, with a warning.
    #expect(set.diagnostics.map(\.message.id) == ["self-edit-risk"])
    let token = try #require(set.desired.tokens.first)
    #expect(token.grants.map(\.groupName) == ["Workers Scripts Write", "D1 Write"])
    #expect(token.healer == .selfEdit)
  }

  @Test func anIdOfDigitsAloneIsStillAnId() throws {
    let set = Self.load(
      """
      version: 1
      tokens:
        t:
          id: 12345678901234567890123456789012
          owner: user
          secret: $T
          grants:
            - resource: user
              permissions: [API Tokens Read]
      """)
    #expect(set.diagnostics.isEmpty)
    #expect(set.desired.tokens.first?.id.rawValue == "12345678901234567890123456789012")
  }

  @Test func tokensAreUniqueAcrossFilesAndHealersResolveAcrossFiles() {
    let first = """
      version: 1
      tokens:
        a:
          id: 4d841f1aa61bc019800506e138085f66
          owner: user
          secret: $A
          healer: b
          grants: [{resource: user, permissions: [API Tokens Read]}]
      """
    let second = """
      version: 1
      tokens:
        b:
          id: 5d841f1aa61bc019800506e138085f66
          owner: user
          secret: $B
          grants: [{resource: user, permissions: [API Tokens Write]}]
      """
    let set = PolicySet.load([SourceFile(path: "1.yaml", text: first), SourceFile(path: "2.yaml", text: second)])
    #expect(set.diagnostics.isEmpty)
    #expect(set.desired.tokens.map(\.name) == ["a", "b"])
  }
}
