import Basics
import CloudflareAPI
import Foundation
import LiveState
import Planning
import TokenModel

/// What happened to one token.
package struct ApplyResult: Sendable, Hashable {
  package enum Outcome: String, Sendable, Codable {
    case applied
    case alreadyPresent = "already-present"
    case stale
    case failed
    /// Grants were lost: the token holds less than before. Never expected; reported loudly with the before-image.
    case lost
  }

  package let token: String
  package let outcome: Outcome
  package let added: [PlannedGrant]
  package let message: String
  package let editor: String?
  /// Before and after, as grants (for the audit trail and for a person restoring a token).
  package var before: [LiveGrant] = []
  /// After, kept only when it is not simply `before` plus `added` (so 10,000 results stay small).
  private var afterIfDifferent: [LiveGrant]?

  package var after: [LiveGrant] {
    get {
      if let afterIfDifferent { return afterIfDifferent }
      if before.isEmpty { return [] }
      return Set(before).union(added.map { LiveGrant(effect: .allow, group: $0.group, resource: $0.resource) }).sorted()
    }
    set {
      let derived = Set(before).union(added.map { LiveGrant(effect: .allow, group: $0.group, resource: $0.resource) })
      afterIfDifferent = !before.isEmpty && Set(newValue) == derived ? nil : newValue
    }
  }

  /// Edits by someone else that apply noticed and kept, for a person to look at.
  package var warnings: [String] = []

  init(
    token: String, outcome: Outcome, added: [PlannedGrant], message: String, editor: String?, before: [LiveGrant],
    after: [LiveGrant], warnings: [String] = []
  ) {
    self.warnings = warnings
    self.token = token
    self.outcome = outcome
    self.added = added
    self.message = message
    self.editor = editor
    self.before = before
    self.after = after
  }
}

