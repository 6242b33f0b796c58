import Foundation
import CloudflareAPI
import TokenModel

/// What happened to one token.
public struct ApplyResult: Sendable, Hashable {
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
  /// After, kept only when it is not simply `before` plus `added` (so 10,000 results stay small).
  private var afterIfDifferent: [LiveGrant]?

  public var after: [LiveGrant] {
    get {
      if let afterIfDifferent { return afterIfDifferent }
      if before.isEmpty { return [] }
      return Set(before).union(added.map { LiveGrant(effect: "allow", group: $0.group, resource: $0.resource) }).sorted()
    }
    set {
      let derived = Set(before).union(added.map { LiveGrant(effect: "allow", group: $0.group, resource: $0.resource) })
      afterIfDifferent = !before.isEmpty && Set(newValue) == derived ? nil : newValue
    }
  }

  init(
    token: String, outcome: Outcome, added: [PlannedGrant], message: String, editor: String?, before: [LiveGrant],
    after: [LiveGrant]
  ) {
    self.token = token
    self.outcome = outcome
    self.added = added
    self.message = message
    self.editor = editor
    self.before = before
    self.after = after
  }
}

/// Applies a plan through the chosen editors: read fresh (one list pass per editor and family, right before the
/// writes), check each token's fingerprint, PUT everything read plus the additions, read again and check that nothing
/// was lost. Tokens are independent and applied concurrently within the client's limit. A write that failed or timed out is never repeated
/// blindly: the token is read first, and if the additions are there the write took effect.
public struct Applier: Sendable {
  public let client: CloudflareClient
  public let credentials: [String: Credential]

  public init(client: CloudflareClient, credentials: [String: Credential]) {
    self.client = client
    self.credentials = credentials
  }

  public func apply(_ plan: Plan, desired: DesiredState, progress: @escaping @Sendable (String) -> Void = { _ in }) async
    -> [ApplyResult]
  {
    let changed = plan.tokens.filter(\.hasChanges)
    // Fresh reads for every token, by list (50 a request) with each editor, right before the writes.
    var pairs: Set<String> = []
    var lists: [(editor: String, family: TokenFamily, key: String, expected: Int)] = []
    // The plan's tokens of each family are there to list: their pages are asked for at once.
    var expected: [String: Int] = [:]
    for tokenPlan in plan.tokens { expected[tokenPlan.family, default: 0] += 1 }
    for tokenPlan in changed {
      guard let editor = editorToken(for: tokenPlan, desired: desired), let target = desired.token(named: tokenPlan.name) else { continue }
      let family = TokenFamily(owner: target.owner)
      let key = editor.name + " " + tokenPlan.family
      if pairs.insert(key).inserted { lists.append((editor.name, family, key, expected[tokenPlan.family] ?? 0)) }
    }
    let client = self.client
    let credentials = self.credentials
    // Only the tokens to change are kept from each list, filtered page by page as each arrives, as compact JSON
    // (a tenth of the decoded record's memory: 10,000 of them wait for their turn), and each is let go once its
    // task has it.
    let wanted = Set(changed.map(\.id))
    var fresh = await withTaskGroup(of: (String, [String: Data]).self) { group in
      for list in lists {
        guard let credential = credentials[list.editor] else { continue }
        group.addTask {
          let kept = try? await client.listTokens(list.family, as: credential, expected: list.expected) {
            token -> (String, Data)? in
            guard wanted.contains(token.id) else { return nil }
            var json: [UInt8] = []
            token.write(json: &json)
            return (token.id, Data(json))
          }
          let tokens = (kept ?? []).compactMap { $0 }
          return (list.key, Dictionary(tokens, uniquingKeysWith: { first, _ in first }))
        }
      }
      var all: [String: [String: Data]] = [:]
      for await (key, tokens) in group { all[key] = tokens }
      return all
    }
    // Tokens are independent: apply them concurrently, a bounded number at a time (the client bounds requests in
    // flight; starting every token's task at once would only hold memory).
    let width = max(1, client.configuration.concurrency * 2)
    return await withTaskGroup(of: (Int, ApplyResult).self) { group in
      var results: [(Int, ApplyResult)] = []
      for (index, tokenPlan) in changed.enumerated() {
        if index >= width, let finished = await group.next() { results.append(finished) }
        let editorName = editorToken(for: tokenPlan, desired: desired)?.name ?? ""
        // A record that does not read back is simply read again by GET.
        let read = fresh[editorName + " " + tokenPlan.family]?.removeValue(forKey: tokenPlan.id).flatMap {
          try? APIToken(json: JSONReader.parse($0), path: "result")
        }
        group.addTask {
          progress(tokenPlan.name)
          return (index, await self.apply(tokenPlan, desired: desired, freshRead: read))
        }
      }
      for await result in group { results.append(result) }
      return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  func editorToken(for tokenPlan: TokenPlan, desired: DesiredState) -> DesiredToken? {
    guard let name = tokenPlan.editor else { return nil }
    return name == "self" ? desired.token(named: tokenPlan.name) : desired.token(named: name)
  }

  func apply(_ tokenPlan: TokenPlan, desired: DesiredState, freshRead: APIToken? = nil) async -> ApplyResult {
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
    if let freshRead {
      current = freshRead
    } else {
      do {
        current = try await client.token(target.id, in: family, as: credential)
      } catch {
        return result(.failed, "could not read \(target.name) before writing: \(error.message)")
      }
    }
    // Results keep their grants until the apply is recorded: interned, 10,000 of them stay small.
    let read = LiveToken(current)
    let before = read.grants
    let wanted = Set(tokenPlan.add.map { LiveGrant(effect: "allow", group: $0.group, resource: $0.resource) })
    if wanted.isSubset(of: before) {
      return result(.alreadyPresent, "the permissions are already there", before: before.sorted(), after: before.sorted())
    }
    if let fingerprint = tokenPlan.fingerprint, read.fingerprint != fingerprint {
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
    let afterGrants = LiveToken(after).grants
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
