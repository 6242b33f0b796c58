import Basics
import Foundation
import JSON
import Operations
import Planning
import Synchronization

/// What a command says on stderr besides its output: an error, a warning or a note, each with a stable code (kebab
/// case, like the policy diagnostics' codes) that scripts match instead of the English, which may be reworded. With
/// `--json`, a command that fails before it has a document to print prints these instead (`MessageLog`).
enum Message: Sendable, Equatable {
  enum Severity: String, Sendable {
    case error, warning, note

    var label: String {
      switch self {
      case .error: "Error"
      case .warning: "Warning"
      case .note: "Note"
      }
    }
  }

  // Arguments.
  case unknownCommand(String, guess: String?, forHelp: Bool)
  case usage(String)
  case badValue(option: String, expects: String, got: String)
  case unknownTokens([String], known: [String])
  case unknownTargets([(name: String, guess: String?)])
  case unknownAreas([String], known: [String])
  case policyFlagWithoutPlan

  // Policy files.
  case policyFileProblem(String)
  case policyInvalid(liveCatalogChecked: Bool)
  case cannotWrite(path: String, why: String)
  case liveCatalogUnresolved(path: String, message: String)
  case catalogsDisagree(String)
  case bundledCatalogUsed(why: String)

  // Secrets and the connection.
  case connectionSetup(String)
  case secretMalformed(variable: String, token: String, problem: String)
  case noSecrets([(variable: String, token: String)])
  case secretMissing(variable: String, token: String)
  case unreachable(baseURL: String, why: String, doing: String)
  case rateEstimate(String)
  case apiNotice(String)

  // Plan files.
  case planFileUnreadable(path: String)
  case planFileInvalid(path: String, why: String)
  case planUnsigned(path: String)
  case planSignatureMismatch(path: String)
  case planSignatureUnchecked(path: String)
  case planTargetMismatch(made: String, here: String, sandboxPlanPath: String?)
  case planPolicyDigestMismatch(paths: [String])
  case planNotAuthorised([PlanAuthorisation.Refusal])
  case noTerminalToConfirm
  case stepSummaryFull
  case stepSummaryUnwritable(path: String)

  // The apply lock and the history.
  case lockUnavailable(String)
  case lockHeldNotBroken(holder: String, stop: String)
  case historyUnavailable(String)
  case historyNotRecorded(HistoryRecorder.Problem)

  // Import.
  case importSecretUnset(variable: String)
  case importPartial(String)
  case importTokenNotSeen(String)
  case importNothing
  case importFileExists(path: String)
  case importMismatch([String])
  case importOmitted(token: String, what: String)

  // Rotation.
  case rotationJournalUnavailable(String)
  case rotationNoEditor(token: String)
  case rotationSinkTokenUnavailable(String)
  case rotationWithoutSinks(token: String)
  case rollBreaksConsumers(token: String)
  case rotationFailed(token: String, reason: String, newID: String?, secretLost: Bool)

  // Explain.
  case explainNoSuchPermission(token: String, permission: String)

  // The service and the sandbox.
  case scheduleInvalid(String)
  case clientTokenWeak
  case clientTokenMissing
  case unauthenticatedNotLoopback(host: String)
  case unauthenticatedNamesNotLoopback([String])
  case servingUnauthenticated(host: String)
  case wildcardNeedsNames(listen: String)
  case requestBudgetExceeded(String)
  case cannotListen(listen: String, why: String)
  case sandboxUnavailable(String)
  case sendmailMissing

  var severity: Severity {
    switch self {
    case .liveCatalogUnresolved, .catalogsDisagree, .bundledCatalogUsed, .secretMissing, .planSignatureUnchecked,
      .stepSummaryFull, .stepSummaryUnwritable, .servingUnauthenticated, .historyNotRecorded, .importPartial,
      .importTokenNotSeen, .importOmitted, .rollBreaksConsumers:
      .warning
    case .rateEstimate, .apiNotice: .note
    default: .error
    }
  }