/// Applies a plan through the chosen editors, one token at a time per task: read the token fresh through its editor
/// right before writing it, compare that read with the one the plan was made from, PUT everything just read plus the
/// additions, read again and check that nothing was lost and nobody else's edit was overwritten. Tokens are independent
/// and applied concurrently within the client's limit. A write that failed or timed out is never repeated blindly:
/// the token is read back, and if the additions are there the write took effect.
///
/// Cloudflare's PUT replaces the whole token and has no condition on the version written over, so one window stays
/// open: an edit made between the answer to our GET and our PUT is overwritten. It is one round trip long; everything
/// else someone does to the token is kept.
package struct Applier: Sendable {
  /// What to do with a token someone changed between the plan and the write.
  package enum OnChange: Sendable {
    /// Plan that token again on the fresh read: their edits stay, only what is still missing is added, and a token
    /// that is no longer active is left alone. For a plan made in the same run (`apply POLICY`, heal).
    case replan
    /// Write nothing to it and say what changed: a saved plan was reviewed as it is.
    case refuse
  }

  package let client: CloudflareClient
  package let credentials: [String: Credential]
  package let onChange: OnChange

  package init(client: CloudflareClient, credentials: [String: Credential], onChange: OnChange = .replan) {
    self.client = client
    self.credentials = credentials
    self.onChange = onChange
  }

  package func apply(_ plan: Plan, desired: DesiredState, progress: @escaping @Sendable (String) -> Void = { _ in })
    async
    -> [ApplyResult]
  {
    let changed = plan.tokens.filter(\.hasChanges)
    // Tokens are independent: apply them concurrently, as many at a time as the client has requests in flight. Not
    // more: a token's PUT would then queue for a slot behind other tokens' reads, and the time between its fresh read
    // and its write — the window in which someone else's edit is overwritten — would grow by that wait.
    let width = max(1, client.configuration.concurrency)
    return await withTaskGroup(of: (Int, ApplyResult).self) { group in
      var results: [(Int, ApplyResult)] = []
      for (index, tokenPlan) in changed.enumerated() {
        if index >= width, let finished = await group.next() { results.append(finished) }
        group.addTask {
          progress(tokenPlan.name)
          return (index, await self.apply(tokenPlan, desired: desired))
        }
      }
      for await result in group { results.append(result) }
      return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  func apply(_ tokenPlan: TokenPlan, desired: DesiredState) async -> ApplyResult {
    var warnings: [String] = []
    func result(
      _ outcome: ApplyResult.Outcome, _ message: String, added: [PlannedGrant] = [], before: [LiveGrant] = [],
      after: [LiveGrant] = []
    ) -> ApplyResult {
      ApplyResult(
        token: tokenPlan.name, outcome: outcome, added: outcome == .applied ? added : [], message: message,
        editor: tokenPlan.editor, before: before, after: after, warnings: warnings)
    }
    guard let target = desired.token(named: tokenPlan.name), let editorName = tokenPlan.editor else {
      return result(.failed, "the plan names no editor for \(tokenPlan.name)")
    }
    let editorToken = editorName == "self" ? target : desired.token(named: editorName)
    guard let editorToken, let credential = credentials[editorToken.name] else {
      return result(
        .failed,
        "the secret of editor \(editorName) is not available; set \(desired.token(named: editorName)?.secretVariable ?? "its variable")"
      )
    }
    let family = TokenFamily(owner: target.owner)
    // The read every write is built from: taken now, through the editor, not from a list read earlier.
    let current: APIToken
    do {
      current = try await client.token(target.id, in: family, as: credential)
    } catch {
      return result(.failed, "could not read \(target.name) before writing: \(error.message)")
    }
    // Results keep their grants until the apply is recorded: interned, 10,000 of them stay small.
    let read = LiveToken(current)
    let before = read.sortedGrants
    func allow(_ grant: PlannedGrant) -> LiveGrant {
      LiveGrant(effect: .allow, group: grant.group, resource: grant.resource)
    }
    let changes = tokenPlan.read.map { $0.changes(to: read.readState) } ?? []
    func effective(_ grant: PlannedGrant) -> EffectivePermissions.Verdict {
      EffectivePermissions.evaluate(group: grant.group, resource: grant.resource, in: before)
    }
    var additions = tokenPlan.add.filter {
      if case .effective = effective($0) { return false }
      return true
    }
    if additions.isEmpty {
      return result(.alreadyPresent, "the permissions are already there", before: before, after: before)
    }
    if !changes.isEmpty {
      let what = changes.map(\.description).joined(separator: ", ")
      switch onChange {
      case .refuse:
        return result(
          .stale, "\(target.name) changed after the plan was made (\(what)); nothing written: run plan again",
          before: before)
      case .replan:
        guard read.status == .active else {
          return result(
            .stale,
            "\(target.name) is \(read.status.rawValue) now (changed after the plan was made: \(what)); left as it is, nothing written",
            before: before)
        }
        warnings.append(
          "\(target.name) changed after the plan was made (\(what)); planned again on the fresh read, the change kept")
        let revoked = tokenPlan.satisfied.filter {
          if case .effective = effective($0) { return false }
          return true
        }
        if !revoked.isEmpty {
          let names = revoked.map { "\($0.groupName) on \($0.resourceName)" }.joined(separator: ", ")
          warnings.append("\(target.name): \(names) removed since the plan was made; not restored without a new plan")
        }
      }
    }
    // A deny added since the plan covers the grant: an allow beside it would do nothing, and add-only never removes it.
    let denied = additions.filter {
      if case .denied = effective($0) { return true }
      return false
    }
    if !denied.isEmpty {
      additions.removeAll { denied.contains($0) }
      let names = denied.map { "\($0.groupName) on \($0.resourceName)" }.joined(separator: ", ")
      warnings.append("\(target.name): a deny policy now covers \(names); not added")
      if additions.isEmpty {
        return result(
          .failed, "every planned permission is now covered by a deny policy; nothing written", before: before)
      }
    }
    guard let policies = Self.policies(adding: additions, to: current) else {
      return result(.failed, "cannot write a user grant: the token's user tag is unknown (it holds no user grant yet)")
    }
    let update = APITokenUpdate(echoing: current, policies: policies)
    var writeError: CloudflareError?
    do {
      _ = try await client.updateToken(target.id, in: family, update, as: credential)
    } catch {
      writeError = error
    }
    // Verify by reading again, whatever the write answered.
    let after: APIToken
    do {
      after = try await client.token(target.id, in: family, as: credential)
    } catch {
      let outcome = writeError.map { "the write failed (\($0.message)) and" } ?? "the write succeeded but"
      return result(
        .failed, "\(outcome) \(target.name) could not be read back (\(error.message)); run apply again to converge",
        before: before)
    }
    let afterToken = LiveToken(after)
    let afterGrants = afterToken.grants
    if !Set(before).isSubset(of: afterGrants) {
      let lost = Set(before).subtracting(afterGrants).sorted().map { "\($0.group) on \($0.resource)" }.joined(
        separator: ", ")
      return result(
        .lost, "GRANTS LOST on \(target.name): \(lost); the before-image is in the result so a person can restore it",
        before: before, after: afterGrants.sorted())
    }
    // Anything but the grants that differs from what was sent is someone else's edit, made after the write: kept.
    let later = read.readState.changes(to: afterToken.readState).filter {
      switch $0 {
      case .grants, .modified: return false
      default: return true
      }
    }
    if !later.isEmpty {
      warnings.append(
        "\(target.name) was changed by someone else right after the write (\(later.map(\.description).joined(separator: ", "))); kept"
      )
    }
    let wanted = Set(additions.map(allow))
    if wanted.isSubset(of: afterGrants) {
      let note = writeError.map { " (the write answered \($0.message), but reading back shows it took effect)" } ?? ""
      return result(
        .applied, "added \(plural(additions.count, "permission"))" + note, added: additions, before: before,
        after: afterGrants.sorted())
    }
    // Refused for lack of a permission: running apply again changes nothing until a person does something.
    if let writeError, case .missingPermission = writeError {
      var why = writeError.message
      if case .account(let account) = family, editorToken.owner == .user {
        why =
          "\(editorToken.name)'s user must be Super Administrator of account \(target.ownerName.split(separator: " ").last.map(String.init) ?? account.short), and \(editorToken.name) must hold Account API Tokens Write there (Cloudflare answered: \(writeError.message))"
      }
      return result(
        .failed, "\(editorToken.name) may not write \(target.name): \(why); this will fail again until that is changed",
        before: before, after: afterGrants.sorted())
    }
    return result(
      .failed,
      "the write did not take effect: \(writeError?.message ?? "the additions are missing after the write"); run apply again",
      before: before, after: afterGrants.sorted())
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
      if let index = policies.firstIndex(where: {
        Effect(api: $0.effect) == .allow && $0.resources.canonical == resources.canonical
      }) {
        let existing = Set(policies[index].permissionGroups.map(\.id))
        policies[index].permissionGroups += groups.filter { !existing.contains($0) }.map {
          APIPermissionGroupRef(id: $0)
        }
      } else {
        policies.append(
          APIPolicy(
            effect: Effect.allow.rawValue, permissionGroups: groups.map { APIPermissionGroupRef(id: $0) },
            resources: resources))
      }
    }
    return policies
  }
}
