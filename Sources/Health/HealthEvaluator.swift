import Basics
import CloudflareAPI
import Foundation
import LiveState
import Planning
import Reconciler
import TokenModel

/// What a token's own verify call said.
package enum Verification: Sendable, Hashable {
  case verified(APITokenVerification)
  /// Cloudflare rejects the token (code 1000): deleted, rolled, revoked or never valid.
  case invalid(String)
  /// Cloudflare could not be asked: the network, a 5xx, the rate limit.
  case failed(String)
  /// The token's secret is not available to this run: "CLOUDFLARE_USER_TOKEN is not set".
  case noSecret(String)
}

/// What the history knew of a token before this check.
package struct PreviousCheck: Sendable, Hashable {
  package var time: Date
  package var grantsHash: String?
  package var conditions: [Condition]

  package init(time: Date, grantsHash: String?, conditions: [Condition]) {
    self.time = time
    self.grantsHash = grantsHash
    self.conditions = conditions
  }
}

/// Health as a pure function of the plan, what was read, each token's verify answer, the last check and a clock.
///
/// Score (0–100, documented in the README): 0 for a token that is invalid, inactive or not checkable; otherwise 100
/// minus 40 × missing/required (at least 10 when any is missing), 20 when some cannot be healed, 50 when the grants
/// could not be read, 20 when expiring within the warning window, 10 when changed elsewhere, 5 when due for rotation,
/// 5 when holding permissions the policy does not require. The overall score is the mean; the overall state the worst.
package enum HealthEvaluator {
  /// Default warning window when the policy sets none.
  package static let defaultWarnBeforeSeconds = 7 * 86_400
  /// Tokens issued longer ago than this are due for rotation.
  package static let rotationDays = 90

  package struct Input: Sendable {
    package var desired: DesiredState
    package var plan: Plan
    package var observation: Observation
    package var verifications: [String: Verification]
    package var previous: [String: PreviousCheck]
    package var now: Date
    package var baseURL: URL
    /// What follows a command printed as advice, so that it runs as printed: " --sandbox policies/".
    package var adviceArguments = ""

    package init(
      desired: DesiredState, plan: Plan, observation: Observation, verifications: [String: Verification],
      previous: [String: PreviousCheck], now: Date, baseURL: URL
    ) {
      self.desired = desired
      self.plan = plan
      self.observation = observation
      self.verifications = verifications
      self.previous = previous
      self.now = now
      self.baseURL = baseURL
    }
  }

  package static func evaluate(_ input: Input) -> HealthReport {
    let plans = Dictionary(input.plan.tokens.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    var tokens: [TokenHealth] = []
    for token in input.desired.tokens {
      guard let plan = plans[token.name] else { continue }
      tokens.append(evaluate(token, plan: plan, input: input))
    }
    let overall = tokens.map(\.health).max() ?? .healthy
    let score = tokens.isEmpty ? 100 : tokens.map(\.score).reduce(0, +) / tokens.count
    var recommendations: [Recommendation] = []
    if overall == .healthy {
      recommendations.append(
        Recommendation(level: .ok, token: nil, message: "All tokens are healthy and have required permissions."))
    }
    recommendations += tokens.flatMap(\.recommendations)
    return HealthReport(
      timestamp: CloudflareDate.format(input.now), overallStatus: overall, overallScore: score,
      source: input.plan.source, tokens: tokens, recommendations: recommendations)
  }

  static func evaluate(_ token: DesiredToken, plan: TokenPlan, input: Input) -> TokenHealth {
    let now = input.now
    let timestamp = CloudflareDate.format(now)
    let live: LiveToken? = {
      if case .read(let live)? = input.observation.tokens[token.name] { return live }
      return nil
    }()
    let family = TokenFamily(owner: token.owner)
    let previous = input.previous[token.name]
    var conditions: [Condition] = []
    func condition(_ type: ConditionType, _ status: Condition.Status, _ reason: ConditionReason, _ message: String) {
      let earlier = previous?.conditions.first { $0.type == type && $0.status == status }
      conditions.append(
        Condition(
          type: type, status: status, reason: reason, message: message,
          lastTransitionTime: earlier?.lastTransitionTime ?? timestamp))
    }
    var recommendations: [Recommendation] = []
    func recommend(_ level: Recommendation.Level, _ message: String) {
      recommendations.append(Recommendation(level: level, token: token.name, message: message))
    }

    // Valid and Active, from the token's own verify call (the list read gives status when verify could not).
    var isValid: Bool?
    var status = live?.status.rawValue
    var expiresOn = live?.expiresOn
    var notBefore = live?.notBefore
    var error: String?
    switch input.verifications[token.name] {
    case .verified(let verification)? where verification.id.lowercased() != token.id.rawValue:
      // Verify answers for whichever token the secret belongs to: the wrong secret in the variable reads as valid.
      let other = HexID(verification.id.lowercased())?.short ?? verification.id
      isValid = false
      condition(
        .valid, .false, .secretOfAnotherToken,
        "the secret in \(token.secretVariable) belongs to token \(other), not to \(token.name) (\(token.id.short))")
      recommend(
        .error,
        "\(token.secretVariable) holds the secret of token \(other), not of \(token.name) (\(token.id.short)): put \(token.name)'s value in it"
      )
    case .verified(let verification)?:
      isValid = true
      status = verification.status.rawValue
      expiresOn = verification.expiresOn ?? expiresOn
      notBefore = verification.notBefore ?? notBefore
      condition(.valid, .true, .verified, "Cloudflare accepts the token (\(family.tokensPath)/verify)")
    case .invalid(let why)?:
      isValid = false
      condition(.valid, .false, .invalidToken, why)
      recommend(
        .error,
        "\(token.name) is not valid: Cloudflare rejects it (deleted, rolled or revoked); create a new token and update \(token.secretVariable)"
      )
    case .noSecret(let why)?:
      error = why
      condition(.valid, .unknown, .noSecret, why)
      recommend(.error, "\(token.name) cannot be checked: \(why); export it so the check can verify the token")
    case .failed(let why)?:
      error = "could not be verified: \(why)"
      condition(.valid, .unknown, .verifyFailed, why)
      recommend(.error, "\(token.name) could not be verified: \(why)")
    case nil:
      error = "was not verified"
      condition(.valid, .unknown, .notChecked, "the token was not verified")
    }

    let expires = expiresOn.flatMap(CloudflareDate.parse)
    let expired = expires.map { $0 <= now } ?? false
    let notYet = notBefore.flatMap(CloudflareDate.parse).map { $0 > now } ?? false
    var isActive: Bool?
    if let status {
      isActive = status == "active" && !expired && !notYet
      if expired {
        condition(.active, .false, .expired, "the token expired on \(expiresOn ?? "?")")
        recommend(
          .error, "\(token.name) expired on \(expiresOn ?? "?"): create a new token and update \(token.secretVariable)")
      } else if notYet {
        condition(.active, .false, .notYetValid, "the token is valid only from \(notBefore ?? "?")")
        recommend(.warning, "\(token.name) is not valid before \(notBefore ?? "?")")
      } else if status == "active" {
        condition(.active, .true, .active, "status is active")
      } else {
        condition(.active, .false, .status(status), "status is \(status)")
        if status.hasPrefix("revoked") {
          // Cloudflare revokes a token whose value was exposed; it cannot be enabled again.
          recommend(
            .error,
            "\(token.name) was revoked by Cloudflare (\(status)): create a new token, put its value in \(token.secretVariable) and its id in the policy"
          )
        } else {
          recommend(
            .error,
            "\(token.name) is \(status): re-enable it in the dashboard, or replace it and update \(token.secretVariable)"
          )
        }
      }
    } else {
      condition(.active, .unknown, .notChecked, "the token's status could not be read")
    }

    // ExpiringSoon, against the policy's warning window.
    let window = token.warnBeforeSeconds ?? defaultWarnBeforeSeconds
    let daysLeft = expires.map { max(0, Int($0.timeIntervalSince(now) / 86_400)) }
    var expiringSoon = false
    if let expires, !expired {
      let days = daysLeft ?? 0
      let when = days == 1 ? "in 1 day" : "in \(days) days"
      if expires.timeIntervalSince(now) <= Double(window) {
        expiringSoon = true
        condition(
          .expiringSoon, .true, .withinWarningWindow,
          "expires \(when) (\(expiresOn ?? "")), within its warning window of \(window / 86_400) days")
        recommend(.warning, "\(token.name) expires \(when): rotate it")
      } else {
        condition(.expiringSoon, .false, .outsideWarningWindow, "expires \(when) (\(expiresOn ?? ""))")
      }
    } else if expired {
      condition(.expiringSoon, .true, .expired, "expired on \(expiresOn ?? "?")")
    } else {
      condition(.expiringSoon, .false, .noExpiry, "the token never expires")
    }

    // PermissionsSatisfied, from the plan.
    let permissionsKnown = plan.readError == nil
    var missing: [MissingGrant] = []
    if permissionsKnown {
      missing += plan.add.map {
        MissingGrant(permissionGroup: $0.groupName, resource: $0.resourceName, healable: true, reason: nil)
      }
      missing += plan.blocked.map {
        MissingGrant(
          permissionGroup: $0.grant.groupName, resource: $0.grant.resourceName, healable: false, reason: $0.reason)
      }
    }
    let required = token.grants.count
    let names = missing.map(\.permissionGroup)
    let listed =
      names.count <= 4
      ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    if !permissionsKnown {
      let why = plan.remediation ?? plan.readError ?? "the token could not be read"
      condition(
        .permissionsSatisfied, .unknown, .notRead, "the token's grants could not be read: \(plan.readError ?? "")")
      recommend(.error, "\(token.name) could not be read, so its permissions are unknown: \(why)")
    } else if missing.isEmpty {
      condition(
        .permissionsSatisfied, .true, .allPresent,
        required == 1 ? "the required permission is present" : "all \(required) required permissions are present")
    } else if plan.blocked.isEmpty {
      let them = missing.count == 1 ? "it" : "them"
      condition(
        .permissionsSatisfied, .false, .missingHealable,
        "\(missing.count) of \(required) required permissions missing (\(listed)); \(plan.editor.map { "\($0) can add \(them)" } ?? "\(missing.count == 1 ? "it" : "they") can be added")"
      )
      let via = plan.editor.map { $0 == token.name ? " (the token edits itself)" : " via \($0)" } ?? ""
      recommend(
        .warning,
        "\(token.name) is missing \(plural(missing.count, "permission")) (\(listed)): run 'tokenwarden heal\(input.adviceArguments)' to add \(them)\(via)"
      )
    } else if let denied = plan.blocked.first(where: { $0.kind == .deniedByPolicy }) {
      // A deny on the token takes the permission away: no heal can add it, only a person removing the deny.
      condition(
        .permissionsSatisfied, .false, .deniedByPolicy,
        "\(missing.count) of \(required) required permissions missing (\(listed)); '\(denied.grant.groupName)' on \(denied.grant.resourceName) is \(denied.reason)"
      )
      recommend(
        .error, "\(token.name) cannot use '\(denied.grant.groupName)' on \(denied.grant.resourceName): \(denied.reason)"
      )
    } else {
      let why =
        plan.remediation ?? plan.blocked.first?.reason
        ?? (missing.count == 1 ? "no token can add it" : "no token can add them")
      condition(
        .permissionsSatisfied, .false, .missingBlocked,
        "\(missing.count) of \(required) required permissions missing (\(listed)); \(plan.blocked.count) cannot be added: \(why)"
      )
      recommend(.error, "\(token.name) is missing \(plural(missing.count, "permission")) that cannot be added: \(why)")
    }

    // Drifted: the grants changed since TokenWarden last saw them, without a TokenWarden apply.
    let grantsHash = live?.grantsHash
    var drifted = false
    if grantsHash == nil {
      condition(.drifted, .unknown, .notRead, "the token's grants could not be read")
    } else if let before = previous?.grantsHash, let previous {
      if before != grantsHash {
        drifted = true
        let since = CloudflareDate.format(previous.time)
        condition(.drifted, .true, .changedElsewhere, "the grants changed since TokenWarden last saw them at \(since)")
        recommend(.warning, "\(token.name) was changed outside TokenWarden since \(since): review the change")
      } else {
        condition(.drifted, .false, .unchanged, "the grants are as TokenWarden last saw them")
      }
    } else {
      condition(.drifted, .false, .noEarlierRecord, "no earlier check to compare with")
    }

    // Advice that does not change the state. A token that no longer works needs replacing, which is said above.
    var rotationDue = false
    if isActive != false, let issued = live?.issuedOn.flatMap(CloudflareDate.parse) {
      let age = Int(now.timeIntervalSince(issued) / 86_400)
      if age > rotationDays {
        rotationDue = true
        recommend(
          .rotate, "\(token.name) was issued \(age) days ago: rotate it (every \(rotationDays) days is recommended)")
      }
    }
    let extra = plan.extra.map { ($0.effect == .deny ? "deny " : "") + "\($0.groupName) on \($0.resourceName)" }
    if !extra.isEmpty {
      recommend(
        .review,
        "\(token.name) holds \(plural(extra.count, "permission")) the policy does not require: review for least privilege"
      )
    }

    var health = HealthState.healthy
    if isValid != true || isActive != true || !permissionsKnown || !plan.blocked.isEmpty {
      health = .unhealthy
    } else if !missing.isEmpty || expiringSoon {
      health = .degraded
    }
    var score = 0
    if isValid == true && isActive == true {
      score = 100
      if required > 0 && !missing.isEmpty { score -= max(10, 40 * missing.count / required) }
      if !plan.blocked.isEmpty { score -= 20 }
      if !permissionsKnown { score -= 50 }
      if expiringSoon { score -= 20 }
      if drifted { score -= 10 }
      if rotationDue { score -= 5 }
      if !extra.isEmpty { score -= 5 }
      score = min(100, max(0, score))
    }
    return TokenHealth(
      name: token.name, tokenType: token.owner == .user ? "user" : "account", tokenID: token.id.rawValue,
      owner: token.ownerName, isValid: isValid, isActive: isActive, status: status, expiresOn: expiresOn,
      notBefore: notBefore, daysUntilExpiry: daysLeft, missingGrants: missing,
      hasAllPermissions: permissionsKnown && missing.isEmpty, extraPermissions: extra,
      verificationURL: verificationURL(input.baseURL, family), health: health, score: score,
      healer: plan.add.isEmpty ? nil : plan.editor, conditions: conditions, recommendations: recommendations,
      error: error, grantsHash: grantsHash)
  }

  static func verificationURL(_ base: URL, _ family: TokenFamily) -> String {
    var text = base.absoluteString
    while text.hasSuffix("/") { text.removeLast() }
    return text + family.tokensPath + "/verify"
  }

}
