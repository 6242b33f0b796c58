import CloudflareAPI
import LiveState
import Planning
import TokenModel

/// Who creates, rolls and expires a token's tokens: its healer when it holds the family's write permission (API
/// Tokens Write on its user, Account API Tokens Write on the account), else the first policy token that does.
package enum RotationEditor {
  package static func choose(
    for token: DesiredToken, desired: DesiredState, observation: Observation, credentials: [String: Credential]
  ) -> Credential? {
    let family = TokenFamily(owner: token.owner)
    let (group, resource) =
      switch family {
      case .user: (Planner.apiTokensWrite, "user")
      case .account(let account): (Planner.accountAPITokensWrite, "account:\(account)")
      }
    func can(_ name: String) -> Bool {
      guard credentials[name] != nil, case .read(let live)? = observation.tokens[name],
        let candidate = desired.token(named: name)
      else { return false }
      if case .account(let own) = candidate.owner, family != .account(own) { return false }
      return EffectivePermissions.holds(group: group, on: resource, in: live.sortedGrants)
    }
    let preferred: [String] =
      switch token.healer {
      case .token(let name): [name]
      case .selfEdit: [token.name]
      case .automatic: []
      }
    let candidates = preferred + desired.tokens.map(\.name).filter { !preferred.contains($0) }
    return candidates.first(where: can).flatMap { credentials[$0] }
  }

  /// Tokens a running service needs the values of to do its work (observers, healers, sink tokens, and any token that
  /// may edit tokens): it does not roll those on schedule.
  package static func neededByTheService(_ desired: DesiredState, observation: Observation) -> Set<String> {
    var needed = Set(desired.observers.values)
    for token in desired.tokens {
      if case .token(let healer) = token.healer { needed.insert(healer) }
      if let sinkToken = token.rotation?.sinkToken { needed.insert(sinkToken) }
      if case .read(let live)? = observation.tokens[token.name],
        live.sortedGrants.contains(where: {
          $0.group == Planner.apiTokensWrite || $0.group == Planner.accountAPITokensWrite
        })
      {
        needed.insert(token.name)
      }
    }
    return needed
  }
}
