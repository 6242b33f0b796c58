import Foundation
import Planning
import Reconciler

/// What a heal did for one token: the seed's `POST /tokens/heal` result fields, then ours.
package struct HealResult: Sendable, Hashable, Encodable {
  package let name: String
  package let tokenType: String
  package let tokenID: String
  package let success: Bool
  package let permissionsAdded: [String]
  package let permissionsAlreadyPresent: [String]
  /// As the seed's service said it: "Successfully added 2 missing permissions", or why the token was not healed.
  package let message: String
  /// What happened, in TokenWarden's words ("added through user_token", "all required permissions already present").
  package let detail: String
  package let healer: String?
  package let outcome: HealOutcome

  enum CodingKeys: String, CodingKey {
    case name, success, message, detail, healer, outcome
    case tokenType = "token_type"
    case tokenID = "token_id"
    case permissionsAdded = "permissions_added"
    case permissionsAlreadyPresent = "permissions_already_present"
  }
}

/// What became of a token in a heal: the applier's outcome, or skipped (nothing to add, or blocked). In JSON as its
/// raw value.
package enum HealOutcome: String, Sendable, Hashable, Encodable {
  case applied
  case alreadyPresent = "already-present"
  case stale
  case failed
  case lost
  case skipped

  package init(_ outcome: ApplyResult.Outcome) {
    switch outcome {
    case .applied: self = .applied
    case .alreadyPresent: self = .alreadyPresent
    case .stale: self = .stale
    case .failed: self = .failed
    case .lost: self = .lost
    }
  }
}

/// Health, heal, health again: what `POST /tokens/heal` answers, with the reports before and after.
package struct HealReport: Sendable, Hashable {
  package let success: Bool
  package let timestamp: String
  package let message: String
  /// In policy order.
  package let results: [HealResult]
  package let before: HealthReport
  package let after: HealthReport

  /// The heal without the reports: what a health report carries after an automatic heal.
  package struct Summary: Sendable, Hashable, Encodable {
    package let success: Bool
    package let message: String
    package let results: [HealResult]

    enum CodingKeys: String, CodingKey { case success, message, results }

    package func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(success, forKey: .success)
      try container.encode(message, forKey: .message)
      try container.encode(Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) }), forKey: .results)
    }
  }

  package var summary: Summary { Summary(success: success, message: message, results: results) }

  /// Puts the plan, the applier's results and both reports together. `success` when nothing failed and every token
  /// that had something to add got it.
  package init(plan: Plan, results: [ApplyResult], before: HealthReport, after: HealthReport) {
    let byName = Dictionary(results.map { ($0.token, $0) }, uniquingKeysWith: { first, _ in first })
    var healResults: [HealResult] = []
    for token in plan.tokens {
      let health = before.token(named: token.name)
      let present = token.satisfied.map(\.groupName)
      if let result = byName[token.name] {
        let ok = result.outcome == .applied || result.outcome == .alreadyPresent
        let added = result.added.map(\.groupName)
        healResults.append(
          HealResult(
            name: token.name, tokenType: health?.tokenType ?? "", tokenID: token.id, success: ok,
            permissionsAdded: added, permissionsAlreadyPresent: present,
            message: ok ? Self.addedMessage(added.count) : result.message, detail: result.message,
            healer: result.editor, outcome: HealOutcome(result.outcome)))
      } else {
        let blocked = !token.blocked.isEmpty || token.readError != nil
        let message =
          blocked
          ? "not healed: " + (token.remediation ?? token.blocked.first?.reason ?? token.readError ?? "blocked")
          : "all required permissions already present"
        healResults.append(
          HealResult(
            name: token.name, tokenType: health?.tokenType ?? "", tokenID: token.id, success: !blocked,
            permissionsAdded: [], permissionsAlreadyPresent: present,
            message: blocked ? message : Self.addedMessage(0), detail: message, healer: nil, outcome: .skipped))
      }
    }
    let added = healResults.reduce(0) { $0 + $1.permissionsAdded.count }
    let failed = healResults.filter { !$0.success }.count
    self.success = failed == 0
    self.timestamp = after.timestamp
    self.results = healResults
    self.before = before
    self.after = after
    let permissions = added == 1 ? "1 permission" : "\(added) permissions"
    let tokens = healResults.count == 1 ? "1 token" : "\(healResults.count) tokens"
    self.message =
      failed == 0
      ? "Successfully healed all tokens: " + (added == 0 ? "nothing was missing." : "\(permissions) added.")
      : "Heal incomplete: \(failed) of \(tokens) not healed; \(permissions) added."
  }

  /// The seed's words for a token healed: "Successfully added 2 missing permissions".
  static func addedMessage(_ count: Int) -> String {
    "Successfully added \(count) missing permission" + (count == 1 ? "" : "s")
  }
}
