import CloudflareAPI
import TokenModel

/// What was read of one token, and by whom.
public enum ObservedToken: Sendable {
  case read(LiveToken)
  case unreadable(String)
}

/// Everything the planner needs from Cloudflare, gathered by `Observer`.
public struct Observation: Sendable {
  /// By policy token name.
  public var tokens: [String: ObservedToken] = [:]
  /// Which policy tokens could list which families (`user`, `account:ID`), and why not when they could not.
  public var visibility: [String: [String: Result<Set<String>, ObservationFailure>]] = [:]
  /// Tokens whose secret is not available to this run, with the reason.
  public var missingSecrets: [String: String] = [:]

  public init() {}
}

public struct ObservationFailure: Error, Sendable, Hashable {
  public let message: String
  public init(_ message: String) { self.message = message }
}

/// The plan as a pure function of the desired state, what was read and the catalog. Linear in the number of grants;
/// order of policies or groups never matters because everything is compared as sets.
public enum Planner {
  static let apiTokensWrite = "686d18d5ac6c441c867cbf6771e58a0a"
  static let accountAPITokensWrite = "5bc3f8b21c554832afc660159ab75fa4"

  public static func family(of owner: TokenOwner) -> String {
    switch owner {
    case .user: return "user"
    case .account(let id): return "account:\(id)"
    }
  }

  public static func plan(
    desired: DesiredState, observation: Observation, catalog: PermissionCatalog, toolVersion: String,
    policyDigest: String, source: String, targets: Set<String> = []
  ) -> Plan {
    var names: [String: String] = [:]
    for token in desired.tokens {
      for grant in token.grants { names[LiveGrant.key(for: grant.resource)] = grant.resourceName }
    }
    var plans: [TokenPlan] = []
    for token in desired.tokens where targets.isEmpty || targets.contains(token.name) {
      plans.append(planToken(token, desired: desired, observation: observation, catalog: catalog, names: names))
    }
    return Plan(
      toolVersion: toolVersion, policyDigest: policyDigest, source: source, catalog: catalog.origin, tokens: plans)
  }

  static func planned(_ grant: DesiredGrant) -> PlannedGrant {
    PlannedGrant(
      group: grant.group.rawValue, groupName: grant.groupName,
      resource: StringPool.shared.intern(LiveGrant.key(for: grant.resource)), resourceName: grant.resourceName)
  }

  /// A resource key in words: the policy's name when it has one ("account main"), else the kind and a short id.
  static func resourceName(_ key: String, names: [String: String]) -> String {
    if let name = names[key] { return name }
    let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { return key }
    let id = HexID(parts[1]).map(\.short) ?? parts[1]
    switch parts[0] {
    case "account": return "account \(id)"
    case "zone": return "zone \(id)"
    case "all-zones": return "all zones of account \(id)"
    default: return parts[1]
    }
  }

  static func planToken(
    _ token: DesiredToken, desired: DesiredState, observation: Observation, catalog: PermissionCatalog,
    names: [String: String]
  ) -> TokenPlan {
    var plan = TokenPlan(name: token.name, id: token.id.rawValue, owner: token.ownerName, family: family(of: token.owner))
    let required = token.grants.map(planned)
    guard case .read(let live)? = observation.tokens[token.name] else {
      var reason = "the token could not be read"
      if case .unreadable(let why)? = observation.tokens[token.name] { reason = why }
      plan.readError = reason
      if case .failure(let failure) = chooseEditor(for: token, desired: desired, observation: observation) {
        plan.remediation = failure.message
      }
      plan.blocked = required.map { BlockedGrant(grant: $0, reason: "the token cannot be read, so nothing can be added") }
      return plan
    }
    plan.fingerprint = live.fingerprint
    plan.modifiedOn = live.modifiedOn
    plan.status = live.status.rawValue
    let grants = live.grants
    var missing: [PlannedGrant] = []
    var requiredKeys = Set<GrantKey>(minimumCapacity: required.count)
    for grant in required {
      requiredKeys.insert(GrantKey(group: grant.group, resource: grant.resource))
      if grants.contains(LiveGrant(effect: "deny", group: grant.group, resource: grant.resource)) {
        plan.blocked.append(BlockedGrant(grant: grant, reason: "a deny policy on the token covers it; remove the deny policy by hand if the grant is wanted"))
      } else if grants.contains(LiveGrant(effect: "allow", group: grant.group, resource: grant.resource)) {
        plan.satisfied.append(grant)
      } else {
        missing.append(grant)
      }
    }
    plan.extra = grants.filter { !requiredKeys.contains(GrantKey(group: $0.group, resource: $0.resource)) }.sorted().map {
      grant in
      PlannedGrant(
        group: grant.group, groupName: HexID(grant.group).flatMap { catalog.group(id: $0)?.name } ?? grant.group,
        resource: grant.resource, resourceName: resourceName(grant.resource, names: names), effect: grant.effect)
    }
    guard !missing.isEmpty else { return plan }
    if live.status != .active {
      plan.blocked += missing.map { BlockedGrant(grant: $0, reason: "the token is \(live.status.rawValue)") }
      return plan
    }
    switch chooseEditor(for: token, desired: desired, observation: observation) {
    case .success(let editor):
      plan.editor = editor.name == token.name ? "self" : editor.name
      // FACTS.md §9: an account-owned editor may grant a specific zone only groups it holds itself.
      let editorGrants = editorLiveGrants(editor, observation: observation)
      for grant in missing {
        if case .account = editor.owner, grant.resource.hasPrefix("zone:"),
          !editorGrants.contains(LiveGrant(effect: "allow", group: grant.group, resource: grant.resource))
        {
          plan.blocked.append(
            BlockedGrant(
              grant: grant,
              reason: "\(editor.name) is account-owned and does not hold '\(grant.groupName)' on \(grant.resourceName) itself (Cloudflare's common permission check)"))
        } else {
          plan.add.append(grant)
        }
      }
      if plan.add.isEmpty { plan.editor = nil }
    case .failure(let failure):
      plan.remediation = failure.message
      plan.blocked += missing.map { BlockedGrant(grant: $0, reason: "no token can edit it") }
    }
    return plan
  }

