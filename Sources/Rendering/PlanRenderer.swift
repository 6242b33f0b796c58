import Basics
import LiveState
import Planning
import Reconciler
import TokenModel

/// The plan for people: Terraform's layout at the level of grants, with one stable summary line.
package struct PlanRenderer: Sendable {
  package let style: TextStyle
  /// `show`: under each addition, the permission group's id and the resources exactly as the write sends them, and
  /// where the plan will be applied.
  package let exact: Bool

  package init(style: TextStyle, exact: Bool = false) {
    self.style = style
    self.exact = exact
  }

  /// `Plan: 2 permissions to add across 1 token, 0 blocked. 1 token unchanged.` — scripts may parse this.
  package static func summary(_ plan: Plan) -> String {
    if !plan.hasChanges && plan.blockedCount == 0 {
      return "No changes. Every token has the permissions the policy requires."
    }
    return "Plan: \(plural(plan.toAdd, "permission")) to add across \(plural(plan.changedTokens, "token")), "
      + "\(plan.blockedCount) blocked. \(plural(plan.unchangedTokens, "token")) unchanged."
  }

  static func grantText(_ grant: PlannedGrant) -> String { "\"\(grant.groupName)\" on \(grant.resourceName)" }

  package func render(_ document: PlanDocument) -> String {
    var text = ""
    render(document) { text += $0 }
    return text
  }

  /// The plan in pieces, a token's block at a time, as it is made (a plan of 10,000 tokens is megabytes of text).
  package func render(_ document: PlanDocument, into write: (String) -> Void) {
    renderBody(document.plan, into: write)
    write(footer(document))
  }

  /// Everything above the digest, which needs only the plan: written while the digest is computed.
  package func renderBody(_ plan: Plan, into write: (String) -> Void) {
    var out = ""
    let hasExtra = plan.tokens.contains { !$0.extra.isEmpty }
    if plan.hasChanges || plan.blockedCount > 0 || hasExtra {
      out +=
        "TokenWarden read \(plan.tokens.count) token\(plan.tokens.count == 1 ? "" : "s") from \(plan.source). Symbols:\n"
      if plan.hasChanges { out += "  " + style.yellow("~") + " token to update in place\n" }
      if plan.tokens.contains(where: { !$0.hasChanges && (!$0.extra.isEmpty || !$0.blocked.isEmpty) }) {
        out += "  = token left as it is, shown for the lines under it\n"
      }
      if plan.hasChanges { out += "  " + style.green("+") + " permission to add\n" }
      if hasExtra { out += "  " + style.yellow("!") + " live permission not in the policy (kept, never removed)\n" }
      if plan.blockedCount > 0 { out += "  " + style.red("×") + " required permission that cannot be applied\n" }
      out += "\n"
    }
    for token in plan.tokens where token.hasChanges || !token.blocked.isEmpty || !token.extra.isEmpty {
      out += block(token)
      if out.utf8.count >= 1 << 16 {
        write(out)
        out = ""
      }
    }
    for due in plan.rotationsDue ?? [] {
      out +=
        style.cyan("↻")
        + " rotate \(due.token): issued \(due.ageDays) days ago, every \(PolicyDuration.text(due.every))\n"
    }
    if !(plan.rotationsDue ?? []).isEmpty { out += "\n" }
    out += style.bold(Self.summary(plan)) + "\n"
    write(out)
  }

  /// What follows the body: with `exact`, where the plan applies and who made it; the digest.
  package func footer(_ document: PlanDocument) -> String {
    let plan = document.plan
    var out = ""
    if exact {
      if let target = plan.target { out += "Target: \(target)\n" }
      if !plan.accounts.isEmpty { out += "Accounts touched: \(plan.accounts.joined(separator: ", "))\n" }
      out += "Policy: \(plan.policyFiles.joined(separator: " ")) (\(plan.policyDigest))\n"
      out += "Made by TokenWarden \(plan.toolVersion)\(document.signature == nil ? ", unsigned" : ", signed")\n"
    }
    out += style.dim("Plan digest: \(document.digest)") + "\n"
    return out
  }

  func block(_ token: TokenPlan) -> String {
    let short = String(token.id.prefix(4)) + "…" + String(token.id.suffix(4))
    var out = ""
    let heading: String
    if token.hasChanges {
      let via = token.editor.map { $0 == "self" ? ", editing itself" : ", via \($0)" } ?? ""
      heading = "will be updated in-place\(via)"
    } else if !token.blocked.isEmpty {
      heading = "is blocked"
    } else {
      heading = "has permissions the policy does not require"
    }
    out += style.bold("  # token \"\(token.name)\" (\(short)) \(heading)") + "\n"
    out += "  " + (token.hasChanges ? style.yellow("~") : "=") + " token \"\(token.name)\" {\n"
    for grant in token.add {
      out += "      " + style.green("+ " + Self.grantText(grant)) + "\n"
      if exact {
        // The name in the file is free text; the id is what is written. Say so when they disagree.
        let known = HexID(grant.group).flatMap { PermissionCatalog.bundled.group(id: $0)?.name }
        let warning = known.map { $0 == grant.groupName ? "" : " — the catalog calls this group '\($0)'" } ?? ""
        out +=
          "          " + style.dim("group \(grant.group) on \(LiveGrant.apiResourceText(for: grant.resource))")
          + style.red(warning) + "\n"
      }
    }
    if exact && token.hasChanges {
      let editor = token.editor.map { $0 == "self" ? "the token itself" : $0 } ?? "no editor"
      out += "        " + style.dim("# writes \(token.family.tokensPath)/\(token.id) as \(editor)") + "\n"
    }
    for grant in token.extra {
      let deny = grant.effect == .deny ? " (deny)" : ""
      out += "      " + style.yellow("! " + Self.grantText(grant) + deny) + "\n"
    }
    // A reason shared by consecutive grants is said once, after them.
    for (index, blocked) in token.blocked.enumerated() {
      out += "      " + style.red("× " + Self.grantText(blocked.grant)) + "\n"
      let next = index + 1 < token.blocked.count ? token.blocked[index + 1].reason : nil
      if next != blocked.reason { out += "          " + style.dim(blocked.reason) + "\n" }
    }
    if !token.satisfied.isEmpty {
      let n = token.satisfied.count
      out += "        " + style.dim("# (\(n) unchanged permission\(n == 1 ? "" : "s") hidden)") + "\n"
    }
    out += "    }\n"
    if let remediation = token.remediation { out += "    " + style.red("To fix:") + " " + remediation + "\n" }
    if let error = token.readError { out += "    " + style.red("Not read:") + " " + error + "\n" }
    return out + "\n"
  }
}
