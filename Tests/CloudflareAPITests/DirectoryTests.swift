import CloudflareAPI
import Foundation
import Simulator
import Testing
import TokenModel

/// `GET /accounts` and `GET /zones` as Cloudflare answers them: what the calling token's policies reach, every page;
/// account-owned tokens refused the account list (error 1001).
@Suite struct DirectoryTests {
  static func scenario(zones: Int) -> SimulatorState {
    var state = Scenario.seed(invisible: false)
    let account = state.accounts[0].id
    state.zones = (0..<zones).map { index in
      SimZone(
        id: HexID(String(format: "%08x", index + 1) + String(repeating: "c", count: 24))!, name: "site\(index).example",
        account: account)
    }
    // The user token may read every zone of the account; the other account's zone it does not reach.
    let other = HexID(String(repeating: "d", count: 32))!
    state.accounts.append(SimAccount(id: other, name: "elsewhere"))
    state.zones.append(SimZone(id: HexID(String(repeating: "e", count: 32))!, name: "hidden.example", account: other))
    if let index = state.tokens.firstIndex(where: { $0.name == "user_token" }) {
      state.tokens[index].policies.append(
        SimPolicy(
          id: "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e", effect: "allow",
          permissionGroups: Scenario.ids(["Zone Read"]),
          resources: .object([
            "com.cloudflare.api.account.\(account)": .object(["com.cloudflare.api.account.zone.*": .string("*")])
          ])))
    }
    return state
  }

  @Test(arguments: Route.allCases)
  func aUserTokenListsWhatItReachesEveryPage(_ route: Route) async throws {
    let sandbox = try Sandbox(Self.scenario(zones: 73), route: route)
    let accounts = try await sandbox.client.accounts(as: sandbox.credential("user_token"))
    #expect(accounts.map(\.name) == ["main"])
    let zones = try await sandbox.client.zones(as: sandbox.credential("user_token"))
    #expect(zones.count == 73)
    #expect(Set(zones.map(\.name)).count == 73)
    #expect(!zones.contains { $0.name == "hidden.example" })
    #expect(zones.allSatisfy { $0.accountID == sandbox.simulator.snapshot.accounts[0].id.rawValue })
  }

  @Test func anAccountOwnedTokenIsRefusedTheAccountList() async throws {
    let sandbox = try Sandbox(Self.scenario(zones: 2), route: .inProcess)
    do {
      _ = try await sandbox.client.accounts(as: sandbox.credential("account_token"))
      Issue.record("an account-owned token listed accounts")
    } catch {
      #expect(error.message.contains("List accounts endpoint does not support account owned tokens"), "\(error)")
    }
    // It holds no zone permission: it sees no zone, and that is not an error.
    #expect(try await sandbox.client.zones(as: sandbox.credential("account_token")).isEmpty)
  }
}