  /// Stable: scripts depend on these. A new message gets a new code; a reworded one keeps its code.
  var code: String {
    switch self {
    case .unknownCommand: "unknown-command"
    case .usage: "usage"
    case .badValue: "bad-option-value"
    case .unknownTokens, .unknownTargets: "unknown-token"
    case .unknownAreas: "unknown-area"
    case .policyFlagWithoutPlan: "policy-without-plan-file"
    case .policyFileProblem: "policy-file-unreadable"
    case .policyInvalid: "policy-invalid"
    case .cannotWrite: "cannot-write"
    case .liveCatalogUnresolved: "live-catalog-unresolved"
    case .catalogsDisagree: "catalogs-disagree"
    case .bundledCatalogUsed: "bundled-catalog-used"
    case .connectionSetup: "connection-setup"
    case .secretMalformed: "secret-malformed"
    case .noSecrets: "no-secrets"
    case .secretMissing: "secret-missing"
    case .unreachable: "cloudflare-unreachable"
    case .rateEstimate: "rate-limit-wait"
    case .apiNotice: "api-notice"
    case .planFileUnreadable: "plan-file-unreadable"
    case .planFileInvalid: "plan-file-invalid"
    case .planUnsigned: "plan-unsigned"
    case .planSignatureMismatch: "plan-signature-mismatch"
    case .planSignatureUnchecked: "plan-signature-unchecked"
    case .planTargetMismatch: "plan-target-mismatch"
    case .planPolicyDigestMismatch: "plan-policy-mismatch"
    case .planNotAuthorised: "plan-not-authorised"
    case .noTerminalToConfirm: "no-terminal"
    case .stepSummaryFull: "step-summary-full"
    case .stepSummaryUnwritable: "step-summary-unwritable"
    case .lockUnavailable: "lock-unavailable"
    case .lockHeldNotBroken: "lock-held"
    case .historyUnavailable: "history-unavailable"
    case .historyNotRecorded: "history-not-recorded"
    case .importSecretUnset: "import-secret-unset"
    case .importPartial: "import-partial"
    case .importTokenNotSeen: "import-token-not-seen"
    case .importNothing: "import-nothing"
    case .importFileExists: "import-file-exists"
    case .importMismatch: "import-mismatch"
    case .importOmitted: "import-omitted"
    case .explainNoSuchPermission: "unknown-permission"
    case .rotationJournalUnavailable: "rotation-journal-unavailable"
    case .rotationNoEditor: "rotation-no-editor"
    case .rotationSinkTokenUnavailable: "rotation-sink-token-unavailable"
    case .rotationWithoutSinks: "rotation-without-sinks"
    case .rollBreaksConsumers: "roll-breaks-consumers"
    case .rotationFailed: "rotation-failed"
    case .scheduleInvalid: "schedule-invalid"
    case .clientTokenWeak: "client-token-weak"
    case .clientTokenMissing: "client-token-missing"
    case .unauthenticatedNotLoopback, .unauthenticatedNamesNotLoopback: "unauthenticated-not-loopback"
    case .servingUnauthenticated: "serving-unauthenticated"
    case .wildcardNeedsNames: "listen-needs-names"
    case .requestBudgetExceeded: "request-budget-exceeded"
    case .cannotListen: "cannot-listen"
    case .sandboxUnavailable: "sandbox-unavailable"
    case .sendmailMissing: "sendmail-missing"
    }
  }

  static func == (lhs: Message, rhs: Message) -> Bool { lhs.code == rhs.code && lhs.text == rhs.text }
}

