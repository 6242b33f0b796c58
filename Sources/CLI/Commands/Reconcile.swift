import CloudflareAPI
import Foundation
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
  }

  /// Reads and checks the policy (errors stop everything before any API call), then connects.
  static func prepare(_ invocation: Invocation, _ arguments: ParsedArguments, paths: [String]) -> Context? {
    let loaded = PolicyFiles.load(paths.isEmpty ? ["policies"] : paths, workingDirectory: invocation.workingDirectory)
    for problem in loaded.missing { invocation.err("Error: \(problem)\n") }
    let set = PolicySet.load(loaded.sources)
    let diagnostics = loaded.diagnostics + set.diagnostics
    if !diagnostics.isEmpty {
      let style = TextStyle(color: invocation.useColor(onStdout: false, noColorFlag: arguments.has("no-color")))
      invocation.err(DiagnosticRenderer(sources: loaded.sources).text(diagnostics, style: style))
    }
    if !loaded.missing.isEmpty || diagnostics.contains(where: { $0.severity == .error }) {
      invocation.err("Error: the policy is not valid; nothing was read from Cloudflare.\n")
      return nil
    }
    let connection: Connection
    do { connection = try Connection.make(invocation, arguments) } catch {
      invocation.err("Error: \(error.message)\n")
      return nil
    }
    var credentials: [String: Credential] = [:]
    var missing: [String: String] = [:]
    for token in set.desired.tokens {
      if let credential = connection.credential(for: token) {
        credentials[token.name] = credential
      } else {
        missing[token.name] = "\(token.secretVariable) is not set"
      }
    }
    let digestInput = loaded.sources.map { $0.path + "\n" + String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\n")
    return Context(
      set: set, policyDigest: "sha256:" + SHA256.hex(digestInput), connection: connection, credentials: credentials,
      missing: missing)
  }

  static func plan(_ context: Context, invocation: Invocation, targets: [String]) async -> PlanDocument? {
    let unknown = targets.filter { context.set.desired.token(named: $0) == nil }
    if !unknown.isEmpty {
      invocation.err("Error: --target names no token of the policy: \(unknown.joined(separator: ", "))\n")
      return nil
    }
    let (live, note) = await ValidateCommand.liveCatalog(for: context.set.desired, connection: context.connection)
    var set = context.set
    if let live {
      // Names were checked offline; re-resolve against the live catalog so ids are Cloudflare's current ones.
      let reloaded = PolicySet.load(set.files.map(\.source), catalog: live)
      if reloaded.isValid { set = reloaded } else { invocation.err("Warning: the live catalog disagrees with the policy; using the bundled catalog\n") }
    }
    if note.hasPrefix("Warning") { invocation.err(note + "\n") }
    let showProgress = invocation.console.stderrIsTerminal
    let client = context.connection.client
    let report: (@Sendable (Int, Int) -> Void)? =
      showProgress
      ? { @Sendable done, total in
        let budget = client.lastRemaining.withLock { $0 }.map { ", \($0) requests left in the rate budget" } ?? ""
        invocation.err("\r\u{1B}[2Kreading tokens: \(done)/\(total) requests\(budget)")
      } : nil
    let observer = Observer(
      client: client, credentials: context.credentials, missingSecrets: context.missing, progress: report)
    let observation = await observer.observe(set.desired)
    if showProgress { invocation.err("\r\u{1B}[2K") }
    let plan = Planner.plan(
      desired: set.desired, observation: observation, catalog: live ?? .bundled, toolVersion: TokenWardenCLI.version,
      policyDigest: context.policyDigest, source: context.connection.description, targets: Set(targets))
    return PlanDocument(plan: plan)
  }
}
