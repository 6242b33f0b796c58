import TokenModel

/// What was read of one token, and by whom.
package enum ObservedToken: Sendable {
  case read(LiveToken)
  case unreadable(String)
}

/// Everything the planner needs from Cloudflare, gathered by `Observer`.
package struct Observation: Sendable {
  /// By policy token name.
  package var tokens: [String: ObservedToken] = [:]
  /// Which policy tokens could list which families (`user`, `account:ID`), and why not when they could not.
  package var visibility: [String: [TokenFamily: Result<Set<String>, ObservationFailure>]] = [:]
  /// Tokens whose secret is not available to this run, with the reason.
  package var missingSecrets: [String: String] = [:]
  /// Editors whose view of a family was worked out from what an observer read: they may be planned through without
  /// their secret (a pull-request job has only the observer's); the apply that writes through them needs it.
  package var inferredEditors: Set<String> = []

  package init() {}
}

package struct ObservationFailure: Error, Sendable, Hashable {
  package let message: String
  /// Every token that could edit the target would be refused by Cloudflare's common permission check.
  package let refusedByPermissionCheck: Bool
  package init(_ message: String, refusedByPermissionCheck: Bool = false) {
    self.message = message
    self.refusedByPermissionCheck = refusedByPermissionCheck
  }
}
