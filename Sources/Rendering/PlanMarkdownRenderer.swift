import Reconciler

/// The plan as one pull-request comment: a title with the summary line, the plan in a ```diff fence (markers in
/// column 0 so GitHub colours them: `+` add, `!` kept extra, `-` blocked), folded in `<details>` when long, and the
/// digest. Kept under GitHub's 65,536-character limit by summarising per token when the full plan would not fit.
public enum PlanMarkdownRenderer {
  public static let commentLimit = 65_536

  public static func render(_ document: PlanDocument) -> String {
    let full = render(document, detailed: true)
    return full.count < commentLimit - 1_000 ? full : render(document, detailed: false)
  }

  static func render(_ document: PlanDocument, detailed: Bool) -> String {
    let plan = document.plan
    var lines: [String] = []
    for token in plan.tokens where token.hasChanges || !token.blocked.isEmpty || !token.extra.isEmpty {
      let short = String(token.id.prefix(4)) + "…" + String(token.id.suffix(4))
      let via = token.editor.map { $0 == "self" ? ", editing itself" : ", via \($0)" } ?? ""
      let what = token.hasChanges ? "will be updated in-place\(via)" : token.blocked.isEmpty ? "has permissions the policy does not require" : "is blocked"
      lines.append("# token \"\(token.name)\" (\(short)) \(what)")
      if detailed {
        lines.append("! token \"\(token.name)\" {")
        lines += token.add.map { "+     " + PlanRenderer.grantText($0) }
        lines += token.extra.map { "!     " + PlanRenderer.grantText($0) + ($0.effect == "deny" ? " (deny)" : "") }
        for blocked in token.blocked { lines.append("-     " + PlanRenderer.grantText(blocked.grant) + " — " + blocked.reason) }
        if !token.satisfied.isEmpty { lines.append("      # (\(token.satisfied.count) unchanged hidden)") }
        lines.append("  }")
      } else {
        lines.append("+ \(token.add.count) to add, ! \(token.extra.count) extra kept, - \(token.blocked.count) blocked")
      }
      if let remediation = token.remediation { lines.append("# To fix: " + remediation) }
    }
    var out = "### TokenWarden: " + PlanRenderer.summary(plan) + "\n\n"
    if !lines.isEmpty {
      let fence = "```diff\n" + lines.joined(separator: "\n") + "\n```\n"
      out += lines.count > 12 ? "<details><summary>Show the plan (\(lines.count) lines)</summary>\n\n" + fence + "\n</details>\n" : fence
      if !detailed { out += "\nThe full plan is too long for one comment; run `tokenwarden show` on the plan artifact.\n" }
      out += "\n"
    }
    out += "Plan digest: `\(document.digest)` — read from \(plan.source)\n"
    return out
  }

  /// GitHub Actions annotations: one per blocked token (errors) and a notice with the summary.
  public static func annotations(_ document: PlanDocument) -> String {
    var out = ""
    for token in document.plan.tokens where !token.blocked.isEmpty {
      let why = token.remediation ?? token.blocked.first?.reason ?? ""
      out += "::error title=TokenWarden%3A token blocked::" + DiagnosticRenderer.escapeData("\(token.name): \(token.blocked.count) permissions cannot be applied. \(why)") + "\n"
    }
    out += "::notice title=TokenWarden plan::" + DiagnosticRenderer.escapeData(PlanRenderer.summary(document.plan) + " " + document.digest) + "\n"
    return out
  }
}
