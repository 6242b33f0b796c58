import Basics
import CloudflareAPI
import LiveState
import Planning
import Synchronization
import TokenModel

/// Reads what the planner needs: every policy token's live record, through its own family, and which tokens can see
/// which families. List calls (50 tokens a request) rather than one GET per token.
package struct Observer: Sendable {
  package let client: CloudflareClient
  /// Credentials of policy tokens whose secret is available, by name.
  package let credentials: [String: Credential]
  /// Why the others have none ("CLOUDFLARE_USER_TOKEN is not set").
  package let missingSecrets: [String: String]

  /// Called after each request of the observation with (done, total); for progress on a terminal.
  package let progress: (@Sendable (Int, Int) -> Void)?

  package init(
    client: CloudflareClient, credentials: [String: Credential], missingSecrets: [String: String],
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) {
    self.client = client
    self.credentials = credentials
    self.missingSecrets = missingSecrets
    self.progress = progress
  }

  /// Reads what planning `desired` needs: works out who lists which family, sends the lists and the reads of
  /// tokens nobody lists together, puts the records where the planner looks, and reads by id what no list showed.
  package func observe(_ desired: DesiredState) async -> Observation {
    var observation = Observation()
    observation.missingSecrets = missingSecrets
    let plan = readPlan(desired, refusals: &observation.visibility)
    let first = await execute(plan)
    let lastResort = assemble(desired, plan: plan, first, into: &observation)
    await read(lastResort, early: first.early, into: &observation)
    return observation
  }

  /// What the first round asks for.
  struct ReadPlan {
    /// Each token's family, by position, worked out once: every pass uses it.
    let families: [TokenFamily]
    /// Lists to send: by whom, of which family.
    let lists: [(name: String, family: TokenFamily, credential: Credential)]
    /// Tokens of a family nobody lists, which can only read themselves.
    let selfReaders: [DesiredToken]
    /// How many tokens of each family the policy names: at least that many are there to list, so the pages they
    /// fill can be asked for at once rather than after the first page's count.
    let expected: [TokenFamily: Int]
    /// Families listed by their observer instead of the would-be editors: who observes, and the editors whose view
    /// of the family is worked out from their grants rather than asked for with their secrets.
    var inferred: [TokenFamily: (observer: String, editors: Set<String>)] = [:]
  }

  /// Who lists which family: each target's possible editors, and the target itself. Pairs Cloudflare would refuse,
  /// or whose secret is missing, go into `refusals` instead of being asked.
  func readPlan(
    _ desired: DesiredState, refusals: inout [String: [TokenFamily: Result<Set<String>, ObservationFailure>]]
  )
    -> ReadPlan
  {
    let families = desired.tokens.map { TokenFamily(owner: $0.owner) }
    var listers: [TokenFamily: Set<String>] = [:]
    // Automatic healers: every other token of the policy may be the editor. Counted per family and expanded once,
    // not once per target.
    var automatic: [TokenFamily: (count: Int, target: String)] = [:]
    for (position, target) in desired.tokens.enumerated() {
      // A target lists its own family only when it may edit itself; otherwise a GET of itself suffices.
      let family = families[position]
      switch target.healer {
      case .token(let name): listers[family, default: []].insert(name)
      case .selfEdit: listers[family, default: []].insert(target.name)
      case .automatic:
        // Even a token that requires nothing: the lists are also how it is read (account tokens without Account API
        // Tokens Write cannot read themselves).
        automatic[family] = ((automatic[family]?.count ?? 0) + 1, target.name)
      }
    }
    if !automatic.isEmpty {
      // Only tokens that may list the family are candidates: the user's tokens, and the family's own account tokens.
      // Cloudflare refuses the others (`cannotList`), and they could not edit its tokens anyway; leaving them out
      // keeps a policy of thousands of account tokens from making thousands of refused pairs for the user family.
      var namesByOwner: [TokenOwner: [String]] = [:]
      for token in desired.tokens { namesByOwner[token.owner, default: []].append(token.name) }
      for (family, targets) in automatic {
        var candidates = namesByOwner[.user] ?? []
        if case .account(let account) = family { candidates += namesByOwner[.account(account)] ?? [] }
        // One automatic target does not list for itself; with two or more, each lists for the others.
        listers[family, default: []].formUnion(
          targets.count == 1 ? candidates.filter { $0 != targets.target } : candidates)
      }
    }
    // A family with an observer whose secret is here is listed by it alone: the plan job needs no secret that can
    // write. Its editors' view of the family is worked out from their grants (`infer`); apply confirms it when it
    // writes through them.
    var observed: [TokenFamily: String] = [:]
    for (family, name) in desired.observers
    where credentials[name] != nil && Self.cannotList(owner: desired.token(named: name)?.owner, family: family) == nil {
      observed[family] = name
    }
    var inferred: [TokenFamily: (observer: String, editors: Set<String>)] = [:]
    var lists: [(name: String, family: TokenFamily, credential: Credential)] = []
    for family in Set(families) {
      guard let observer = observed[family], let credential = credentials[observer] else { continue }
      lists.append((observer, family, credential))
      inferred[family] = (observer, [])
    }
    for (family, names) in listers {
      if inferred[family] != nil {
        inferred[family]?.editors.formUnion(names)
        continue
      }
      for name in names.sorted() {
        if let reason = Self.cannotList(owner: desired.token(named: name)?.owner, family: family) {
          refusals[name, default: [:]][family] = .failure(ObservationFailure(reason))
        } else if let credential = credentials[name] {
          lists.append((name, family, credential))
        } else {
          refusals[name, default: [:]][family] = .failure(
            ObservationFailure(missingSecrets[name] ?? "its secret is not available"))
        }
      }
    }
    let listed = Set(lists.map(\.family))
    let selfReaders = desired.tokens.indices.filter {
      !listed.contains(families[$0]) && credentials[desired.tokens[$0].name] != nil
    }
    .map { desired.tokens[$0] }
    var expected: [TokenFamily: Int] = [:]
    for family in families { expected[family, default: 0] += 1 }
    return ReadPlan(
      families: families, lists: lists, selfReaders: selfReaders, expected: expected, inferred: inferred)
  }

  /// What the first round brought back.
  struct FirstRound {
    var lists: [(String, TokenFamily, Result<Listed, CloudflareError>)] = []
    var early: [String: Result<LiveToken, CloudflareError>] = [:]
  }

  /// Lists and reads of themselves go out together. Each list is boiled down to what planning needs as soon as it
  /// arrives, so the API records do not pile up; its records by id and the set of ids it shows are made in its own
  /// task, while other lists are still arriving.
  func execute(_ plan: ReadPlan) async -> FirstRound {
    let client = self.client
    let credentials = self.credentials
    let total = plan.lists.count + plan.selfReaders.count
    let done = Counter()
    let progress = self.progress
    var round = FirstRound()
    await withTaskGroup(of: Completed.self) { group in
      for token in plan.selfReaders {
        guard let credential = credentials[token.name] else { continue }
        group.addTask {
          let result = await Self.read(client, token, credential).map(LiveToken.init)
          progress?(done.next(), total)
          return .read(token.name, result)
        }
      }
      for list in plan.lists {
        let count = plan.expected[list.family] ?? 0
        group.addTask {
          let result = await Self.list(client, list.family, list.credential, expected: count).map(Listed.init)
          progress?(done.next(), total)
          return .list(list.name, list.family, result)
        }
      }
      for await completed in group {
        switch completed {
        case .list(let name, let family, let result): round.lists.append((name, family, result))
        case .read(let name, let result): round.early[name] = result
        }
      }
    }
    return round
  }

  /// Puts each token's record from the first round where the planner looks, and the lists' visibility; returns the
  /// tokens no list showed, with who may read them by id.
  func assemble(_ desired: DesiredState, plan: ReadPlan, _ round: FirstRound, into observation: inout Observation)
    -> [(token: DesiredToken, readers: [String])]
  {
    // The first successful list of each family. A token is looked for in its own family's list, then in its read of
    // itself, then in the other families' lists (a policy may declare the wrong owner).
    var byFamily: [TokenFamily: [String: LiveToken]] = [:]
    for (name, family, result) in round.lists {
      switch result {
      case .success(let listed):
        observation.visibility[name, default: [:]][family] = .success(listed.ids)
        if byFamily[family] == nil { byFamily[family] = listed.records }
      case .failure(let error):
        observation.visibility[name, default: [:]][family] = .failure(ObservationFailure(error.message))
      }
    }
    func record(of token: DesiredToken, in key: TokenFamily) -> LiveToken? {
      if let records = byFamily[key], let record = records[token.id.rawValue] { return record }
      if case .success(let record)? = round.early[token.name] { return record }
      for (family, records) in byFamily where family != key {
        if let record = records[token.id.rawValue] { return record }
      }
      return nil
    }
    infer(desired, plan: plan, record: record, into: &observation)
    observation.tokens.reserveCapacity(desired.tokens.count)
    // Tokens no list showed: Cloudflare leaves some out of lists (long expired, revoked), and a token's own secret
    // cannot read it once it is expired or revoked. Each is read by id through a token whose list of its family
    // worked (its healer first) and, if not read yet, with its own secret.
    var lastResort: [(token: DesiredToken, readers: [String])] = []
    for (position, token) in desired.tokens.enumerated() {
      if let record = record(of: token, in: plan.families[position]) {
        observation.tokens[token.name] = .read(record)
        continue
      }
      var readers: [String] = []
      if let editor = Self.reader(
        of: token, family: plan.families[position], visibility: observation.visibility, credentials: credentials)
      {
        readers.append(editor)
      }
      if round.early[token.name] == nil && credentials[token.name] != nil && !readers.contains(token.name) {
        readers.append(token.name)
      }
      if readers.isEmpty {
        if case .failure(let error)? = round.early[token.name] {
          observation.tokens[token.name] = .unreadable(
            "\(token.name) (\(token.id.short)) could not be read: \(error.message)")
        } else {
          observation.tokens[token.name] = .unreadable(
            "no token of the policy can read \(token.name) (\(token.id.short)), and its own secret is not available (\(missingSecrets[token.name] ?? "not set"))"
          )
        }
        continue
      }
      lastResort.append((token, readers))
    }
    return lastResort
  }

  /// What an editor would see of a family its observer listed: the observer's list, when the editor holds the
  /// family's write permission (API Tokens Write on its user, Account API Tokens Write on the account), as read by
  /// the observer. Only a write can show the rest (the user's role in the account); apply finds out then.
  func infer(
    _ desired: DesiredState, plan: ReadPlan, record: (DesiredToken, TokenFamily) -> LiveToken?,
    into observation: inout Observation
  ) {
    for (family, inferred) in plan.inferred {
      let ids: Set<String>
      switch observation.visibility[inferred.observer]?[family] {
      case .success(let listed)?: ids = listed
      case .failure(let failure)?:
        for name in inferred.editors where name != inferred.observer {
          observation.visibility[name, default: [:]][family] = .failure(
            ObservationFailure(
              "the observer \(inferred.observer) could not list \(family.description): \(failure.message)"))
        }
        continue
      case nil: continue
      }
      let (group, resource, groupName) =
        switch family {
        case .user: (Planner.apiTokensWrite, "user", "API Tokens Write")
        case .account(let account): (Planner.accountAPITokensWrite, "account:\(account)", "Account API Tokens Write")
        }
      for name in inferred.editors.sorted() where name != inferred.observer {
        if let reason = Self.cannotList(owner: desired.token(named: name)?.owner, family: family) {
          observation.visibility[name, default: [:]][family] = .failure(ObservationFailure(reason))
          continue
        }
        guard let editor = desired.token(named: name), let live = record(editor, TokenFamily(owner: editor.owner))
        else {
          observation.visibility[name, default: [:]][family] = .failure(
            ObservationFailure("\(inferred.observer) does not see \(name), so what it may do is unknown"))
          continue
        }
        if EffectivePermissions.holds(group: group, on: resource, in: live.sortedGrants) {
          observation.visibility[name, default: [:]][family] = .success(ids)
          observation.inferredEditors.insert(name)
        } else {
          observation.visibility[name, default: [:]][family] = .failure(
            ObservationFailure("\(name) does not hold \(groupName) on \(family.description)"))
        }
      }
    }
  }

  /// The tokens no list showed, read by id. The reads go out together (the client bounds how many are in flight),
  /// not one after another: a healer that cannot see a thousand tokens must not make a thousand round trips in a row.
  func read(
    _ lastResort: [(token: DesiredToken, readers: [String])], early: [String: Result<LiveToken, CloudflareError>],
    into observation: inout Observation
  ) async {
    let client = self.client
    let credentials = self.credentials
    let reads = await withTaskGroup(of: (String, String, Result<LiveToken, CloudflareError>).self) { group in
      for (token, readers) in lastResort {
        for reader in readers {
          guard let credential = credentials[reader] else { continue }
          group.addTask { (token.name, reader, await Self.read(client, token, credential).map(LiveToken.init)) }
        }
      }
      var all: [String: [String: Result<LiveToken, CloudflareError>]] = [:]
      for await (name, reader, result) in group { all[name, default: [:]][reader] = result }
      return all
    }
    for (token, readers) in lastResort {
      // In the order of `readers`: the editor's read says the status even of a token whose own secret is refused.
      let results = readers.compactMap { reads[token.name]?[$0] } + [early[token.name]].compactMap { $0 }
      if let record = results.lazy.compactMap({ try? $0.get() }).first {
        observation.tokens[token.name] = .read(record)
      } else if let error = results.lazy.compactMap({ result -> CloudflareError? in
        if case .failure(let error) = result { return error } else { return nil }
      }).last {
        observation.tokens[token.name] = .unreadable(
          "\(token.name) (\(token.id.short)) could not be read: \(error.message)")
      }
    }
  }

  /// A list or a read of itself, done.
  enum Completed: Sendable {
    case list(String, TokenFamily, Result<Listed, CloudflareError>)
    case read(String, Result<LiveToken, CloudflareError>)
  }

  static func list(_ client: CloudflareClient, _ family: TokenFamily, _ credential: Credential, expected: Int) async
    -> Result<[LiveToken], CloudflareError>
  {
    do {
      return .success(try await client.listTokens(family, as: credential, expected: expected, LiveToken.init))
    } catch {
      return .failure(error)
    }
  }

  static func read(_ client: CloudflareClient, _ token: DesiredToken, _ credential: Credential) async
    -> Result<APIToken, CloudflareError>
  {
    do {
      return .success(try await client.token(token.id, in: TokenFamily(owner: token.owner), as: credential))
    } catch {
      return .failure(error)
    }
  }

  /// A token whose list of `family` worked, to read a token that list did not show: its named healer when that one
  /// listed, else the first by name that did.
  static func reader(
    of token: DesiredToken, family: TokenFamily,
    visibility: [String: [TokenFamily: Result<Set<String>, ObservationFailure>]],
    credentials: [String: Credential]
  ) -> String? {
    func listed(_ name: String) -> Bool {
      if case .success? = visibility[name]?[family], credentials[name] != nil { return true }
      return false
    }
    if case .token(let healer) = token.healer, listed(healer) { return healer }
    return visibility.keys.sorted().first { $0 != token.name && listed($0) }
  }

  /// Calls known to fail, not made: account-owned tokens on /user/tokens or on another account.
  static func cannotList(owner: TokenOwner?, family: TokenFamily) -> String? {
    guard case .account(let account)? = owner else { return nil }
    if family == .user { return "account-owned tokens cannot use /user/tokens" }
    if family != .account(account) { return "an account-owned token cannot reach another account" }
    return nil
  }
}

