import Basics
import Reconciler

/// What an apply did, for people: a line per token (✓ applied or already there, ✗ not applied, ‼ grants lost), its
/// editor and the applier's words, then one summary line. Warnings the applier raised go to stderr, apart.
package struct ApplyRenderer: Sendable {
  package let style: TextStyle

  package init(style: TextStyle) { self.style = style }

  package func line(_ result: ApplyResult) -> String {
    let mark: String
    switch result.outcome {
    case .applied, .alreadyPresent: mark = style.green("✓")
    case .stale, .failed: mark = style.red("✗")
    case .lost: mark = style.red("‼")
    }
    let via = result.editor.map { " via \($0)" } ?? ""
    return "\(mark) \(result.token)\(via): \(result.message)\n"
  }

  package func warnings(_ result: ApplyResult) -> String {
    result.warnings.map { "Warning: \($0)\n" }.joined()
  }

  package static func failed(_ results: [ApplyResult]) -> Int {
    results.filter { ![.applied, .alreadyPresent].contains($0.outcome) }.count
  }

  /// `Apply complete! 2 permissions added across 1 token.` or `Apply failed: …` — scripts may parse this.
  package func summary(_ results: [ApplyResult]) -> String {
    let written = results.filter { [.applied, .alreadyPresent].contains($0.outcome) }
    let added = written.reduce(0) { $0 + $1.added.count }
    let tokens = written.filter { !$0.added.isEmpty }.count
    let failed = Self.failed(results)
    if failed == 0 {
      return "\n" + style.green("Apply complete!")
        + " \(plural(added, "permission")) added across \(plural(tokens, "token")).\n"
    }
    return "\n" + style.red("Apply failed:")
      + " \(plural(failed, "token")) not applied; \(plural(added, "permission")) added. Run plan again, then apply.\n"
  }
}
