import Foundation

/// One health check: the overall result and each token's. Conditions are kept as the JSON the health module wrote.
public struct CheckRecord: Sendable, Hashable, Codable {
  public var id: Int64?
  public var time: Date
  /// `healthy`, `degraded` or `unhealthy`.
  public var overall: String
  public var score: Int
  /// Where the tokens were read from: "Cloudflare (https://…)" or "the sandbox (scenario seed)".
  public var source: String
  public var healAttempted: Bool
  /// `success`, `partial`, `failed`, or nil when no heal was attempted.
  public var healResult: String?
  public var tokens: [TokenCheck]

  public init(
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
public struct TokenCheck: Sendable, Hashable, Codable {
  public var name: String
  public var tokenID: String
  /// `user` or `account`.
  public var tokenType: String
  /// nil when it could not be known (no secret, Cloudflare unreachable).
  public var isValid: Bool?
  public var isActive: Bool?
  public var status: String?
  public var state: String
  public var score: Int
  /// Missing permissions, in words ("Workers Scripts Write on account main").
  public var missing: [String]
  public var expiresOn: String?
  /// A hash of the live grants, to notice changes made elsewhere; nil when they could not be read.
  public var grantsHash: String?
  /// The token's conditions as JSON.
  public var conditions: String
  public var healAttempted: Bool
  public var healResult: String?

  public init(
    name: String, tokenID: String, tokenType: String, isValid: Bool?, isActive: Bool?, status: String?, state: String,
    score: Int, missing: [String], expiresOn: String?, grantsHash: String?, conditions: String,
    healAttempted: Bool = false, healResult: String? = nil
  ) {
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
public struct RunRecord: Sendable, Hashable, Codable {
  public var id: Int64?
  public var time: Date
  /// `plan` or `apply`.
  public var kind: String
  public var planDigest: String
  public var source: String
  /// For a plan: `changes`, `no-changes` or `blocked`; for an apply: `applied` or `failed`.
  public var result: String
  public var tokens: [RunToken]

  public init(
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
public struct RunToken: Sendable, Hashable, Codable {
  public var name: String
  public var editor: String?
  /// For a plan: `add`, `none` or `blocked`; for an apply: the applier's outcome.
  public var outcome: String
  public var message: String
  public var before: [String]
  public var added: [String]
  public var after: [String]
  /// The hash of the grants after the apply, as health checks compute it.
  public var afterHash: String?

  public init(
    name: String, editor: String?, outcome: String, message: String, before: [String], added: [String],
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
public struct EventRecord: Sendable, Hashable, Codable {
  public var id: Int64?
  public var time: Date
  public var type: String
  public var metadata: String

  public init(id: Int64? = nil, time: Date, type: String, metadata: String) {
    self.id = id
    self.time = time
    self.type = type
    self.metadata = metadata
  }
}

/// What the history last knew of a token: for conditions' transition times and for noticing out-of-band edits.
public struct LastKnown: Sendable, Hashable {
  public var time: Date
  public var grantsHash: String?
  /// The conditions of the last check, when the last thing known came from a check.
  public var conditions: String?
}