// The message catalogue: the English of each message, in one place.
extension Message {
  var text: String {
    switch self {
    case .unknownCommand(let name, let guess, let forHelp):
      let suggestion = guess.map { forHelp ? "; did you mean 'tokenwarden help \($0)'?" : "; did you mean '\($0)'?" }
      return (forHelp ? "no command '\(name)'" : "unknown command '\(name)'") + (suggestion ?? "")
    case .usage(let text): return text
    case .badValue(let option, let expects, let got): return "\(option) takes \(expects), not '\(got)'"
    case .unknownTokens(let names, let known):
      return "no token of the policy is named \(quotedList(names)); the policy has \(known.joined(separator: ", "))"
    case .unknownTargets(let targets):
      let described = targets.map { "'\($0.name)'" + ($0.guess.map { " (did you mean '\($0)'?)" } ?? "") }
      return "--target names no token of the policy: \(described.joined(separator: ", "))"
    case .unknownAreas(let names, let known):
      return "unknown area \(quotedList(names)); areas: \(known.joined(separator: ", "))"
    case .policyFlagWithoutPlan:
      return
        "--policy goes with a plan file; to plan and apply a policy, name its files: tokenwarden apply POLICY..."
    case .policyFileProblem(let problem): return problem
    case .policyInvalid(let live):
      return "the policy is not valid\(live ? " (names were looked up in the live catalog too)" : ""); "
        + "nothing was read from Cloudflare."
    case .cannotWrite(let path, let why): return "cannot write \(path): \(why)"
    case .liveCatalogUnresolved(let path, let message):
      return "\(path): \(message) with the live catalog; resolved with the bundled one"
    case .catalogsDisagree(let what): return "the catalogs disagree: \(what)"
    case .bundledCatalogUsed(let why):
      return "using the bundled catalog, because the live one could not be read (\(why))."
    case .connectionSetup(let text): return text
    case .secretMalformed(let variable, let token, let problem):
      return "\(variable) contains \(problem): copy \(token)'s value again without it"
    case .noSecrets(let missing):
      let variables = missing.map { "\($0.variable) (\($0.token))" }
      return
        "no token of the policy has its secret: \(variables.joined(separator: ", ")) \(variables.count == 1 ? "is" : "are") not set or empty, so nothing can be read from Cloudflare. "
        + "Export each token's value in its variable (in a pipeline, from the CI's secret store), or try the sandbox with --sandbox."
    case .secretMissing(let variable, let token):
      return
        "\(token) cannot be read or verified with its own secret: \(variable) is not set or empty; carrying on with the other tokens"
    case .unreachable(let baseURL, let why, let doing):
      return "Cloudflare could not be reached at \(baseURL): \(why). Nothing was \(doing). "
        + "Check the network, a proxy or firewall, and CLOUDFLARE_API_BASE_URL; --debug shows each request."
    case .rateEstimate(let text), .apiNotice(let text): return text
    case .planFileUnreadable(let path): return "cannot read the plan file \(path)"
    case .planFileInvalid(let path, let why): return "\(path): \(why)"
    case .planUnsigned(let path):
      return
        "\(path) is not signed, and TOKENWARDEN_PLAN_KEY is set: only plans made with that key are applied; make the plan with it ('tokenwarden plan --out FILE' with TOKENWARDEN_PLAN_KEY set)"
    case .planSignatureMismatch(let path):
      return
        "\(path) is not signed with the TOKENWARDEN_PLAN_KEY of this run (made with another key, or changed since); nothing was applied"
    case .planSignatureUnchecked(let path):
      return "\(path) is signed, but TOKENWARDEN_PLAN_KEY is not set, so the signature was not checked"
    case .planTargetMismatch(let made, let here, let sandboxPlanPath):
      let hint =
        sandboxPlanPath.map { "to apply it to the sandbox: tokenwarden apply --sandbox \(shellQuoted($0))" }
        ?? "plan again against \(here)"
      return "the plan was made against \(made); this run would write to \(here). Nothing was applied; \(hint)"
    case .planPolicyDigestMismatch(let paths):
      return
        "the policy (\(paths.joined(separator: " "))) is not the one the plan was made from (its digest differs); nothing was applied: plan again"
    case .planNotAuthorised(let refusals):
      return "the plan asks for what the policy does not; nothing was applied:\n"
        + refusals.map { "  - \(Self.text($0))\n" }.joined()
        + "Make a new plan from the reviewed policy: tokenwarden plan --out FILE"
    case .noTerminalToConfirm:
      return
        "no terminal to confirm on; run with --auto-approve, or save the plan with 'plan --out FILE' and apply that."
    case .stepSummaryFull:
      return "GITHUB_STEP_SUMMARY is near GitHub's 1 MiB limit; the plan was not added to it"
    case .stepSummaryUnwritable(let path):
      return "cannot write GITHUB_STEP_SUMMARY (\(path)); the plan was not added to the step summary"
    case .lockUnavailable(let text), .historyUnavailable(let text), .scheduleInvalid(let text),
      .requestBudgetExceeded(let text), .sandboxUnavailable(let text):
      return text
    case .historyNotRecorded(.cannotOpen(let error)): return "history will not be recorded: \(error.description)"
    case .historyNotRecorded(.notRecorded(let error)): return "history was not recorded: \(error.description)"
    case .lockHeldNotBroken(let holder, let stop):
      return "\(holder) A running apply's lock is never broken: wait for it to finish.\(stop)"
    case .importSecretUnset(let variable):
      return
        "\(variable) is not set or empty: export the value of a token that can list tokens in it, or name another with --secret-env VAR"
    case .importPartial(let problem): return problem
    case .importTokenNotSeen(let token):
      return "--token \(token): no token the credentials can list has this id or name"
    case .importNothing:
      return
        "the credentials list no token: give them API Tokens Read (user-owned tokens) or Account API Tokens Read (an account's tokens), or check --account and --token"
    case .importFileExists(let path): return "\(path) exists: choose another --out FILE, or replace it with --force"
    case .importMismatch(let problems):
      return
        "the policy written does not read back as what the tokens hold, so it was not written (please report this):\n"
        + problems.map { "  - \($0)" }.joined(separator: "\n")
    case .importOmitted(let token, let what): return "\(token): \(what)"
    case .rotationJournalUnavailable(let why):
      return "the rotation journal (the history database) cannot be used, so nothing was rotated: \(why)"
    case .rotationNoEditor(let token):
      return
        "no policy token whose secret is set can create and expire \(token)'s tokens: set the secret of its healer (it needs API Tokens Write, or Account API Tokens Write on the account)"
    case .rotationSinkTokenUnavailable(let name):
      return "the sink token \(name) is not a policy token whose secret is set"
    case .rotationWithoutSinks(let token):
      return
        "\(token) has no sink, so it was not rotated: its new secret would be written nowhere while its old one stops working; name one with --sink or the policy's rotation.sinks"
    case .rollBreaksConsumers(let token):
      return "rolling \(token): its old secret stops working now; consumers fail until every sink holds the new one"
    case .rotationFailed(let token, let reason, let newID, let secretLost):
      var text = "rotating \(token) stopped: \(reason)."
      if let newID {
        text +=
          " The new token \(newID) exists\(secretLost ? "; its secret is held only where it was written" : ""); the old one still works."
          + " To finish: tokenwarden rotate \(token) (a token whose secret was lost is expired once the sinks hold a newer one);"
          + " to undo: tokenwarden rotate --abandon \(token) (expires \(newID))."
      } else if secretLost {
        text += " Its new value was not written everywhere; run tokenwarden rotate \(token) again."
      }
      return text
    case .explainNoSuchPermission(let token, let permission):
      return
        "\(token) is neither required nor holds '\(permission)'; write its API name (Workers Scripts Write), its dashboard form (Workers Scripts: edit) or its id"
    case .clientTokenWeak:
      return
        "CLIENT_AUTH_TOKEN is too weak: use at least 32 characters with at least 8 different ones; make one with: openssl rand -hex 32"
    case .clientTokenMissing:
      return
        "set CLIENT_AUTH_TOKEN to the token clients must send (Authorization: Bearer …), or pass --allow-unauthenticated to serve on loopback without one"
    case .unauthenticatedNotLoopback(let host):
      return "--allow-unauthenticated works only on a loopback address, not \(host); set CLIENT_AUTH_TOKEN"
    case .unauthenticatedNamesNotLoopback(let names):
      return
        "--allow-unauthenticated works only when every name the service answers to is a loopback name; set CLIENT_AUTH_TOKEN to serve \(names.joined(separator: ", "))"
    case .servingUnauthenticated(let host):
      return "serving without authentication on \(host) (--allow-unauthenticated)"
    case .wildcardNeedsNames(let listen):
      return
        "listening on \(listen) (every address) needs the names clients use to reach the service: --public-url URL or --allowed-host HOST (requests for other names are refused, so that no other site can reach it through DNS re-binding)"
    case .cannotListen(let listen, let why): return "cannot serve on \(listen): \(why)"
    case .sendmailMissing:
      return
        "--notify-sendmail needs a 'sendmail' program on PATH (a mail transfer agent such as Postfix, msmtp-mta or nullmailer)"
    }
  }

