import CloudflareAPI
import Foundation
import Simulator
import Testing
import TokenModel

/// Creating tokens: the new token's value comes back once, the new secret works, and Cloudflare's quotas (50
/// user-owned tokens per user, 500 account-owned per account) refuse one more.
@Suite struct CreateTokenTests {
  static func update(_ name: String, account: HexID) -> APITokenUpdate {
    let group = PermissionCatalog.bundled.groups(named: "D1 Write")[0].id.rawValue
    let policy = APIPolicy(
      effect: "allow", permissionGroups: [APIPermissionGroupRef(id: group)],
      resources: .object(["com.cloudflare.api.account.\(account)": .string("*")]))
    var update = APITokenUpdate(
      echoing: APIToken(id: "", name: name, status: .active, policies: []), policies: [policy])
    update.expiresOn = "2027-06-01T00:00:00Z"
    return update
  }

  @Test(arguments: Route.allCases)
  func aCreatedTokenWorksAndIsListed(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let admin = sandbox.credential("user_token")
    let created = try await sandbox.client.createToken(
      .account(.main), Self.update("worker (rotated 2026-12-07)", account: .main), as: admin)
    #expect(created.token.name == "worker (rotated 2026-12-07)")
    #expect(created.token.expiresOn == "2027-06-01T00:00:00Z")
    let value = Credential(label: "new", tokenID: HexID(created.token.id), secret: created.value)
    #expect(try await sandbox.client.verify(.account(.main), as: value).id == created.token.id)
    let listed = try await sandbox.client.listTokens(.account(.main), as: admin)
    #expect(listed.contains { $0.id == created.token.id })
  }

  @Test func oneTokenPastTheQuotaIsRefusedWithWhatToDo() async throws {
    var state = Scenario.seed(invisible: false)
    // The account holds its quota already.
    let template = state.tokens[0]
    for index in 1..<Scenario.accountTokenQuota {
      var token = template
      token.id = HexID(String(format: "%032x", 0xC0_0000 + index))!
      token.secret = String(format: "cfat_filler%034d", index)
      token.name = "filler \(index)"
      state.tokens.append(token)
    }
    let sandbox = try Sandbox(state, route: .inProcess)
    do {
      _ = try await sandbox.client.createToken(
        .account(.main), Self.update("one more", account: .main), as: sandbox.credential("user_token"))
      Issue.record("expected the quota to refuse it")
    } catch {
      #expect(error.message.contains("quota"), "\(error.message)")
      #expect(error.remedy.contains("delete tokens no longer used"), "\(error.remedy)")
    }
  }

  @Test func aCreatorLackingTheFamilysWritePermissionIsRefused() async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: true), route: .inProcess)
    await #expect(throws: CloudflareError.self) {
      _ = try await sandbox.client.createToken(
        .account(.main), Self.update("x", account: .main), as: sandbox.credential("user_token"))
    }
  }
}