  /// A grant whatever its effect.
  struct GrantKey: Hashable {
    let group: String
    let resource: String
  }

  static func editorLiveGrants(_ editor: DesiredToken, observation: Observation) -> Set<LiveGrant> {
    if case .read(let token)? = observation.tokens[editor.name] { return token.grants }
    return []
  }

  /// The editor for `target`: the policy's healer, or the first token of the policy that can see and edit it.
  static func chooseEditor(for target: DesiredToken, desired: DesiredState, observation: Observation)
    -> Result<DesiredToken, ObservationFailure>
  {
    let candidates: [DesiredToken]
    switch target.healer {
    case .token(let name): candidates = desired.token(named: name).map { [$0] } ?? []
    case .selfEdit: candidates = [target]
    case .automatic: candidates = desired.tokens.filter { $0.name != target.name }
    }
    var reasons: [String] = []
    for candidate in candidates {
      switch canEdit(candidate, target: target, observation: observation) {
      case .success: return .success(candidate)
      case .failure(let failure): reasons.append(failure.message)
      }
    }
    let short = target.id.short
    var message: String
    if reasons.isEmpty {
      message = "no token of the policy may edit \(target.name) (\(short)); name a healer, or write 'healer: self'"
    } else {
      message = reasons.joined(separator: "; ")
    }
    if case .automatic = target.healer, candidates.count > 1 { message = "no token can edit \(target.name): " + message }
    return .failure(ObservationFailure(message))
  }

  static func canEdit(_ editor: DesiredToken, target: DesiredToken, observation: Observation)
    -> Result<Void, ObservationFailure>
  {
    let short = target.id.short
    if let missing = observation.missingSecrets[editor.name] {
      return .failure(ObservationFailure("\(editor.name) cannot be used as editor: \(missing)"))
    }
    guard case .read(let editorToken)? = observation.tokens[editor.name] else {
      return .failure(ObservationFailure("\(editor.name) could not be read, so what it may do is unknown"))
    }
    if editorToken.status != .active {
      return .failure(ObservationFailure("\(editor.name) is \(editorToken.status.rawValue)"))
    }
    let grants = editorToken.grants
    func holds(_ group: String, on resource: String) -> Bool {
      grants.contains(LiveGrant(effect: "allow", group: group, resource: resource))
        && !grants.contains(LiveGrant(effect: "deny", group: group, resource: resource))
    }
    let family = Planner.family(of: target.owner)
    switch target.owner {
    case .user:
      guard editor.owner == .user else {
        return .failure(
          ObservationFailure(
            "\(editor.name) is account-owned and can never edit user-owned \(target.name) (\(short)): account tokens cannot hold user permissions; give a user token of the same user 'API Tokens Write' and name it as healer"))
      }
      guard holds(apiTokensWrite, on: "user") else {
        return .failure(ObservationFailure("\(editor.name) lacks 'API Tokens Write' on its user, which editing \(target.name) (\(short)) takes; add it"))
      }
    case .account(let account):
      let accountName = target.ownerName.split(separator: " ").last.map(String.init) ?? account.short
      if case .account(let editorAccount) = editor.owner, editorAccount != account {
        return .failure(ObservationFailure("\(editor.name) belongs to another account and cannot edit \(target.name) (\(short))"))
      }
      guard holds(accountAPITokensWrite, on: "account:\(account)") else {
        let who = editor.owner == .user ? " (its user must be Super Administrator)" : ""
        return .failure(
          ObservationFailure(
            "\(editor.name) cannot see account-owned token \(short): give it Account API Tokens Write on account \(accountName)\(who), or recreate the token as user-owned"))
      }
    }
    let seen = observation.visibility[editor.name]?[family]
    switch seen {
    case .success(let ids) where ids.contains(target.id.rawValue):
      return .success(())
    case .success:
      return .failure(ObservationFailure("\(editor.name) can list \(family) tokens but does not see \(target.name) (\(short)): check the token id and owner"))
    case .failure(let failure):
      return .failure(ObservationFailure("\(editor.name) cannot see \(target.name) (\(short)): \(failure.message)"))
    case nil:
      return .failure(ObservationFailure("\(editor.name) was not asked to read \(target.name) (\(short))"))
    }
  }
}
