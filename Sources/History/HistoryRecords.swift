import Foundation

/// One health check: the overall result and each token's. Conditions are kept as the JSON the health module wrote.
package struct CheckRecord: Sendable, Hashable, Codable {
  package var id: Int64?
  package var time: Date
  /// `healthy`, `degraded` or `unhealthy`.
  package var overall: String
  package var score: Int
  /// Where the tokens were read from: "Cloudflare (https://…)" or "the sandbox (scenario seed)".
  package var source: String
  package var healAttempted: Bool
  /// `success`, `partial`, `failed`, or nil when no heal was attempted.
  package var healResult: String?
  package var tokens: [TokenCheck]

  package init(
    id: Int64? = nil, time: Date, overall: String, score: Int, source: String, healAttempted: Bool = false,
    healResult: String? = nil, tokens: [TokenCheck]
  ) {
    self.id = id
    self.time = time
    self.overall = overall
    self.score = score
    self.source = source
    self.healAttempted = healAttempted
    self.healResult = healResult
    self.tokens = tokens
  }
}

/// One token in a health check.
package struct TokenCheck: Sendable, Hashable, Codable {
  package var name: String
  package var tokenID: String
  /// `user` or `account`.
  package var tokenType: String
  /// nil when it could not be known (no secret, Cloudflare unreachable).
  package var isValid: Bool?
  package var isActive: Bool?
  package var status: String?
  package var state: String
  package var score: Int
  /// Missing permissions, in words ("Workers Scripts Write on account main").
  package var missing: [String]
  package var expiresOn: String?
  /// A hash of the live grants, to notice changes made elsewhere; nil when they could not be read.
  package var grantsHash: String?
  /// The token's conditions as JSON.
  package var conditions: String
  package var healAttempted: Bool
  package var healResult: String?
  /// When Cloudflare last saw the token used, as it said at this check.
  package var lastUsedOn: String?

  package init(
    name: String, tokenID: String, tokenType: String, isValid: Bool?, isActive: Bool?, status: String?, state: String,
    score: Int, missing: [String], expiresOn: String?, grantsHash: String?, conditions: String,
    healAttempted: Bool = false, healResult: String? = nil, lastUsedOn: String? = nil
  ) {
    self.lastUsedOn = lastUsedOn
    self.name = name
    self.tokenID = tokenID
    self.tokenType = tokenType
    self.isValid = isValid
    self.isActive = isActive
    self.status = status
    self.state = state
    self.score = score
    self.missing = missing
    self.expiresOn = expiresOn
    self.grantsHash = grantsHash
    self.conditions = conditions
    self.healAttempted = healAttempted
    self.healResult = healResult
  }
}

/// A plan or an apply: the audit trail of the reconciler.
package struct RunRecord: Sendable, Hashable, Codable {
  package var id: Int64?
  package var time: Date
  /// `plan` or `apply`.
  package var kind: String
  package var planDigest: String
  package var source: String
  /// For a plan: `changes`, `no-changes` or `blocked`; for an apply: `applied` or `failed`.
  package var result: String
  package var tokens: [RunToken]

  package init(
    id: Int64? = nil, time: Date, kind: String, planDigest: String, source: String, result: String, tokens: [RunToken]
  ) {
    self.id = id
    self.time = time
    self.kind = kind
    self.planDigest = planDigest
    self.source = source
    self.result = result
    self.tokens = tokens
  }
}

/// One token of a plan or an apply: grants as "effect group-id resource" lines.
package struct RunToken: Sendable, Hashable, Codable {
  package var name: String
  package var editor: String?
  package var outcome: RunOutcome
  package var message: String
  package var before: [String]
  package var added: [String]
  package var after: [String]
  /// The hash of the grants after the apply, as health checks compute it.
  package var afterHash: String?

  package init(
    name: String, editor: String?, outcome: RunOutcome, message: String, before: [String], added: [String],
    after: [String], afterHash: String? = nil
  ) {
    self.name = name
    self.editor = editor
    self.outcome = outcome
    self.message = message
    self.before = before
    self.added = added
    self.after = after
    self.afterHash = afterHash
  }
}

/// A telemetry event, like the seed's `token_health_check`: a type and JSON metadata.
package struct EventRecord: Sendable, Hashable, Codable {
  package var id: Int64?
  package var time: Date
  package var type: String
  package var metadata: String

  package init(id: Int64? = nil, time: Date, type: String, metadata: String) {
    self.id = id
    self.time = time
    self.type = type
    self.metadata = metadata
  }
}

/// What the history last knew of a token: for conditions' transition times and for noticing out-of-band edits.
package struct LastKnown: Sendable, Hashable {
  package var time: Date
  package var grantsHash: String?
  /// The conditions of the last check, when the last thing known came from a check.
  package var conditions: String?
}

/// What a run did to one token, as stored: a plan's `add`, `none` or `blocked`, or an apply's outcome (`applied`,
/// `already-present`, `stale`, `failed`, `lost`). A value this version does not know (a newer one wrote it) is kept
/// as read.
package struct RunOutcome: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
  package let rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }

  /// A plan would add to the token.
  package static let add = RunOutcome(rawValue: "add")
  /// A plan had nothing to do for the token.
  package static let none = RunOutcome(rawValue: "none")
  /// A plan could not add what the token lacks.
  package static let blocked = RunOutcome(rawValue: "blocked")

  package var description: String { rawValue }
}