  static func text(_ refusal: PlanAuthorisation.Refusal) -> String {
    switch refusal {
    case .unknownToken(let token): return "the plan writes to \(token), which the policy does not declare"
    case .otherID(let token, let plan, let policy):
      return "the plan writes \(token) as id \(plan), the policy says \(policy)"
    case .otherFamily(let token, let plan, let policy):
      return "the plan writes \(token) through \(plan.tokensPath), the policy's owner means \(policy.tokensPath)"
    case .notRequired(let token, let group, let groupName, let resource):
      return "the plan adds '\(groupName)' (\(group)) on \(resource) to \(token), which the policy does not require"
    case .editorNotAllowed(let token, let editor):
      return "the plan edits \(token) through \(editor), which the policy does not allow as its healer"
    }
  }

  /// "Error: …", as printed on stderr.
  var line: String { "\(severity.label): \(text)\n" }

  private func quotedList(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
}

/// The messages of one run, kept for a `--json` failure document.
final class MessageLog: Sendable {
  private let state = Mutex<(messages: [Message], wroteOutput: Bool)>(([], false))

  func append(_ message: Message) { state.withLock { $0.messages.append(message) } }
  func markOutput() { state.withLock { $0.wroteOutput = true } }

  var messages: [Message] { state.withLock { $0.messages } }
  var wroteOutput: Bool { state.withLock { $0.wroteOutput } }

  /// `{"format_version": "1.0", "messages": [{"code", "severity", "text"}]}`: what a `--json` run
  /// prints on stdout when it fails before it has its own document, so a script always reads JSON there.
  var failureDocument: String {
    var writer = JSONWriter(pretty: true)
    writer.object { object in
      object.field("format_version", "1.0")
      object.key("messages")
      object.array(messages) { message, writer in
        writer.object { object in
          object.field("code", message.code)
          object.field("severity", message.severity.rawValue)
          object.field("text", message.text)
        }
      }
    }
    return String(decoding: writer.bytes, as: UTF8.self) + "\n"
  }
}