/// One family's list: its records by id, and the ids it shows (for the planner's visibility checks).
struct Listed: Sendable {
  let records: [String: LiveToken]
  let ids: Set<String>

  init(_ tokens: [LiveToken]) {
    var records: [String: LiveToken] = [:]
    records.reserveCapacity(tokens.count)
    for token in tokens where records[token.id] == nil { records[token.id] = token }
    self.records = records
    ids = Set(records.keys)
  }
}

extension Observer {
  /// Reads the tokens while `inputs` gives the policy and catalog to plan with (`plan` reads the live catalog
  /// alongside the tokens), then plans. Which tokens are read, and by whom, does not depend on the catalog.
  package func observeAndPlan(
    _ desired: DesiredState, inputs: @escaping @Sendable () async -> (DesiredState, PermissionCatalog),
    toolVersion: String, policyDigest: String, source: String, targets: Set<String> = []
  ) async -> (observation: Observation, plan: Plan, desired: DesiredState) {
    let resolved = Task { await inputs() }
    let observation = await observe(desired)
    let (planned, catalog) = await resolved.value
    let plan = Planner.plan(
      Planner.Preparation(desired: planned, catalog: catalog), observation: observation, toolVersion: toolVersion,
      policyDigest: policyDigest, source: source, targets: targets)
    return (observation, plan, planned)
  }
}
