import CloudflareAPI
import TokenModel

/// What happened to one token.
public struct ApplyResult: Sendable, Hashable, Codable {
  public enum Outcome: String, Sendable, Codable {
    case applied
    case alreadyPresent = "already-present"
    case stale
    case failed
    /// Grants were lost: the token holds less than before. Never expected; reported loudly with the before-image.
    case lost
  }

  public let token: String
  public let outcome: Outcome
  public let added: [PlannedGrant]
  public let message: String
  public let editor: String?
  /// Before and after, as grants (for the audit trail and for a person restoring a token).
  public var before: [LiveGrant] = []
  public var after: [LiveGrant] = []
}

/// Applies a plan token by token through the chosen editors: read fresh, check the fingerprint, PUT everything read
/// plus the additions, read again and check that nothing was lost. A write that failed or timed out is never repeated
/// blindly: the token is read first, and if the additions are there the write took effect.
public struct Applier: Sendable {
  public let client: CloudflareClient
  public let credentials: [String: Credential]

  public init(client: CloudflareClient, credentials: [String: Credential]) {
    self.client = client
    self.credentials = credentials
  }

  public func apply(_ plan: Plan, desired: DesiredState, progress: @Sendable (String) -> Void = { _ in }) async
    -> [ApplyResult]
  {
    var results: [ApplyResult] = []
    for tokenPlan in plan.tokens where tokenPlan.hasChanges {
      progress(tokenPlan.name)
      results.append(await apply(tokenPlan, desired: desired))
    }
    return results
  }

  func apply(_ tokenPlan: TokenPlan, desired: DesiredState) async -> ApplyResult {
    func result(_ outcome: ApplyResult.Outcome, _ message: String, before: [LiveGrant] = [], after: [LiveGrant] = [])
      -> ApplyResult
    {
      ApplyResult(
        token: tokenPlan.name, outcome: outcome, added: outcome == .applied ? tokenPlan.add : [], message: message,
        editor: tokenPlan.editor, before: before, after: after)
    }
    guard let target = desired.token(named: tokenPlan.name), let editorName = tokenPlan.editor else {
      return result(.failed, "the plan names no editor for \(tokenPlan.name)")
    }
    let editorToken = editorName == "self" ? target : desired.token(named: editorName)
    guard let editorToken, let credential = credentials[editorToken.name] else {
      return result(.failed, "the secret of editor \(editorName) is not available; set \(desired.token(named: editorName)?.secretVariable ?? "its variable")")
    }
    let family = TokenFamily(owner: target.owner)
    let current: APIToken
    do {
      current = try await client.token(target.id, in: family, as: credential)
    } catch {
      return result(.failed, "could not read \(target.name) before writing: \(error.message)")
    }
    let before = LiveGrant.grants(of: current)
    let wanted = Set(tokenPlan.add.map { LiveGrant(effect: "allow", group: $0.group, resource: $0.resource) })
    if wanted.isSubset(of: before) {
      return result(.alreadyPresent, "the permissions are already there", before: before.sorted(), after: before.sorted())
    }
    if let fingerprint = tokenPlan.fingerprint, LiveGrant.fingerprint(of: current) != fingerprint {
      return result(
        .stale,
        "\(target.name) changed after the plan was made (modified \(current.modifiedOn ?? "at an unknown time")); run plan again",
        before: before.sorted())
    }
    guard let policies = Self.policies(adding: tokenPlan.add, to: current) else {
      return result(.failed, "cannot write a user grant: the token's user tag is unknown (it holds no user grant yet)")
    }
    var writeError: CloudflareError?
    do {
      _ = try await client.updateToken(target.id, in: family, APITokenUpdate(echoing: current, policies: policies), as: credential)
    } catch {
      writeError = error
    }
    // Verify by reading again, whatever the write answered.
    let after: APIToken
    do {
      after = try await client.token(target.id, in: family, as: credential)
    } catch {
      let outcome = writeError.map { "the write failed (\($0.message)) and" } ?? "the write succeeded but"
      return result(.failed, "\(outcome) \(target.name) could not be read back (\(error.message)); run apply again to converge", before: before.sorted())
    }
    let afterGrants = LiveGrant.grants(of: after)
    if !before.isSubset(of: afterGrants) {
      let lost = before.subtracting(afterGrants).sorted().map { "\($0.group) on \($0.resource)" }.joined(separator: ", ")
      return result(.lost, "GRANTS LOST on \(target.name): \(lost); the before-image is in the result so a person can restore it", before: before.sorted(), after: afterGrants.sorted())
    }
    if wanted.isSubset(of: afterGrants) {
      let note = writeError.map { " (the write answered \($0.message), but reading back shows it took effect)" } ?? ""
      return result(.applied, "added \(tokenPlan.add.count) permission\(tokenPlan.add.count == 1 ? "" : "s")" + note, before: before.sorted(), after: afterGrants.sorted())
    }
    return result(.failed, "the write did not take effect: \(writeError?.message ?? "the additions are missing after the write"); run apply again", before: before.sorted(), after: afterGrants.sorted())
  }

  /// Everything read, unchanged, plus the additions: a missing group joins an existing allow policy with exactly the
  /// same resources, else a new allow policy per resource.
  static func policies(adding grants: [PlannedGrant], to token: APIToken) -> [APIPolicy]? {
    var policies = token.policies
    let userTag = LiveGrant.userTag(of: token)
    var byResource: [String: [String]] = [:]
    var order: [String] = []
    for grant in grants {
      if byResource[grant.resource] == nil { order.append(grant.resource) }
      byResource[grant.resource, default: []].append(grant.group)
    }
    for resource in order {
      guard let resources = LiveGrant.resources(for: resource, userTag: userTag) else { return nil }
      let groups = byResource[resource] ?? []
      if let index = policies.firstIndex(where: { $0.effect == "allow" && $0.resources.canonical == resources.canonical }) {
        let existing = Set(policies[index].permissionGroups.map(\.id))
        policies[index].permissionGroups += groups.filter { !existing.contains($0) }.map { APIPermissionGroupRef(id: $0) }
      } else {
        policies.append(
          APIPolicy(effect: "allow", permissionGroups: groups.map { APIPermissionGroupRef(id: $0) }, resources: resources))
      }
    }
    return policies
  }
}
