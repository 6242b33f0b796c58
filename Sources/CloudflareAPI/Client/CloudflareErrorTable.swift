/// Cloudflare's answers that TokenWarden tells apart, one row each: what the answer means and what a person can do
/// about it. The client classifies failures by this table, and every message and remedy comes from it, so one place
/// holds what an error code means.
package enum CloudflareErrorTable {
  /// Which `CloudflareError` a row makes.
  package enum Kind: Sendable {
    case invalidToken, missingPermission, locationDenied, validation, notFound, rateLimited, server, unexpected
  }

  /// How a row recognises an answer.
  package enum Match: Sendable {
    /// An error code in the body; with a phrase, only when a message of that code contains it (lowercased).
    case code(Int, phrase: String? = nil)
    /// An HTTP status range, whatever the body says.
    case status(ClosedRange<Int>)
  }

  package struct Row: Sendable {
    package let match: Match
    package let kind: Kind
    /// What it means, in a few words: "the token lacks the permission this endpoint needs".
    package let meaning: String
    let remedyFor: @Sendable (APICall) -> String

    package func remedy(for call: APICall) -> String { remedyFor(call) }

    func matches(status: Int, errors: [APIMessage]) -> Bool {
      switch match {
      case .code(let code, let phrase):
        errors.contains { $0.code == code && (phrase.map($0.message.lowercased().contains) ?? true) }
      case .status(let range): range.contains(status)
      }
    }
  }

  static func row(
    _ match: Match, _ kind: Kind, _ meaning: String, remedy: @escaping @Sendable (APICall) -> String
  ) -> Row { Row(match: match, kind: kind, meaning: meaning, remedyFor: remedy) }

  static func row(_ match: Match, _ kind: Kind, _ meaning: String, remedy: String) -> Row {
    Row(match: match, kind: kind, meaning: meaning, remedyFor: { _ in remedy })
  }

  static let tokensPermission: @Sendable (APICall) -> String = { call in
    call.path.hasPrefix("/accounts/")
      ? "give the token 'Account API Tokens Read' (to read) or 'Account API Tokens Write' (to edit) on that account"
      : "give the token 'API Tokens Read' (to read) or 'API Tokens Write' (to edit) on its user"
  }

  static let header =
    "Cloudflare refused the Authorization header: check that the token's variable holds only the token value (no 'Bearer ', quotes, spaces or line breaks)"

  /// In the order they are tried: the first row that matches an answer describes it.
  package static let rows: [Row] = [
    row(
      .status(429...429), .rateLimited, "rate limited by Cloudflare",
      remedy:
        "try again after that (Cloudflare allows 1,200 requests per 5 minutes per user), or let TokenWarden wait longer with --max-wait SECONDS"
    ),
    row(
      .code(1000), .invalidToken,
      "Cloudflare does not accept this token (code 1000: invalid, revoked, expired or not yet valid)",
      remedy:
        "check that the environment variable holds the current value of this token; an account-owned token must be verified under its account"
    ),
    row(
      .code(9109, phrase: "location"), .locationDenied, "the token's IP restriction refuses this machine",
      remedy: "run from an address the token's IP condition allows, or widen the condition"),
    row(
      .code(9109), .missingPermission, "the token lacks the permission this endpoint needs", remedy: tokensPermission),
    row(
      .code(10000), .missingPermission, "the token lacks the permission this endpoint needs", remedy: tokensPermission),
    row(.status(500...599), .server, "Cloudflare had a problem", remedy: "Cloudflare had a problem; try again later"),
    row(.code(9106), .validation, "no credentials reached Cloudflare", remedy: header),
    row(.code(6003), .validation, "Cloudflare refused the request headers", remedy: header),
    row(.code(6103), .validation, "Cloudflare refused the request headers", remedy: header),
    // 7003 also answers a token id that does not exist ("Could not route to …"): that one is "not found".
    row(
      .code(7003, phrase: "no route for the uri"), .validation, "no such API endpoint",
      remedy: "check that CLOUDFLARE_API_BASE_URL is Cloudflare's API root, ending in /client/v4"),
    row(
      .code(1001, phrase: "quota"), .validation, "Cloudflare's quota of API tokens is reached",
      remedy:
        "delete tokens no longer used (Cloudflare allows 50 user-owned tokens per user and 500 account-owned tokens per account; Enterprise customers can ask for more)"
    ),
    row(
      .code(1001, phrase: "account owned tokens"), .validation, "this endpoint does not take account-owned tokens",
      remedy: "read it with a user-owned token"),
    row(
      .code(1001), .validation, "Cloudflare's permission check refused the write",
      remedy:
        "an account-owned editor must itself hold every zone permission it grants; give it that permission, or heal through a user-owned token"
    ),
    row(
      .status(404...404), .notFound, "not found",
      remedy: "check the token id, and that it is read through its owner (user or account)"),
    row(
      .status(400...400), .validation, "Cloudflare refused the request",
      remedy: "the message above names the field; fix the policy or the token"),
    row(
      .status(401...403), .missingPermission, "the token lacks the permission this endpoint needs",
      remedy: tokensPermission),
  ]

  /// The row that describes an answer, if any does.
  package static func row(status: Int, errors: [APIMessage]) -> Row? {
    rows.first { $0.matches(status: status, errors: errors) }
  }

  /// Remedies for what no row covers: no answer at all, or an answer that is not Cloudflare's.
  static let transport =
    "check the network and CLOUDFLARE_API_BASE_URL; after a failed write, read the token again before retrying"
  static let malformed =
    "check CLOUDFLARE_API_BASE_URL points at Cloudflare's API; run with --debug to see the exchange"
  /// An HTML page instead of the API's JSON: Cloudflare's edge (a firewall rule, an outage page) or a proxy answered.
  static let edgePage =
    "an HTML page came from Cloudflare's edge or a proxy, not from the API: check CLOUDFLARE_API_BASE_URL and any proxy or firewall between this machine and Cloudflare, or try again later; run with --debug to see the page"
  static let unexpected = "run with --debug to see the exchange"
}
