import LiveState
import TokenModel

/// Why a saved plan may not be applied as it stands: everything in it that the policy read now does not ask for.
///
/// The plan file is only as trustworthy as whoever could write it (a CI artifact, a file on a shared disk). Its digest
/// shows accidents, not forgeries: anyone editing the file can compute it again. So `apply FILE` takes from the plan
/// only what the reviewed policy requires anyway — exact permission-group id, exact resource, the token's id and
/// family, an editor the policy allows — and a forged plan can grant nothing more.
package enum PlanAuthorisation {
  /// What the plan asks for that the policy does not (the message catalogue says it in words).
  package enum Refusal: Sendable, Hashable {
    case unknownToken(String)
    case otherID(token: String, plan: String, policy: String)
    case otherFamily(token: String, plan: TokenFamily, policy: TokenFamily)
    case notRequired(token: String, group: String, groupName: String, resource: String)
    case editorNotAllowed(token: String, editor: String)
  }

  /// Every addition and editor of `plan` that `desired` does not call for; empty when the plan may be applied.
  package static func refusals(_ plan: Plan, desired: DesiredState) -> [Refusal] {
    var refusals: [Refusal] = []
    for tokenPlan in plan.tokens where tokenPlan.hasChanges {
      guard let token = desired.token(named: tokenPlan.name) else {
        refusals.append(.unknownToken(tokenPlan.name))
        continue
      }
      if token.id.rawValue != tokenPlan.id {
        refusals.append(.otherID(token: token.name, plan: tokenPlan.id, policy: token.id.rawValue))
      }
      let family = Planner.family(of: token.owner)
      if family != tokenPlan.family {
        refusals.append(.otherFamily(token: token.name, plan: tokenPlan.family, policy: family))
      }
      let required = Set(
        token.grants.map { GrantKey(group: $0.group.rawValue, resource: LiveGrant.key(for: $0.resource)) })
      for grant in tokenPlan.add
      where grant.effect != .allow || !required.contains(GrantKey(group: grant.group, resource: grant.resource)) {
        refusals.append(
          .notRequired(token: token.name, group: grant.group, groupName: grant.groupName, resource: grant.resource))
      }
      if let editor = tokenPlan.editor, !allows(token, editor: editor, in: desired) {
        refusals.append(.editorNotAllowed(token: token.name, editor: editor))
      }
    }
    return refusals
  }

  static func allows(_ token: DesiredToken, editor: String, in desired: DesiredState) -> Bool {
    switch token.healer {
    case .token(let name): return editor == name
    case .selfEdit: return editor == "self"
    case .automatic: return editor != "self" && desired.token(named: editor) != nil
    }
  }

  struct GrantKey: Hashable {
    let group: String
    let resource: String
  }
}
