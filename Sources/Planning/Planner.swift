import LiveState
import TokenModel

/// The plan as a pure function of the desired state, what was read and the catalog. Linear in the number of grants;
/// order of policies or groups never matters because everything is compared as sets.
package enum Planner {
  package static let apiTokensWrite = "686d18d5ac6c441c867cbf6771e58a0a"
  package static let accountAPITokensWrite = "5bc3f8b21c554832afc660159ab75fa4"

  package static func family(of owner: TokenOwner) -> TokenFamily { TokenFamily(owner: owner) }

  package static func plan(
    desired: DesiredState, observation: Observation, catalog: PermissionCatalog, toolVersion: String,
    policyDigest: String, source: String, targets: Set<String> = []
  ) -> Plan {
    plan(
      Preparation(desired: desired, catalog: catalog), observation: observation, toolVersion: toolVersion,
      policyDigest: policyDigest, source: source, targets: targets)
  }

  /// What planning needs besides the observation, worked out once: each policy resource's key and name.
  package struct Preparation: Sendable {
    let desired: DesiredState
    let catalog: PermissionCatalog
    let keys: [Resource: String]
    let names: [String: String]

    package init(desired: DesiredState, catalog: PermissionCatalog) {
      self.desired = desired
      self.catalog = catalog
      // Resource keys and their names once per distinct resource, not once per grant.
      var keys: [Resource: String] = [:]
      var names: [String: String] = [:]
      for token in desired.tokens {
        for grant in token.grants where keys[grant.resource] == nil {
          let key = StringPool.shared.intern(LiveGrant.key(for: grant.resource))
          keys[grant.resource] = key
          names[key] = grant.resourceName
        }
      }
      self.keys = keys
      self.names = names
    }

    func context(_ observation: Observation) -> Context {
      Context(desired: desired, observation: observation, catalog: catalog, keys: keys, names: names)
    }
  }

  /// The plan of the tokens named by `targets` (all when empty), in the policy's order.
  package static func plan(
    _ prepared: Preparation, observation: Observation, toolVersion: String, policyDigest: String, source: String,
    targets: Set<String> = []
  ) -> Plan {
    let desired = prepared.desired
    // Positions of the tokens to plan: the tokens themselves are not copied.
    let selected =
      targets.isEmpty
      ? Array(desired.tokens.indices) : desired.tokens.indices.filter { targets.contains(desired.tokens[$0].name) }
    return Plan(
      toolVersion: toolVersion, policyDigest: policyDigest, source: source, catalog: prepared.catalog.origin,
      tokens: plans(at: selected, prepared.context(observation)))
  }

  /// Tokens are planned independently, in order, sharing one index of editors.
  static func plans(at positions: [Int], _ context: Context) -> [TokenPlan] {
    var editors = EditorIndex()
    return positions.map { planToken(context.desired.tokens[$0], context: context, editors: &editors) }
  }

  /// What every token's plan reads.
  struct Context: Sendable {
    let desired: DesiredState
    let observation: Observation
    let catalog: PermissionCatalog
    /// Each policy resource's key (`account:ID`), interned.
    let keys: [Resource: String]
    /// Each key's name as the policy writes it ("account main").
    let names: [String: String]

    func planned(_ grant: DesiredGrant) -> PlannedGrant {
      PlannedGrant(
        group: grant.group.rawValue, groupName: grant.groupName,
        resource: keys[grant.resource] ?? LiveGrant.key(for: grant.resource), resourceName: grant.resourceName)
    }
  }

  /// Which editors may edit tokens of which family, worked out once per editor and family instead of once per
  /// target; and, for automatic healers, the permitted candidates of each family in policy order. Only what does not
  /// depend on the target is kept: whether the editor sees the target is checked per target.
  struct EditorIndex {
    var permitted: [String: [TokenFamily: Bool]] = [:]
    var candidates: [TokenFamily: [DesiredToken]] = [:]
    /// Named healers, looked up once each.
    var named: [String: [DesiredToken]] = [:]
    /// The ids the last editor asked about sees in the last family asked about: consecutive targets of a policy
    /// usually share both.
    var lastSeen: (editor: String, family: TokenFamily, ids: Set<String>?)?

    mutating func healer(named name: String, in desired: DesiredState) -> [DesiredToken] {
      if let known = named[name] { return known }
      let found = desired.token(named: name).map { [$0] } ?? []
      named[name] = found
      return found
    }

    /// Whether the editor's list of the target's family shows the target: `visibility(…) == nil` without building its
    /// message, for every target of a large policy.
    mutating func sees(_ editor: DesiredToken, _ target: DesiredToken, _ observation: Observation) -> Bool {
      let family = TokenFamily(owner: target.owner)
      if let last = lastSeen, last.editor == editor.name, last.family == family {
        return last.ids?.contains(target.id.rawValue) ?? false
      }
      var ids: Set<String>?
      if case .success(let visible)? = observation.visibility[editor.name]?[family] { ids = visible }
      lastSeen = (editor.name, family, ids)
      return ids?.contains(target.id.rawValue) ?? false
    }

    mutating func mayEdit(_ editor: DesiredToken, _ target: DesiredToken, _ observation: Observation) -> Bool {
      let family = TokenFamily(owner: target.owner)
      if let known = permitted[editor.name]?[family] { return known }
      let allowed = Planner.permissionFailure(editor, target: target, observation: observation) == nil
      permitted[editor.name, default: [:]][family] = allowed
      return allowed
    }

    mutating func automaticCandidates(for target: DesiredToken, _ context: Context) -> [DesiredToken] {
      let family = TokenFamily(owner: target.owner)
      if let known = candidates[family] { return known }
      let list = context.desired.tokens.filter { mayEdit($0, target, context.observation) }
      candidates[family] = list
      return list
    }
  }

  /// A resource key in words: the policy's name when it has one ("account main"), else the kind and a short id.
  static func resourceName(_ key: String, names: [String: String]) -> String {
    if let name = names[key] { return name }
    let (kind, rawID) = ResourceKind.of(key)
    if rawID == "*" {
      switch kind {
      case .account: return "all accounts"
      case .zone: return "all zones"
      case .zonesOfAccount: return "all zones of all accounts"
      case .user, .other: break
      }
    }
    let id = HexID(String(rawID)).map(\.short) ?? String(rawID)
    switch kind {
    case .account: return "account \(id)"
    case .zone: return "zone \(id)"
    case .zonesOfAccount: return "all zones of account \(id)"
    case .user: return "user"
    case .other: return rawID.isEmpty ? key : String(rawID)
    }
  }

  static func planToken(_ token: DesiredToken, context: Context, editors: inout EditorIndex) -> TokenPlan {
    let observation = context.observation
    var plan = TokenPlan(
      name: token.name, id: token.id.rawValue, owner: token.ownerName, family: TokenFamily(owner: token.owner))
    let required = token.grants.map(context.planned)
    guard case .read(let live)? = observation.tokens[token.name] else {
      var reason = "the token could not be read"
      if case .unreadable(let why)? = observation.tokens[token.name] { reason = why }
      plan.readError = reason
      if case .failure(let failure) = chooseEditor(for: token, context: context, editors: &editors) {
        plan.remediation = failure.message
      }
      plan.blocked = required.map {
        BlockedGrant(grant: $0, .unreadable)
      }
      return plan
    }
    plan.fingerprint = live.fingerprint
    plan.modifiedOn = live.modifiedOn
    plan.status = live.status.rawValue
    plan.read = live.readState
    // Tokens hold a handful of grants: looked through one by one, comparing interned strings (usually the same
    // storage), rather than hashing every group id and resource key. What counts is what Cloudflare would allow: a
    // deny anywhere on the resource wins, an allow on a wider resource (all accounts) satisfies.
    let grants = live.sortedGrants
    var missing: [PlannedGrant] = []
    missing.reserveCapacity(required.count)
    plan.satisfied.reserveCapacity(required.count)
    for grant in required {
      switch EffectivePermissions.evaluate(group: grant.group, resource: grant.resource, in: grants) {
      case .denied(let deny):
        plan.blocked.append(
          BlockedGrant(
            grant: grant,
            .denied(group: grant.groupName, denyResource: resourceName(deny.resource, names: context.names))))
      case .effective: plan.satisfied.append(grant)
      case .missing: missing.append(grant)
      }
    }
    let requiredKeys = required.count > 16 ? Set(required.map { GrantKey(group: $0.group, resource: $0.resource) }) : []
    let extra = grants.filter { live in
      required.count > 16
        ? !requiredKeys.contains(GrantKey(group: live.group, resource: live.resource))
        : !required.contains { $0.resource == live.resource && $0.group == live.group }
    }
    if !extra.isEmpty {
      plan.extra = extra.sorted().map { grant in
        PlannedGrant(
          group: grant.group,
          groupName: HexID(grant.group).flatMap { context.catalog.group(id: $0)?.name } ?? grant.group,
          resource: grant.resource, resourceName: resourceName(grant.resource, names: context.names),
          effect: grant.effect)
      }
    }
    guard !missing.isEmpty else { return plan }
    if live.status != .active {
      plan.blocked += missing.map {
        BlockedGrant(grant: $0, .inactive(status: live.status.rawValue))
      }
      return plan
    }
    // Cloudflare's common permission check: an account-owned editor may send a grant on a specific zone only if it
    // holds that group there itself, and a write sends every grant of the token, the ones it already has too
    // (otherwise the whole write is refused with error 1001). Editors that would be refused are passed over.
    let resent = grants.filter { ResourceKind.isSpecificZone($0.resource) }
    func refusal(_ editor: DesiredToken) -> String? {
      guard case .account = editor.owner else { return nil }
      let held = editorLive(editor, observation: observation)?.sortedGrants ?? []
      guard
        let lacking = resent.first(where: { !EffectivePermissions.holds(group: $0.group, on: $0.resource, in: held) })
      else { return nil }
      let name = HexID(lacking.group).flatMap { context.catalog.group(id: $0)?.name } ?? lacking.group
      return EditorRefusal.resendRefused(
        editor: editor.name, group: name, resource: resourceName(lacking.resource, names: context.names),
        target: token.name
      ).text
    }
    switch chooseEditor(for: token, context: context, editors: &editors, refusal: resent.isEmpty ? nil : refusal) {
    case .success(let editor):
      plan.editor = editor.name == token.name ? "self" : editor.name
      // The same check for what is added: each specific-zone grant the editor does not hold itself is blocked.
      let editorRecord = editorLive(editor, observation: observation)
      for grant in missing {
        if case .account = editor.owner, ResourceKind.isSpecificZone(grant.resource),
          !EffectivePermissions.holds(group: grant.group, on: grant.resource, in: editorRecord?.sortedGrants ?? [])
        {
          plan.blocked.append(
            BlockedGrant(
              grant: grant,
              .editorLacksZoneGrant(editor: editor.name, group: grant.groupName, resource: grant.resourceName)))
        } else {
          plan.add.append(grant)
        }
      }
      if plan.add.isEmpty { plan.editor = nil }
    case .failure(let failure) where failure.refusedByPermissionCheck:
      plan.remediation = failure.message
      plan.blocked += missing.map { BlockedGrant(grant: $0, .refused(failure.message)) }
    case .failure(let failure):
      plan.remediation = failure.message
      plan.blocked += missing.map { BlockedGrant(grant: $0, .noEditor) }
    }
    return plan
  }

  /// A grant whatever its effect.
  struct GrantKey: Hashable {
    let group: String
    let resource: String
  }

  static func editorLive(_ editor: DesiredToken, observation: Observation) -> LiveToken? {
    if case .read(let token)? = observation.tokens[editor.name] { return token }
    return nil
  }

  /// The editor for `target`: the policy's healer, itself with `healer: self`, or (automatic) the first token of the
  /// policy, in policy order, that may edit its family and sees it. The one place an editor is chosen; when none
  /// can be, `noEditor` says why, candidate by candidate.
  /// `refusal` says why Cloudflare would refuse a write by a candidate that can see and edit the target; such a
  /// candidate is passed over, and when every one is, the failure gives the first reason.
  static func chooseEditor(
    for target: DesiredToken, context: Context, editors: inout EditorIndex, refusal: ((DesiredToken) -> String?)? = nil
  ) -> Result<DesiredToken, ObservationFailure> {
    let observation = context.observation
    let candidates: [DesiredToken]
    switch target.healer {
    case .token(let name): candidates = editors.healer(named: name, in: context.desired)
    case .selfEdit: candidates = [target]
    case .automatic: candidates = editors.automaticCandidates(for: target, context)
    }
    var refused: String?
    for candidate in candidates where target.healer != .automatic || candidate.name != target.name {
      if editors.mayEdit(candidate, target, observation), editors.sees(candidate, target, observation) {
        if let reason = refusal?(candidate) {
          refused = refused ?? reason
          continue
        }
        return .success(candidate)
      }
    }
    if let refused { return .failure(ObservationFailure(refused, refusedByPermissionCheck: true)) }
    return .failure(noEditor(for: target, desired: context.desired, observation: observation))
  }

  /// Why no token can edit `target`: each candidate's reason, in policy order (the messages are built only here,
  /// once the choice has failed).
  static func noEditor(for target: DesiredToken, desired: DesiredState, observation: Observation) -> ObservationFailure
  {
    let candidates: [DesiredToken]
    switch target.healer {
    case .token(let name): candidates = desired.token(named: name).map { [$0] } ?? []
    case .selfEdit: candidates = [target]
    case .automatic: candidates = desired.tokens.filter { $0.name != target.name }
    }
    var reasons: [String] = []
    for candidate in candidates {
      if case .failure(let failure) = canEdit(candidate, target: target, observation: observation) {
        reasons.append(failure.message)
      }
    }
    let short = target.id.short
    var message: String
    if reasons.isEmpty {
      message = EditorRefusal.nobodyMay(target: target.name, short: short).text
    } else {
      message = reasons.joined(separator: "; ")
    }
    if case .automatic = target.healer, candidates.count > 1 {
      message = "no token can edit \(target.name): " + message
    }
    return ObservationFailure(message)
  }

  static func canEdit(_ editor: DesiredToken, target: DesiredToken, observation: Observation)
    -> Result<Void, ObservationFailure>
  {
    if let failure = permissionFailure(editor, target: target, observation: observation) { return .failure(failure) }
    if let failure = visibility(editor, target: target, observation: observation) { return .failure(failure) }
    return .success(())
  }

  /// Why `editor` may not edit tokens of the target's family, if it may not: its secret, its state, its permissions.
  /// Whether it is allowed depends only on the editor and the target's owner; the message names the target.
  static func permissionFailure(_ editor: DesiredToken, target: DesiredToken, observation: Observation)
    -> ObservationFailure?
  {
    let short = target.id.short
    if let missing = observation.missingSecrets[editor.name], !observation.inferredEditors.contains(editor.name) {
      return EditorRefusal.secretMissing(editor: editor.name, why: missing).failure
    }
    guard case .read(let editorToken)? = observation.tokens[editor.name] else {
      return EditorRefusal.unread(editor: editor.name).failure
    }
    if editorToken.status != .active {
      return EditorRefusal.inactive(editor: editor.name, status: editorToken.status.rawValue).failure
    }
    // Held as Cloudflare decides: through a wider resource (all accounts) too, and never under a deny.
    func holds(_ group: String, on resource: String) -> Bool {
      EffectivePermissions.holds(group: group, on: resource, in: editorToken.sortedGrants)
    }
    switch target.owner {
    case .user:
      guard editor.owner == .user else {
        return EditorRefusal.accountCannotEditUser(editor: editor.name, target: target.name, short: short).failure
      }
      guard holds(apiTokensWrite, on: "user") else {
        return EditorRefusal.lacksUserWrite(editor: editor.name, target: target.name, short: short).failure
      }
    case .account(let account):
      let accountName = target.ownerName.split(separator: " ").last.map(String.init) ?? account.short
      if case .account(let editorAccount) = editor.owner, editorAccount != account {
        return EditorRefusal.otherAccount(editor: editor.name, target: target.name, short: short).failure
      }
      guard holds(accountAPITokensWrite, on: "account:\(account)") else {
        return EditorRefusal.lacksAccountWrite(
          editor: editor.name, short: short, account: accountName, userOwned: editor.owner == .user
        ).failure
      }
    }
    return nil
  }

  /// Why `editor` does not see the target in its list of the target's family, if it does not.
  static func visibility(_ editor: DesiredToken, target: DesiredToken, observation: Observation) -> ObservationFailure?
  {
    let family = Planner.family(of: target.owner)
    let short = target.id.short
    switch observation.visibility[editor.name]?[family] {
    case .success(let ids) where ids.contains(target.id.rawValue):
      return nil
    case .success:
      return EditorRefusal.listsButDoesNotSee(
        editor: editor.name, family: "\(family)", target: target.name, short: short
      )
      .failure
    case .failure(let failure):
      return EditorRefusal.cannotSee(editor: editor.name, target: target.name, short: short, why: failure.message)
        .failure
    case nil:
      return EditorRefusal.notAsked(editor: editor.name, target: target.name, short: short).failure
    }
  }
}
