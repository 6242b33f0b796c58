import CloudflareAPI
import LiveState
import TokenModel

/// Reads what credentials can see for `import`: the tokens of every family they can list, and the names of the
/// accounts and zones. A failure costs only what it concerns (a list the token may not read is a problem noted,
/// not the end of the run).
package struct InventoryReader: Sendable {
  package let client: CloudflareClient
  /// Accounts to read; empty: every account the user-owned credentials reach.
  package let accounts: [HexID]

  package init(client: CloudflareClient, accounts: [HexID]) {
    self.client = client
    self.accounts = accounts
  }

  /// A credential and the variable it came from.
  package struct Source: Sendable {
    package let variable: String
    package let credential: Credential

    package init(variable: String, credential: Credential) {
      self.variable = variable
      self.credential = credential
    }
  }

  package func read(_ sources: [Source]) async -> Inventory {
    var inventory = Inventory()
    var seen = Set<String>()
    // User-owned credentials first: the accounts they reach are where account-owned ones are looked for.
    var accountOwned: [Source] = []
    var reached: [HexID] = []
    for source in sources {
      if let verified = try? await client.verify(.user, as: source.credential) {
        inventory.variables[verified.id] = source.variable
        reached += await readUser(source, into: &inventory, seen: &seen)
      } else {
        accountOwned.append(source)
      }
    }
    let candidates = accounts.isEmpty ? Array(Set(reached)).sorted { $0.rawValue < $1.rawValue } : accounts
    for source in accountOwned {
      await readAccountOwned(source, candidates: candidates, into: &inventory, seen: &seen)
    }
    inventory.tokens.sort { ($0.family.key, $0.name, $0.id) < ($1.family.key, $1.name, $1.id) }
    return inventory
  }

  /// A user-owned credential: its user's tokens, the accounts it reaches and theirs, zone names. Returns the accounts.
  func readUser(_ source: Source, into inventory: inout Inventory, seen: inout Set<String>) async -> [HexID] {
    await list(.user, source, into: &inventory, seen: &seen)
    var accountIDs = accounts
    do {
      let reached = try await client.accounts(as: source.credential)
      for account in reached where !account.name.isEmpty { inventory.accountNames[account.id] = account.name }
      if accounts.isEmpty { accountIDs = reached.compactMap { HexID($0.id) } }
    } catch {
      inventory.problems.append("\(source.variable): cannot list accounts: \(error.message)")
    }
    for account in accountIDs { await list(.account(account), source, into: &inventory, seen: &seen) }
    await zoneNames(source, into: &inventory)
    return accountIDs
  }

  /// An account-owned credential verifies only through its account: tried on each candidate account.
  func readAccountOwned(
    _ source: Source, candidates: [HexID], into inventory: inout Inventory, seen: inout Set<String>
  ) async {
    for account in candidates {
      guard let verified = try? await client.verify(.account(account), as: source.credential) else { continue }
      inventory.variables[verified.id] = source.variable
      if inventory.accountNames[account.rawValue] == nil,
        let read = try? await client.account(account, as: source.credential), !read.name.isEmpty
      {
        inventory.accountNames[account.rawValue] = read.name
      }
      await list(.account(account), source, into: &inventory, seen: &seen)
      await zoneNames(source, into: &inventory)
      return
    }
    inventory.problems.append(
      "\(source.variable): "
        + (accounts.isEmpty
          ? "not a valid user-owned token, nor an account-owned token of an account the other credentials reach; if it is account-owned, name its account with --account ID (Cloudflare lists no accounts to account-owned tokens)"
          : "not a valid token of its user or of the accounts given with --account"))
  }

  func list(_ family: TokenFamily, _ source: Source, into inventory: inout Inventory, seen: inout Set<String>) async {
    do {
      for token in try await client.listTokens(family, as: source.credential) where seen.insert(token.id).inserted {
        inventory.tokens.append(
          Inventory.Token(
            id: token.id, name: token.name, family: family, status: token.status,
            hasCondition: token.condition.map { $0 != .object([:]) } ?? false,
            grants: Array(LiveGrant.grants(of: token))))
      }
    } catch {
      inventory.problems.append("\(source.variable): cannot list the tokens of \(family.tokensPath): \(error.message)")
    }
  }

  func zoneNames(_ source: Source, into inventory: inout Inventory) async {
    do {
      for zone in try await client.zones(as: source.credential) where !zone.name.isEmpty {
        inventory.zoneNames[zone.id] = zone.name
      }
    } catch {
      inventory.problems.append("\(source.variable): cannot list zones: \(error.message)")
    }
  }
}
