import CloudflareAPI
import Foundation
import JSON
import Simulator
import Testing
import TokenModel

/// What Cloudflare's token API does, asserted the same way in-process and over loopback HTTP.
@Suite struct APIBehaviourTests {
  static let routes = Route.allCases

  @Test(arguments: routes)
  func verifyGoesThroughTheTokensOwnFamily(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let user = try await sandbox.client.verify(.user, as: sandbox.credential("user_token"))
    #expect(user.id == HexID.userToken.rawValue)
    #expect(user.status == .active)
    // An account-owned token is valid, but /user/tokens/verify says 1000: it is not a user token.
    await #expect(throws: CloudflareError.self) {
      _ = try await sandbox.client.verify(.user, as: sandbox.credential("account_token"))
    }
    do {
      _ = try await sandbox.client.verify(.user, as: sandbox.credential("account_token"))
    } catch {
      guard case .invalidToken = error else {
        Issue.record("expected invalidToken, got \(error)")
        return
      }
    }
    let account = try await sandbox.client.verify(.account(.main), as: sandbox.credential("account_token"))
    #expect(account.status == .active)
  }

  @Test(arguments: routes)
  func anUnknownSecretIsAnInvalidToken(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let stranger = Credential(label: "stranger", tokenID: nil, secret: Secret("cfut_nobody"))
    do {
      _ = try await sandbox.client.listTokens(.user, as: stranger)
      Issue.record("expected a failure")
    } catch {
      guard case .invalidToken(let call) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(call.caller == "stranger")
    }
  }

  @Test(arguments: routes)
  func familiesShowOnlyTheirOwnTokens(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let userToken = sandbox.credential("user_token")
    let mine = try await sandbox.client.listTokens(.user, as: userToken)
    #expect(mine.map(\.id) == [HexID.userToken.rawValue])
    let accountOwned = try await sandbox.client.listTokens(.account(.main), as: userToken)
    #expect(accountOwned.map(\.id) == [HexID.accountToken.rawValue])
    // The account token never appears under /user/tokens, whoever asks.
    #expect(!mine.contains { $0.id == HexID.accountToken.rawValue })
  }

  @Test(arguments: routes)
  func withoutAccountAPITokensPermissionTheAccountTokenIsInvisible(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: true), route: route)
    do {
      _ = try await sandbox.client.token(.accountToken, in: .account(.main), as: sandbox.credential("user_token"))
      Issue.record("expected a failure")
    } catch {
      guard case .missingPermission = error else {
        Issue.record("\(error)")
        return
      }
      #expect(error.remedy.contains("Account API Tokens"))
    }
  }

  @Test(arguments: routes)
  func putReplacesTheWholeTokenAndReordersWhatItReturns(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let editor = sandbox.credential("user_token")
    let before = try await sandbox.client.token(.accountToken, in: .account(.main), as: editor)
    let d1 = "09b2857d1c31407795e75e3fed8617a1"
    let scripts = "e086da7e2179491d91ee5f35b3ca210a"
    let added = APIPolicy(
      effect: "allow", permissionGroups: [APIPermissionGroupRef(id: scripts), APIPermissionGroupRef(id: d1)],
      resources: .object(["com.cloudflare.api.account.\(HexID.main)": .string("*")]))
    let after = try await sandbox.client.updateToken(
      .accountToken, in: .account(.main), APITokenUpdate(echoing: before, policies: before.policies + [added]),
      as: editor)
    #expect(Set(after.policies.map(\.identity)) == Set((before.policies + [added]).map(\.identity)))
    // New policy ids; permission groups sorted by id.
    #expect(Set(after.policies.compactMap(\.id)).isDisjoint(with: Set(before.policies.compactMap(\.id))))
    for policy in after.policies {
      #expect(policy.permissionGroups.map(\.id) == policy.permissionGroups.map(\.id).sorted())
    }
    // Replace, not merge: sending one policy leaves one.
    let replaced = try await sandbox.client.updateToken(
      .accountToken, in: .account(.main), APITokenUpdate(echoing: after, policies: [added]), as: editor)
    #expect(replaced.policies.count == 1)
  }

  @Test(arguments: routes)
  func putIsValidatedAgainstTheCatalogAndScopes(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let editor = sandbox.credential("user_token")
    let token = try await sandbox.client.token(.accountToken, in: .account(.main), as: editor)
    let cases: [(String, JSONValue, String)] = [
      (
        "ffffffffffffffffffffffffffffffff", .object(["com.cloudflare.api.account.\(HexID.main)": .string("*")]),
        "unknown permission group"
      ),
      // DNS Write is a zone group: not on an account.
      (
        "4755a26eedb94da69e1066d98aa820be", .object(["com.cloudflare.api.account.\(HexID.main)": .string("*")]),
        "applies to"
      ),
      // API Tokens Write is a user group: never on an account-owned token.
      (
        "686d18d5ac6c441c867cbf6771e58a0a", .object(["com.cloudflare.api.user.\(Scenario.sandboxUser)": .string("*")]),
        "cannot hold user permissions"
      ),
    ]
    for (group, resources, words) in cases {
      let policy = APIPolicy(
        effect: "allow", permissionGroups: [APIPermissionGroupRef(id: group)], resources: resources)
      do {
        _ = try await sandbox.client.updateToken(
          .accountToken, in: .account(.main), APITokenUpdate(echoing: token, policies: [policy]), as: editor)
        Issue.record("expected \(words)")
      } catch {
        guard case .validation(_, let messages) = error else {
          Issue.record("\(error)")
          continue
        }
        #expect(messages.first?.message.contains(words) == true, "\(messages)")
      }
    }
    // Nothing was changed by the refused writes.
    let unchanged = try await sandbox.client.token(.accountToken, in: .account(.main), as: editor)
    #expect(Set(unchanged.policies.map(\.identity)) == Set(token.policies.map(\.identity)))
  }

  @Test(arguments: routes)
  func aTokenMayNotEditItselfUnlessTheSwitchAllowsIt(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    let sandbox = try Sandbox(scenario, route: route)
    let me = sandbox.credential("user_token")
    let token = try await sandbox.client.token(.userToken, in: .user, as: me)
    do {
      _ = try await sandbox.client.updateToken(
        .userToken, in: .user, APITokenUpdate(echoing: token, policies: token.policies), as: me)
      Issue.record("expected a refusal")
    } catch {
      guard case .missingPermission = error else {
        Issue.record("\(error)")
        return
      }
    }
    scenario.settings.allowSelfEdit = true
    let permissive = try Sandbox(scenario, route: route)
    let updated = try await permissive.client.updateToken(
      .userToken, in: .user, APITokenUpdate(echoing: token, policies: token.policies),
      as: permissive.credential("user_token"))
    #expect(Set(updated.policies.map(\.identity)) == Set(token.policies.map(\.identity)))
  }

  @Test(arguments: routes)
  func omittedOptionalFieldsAreClearedSoTheClientEchoesThem(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    scenario.tokens[0].expiresOn = "2030-01-01T00:00:00Z"
    scenario.tokens[0].condition = .object(["request_ip": .object(["in": .array([.string("127.0.0.0/8")])])])
    let sandbox = try Sandbox(scenario, route: route)
    let editor = sandbox.credential("user_token")
    let token = try await sandbox.client.token(.accountToken, in: .account(.main), as: editor)
    #expect(token.condition?.objectValue?.keys.first == "request_ip")
    let echoed = try await sandbox.client.updateToken(
      .accountToken, in: .account(.main), APITokenUpdate(echoing: token, policies: token.policies), as: editor)
    #expect(echoed.expiresOn == "2030-01-01T00:00:00Z")
    #expect(echoed.condition == token.condition)
    var bare = APITokenUpdate(echoing: token, policies: token.policies)
    bare.expiresOn = nil
    bare.condition = nil
    let cleared = try await sandbox.client.updateToken(.accountToken, in: .account(.main), bare, as: editor)
    #expect(cleared.expiresOn == nil)
    #expect(cleared.condition == nil)
  }

  @Test(arguments: routes)
  func rollingIssuesANewValueAndTheOldOneStopsWorking(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let editor = sandbox.credential("user_token")
    let old = sandbox.credential("account_token")
    let fresh = try await sandbox.client.rollToken(.accountToken, in: .account(.main), as: editor)
    #expect("\(fresh)" == "<redacted>")
    await #expect(throws: CloudflareError.self) { _ = try await sandbox.client.verify(.account(.main), as: old) }
    let renewed = Credential(label: "account_token", tokenID: .accountToken, secret: fresh)
    #expect(try await sandbox.client.verify(.account(.main), as: renewed).status == .active)
  }

  @Test(arguments: routes)
  func listsReadEveryPageFiftyAtATime(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.many(count: 120), route: route)
    let admin = sandbox.credential("admin")
    let account = Scenario.many(count: 0).accounts[0].id
    let tokens = try await sandbox.client.listTokens(.account(account), as: admin)
    #expect(tokens.count == 24)
    let before = sandbox.client.counter.total
    let all = try await withThrowingTaskGroup(of: Int.self) { group in
      for account in Scenario.many(count: 0).accounts {
        group.addTask { try await sandbox.client.listTokens(.account(account.id), as: admin).count }
      }
      return try await group.reduce(0, +)
    }
    #expect(all == 120)
    #expect(sandbox.client.counter.total - before == 5)
    let big = try Sandbox(Scenario.many(count: 260), route: route)
    let first = Scenario.many(count: 0).accounts[0].id
    #expect(try await big.client.listTokens(.account(first), as: big.credential("admin")).count == 52)
    #expect(big.client.counter.snapshot["GET /accounts/{id}/tokens"] == 2)
  }

  @Test(arguments: routes)
  func theCatalogOfTheAccountFamilyHasNoUserGroups(_ route: Route) async throws {
    let sandbox = try Sandbox(Scenario.seed(invisible: false), route: route)
    let userCatalog = try await sandbox.client.permissionGroups(.user, as: sandbox.credential("user_token"))
    let accountCatalog = try await sandbox.client.permissionGroups(
      .account(.main), as: sandbox.credential("user_token"))
    #expect(userCatalog.count == 311)
    #expect(accountCatalog.allSatisfy { !$0.scopes.contains("com.cloudflare.api.user") })
    #expect(accountCatalog.count == 305)
  }

  @Test(arguments: routes)
  func anIPConditionRefusesOtherAddresses(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    scenario.tokens[1].condition = .object(["request.ip": .object(["not_in": .array([.string("127.0.0.1/32")])])])
    let sandbox = try Sandbox(scenario, route: route)
    do {
      _ = try await sandbox.client.listTokens(.user, as: sandbox.credential("user_token"))
      Issue.record("expected a refusal")
    } catch {
      guard case .locationDenied = error else {
        Issue.record("\(error)")
        return
      }
    }
  }

  @Test(arguments: routes)
  func overTheRateLimitEveryCallGets429WithRetryAfter(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    scenario.settings.rateLimit = 3
    scenario.settings.rateLimitPenaltySeconds = 120
    // The older headers say nothing of when the budget refills: the client finds out from the 429.
    scenario.settings.legacyRateLimitHeaders = true
    let sandbox = try Sandbox(scenario, route: route)
    let user = sandbox.credential("user_token")
    for _ in 0..<3 { _ = try await sandbox.client.verify(.user, as: user) }
    do {
      _ = try await sandbox.client.verify(.user, as: user)
      Issue.record("expected 429")
    } catch {
      // Retry-After (120 s) is beyond what the client waits for, so it reports at once.
      guard case .rateLimited(_, let retryAfter) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(retryAfter == 120)
    }
    #expect(sandbox.client.counter.all.rateLimited.values.reduce(0, +) == 1)
  }

  @Test(arguments: routes)
  func aBudgetTheHeadersReportSpentFailsBeforeSendingWhenItsResetIsBeyondMaxWait(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    scenario.settings.rateLimit = 3
    // The simulator's clock stands still: how long the answers take on a busy machine must not show in the figures.
    let start = Date()
    let sandbox = try Sandbox(scenario, route: route, simulatorNow: { start })
    let user = sandbox.credential("user_token")
    for _ in 0..<3 { _ = try await sandbox.client.verify(.user, as: user) }
    do {
      _ = try await sandbox.client.verify(.user, as: user)
      Issue.record("expected the wait to be refused")
    } catch {
      guard case .rateLimited(_, let retryAfter) = error else {
        Issue.record("\(error)")
        return
      }
      // `Ratelimit: "default";r=0;t=300`: the window resets in 300 s, more than --max-wait's 60.
      #expect(retryAfter == 300)
      #expect(error.message.contains("which asks to wait 5 min"), "\(error.message)")
      #expect(error.remedy.contains("--max-wait SECONDS"))
    }
    // Nothing was sent into a certain 429.
    #expect(sandbox.client.counter.all.rateLimited.isEmpty)
    #expect(sandbox.client.counter.total == 3)
  }

  @Test(arguments: routes)
  func injectedFaultsSurfaceAsTypedErrors(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    scenario.faults.errorRate = 1
    let failing = try Sandbox(scenario, route: route) { $0.maxAttempts = 2 }
    do {
      _ = try await failing.client.verify(.user, as: failing.credential("user_token"))
      Issue.record("expected a failure")
    } catch {
      guard case .server(_, let status, let detail) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(status == 502)
      #expect(detail == "HTML page '502 Bad Gateway'")
    }
    scenario.faults = FaultSettings()
    scenario.faults.resetRate = 1
    let resetting = try Sandbox(scenario, route: route) { $0.maxAttempts = 2 }
    do {
      _ = try await resetting.client.verify(.user, as: resetting.credential("user_token"))
      Issue.record("expected a failure")
    } catch {
      guard case .transport = error else {
        Issue.record("\(error)")
        return
      }
      #expect(error.outcomeUnknown)
    }
  }

  @Test(arguments: routes)
  func aPutCanBeAppliedAndStillAnswer500(_ route: Route) async throws {
    var scenario = Scenario.seed(invisible: false)
    scenario.faults.appliedButFailedRate = 1
    let sandbox = try Sandbox(scenario, route: route)
    let editor = sandbox.credential("user_token")
    let token = try await sandbox.client.token(.accountToken, in: .account(.main), as: editor)
    let policy = APIPolicy(
      effect: "allow", permissionGroups: [APIPermissionGroupRef(id: "09b2857d1c31407795e75e3fed8617a1")],
      resources: .object(["com.cloudflare.api.account.\(HexID.main)": .string("*")]))
    do {
      _ = try await sandbox.client.updateToken(
        .accountToken, in: .account(.main), APITokenUpdate(echoing: token, policies: token.policies + [policy]),
        as: editor)
      Issue.record("expected a failure")
    } catch {
      guard case .server(_, 500, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(error.outcomeUnknown)
    }
    // The write took effect: reading again is the only way to know.
    let reread = try await sandbox.client.token(.accountToken, in: .account(.main), as: editor)
    #expect(reread.policies.count == token.policies.count + 1)
  }
}
