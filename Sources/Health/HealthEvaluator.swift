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
/// Score (0–100, documented in docs/service.md): 0 for a token that is invalid, inactive or not checkable; otherwise 100
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
    /// The same for `rotate`, which names its policy files with `--policy`: " --sandbox --policy policies/".
    package var rotateAdviceArguments = ""
    /// The next scheduled check, when a service runs them.
    package var nextCheck: Date?

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

  /// One token: each condition from its own evaluator, in the order reports show them, then the state and score.
  static func evaluate(_ token: DesiredToken, plan: TokenPlan, input: Input) -> TokenHealth {
    let live: LiveToken? = {
      if case .read(let live)? = input.observation.tokens[token.name] { return live }
      return nil
    }()
    let family = TokenFamily(owner: token.owner)
    var findings = Findings(
      token: token.name, previous: input.previous[token.name], timestamp: CloudflareDate.format(input.now))
    let validity = Self.validity(token, input.verifications[token.name], live: live, family: family, &findings)
    let activity = Self.activity(token, validity, now: input.now, &findings)
    let expiry = Self.expiry(
      token, validity, activity, now: input.now, nextCheck: input.nextCheck, advice: input.rotateAdviceArguments,
      &findings)
    let permissions = Self.permissions(token, plan: plan, adviceArguments: input.adviceArguments, &findings)
    let drifted = Self.drift(live: live, previous: input.previous[token.name], &findings)
    let rotationDue = Self.rotation(
      token, live: live, isActive: activity.isActive, now: input.now, advice: input.rotateAdviceArguments, &findings)
    let extra = Self.extra(token, plan: plan, &findings)
    Self.usage(token, live: live, isActive: activity.isActive, now: input.now, &findings)
    Self.hardening(token, live: live, isActive: activity.isActive, plan: plan, desired: input.desired, &findings)

    var health = HealthState.healthy
    if validity.isValid != true || activity.isActive != true || !permissions.known || !plan.blocked.isEmpty {
      health = .unhealthy
    } else if !permissions.missing.isEmpty || expiry.soon {
      health = .degraded
    }
    var score = 0
    if validity.isValid == true && activity.isActive == true {
      let required = token.grants.count
      score = 100
      if required > 0 && !permissions.missing.isEmpty { score -= max(10, 40 * permissions.missing.count / required) }
      if !plan.blocked.isEmpty { score -= 20 }
      if !permissions.known { score -= 50 }
      if expiry.soon { score -= 20 }
      if drifted { score -= 10 }
      if rotationDue { score -= 5 }
      if !extra.isEmpty { score -= 5 }
      score = min(100, max(0, score))
    }
    var result = TokenHealth(
      name: token.name, tokenType: token.owner == .user ? "user" : "account", tokenID: token.id.rawValue,
      owner: token.ownerName, isValid: validity.isValid, isActive: activity.isActive, status: validity.status,
      expiresOn: validity.expiresOn, notBefore: validity.notBefore, daysUntilExpiry: expiry.daysLeft,
      missingGrants: permissions.missing, hasAllPermissions: permissions.known && permissions.missing.isEmpty,
      extraPermissions: extra, verificationURL: verificationURL(input.baseURL, family), health: health, score: score,
      healer: plan.add.isEmpty ? nil : plan.editor, conditions: findings.conditions,
      recommendations: findings.recommendations, error: validity.error, grantsHash: live?.grantsHash)
    result.lastUsedOn = live?.lastUsedOn
    return result
  }

  /// What one token's evaluators find: conditions (keeping the transition time of an unchanged one from the last
  /// check) and recommendations, in the order they are found.
  struct Findings {
    let token: String
    let previous: PreviousCheck?
    let timestamp: String
    var conditions: [Condition] = []
    var recommendations: [Recommendation] = []

    mutating func condition(
      _ type: ConditionType, _ status: Condition.Status, _ reason: ConditionReason, _ message: String
    ) {
      let earlier = previous?.conditions.first { $0.type == type && $0.status == status }
      conditions.append(
        Condition(
          type: type, status: status, reason: reason, message: message,
          lastTransitionTime: earlier?.lastTransitionTime ?? timestamp))
    }

    mutating func recommend(_ level: Recommendation.Level, _ message: String) {
      recommendations.append(Recommendation(level: level, token: token, message: message))
    }
  }

  /// What the token's own verify call said, and the status and dates it gives (the list read's when verify could not).
  struct Validity {
    var isValid: Bool?
    var status: String?
    var expiresOn: String?
    var notBefore: String?
    var error: String?
  }

  /// `Valid`.
  static func validity(
    _ token: DesiredToken, _ verification: Verification?, live: LiveToken?, family: TokenFamily,
    _ findings: inout Findings
  ) -> Validity {
    var result = Validity(status: live?.status.rawValue, expiresOn: live?.expiresOn, notBefore: live?.notBefore)
    switch verification {
    case .verified(let verification)? where verification.id.lowercased() != token.id.rawValue:
      // Verify answers for whichever token the secret belongs to: the wrong secret in the variable reads as valid.
      let other = HexID(verification.id.lowercased())?.short ?? verification.id
      result.isValid = false
      findings.condition(
        .valid, .false, .secretOfAnotherToken,
        "the secret in \(token.secretVariable) belongs to token \(other), not to \(token.name) (\(token.id.short))")
      findings.recommend(
        .error,
        "\(token.secretVariable) holds the secret of token \(other), not of \(token.name) (\(token.id.short)): put \(token.name)'s value in it"
      )
    case .verified(let verification)?:
      result.isValid = true
      result.status = verification.status.rawValue
      result.expiresOn = verification.expiresOn ?? result.expiresOn
      result.notBefore = verification.notBefore ?? result.notBefore
      findings.condition(.valid, .true, .verified, "Cloudflare accepts the token (\(family.tokensPath)/verify)")
    case .invalid(let why)?:
      result.isValid = false
      findings.condition(.valid, .false, .invalidToken, why)
      findings.recommend(
        .error,
        "\(token.name) is not valid: Cloudflare rejects it (deleted, rolled or revoked); create a new token and update \(token.secretVariable)"
      )
    case .noSecret(let why)?:
      result.error = why
      findings.condition(.valid, .unknown, .noSecret, why)
      findings.recommend(.error, "\(token.name) cannot be checked: \(why); export it so the check can verify the token")
    case .failed(let why)?:
      result.error = "could not be verified: \(why)"
      findings.condition(.valid, .unknown, .verifyFailed, why)
      findings.recommend(.error, "\(token.name) could not be verified: \(why)")
    case nil:
      result.error = "was not verified"
      findings.condition(.valid, .unknown, .notChecked, "the token was not verified")
    }
    return result
  }

  struct Activity {
    var isActive: Bool?
    var expires: Date?
    var expired: Bool
  }

  /// `Active`: the status, and the dates between which the token works.
  static func activity(_ token: DesiredToken, _ validity: Validity, now: Date, _ findings: inout Findings) -> Activity {
    let expiresOn = validity.expiresOn
    let notBefore = validity.notBefore
    let expires = expiresOn.flatMap(CloudflareDate.parse)
    let expired = expires.map { $0 <= now } ?? false
    let notYet = notBefore.flatMap(CloudflareDate.parse).map { $0 > now } ?? false
    guard let status = validity.status else {
      findings.condition(.active, .unknown, .notChecked, "the token's status could not be read")
      return Activity(isActive: nil, expires: expires, expired: expired)
    }
    if expired {
      findings.condition(.active, .false, .expired, "the token expired on \(expiresOn ?? "?")")
      findings.recommend(
        .error, "\(token.name) expired on \(expiresOn ?? "?"): create a new token and update \(token.secretVariable)")
    } else if notYet {
      findings.condition(.active, .false, .notYetValid, "the token is valid only from \(notBefore ?? "?")")
      findings.recommend(.warning, "\(token.name) is not valid before \(notBefore ?? "?")")
    } else if status == TokenStatus.active.rawValue {
      findings.condition(.active, .true, .active, "status is active")
    } else {
      findings.condition(.active, .false, .status(status), "status is \(status)")
      if TokenStatus(status).isRevoked {
        // Cloudflare revokes a token whose value was exposed; it cannot be enabled again.
        findings.recommend(
          .error,
          "\(token.name) was revoked by Cloudflare (\(status)): create a new token, put its value in \(token.secretVariable) and its id in the policy"
        )
      } else {
        findings.recommend(
          .error,
          "\(token.name) is \(status): re-enable it in the dashboard, or replace it and update \(token.secretVariable)"
        )
      }
    }
    return Activity(
      isActive: status == TokenStatus.active.rawValue && !expired && !notYet, expires: expires, expired: expired)
  }

  /// `ExpiringSoon`, against the policy's warning window.
  static func expiry(
    _ token: DesiredToken, _ validity: Validity, _ activity: Activity, now: Date, nextCheck: Date? = nil,
    advice: String = "", _ findings: inout Findings
  ) -> (soon: Bool, daysLeft: Int?) {
    let expiresOn = validity.expiresOn
    let window = token.warnBeforeSeconds ?? defaultWarnBeforeSeconds
    let daysLeft = activity.expires.map { max(0, Int($0.timeIntervalSince(now) / 86_400)) }
    if let expires = activity.expires, !activity.expired {
      let days = daysLeft ?? 0
      let when = days == 1 ? "in 1 day" : "in \(days) days"
      guard expires.timeIntervalSince(now) <= Double(window) else {
        findings.condition(.expiringSoon, .false, .outsideWarningWindow, "expires \(when) (\(expiresOn ?? ""))")
        return (false, daysLeft)
      }
      findings.condition(
        .expiringSoon, .true, .withinWarningWindow,
        "expires \(when) (\(expiresOn ?? "")), within its warning window of \(window / 86_400) days")
      // Looking ahead: when the next scheduled check comes, and whether the policy says how to rotate it.
      var message = "\(token.name) expires \(when)"
      if let nextCheck {
        let hours = max(0, Int(nextCheck.timeIntervalSince(now) / 3600))
        message += "; next scheduled check in \(hours < 48 ? "\(hours) h" : "\(hours / 24) days")"
        if nextCheck >= expires { message += ", after it expires" }
      }
      message +=
        token.rotation == nil
        ? ": rotate it" : "; rotation due: run 'tokenwarden rotate\(advice) \(token.name)'"
      findings.recommend(.warning, message)
      return (true, daysLeft)
    } else if activity.expired {
      findings.condition(.expiringSoon, .true, .expired, "expired on \(expiresOn ?? "?")")
    } else {
      findings.condition(.expiringSoon, .false, .noExpiry, "the token never expires")
    }
    return (false, daysLeft)
  }

  /// `PermissionsSatisfied`, from the plan: what is missing, whether it can be added, and why not.
  static func permissions(
    _ token: DesiredToken, plan: TokenPlan, adviceArguments: String, _ findings: inout Findings
  ) -> (missing: [MissingGrant], known: Bool) {
    guard plan.readError == nil else {
      let why = plan.remediation ?? plan.readError ?? "the token could not be read"
      findings.condition(
        .permissionsSatisfied, .unknown, .notRead, "the token's grants could not be read: \(plan.readError ?? "")")
      findings.recommend(.error, "\(token.name) could not be read, so its permissions are unknown: \(why)")
      return ([], false)
    }
    let missing =
      plan.add.map {
        MissingGrant(permissionGroup: $0.groupName, resource: $0.resourceName, healable: true, reason: nil)
      }
      + plan.blocked.map {
        MissingGrant(
          permissionGroup: $0.grant.groupName, resource: $0.grant.resourceName, healable: false, reason: $0.reason)
      }
    let required = token.grants.count
    let names = missing.map(\.permissionGroup)
    let listed =
      names.count <= 4
      ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    if missing.isEmpty {
      findings.condition(
        .permissionsSatisfied, .true, .allPresent,
        required == 1 ? "the required permission is present" : "all \(required) required permissions are present")
    } else if plan.blocked.isEmpty {
      let them = missing.count == 1 ? "it" : "them"
      findings.condition(
        .permissionsSatisfied, .false, .missingHealable,
        "\(missing.count) of \(required) required permissions missing (\(listed)); \(plan.editor.map { "\($0) can add \(them)" } ?? "\(missing.count == 1 ? "it" : "they") can be added")"
      )
      let via = plan.editor.map { $0 == token.name ? " (the token edits itself)" : " via \($0)" } ?? ""
      findings.recommend(
        .warning,
        "\(token.name) is missing \(plural(missing.count, "permission")) (\(listed)): run 'tokenwarden heal\(adviceArguments)' to add \(them)\(via)"
      )
    } else if let denied = plan.blocked.first(where: { $0.kind == .deniedByPolicy }) {
      // A deny on the token takes the permission away: no heal can add it, only a person removing the deny.
      findings.condition(
        .permissionsSatisfied, .false, .deniedByPolicy,
        "\(missing.count) of \(required) required permissions missing (\(listed)); '\(denied.grant.groupName)' on \(denied.grant.resourceName) is \(denied.reason)"
      )
      findings.recommend(
        .error, "\(token.name) cannot use '\(denied.grant.groupName)' on \(denied.grant.resourceName): \(denied.reason)"
      )
    } else {
      let why =
        plan.remediation ?? plan.blocked.first?.reason
        ?? (missing.count == 1 ? "no token can add it" : "no token can add them")
      findings.condition(
        .permissionsSatisfied, .false, .missingBlocked,
        "\(missing.count) of \(required) required permissions missing (\(listed)); \(plan.blocked.count) cannot be added: \(why)"
      )
      findings.recommend(
        .error, "\(token.name) is missing \(plural(missing.count, "permission")) that cannot be added: \(why)")
    }
    return (missing, true)
  }

  /// `Drifted`: the grants changed since TokenWarden last saw them, without a TokenWarden apply.
  static func drift(live: LiveToken?, previous: PreviousCheck?, _ findings: inout Findings) -> Bool {
    guard let grantsHash = live?.grantsHash else {
      findings.condition(.drifted, .unknown, .notRead, "the token's grants could not be read")
      return false
    }
    guard let previous, let before = previous.grantsHash else {
      findings.condition(.drifted, .false, .noEarlierRecord, "no earlier check to compare with")
      return false
    }
    guard before != grantsHash else {
      findings.condition(.drifted, .false, .unchanged, "the grants are as TokenWarden last saw them")
      return false
    }
    let since = CloudflareDate.format(previous.time)
    findings.condition(
      .drifted, .true, .changedElsewhere, "the grants changed since TokenWarden last saw them at \(since)")
    findings.recommend(.warning, "\(findings.token) was changed outside TokenWarden since \(since): review the change")
    return true
  }

  /// Advice that does not change the state: a token due for rotation. A token that no longer works needs replacing,
  /// which `Valid` and `Active` say.
  static func rotation(
    _ token: DesiredToken, live: LiveToken?, isActive: Bool?, now: Date, advice: String = "",
    _ findings: inout Findings
  ) -> Bool {
    guard isActive != false, let issued = live?.issuedOn.flatMap(CloudflareDate.parse) else { return false }
    let age = Int(now.timeIntervalSince(issued) / 86_400)
    // The policy's `rotation.every` when it has one, and then the command that does it.
    if let every = token.rotation?.every {
      guard now.timeIntervalSince(issued) >= Double(every) else { return false }
      findings.recommend(
        .rotate,
        "\(token.name) was issued \(age) days ago, and rotates every \(PolicyDuration.text(every)): run 'tokenwarden rotate\(advice) \(token.name)'"
      )
      return true
    }
    guard age > rotationDays else { return false }
    findings.recommend(
      .rotate, "\(token.name) was issued \(age) days ago: rotate it (every \(rotationDays) days is recommended)")
    return true
  }

  /// Days unused before a token is reported (policy `unused_after:`).
  package static let unusedDays = 30

  /// `Unused`, advice that changes neither the state nor the score: when Cloudflare last saw the token used.
  static func usage(_ token: DesiredToken, live: LiveToken?, isActive: Bool?, now: Date, _ findings: inout Findings) {
    guard let live else {
      findings.condition(.unused, .unknown, .notRead, "the token could not be read")
      return
    }
    let threshold = token.unusedAfter ?? unusedDays * 86_400
    guard let used = live.lastUsedOn.flatMap(CloudflareDate.parse) else {
      findings.condition(.unused, .true, .neverUsed, "Cloudflare reports no use of the token")
      if isActive == true, let issued = live.issuedOn.flatMap(CloudflareDate.parse),
        now.timeIntervalSince(issued) > Double(threshold)
      {
        findings.recommend(
          .review, "\(token.name) has never been used: if nothing needs it, revoke it in the dashboard")
      }
      return
    }
    let days = max(0, Int(now.timeIntervalSince(used) / 86_400))
    let ago = days == 0 ? "today" : days == 1 ? "yesterday" : "\(days) days ago"
    if now.timeIntervalSince(used) > Double(threshold) {
      findings.condition(
        .unused, .true, .notUsedRecently, "last used \(ago), more than \(PolicyDuration.text(threshold)) ago")
      if isActive == true {
        findings.recommend(
          .review, "\(token.name) was last used \(ago): if nothing needs it any more, revoke it in the dashboard")
      }
    } else {
      findings.condition(.unused, .false, .recentlyUsed, "last used \(ago)")
    }
  }

  /// Advice that does not change the state: Cloudflare advises restricting tokens that can edit tokens (an IP
  /// condition, an expiry), and an observer's secret goes to pull-request jobs, so it should change nothing.
  static func hardening(
    _ token: DesiredToken, live: LiveToken?, isActive: Bool?, plan: TokenPlan, desired: DesiredState,
    _ findings: inout Findings
  ) {
    guard let live, isActive != false else { return }
    let isObserver = desired.observers.values.contains(token.name)
    let editsTokens = live.sortedGrants.contains { grant in
      (grant.group == Planner.apiTokensWrite || grant.group == Planner.accountAPITokensWrite)
        && EffectivePermissions.holds(group: grant.group, on: grant.resource, in: live.sortedGrants)
    }
    if isObserver {
      let writes = (plan.satisfied + plan.extra).filter { $0.effect == .allow && !$0.groupName.hasSuffix(" Read") }
      if !writes.isEmpty {
        let names = Set(writes.map(\.groupName)).sorted().map { "'\($0)'" }.joined(separator: ", ")
        findings.recommend(
          .warning,
          "\(token.name) is an observer but holds \(names): an observer's secret goes to pull-request jobs; give it only API Tokens Read or Account API Tokens Read"
        )
      }
    }
    guard isObserver || editsTokens else { return }
    var lacking: [String] = []
    if live.readState.conditionDigest == nil { lacking.append("no IP condition") }
    if live.expiresOn == nil { lacking.append("no expiry") }
    guard !lacking.isEmpty else { return }
    let role = editsTokens ? "can edit other tokens" : "lists every token as the observer"
    findings.recommend(
      .review,
      "\(token.name) \(role) and has \(lacking.joined(separator: " and ")): restrict it in the dashboard as Cloudflare advises for such tokens (Client IP Address Filtering to where TokenWarden runs, and a TTL)"
    )
  }

  /// Advice: live permissions the policy does not require, for a least-privilege review.
  static func extra(_ token: DesiredToken, plan: TokenPlan, _ findings: inout Findings) -> [String] {
    let extra = plan.extra.map { ($0.effect == .deny ? "deny " : "") + "\($0.groupName) on \($0.resourceName)" }
    if !extra.isEmpty {
      findings.recommend(
        .review,
        "\(token.name) holds \(plural(extra.count, "permission")) the policy does not require: review for least privilege"
      )
    }
    return extra
  }

  static func verificationURL(_ base: URL, _ family: TokenFamily) -> String {
    var text = base.absoluteString
    while text.hasSuffix("/") { text.removeLast() }
    return text + family.tokensPath + "/verify"
  }

}
