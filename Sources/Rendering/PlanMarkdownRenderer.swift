import Basics
import Planning
import Reconciler
import TokenModel

/// The plan as one pull-request comment: a title with the summary line, then one collapsible `<details>` block per
/// token listing every permission to add, blocked (with why) and kept, in a ```diff fence (markers in column 0 so
/// GitHub colours them: `+` add, `!` kept extra, `-` blocked), and the digest. Reviewers see exactly which
/// permissions change, whatever the plan's size; past GitHub's 65,536-character limit the comment stops with how
/// many tokens and permissions are left out and where the full plan is.
package enum PlanMarkdownRenderer {
  package static let commentLimit = 65_536

  package static func render(_ document: PlanDocument) -> String { render(document, limit: commentLimit) }

  static func render(_ document: PlanDocument, limit: Int) -> String {
    let plan = document.plan
    let head = "### TokenWarden: " + PlanRenderer.summary(plan) + "\n\n"
    let tail = "Plan digest: `\(document.digest)` — read from \(escape(plan.source))\n"
    // Room for the notice of what was left out.
    let room = limit - head.count - tail.count - 400
    var blocks = ""
    let shown = plan.tokens.filter { $0.hasChanges || !$0.blocked.isEmpty || !$0.extra.isEmpty }
    var leftTokens = 0
    var leftPermissions = 0
    for token in shown {
      let block = self.block(token)
      if leftTokens > 0 || blocks.count + block.count > room {
        leftTokens += 1
        leftPermissions += token.add.count + token.blocked.count
        continue
      }
      blocks += block
    }
    var out = head + blocks
    if leftTokens > 0 {
      out +=
        "\n…\(plural(leftTokens, "more token")) (\(plural(leftPermissions, "permission")) to add or blocked) not shown here: "
        + "the comment would pass GitHub's limit; see the full plan in the job log, or `tokenwarden show` on the plan artifact.\n"
    }
    return out + (blocks.isEmpty ? "" : "\n") + tail
  }

  /// One token: the summary names it and counts, the fence lists every line (compact: a comment holds hundreds).
  static func block(_ token: TokenPlan) -> String {
    let short = String(token.id.prefix(4)) + "…" + String(token.id.suffix(4))
    let via = token.editor.map { $0 == "self" ? " (editing itself)" : " via \($0)" } ?? ""
    let what = token.hasChanges ? "update\(via)" : token.blocked.isEmpty ? "kept as it is" : "blocked"
    var counts: [String] = []
    if !token.add.isEmpty { counts.append("+\(token.add.count)") }
    if !token.blocked.isEmpty { counts.append("\(token.blocked.count) blocked") }
    if !token.extra.isEmpty { counts.append("\(token.extra.count) kept") }
    var lines = token.add.map { "+ " + PlanRenderer.grantText($0) }
    for blocked in token.blocked { lines.append("- " + PlanRenderer.grantText(blocked.grant) + " — " + blocked.reason) }
    lines += token.extra.map { "! " + PlanRenderer.grantText($0) + ($0.effect == .deny ? " (deny)" : "") }
    if let remediation = token.remediation { lines.append("# To fix: " + remediation) }
    let summary = "<code>\(escape(token.name))</code> (\(short)): \(escape(what)) — \(counts.joined(separator: ", "))"
    // A line of three backticks inside would end the fence early.
    let fence = lines.joined(separator: "\n").replacingOccurrences(of: "```", with: "ʼʼʼ")
    return "<details><summary>\(summary)</summary>\n\n```diff\n\(fence)\n```\n</details>\n"
  }

  /// Text placed in HTML (`<summary>`): markup characters as entities.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }

  /// GitHub Actions annotations: one per blocked token (errors) and a notice with the summary.
  package static func annotations(_ document: PlanDocument) -> String {
    var out = ""
    for token in document.plan.tokens where !token.blocked.isEmpty {
      let why = token.remediation ?? token.blocked.first?.reason ?? ""
      out +=
        "::error title=TokenWarden%3A token blocked::"
        + DiagnosticRenderer.escapeData(
          "\(token.name): \(plural(token.blocked.count, "permission")) cannot be applied. \(why)") + "\n"
    }
    out +=
      "::notice title=TokenWarden plan::"
      + DiagnosticRenderer.escapeData(PlanRenderer.summary(document.plan) + " " + document.digest) + "\n"
    return out
  }
}
