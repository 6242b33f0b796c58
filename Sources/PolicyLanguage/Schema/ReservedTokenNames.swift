/// Names a token cannot have: the keys the service's JSON documents (`GET /tokens/health`, `status`, `heal` and
/// `history`) put in `data` beside the tokens' objects, which are keyed by the tokens' names. A token named like one
/// would be hidden by it.
package enum ReservedTokenNames {
  package static let all: Set<String> = [
    "timestamp", "overall_health", "recommendations", "auto_heal_attempted", "auto_heal_results",
    "overall_status", "overall_score", "source", "tokens", "heal", "before",
    "checked_at", "age_seconds", "stale", "last_error", "history", "count", "limit",
  ]
}
