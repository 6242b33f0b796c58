import Basics
import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// Built-in scenarios, and scenario files (JSON, see docs/sandbox.md).
package enum Scenario {
  package static let builtInNames = [
    "seed", "seed-invisible", "seed-deny", "seed-wildcard", "seed-revoked", "seed-observer", "many",
  ]

  /// The names as help lists them: "seed, seed-invisible, …, many[:N]".
  package static var helpList: String { builtInNames.map { $0 == "many" ? "many[:N]" : $0 }.joined(separator: ", ") }

  package static let mainAccount = HexID("b3304b14848de15c72c24a14b0cd187d")!
  package static let sandboxUser = HexID("5a0dbe11c0ffee00d15ea5edbeef0001")!
  package static let accountTokenID = HexID("4d841f1aa61bc019800506e138085f66")!
  package static let userTokenID = HexID("a753e62f6ffe44a7762befbce7a9eddf")!

  package enum LoadError: Error, CustomStringConvertible {
    case unknown(String)
    case unreadable(String, String)
    case invalid(String, String)

    package var description: String {
      switch self {
      case .unknown(let name):
        return
          "unknown scenario '\(name)': use \(Scenario.builtInNames.map { "'\($0)'" }.joined(separator: ", ")) ('many:N' for N tokens), or the path of a scenario file"
      case .unreadable(let path, let reason): return "cannot read scenario file \(path): \(reason)"
      case .invalid(let path, let reason): return "scenario file \(path) is not valid: \(reason)"
      }
    }
  }

  /// A built-in scenario by name (`many:N` sets the token count), or a scenario file by path.
  package static func load(_ nameOrPath: String, catalog: PermissionCatalog = .bundled) throws(LoadError)
    -> SimulatorState
  {
    switch nameOrPath {
    case "seed": return seed(invisible: false)
    case "seed-invisible": return seed(invisible: true)
    case "seed-deny": return seedDeny()
    case "seed-wildcard": return seedWildcard()
    case "seed-revoked": return seedRevoked()
    case "seed-observer": return seedObserver()
    case "many": return many(count: 1000)
    default: break
    }
    if nameOrPath.hasPrefix("many:"), let count = Int(nameOrPath.dropFirst(5)), count >= 0 {
      return many(count: count)
    }
    guard nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") else { throw .unknown(nameOrPath) }
    guard let data = FileManager.default.contents(atPath: nameOrPath) else {
      throw .unreadable(nameOrPath, "no such file, or not readable")
    }
    do {
      var state = try JSONDecoder().decode(SimulatorState.self, from: data)
      try resolveGroupNames(&state, catalog: state.catalog(catalog))
      return state
    } catch let error as LoadError {
      throw error
    } catch {
      throw .invalid(nameOrPath, describe(error))
    }
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "missing '\(key.stringValue)' at \(path(context.codingPath))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
    case DecodingError.dataCorrupted(let context):
      return context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
    default: return "\(error)"
    }
  }

  static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
  }

  /// Scenario files may name permission groups ("D1 Write") instead of giving ids.
  static func resolveGroupNames(_ state: inout SimulatorState, catalog: PermissionCatalog) throws {
    for t in state.tokens.indices {
      for p in state.tokens[t].policies.indices {
        var policy = state.tokens[t].policies[p]
        policy.permissionGroups = try policy.permissionGroups.map { reference in
          if let id = HexID(reference), catalog.group(id: id) != nil { return id.rawValue }
          let scope = policy.resources.objectValue?.keys.first.flatMap(Simulator.scope(ofResource:))
          let candidates = catalog.groups(named: reference)
          guard let group = candidates.first(where: { scope == nil || $0.scopes.contains(scope!) }) ?? candidates.first
          else {
            throw LoadError.invalid("token \(state.tokens[t].id)", "unknown permission group '\(reference)'")
          }
          return group.id.rawValue
        }
        if policy.id.isEmpty { policy.id = String(format: "%032x", t * 1000 + p + 1) }
        state.tokens[t].policies[p] = policy
      }
    }
  }

  package static func ids(_ names: [String], catalog: PermissionCatalog = .bundled) -> [String] {
    names.compactMap { catalog.groups(named: $0).first?.id.rawValue }
  }

  static func account(_ id: HexID) -> JSONValue { .object(["com.cloudflare.api.account.\(id)": .string("*")]) }
  static func user(_ id: HexID) -> JSONValue { .object(["com.cloudflare.api.user.\(id)": .string("*")]) }

  /// The seed documents' situation: the account token lacks Workers Scripts Write and D1 Write; the user token can
  /// heal it (`invisible: false`), or nobody can see it (`invisible: true`).
  package static func seed(invisible: Bool) -> SimulatorState {
    let held = [
      "Workers KV Storage Write", "Workers R2 Storage Write", "Workers AI Write", "AI Gateway Write", "Queues Write",
      "Vectorize Write", "Hyperdrive Write", "Workers Tail Read", "Pages Write", "Images Write",
      "Cloudflare Tunnel Write", "Account Analytics Read",
    ]
    let accountToken = SimToken(
      id: accountTokenID, name: "account_token", owner: .account(mainAccount),
      secret: "cfat_sandboxAccountToken0000000000000000000", env: "CLOUDFLARE_ACCOUNT_TOKEN",
      issuedOn: "2026-05-01T09:00:00Z", modifiedOn: "2026-05-01T09:00:00Z",
      policies: [
        SimPolicy(
          id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", effect: "allow", permissionGroups: ids(held),
          resources: account(mainAccount))
      ])
    var userPolicies = [
      SimPolicy(
        id: "1a2b3c4d5e6f708192a3b4c5d6e7f809", effect: "allow", permissionGroups: ids(["API Tokens Write"]),
        resources: user(sandboxUser))
    ]
    if !invisible {
      userPolicies.append(
        SimPolicy(
          id: "9f8e7d6c5b4a39281706f5e4d3c2b1a0", effect: "allow", permissionGroups: ids(["Account API Tokens Write"]),
          resources: account(mainAccount)))
    }
    let userToken = SimToken(
      id: userTokenID, name: "user_token", owner: .user(sandboxUser),
      secret: "cfut_sandboxUserToken00000000000000000000000", env: "CLOUDFLARE_USER_TOKEN",
      issuedOn: "2026-05-01T09:00:00Z", modifiedOn: "2026-05-01T09:00:00Z", policies: userPolicies)
    var state = SimulatorState(
      name: invisible ? "seed-invisible" : "seed",
      description: invisible
        ? "The seed documents' visibility problem: no token can see or edit the account token."
        : "The seed documents' situation: the account token lacks Workers Scripts Write and D1 Write; the user token can heal it.",
      accounts: [SimAccount(id: mainAccount, name: "main")],
      users: [
        SimUser(
          id: sandboxUser, email: "sandbox@example.com",
          memberships: [mainAccount.rawValue: invisible ? .administrator : .superAdministrator])
      ],
      tokens: [accountToken, userToken])
    // The seed's deployment keeps the account token as a secret of its Worker.
    state.workers = [
      SimWorker(account: mainAccount, script: "my-worker", secrets: ["CLOUDFLARE_ACCOUNT_TOKEN": accountToken.secret])
    ]
    return state
  }

  /// The seed, with a deny on all accounts for Workers Scripts Write on the account token, added in the dashboard:
  /// an allow beside it would do nothing, so the plan must block it and name the deny.
  package static func seedDeny() -> SimulatorState {
    var state = seed(invisible: false)
    state.name = "seed-deny"
    state.description =
      "The seed, with a deny policy on the account token for Workers Scripts Write on all accounts: the grant the policy requires is blocked, not added."
    state.tokens[0].policies.append(
      SimPolicy(
        id: "de11de11de11de11de11de11de11de11", effect: "deny", permissionGroups: ids(["Workers Scripts Write"]),
        resources: .object(["com.cloudflare.api.account.*": .string("*")])))
    return state
  }

  /// The seed, with the user token's Account API Tokens Write granted on all accounts instead of on account main:
  /// the wildcard editor sees and edits the account token as well.
  package static func seedWildcard() -> SimulatorState {
    var state = seed(invisible: false)
    state.name = "seed-wildcard"
    state.description =
      "The seed, with the user token holding Account API Tokens Write on all accounts (com.cloudflare.api.account.*): it heals the account token through the wildcard."
    if let index = state.tokens[1].policies.firstIndex(where: {
      $0.permissionGroups == ids(["Account API Tokens Write"])
    }) {
      state.tokens[1].policies[index].resources = .object(["com.cloudflare.api.account.*": .string("*")])
    }
    return state
  }

  /// The seed, with the account token revoked by Cloudflare because its value was exposed (status `revoked (exposed)`):
  /// lists leave it out and its secret is refused, but its editor still reads it by id, so it is reported as revoked
  /// rather than as a token nobody can see.
  package static func seedRevoked() -> SimulatorState {
    var state = seed(invisible: false)
    state.name = "seed-revoked"
    state.description =
      "The seed, with the account token revoked because its value was exposed: reported by its status, and not written."
    state.tokens[0].status = "revoked (exposed)"
    return state
  }

  /// The seed, with a read-only user token for plans (`examples/observer.yaml`): API Tokens Read on its user and
  /// Account API Tokens Read on account main, so it lists both families and can change nothing.
  package static let planReaderID = HexID("0b5e55ed0b5e55ed0b5e55ed0b5e55ed")!

  package static func seedObserver() -> SimulatorState {
    var state = seed(invisible: false)
    state.name = "seed-observer"
    state.description =
      "The seed, with a read-only plan_reader token that lists both families: plans need only its secret."
    state.tokens.append(
      SimToken(
        id: planReaderID, name: "plan_reader", owner: .user(sandboxUser),
        secret: "cfut_sandboxPlanReader00000000000000000000", env: "CLOUDFLARE_PLAN_READER_TOKEN",
        issuedOn: "2026-05-01T09:00:00Z", modifiedOn: "2026-05-01T09:00:00Z",
        policies: [
          SimPolicy(
            id: "0b5e0b5e0b5e0b5e0b5e0b5e0b5e0b5e", effect: "allow", permissionGroups: ids(["API Tokens Read"]),
            resources: user(sandboxUser)),
          SimPolicy(
            id: "0b5f0b5f0b5f0b5f0b5f0b5f0b5f0b5f", effect: "allow", permissionGroups: ids(["Account API Tokens Read"]),
            resources: account(mainAccount)),
        ]))
    return state
  }

  /// Account-owned tokens an account may hold (Cloudflare's quota; Enterprise customers can ask for more).
  package static let accountTokenQuota = 500
  /// User-owned tokens a user may hold (Cloudflare's quota).
  package static let userTokenQuota = 50

  /// `count` account-owned tokens across 5 accounts (more when Cloudflare's quota of 500 an account needs more), each
  /// missing a random part of a common set, plus an admin user token (`admin`, Super Administrator everywhere) that
  /// can heal them all.
  package static func many(count: Int, seed: UInt64 = 7) -> SimulatorState {
    var random = SplitMix64(seed: seed)
    let accountCount = max(5, (count + accountTokenQuota - 1) / accountTokenQuota)
    let accounts = (0..<accountCount).map { index in
      SimAccount(
        id: HexID(String(format: "%08x", index + 1) + String(repeating: "a", count: 24))!, name: "account-\(index)")
    }
    let common = ids([
      "Workers Scripts Write", "Workers KV Storage Write", "D1 Write", "Queues Write", "Workers Tail Read",
      "Workers R2 Storage Write", "Vectorize Write", "Hyperdrive Write",
    ])
    var tokens: [SimToken] = []
    for index in 0..<count {
      let account = accounts[index % accounts.count]
      let held = common.filter { _ in random.unit() > 0.2 }
      let id = HexID(String(format: "%08x", index) + String(format: "%024llx", random.next() & 0xFFFF_FFFF_FFFF))!
      tokens.append(
        SimToken(
          id: id, name: "service-\(index)", owner: .account(account.id),
          secret: String(format: "cfat_sandboxMany%024d", index), env: "SERVICE_\(index)_TOKEN",
          issuedOn: "2026-05-01T09:00:00Z", modifiedOn: "2026-05-01T09:00:00Z",
          policies: held.isEmpty
            ? []
            : [
              SimPolicy(
                id: String(format: "%032x", index + 1), effect: "allow", permissionGroups: held,
                resources: Scenario.account(account.id))
            ]))
    }
    let adminPolicies =
      [
        SimPolicy(
          id: String(repeating: "e", count: 32), effect: "allow", permissionGroups: ids(["API Tokens Write"]),
          resources: user(sandboxUser))
      ]
      + accounts.enumerated().map { index, account in
        SimPolicy(
          id: String(format: "%032x", 0xF000 + index), effect: "allow",
          permissionGroups: ids(["Account API Tokens Write"]),
          resources: Scenario.account(account.id))
      }
    tokens.append(
      SimToken(
        id: HexID("adadadadadadadadadadadadadad0001")!, name: "admin", owner: .user(sandboxUser),
        secret: "cfut_sandboxManyAdmin000000000000000000000", env: "ADMIN_TOKEN", issuedOn: "2026-05-01T09:00:00Z",
        modifiedOn: "2026-05-01T09:00:00Z", policies: adminPolicies))
    var memberships: [String: SimRole] = [:]
    for account in accounts { memberships[account.id.rawValue] = .superAdministrator }
    return SimulatorState(
      name: "many",
      description: "\(count) account-owned tokens across 5 accounts with random gaps, and an admin token.",
      accounts: accounts, users: [SimUser(id: sandboxUser, email: "sandbox@example.com", memberships: memberships)],
      tokens: tokens)
  }
}
