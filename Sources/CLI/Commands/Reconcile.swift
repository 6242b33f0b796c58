import Basics
import CloudflareAPI
import Foundation
import Operations
import Planning
import PolicyLanguage
import Reconciler
import Rendering
import TokenModel

/// What plan and apply share: reading the policy, connecting, observing, planning.
enum Reconcile {
  struct Context {
    let set: PolicySet
    let policyDigest: String
    let connection: Connection
    let credentials: [String: Credential]
    let missing: [String: String]
    /// The policy files as given (the default folder when none were).
    let paths: [String]
    /// The live catalog and its note, when it was read already to resolve names the bundled catalog lacks.
    var liveCatalog: ValidateCommand.CatalogReading? = nil
  }

  /// Reads and checks the policy (errors stop everything before any API call), then connects. A permission name
  /// that only Cloudflare's live catalog knows (a group newer than the bundled catalog) is looked up there before
  /// it is called unknown, as `validate --online` does.
  static func prepare(_ invocation: Invocation, _ arguments: ParsedArguments, paths given: [String]) async -> Context? {
    let paths = given.isEmpty ? ["policies"] : given
    // The HTTP client's setup takes tens of milliseconds of Foundation's; done on another core while the policy is
    // read.
    if !arguments.has("sandbox") { Task.detached { URLSessionTransport.prepare() } }
    let loaded = PolicyFiles.load(paths, workingDirectory: invocation.workingDirectory)
    for problem in loaded.missing { invocation.report(.policyFileProblem(problem)) }
    var set = PolicySet.load(loaded.sources)
    var connection: Connection?
    var liveCatalog: ValidateCommand.CatalogReading?
    let onlyNames =
      set.diagnostics.contains { $0.severity == .error }
      && !set.diagnostics.contains {
        $0.severity == .error && !ValidateCommand.catalogDependent.contains($0.message.id)
      }
    if loaded.missing.isEmpty && loaded.diagnostics.isEmpty && onlyNames {
      do { connection = try Connection.make(invocation, arguments) } catch {
        invocation.report(.connectionSetup(error.message))
        return nil
      }
      if let connection {
        let reading = await ValidateCommand.liveCatalog(for: set.desired, connection: connection)
        if let catalog = reading.catalog {
          set = PolicySet.load(loaded.sources, catalog: catalog)
          liveCatalog = reading
        }
      }
    }
    let diagnostics = loaded.diagnostics + set.diagnostics
    if !diagnostics.isEmpty {
      let style = TextStyle(color: invocation.useColor(onStdout: false, noColorFlag: arguments.has("no-color")))
      invocation.err(DiagnosticRenderer(sources: loaded.sources).text(diagnostics, style: style))
    }
    if !loaded.missing.isEmpty || diagnostics.contains(where: { $0.severity == .error }) {
      invocation.report(.policyInvalid(liveCatalogChecked: liveCatalog != nil))
      return nil
    }
    if connection == nil {
      do { connection = try Connection.make(invocation, arguments) } catch {
        invocation.report(.connectionSetup(error.message))
        return nil
      }
    }
    guard let connection else { return nil }
    var credentials: [String: Credential] = [:]
    var missing: [String: String] = [:]
    for token in set.desired.tokens {
      if let credential = connection.credential(for: token) {
        credentials[token.name] = credential
      } else {
        missing[token.name] = "\(token.secretVariable) is not set"
      }
    }
    // A value that cannot be a token (a line break copied with it, say) is refused before any request carries it.
    var malformed = false
    for token in set.desired.tokens {
      if let problem = credentials[token.name]?.secret.malformation {
        invocation.report(.secretMalformed(variable: token.secretVariable, token: token.name, problem: problem))
        malformed = true
      }
    }
    if malformed { return nil }
    if credentials.isEmpty && !set.desired.tokens.isEmpty {
      invocation.report(.noSecrets(set.desired.tokens.map { ($0.secretVariable, $0.name) }))
      return nil
    }
    // Tokens without a secret are named first, before any output that would be incomplete because of them.
    for token in set.desired.tokens where missing[token.name] != nil {
      invocation.report(.secretMissing(variable: token.secretVariable, token: token.name))
    }
    // The files by name and content, not by how their folder was spelled ("policies", "./policies/"): `apply FILE`
    // compares this digest with the plan's, from another checkout, maybe with another spelling.
    let digestInput = loaded.sources.map { source in
      (source.path.split(separator: "/").last.map(String.init) ?? source.path) + "\n"
        + String(decoding: source.bytes, as: UTF8.self)
    }.sorted().joined(separator: "\n")
    return Context(
      set: set, policyDigest: "sha256:" + SHA256.hex(digestInput), connection: connection, credentials: credentials,
      missing: missing, paths: paths, liveCatalog: liveCatalog)
  }

