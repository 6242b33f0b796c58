import Foundation
import Reconciler

/// What a heal did for one token: the seed's `POST /tokens/heal` result fields, then ours.
public struct HealResult: Sendable, Hashable, Encodable {
  public let name: String
  public let tokenType: String
  public let tokenID: String
  public let success: Bool
  public let permissionsAdded: [String]
  public let permissionsAlreadyPresent: [String]
  /// As the seed's service said it: "Successfully added 2 missing permissions", or why the token was not healed.
  public let message: String
  /// What happened, in TokenWarden's words ("added through user_token", "all required permissions already present").
  public let detail: String
  public let healer: String?
  /// The applier's outcome: `applied`, `already-present`, `stale`, `failed`, `lost`, or `skipped` (nothing to add).
  public let outcome: String

  enum CodingKeys: String, CodingKey {
    case name, success, message, detail, healer, outcome
    case tokenType = "token_type"
    case tokenID = "token_id"
    case permissionsAdded = "permissions_added"
    case permissionsAlreadyPresent = "permissions_already_present"
  }
}

/// Health, heal, health again: what `POST /tokens/heal` answers, with the reports before and after.
public struct HealReport: Sendable, Hashable {
  public let success: Bool
  public let timestamp: String
  public let message: String
  /// In policy order.
  public let results: [HealResult]
  public let before: HealthReport
  public let after: HealthReport

  /// The heal without the reports: what a health report carries after an automatic heal.
  public struct Summary: Sendable, Hashable, Encodable {
    public let success: Bool
    public let message: String
    public let results: [HealResult]

    enum CodingKeys: String, CodingKey { case success, message, results }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(success, forKey: .success)
      try container.encode(message, forKey: .message)
      try container.encode(Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) }), forKey: .results)
    }
  }

  public var summary: Summary { Summary(success: success, message: message, results: results) }

  /// Puts the plan, the applier's results and both reports together. `success` when nothing failed and every token
  /// that had something to add got it.
  public init(plan: Plan, results: [ApplyResult], before: HealthReport, after: HealthReport) {
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
            healer: result.editor, outcome: result.outcome.rawValue))
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
            message: blocked ? message : Self.addedMessage(0), detail: message, healer: nil, outcome: "skipped"))
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