  /// The live catalog when the credentials can read it (else the bundled one, with a warning), and the policy
  /// resolved against it so ids are Cloudflare's current ones.
  static func resolveCatalog(_ context: Context, invocation: Invocation) async -> (PolicySet, PermissionCatalog) {
    let reading: ValidateCommand.CatalogReading
    if let read = context.liveCatalog {
      reading = read
    } else {
      reading = await ValidateCommand.liveCatalog(for: context.set.desired, connection: context.connection)
    }
    let live = reading.catalog
    var set = context.set
    if let live, !set.resolvesTheSame(with: live) {
      // Names were checked offline; re-resolve against the live catalog, completed name by name by the bundled one.
      let reloaded = PolicySet.load(set.files.map(\.source), catalog: live)
      if reloaded.isValid {
        set = reloaded
      } else {
        for diagnostic in reloaded.diagnostics where diagnostic.severity == .error {
          invocation.report(.liveCatalogUnresolved(path: "\(diagnostic.path)", message: diagnostic.message.text))
        }
      }
    }
    reading.warnings.forEach(invocation.report)
    return (set, live ?? .bundled)
  }

  /// Progress on stderr when it is a terminal: "reading tokens: 3/21 requests, 1180 requests left in the rate budget".
  static func progressReporter(_ invocation: Invocation, client: CloudflareClient, unit: String = "requests")
    -> (@Sendable (String, Int, Int) -> Void)?
  {
    guard invocation.console.stderrIsTerminal else { return nil }
    return { @Sendable phase, done, total in
      let budget = client.lastRemaining.withLock { $0 }.map { ", \($0) requests left in the rate budget" } ?? ""
      invocation.err("\r\u{1B}[2K\(phase): \(done)/\(total) \(unit)\(budget)")
    }
  }

  /// The history of this state directory; warnings go to stderr.
  static func recorder(_ invocation: Invocation) -> HistoryRecorder {
    HistoryRecorder(
      stateDirectory: Platform.stateDirectory(environment: invocation.environment), environment: invocation.environment,
      warn: { invocation.report(.historyNotRecorded($0)) })
  }

  /// What a command printed as advice needs after its name to run as printed: the sandbox or API it talked to, and
  /// the policy files (" --sandbox policies/"). Not `--scenario`, which would start the sandbox over.
  static func adviceArguments(_ arguments: ParsedArguments, paths: [String], policyOption: [String] = []) -> String {
    var words: [String] = []
    if arguments.has("sandbox") { words.append("--sandbox") }
    if let base = arguments.value("api-base") { words += ["--api-base", base] }
    for path in policyOption { words += ["--policy", path] }
    words += paths
    return words.map { " " + shellQuoted($0) }.joined()
  }

  /// False (after saying why) when requests were sent and not one was answered: the network or the API base URL, not
  /// the tokens, is what is wrong, and a list of every grant as blocked would only hide that.
  static func reached(_ client: CloudflareClient, invocation: Invocation, doing: String) -> Bool {
    guard let why = client.counter.unreachable else { return true }
    invocation.report(.unreachable(baseURL: client.baseURL.absoluteString, why: why, doing: doing))
    return false
  }

  static func clearProgress(_ invocation: Invocation) {
    if invocation.console.stderrIsTerminal { invocation.err("\r\u{1B}[2K") }
  }

  static func plan(_ context: Context, invocation: Invocation, targets: [String]) async -> Plan? {
    let unknown = targets.filter { context.set.desired.token(named: $0) == nil }
    if !unknown.isEmpty {
      let names = context.set.desired.tokens.map(\.name)
      invocation.report(.unknownTargets(unknown.map { ($0, ArgumentParser.closest($0, among: names)) }))
      return nil
    }
    let client = context.connection.client
    // The lists and the catalog.
    if let estimate = client.rateLimiter.estimate(requests: RequestBudget.listPages(context.set.desired) + 1) {
      invocation.report(.rateEstimate(estimate))
    }
    let report = progressReporter(invocation, client: client)
    let observer = Observer(
      client: client, credentials: context.credentials, missingSecrets: context.missing,
      progress: report.map { report in { @Sendable done, total in report("reading tokens", done, total) } })
    // The catalog is read alongside the tokens, not before them: which tokens are read, and by whom, does not depend
    // on it (names, owners, ids and healers are the same however the permissions resolve).
    let planned = await observer.observeAndPlan(
      context.set.desired,
      inputs: {
        let (set, catalog) = await resolveCatalog(context, invocation: invocation)
        return (set.desired, catalog)
      }, toolVersion: TokenWardenCLI.version, policyDigest: context.policyDigest,
      source: context.connection.description, targets: Set(targets))
    clearProgress(invocation)
    guard reached(client, invocation: invocation, doing: "planned") else { return nil }
    var plan = planned.plan
    plan.bind(target: context.connection.target, policyFiles: context.paths)
    let due = RotationSchedule.due(planned.desired, observation: planned.observation, now: invocation.now())
      .filter { targets.isEmpty || targets.contains($0.token) }
    plan.rotationsDue = due.isEmpty ? nil : due
    return plan
  }

  /// The plan as a document: its digest, and its signature with `TOKENWARDEN_PLAN_KEY`.
  static func document(_ plan: Plan, invocation: Invocation) -> PlanDocument {
    var document = PlanDocument(plan: plan)
    if let key = invocation.environment["TOKENWARDEN_PLAN_KEY"], !key.isEmpty { document.sign(key: key) }
    return document
  }
}
