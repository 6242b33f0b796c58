import Basics
import CloudflareAPI
import PolicyLanguage
import Rendering
import TokenModel

/// `tokenwarden validate`: parse and check policy files; exit 0 when valid, 1 when not.
enum ValidateCommand {
  static let spec = CommandSpec(
    name: "validate",
    summary: "Check policy files: syntax, schema, permission names and scopes, references between tokens.",
    usage: "tokenwarden validate [--json] [--format text|json|github] [--no-color] [--online | --sandbox] [PATH...]",
    options: [
      .init(name: "json", valueName: nil, help: "Same as --format json."),
      .init(
        name: "format", valueName: "FORMAT",
        help: "text (default), json (like terraform validate -json), or github (workflow annotations).",
        choices: ["text", "json", "github"]),
      .init(name: "no-color", valueName: nil, help: "Never colour the output (NO_COLOR is honoured too)."),
      .init(
        name: "online", valueName: nil,
        help: "Resolve permissions against Cloudflare's live catalog, read with the policy's tokens."),
    ] + Connection.options,
    details: """
      A PATH that is a directory means the *.yaml and *.yml files directly in it. Without PATH, 'policies'.
      With GITHUB_ACTIONS=true and no --format, the format is github.
      Offline, permission names resolve against the bundled catalog; with --online or --sandbox, against the live one
      (read with the first policy token whose secret is set), falling back to the bundled one with a warning.
      Exit status: 0 valid (warnings allowed), 1 invalid or unreadable.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    var format = arguments.value("format") ?? (arguments.has("json") ? "json" : "text")
    if arguments.value("format") == nil && !arguments.has("json") && invocation.environment["GITHUB_ACTIONS"] == "true"
    {
      format = "github"
    }
    let paths = arguments.positionals.isEmpty ? ["policies"] : arguments.positionals
    let loaded = PolicyFiles.load(paths, workingDirectory: invocation.workingDirectory)
    if !loaded.missing.isEmpty {
      for problem in loaded.missing { invocation.report(.policyFileProblem(problem)) }
      return 1
    }
    var set = PolicySet.load(loaded.sources, catalog: .bundled)
    var reading: CatalogReading?
    if arguments.has("online") || arguments.has("sandbox") {
      let connection: Connection
      do { connection = try Connection.make(invocation, arguments) } catch {
        invocation.report(.connectionSetup(error.message))
        return 1
      }
      let syntaxOK = !set.diagnostics.contains { $0.severity == .error && !catalogDependent.contains($0.message.id) }
      if syntaxOK {
        reading = await liveCatalog(for: set.desired, connection: connection)
        if let catalog = reading?.catalog { set = PolicySet.load(loaded.sources, catalog: catalog) }
      }
    }
    let diagnostics = loaded.diagnostics + set.diagnostics
    let renderer = DiagnosticRenderer(sources: loaded.sources)
    switch format {
    case "json":
      if let reading {
        reading.warnings.forEach(invocation.report)
        if let resolved = reading.resolved { invocation.err(resolved + "\n") }
      }
      invocation.out(renderer.json(diagnostics))
    case "github":
      invocation.out(renderer.github(diagnostics))
      invocation.out(
        summary(set, diagnostics: diagnostics, fileCount: loaded.sources.count, style: TextStyle(color: false)))
    default:
      let style = TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
      if let reading {
        invocation.out(reading.warnings.map(\.line).joined() + (reading.resolved.map { $0 + "\n" } ?? ""))
      }
      invocation.out(renderer.text(diagnostics, style: style))
      invocation.out(summary(set, diagnostics: diagnostics, fileCount: loaded.sources.count, style: style))
    }
    return diagnostics.contains { $0.severity == .error } ? 1 : 0
  }

  /// Errors that another catalog may answer differently: a name the bundled catalog lacks, or a group whose scope
  /// it does not know.
  static let catalogDependent: Set<String> = ["unknown-permission", "permission-scope"]

  /// The live catalog, read with the first token that can: a user token reads every group; an account token reads
  /// the account's, which has no user groups by design, so those come from the bundled catalog.
  static func liveCatalog(for desired: DesiredState, connection: Connection) async -> CatalogReading {
    // Observers first: the catalog is a read, and in a pull-request job theirs may be the only secret.
    let observers = Set(desired.observers.values)
    let ordered =
      desired.tokens.filter { observers.contains($0.name) }
      + desired.tokens.filter { !observers.contains($0.name) && $0.owner == .user }
      + desired.tokens.filter { !observers.contains($0.name) && $0.owner != .user }
    var failures: [String] = []
    for token in ordered {
      guard let credential = connection.credential(for: token) else { continue }
      let family = TokenFamily(owner: token.owner)
      do {
        let groups = try await connection.client.permissionGroups(family, as: credential)
        // The live catalog first, the bundled one for what it lacks: one path for validate, plan, apply and health.
        let (catalog, disagreements) = PermissionCatalog(
          live: groups, family: family, origin: "live catalog of \(connection.description)"
        ).merging(fallback: .bundled)
        // Plan and apply print only the warnings; validate says which catalog it used.
        return CatalogReading(
          catalog: catalog, warnings: disagreements.map(Message.catalogsDisagree),
          resolved:
            "Permission names resolved against the live catalog of \(connection.description): \(plural(groups.count, "permission group")), read with \(credential.display)."
        )
      } catch {
        failures.append("\(token.name): \(error.message)")
      }
    }
    let why = failures.isEmpty ? "no policy token has its secret set" : failures.joined(separator: "; ")
    return CatalogReading(catalog: nil, warnings: [.bundledCatalogUsed(why: why)], resolved: nil)
  }

  /// The live catalog if it could be read, and what to say about it.
  struct CatalogReading {
    let catalog: PermissionCatalog?
    let warnings: [Message]
    let resolved: String?
  }

  static func summary(_ set: PolicySet, diagnostics: [Diagnostic], fileCount: Int, style: TextStyle) -> String {
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.count - errors
    let files = plural(fileCount, "policy file")
    if errors > 0 {
      let failing = Set(diagnostics.filter { $0.severity == .error }.map(\.path)).count
      let warningText = warnings > 0 ? " and " + plural(warnings, "warning") : ""
      return "\n" + style.red("Error:") + " " + plural(errors, "error") + warningText
        + " in \(failing) of \(files); nothing was checked against Cloudflare.\n"
    }
    let grants = set.desired.tokens.reduce(0) { $0 + $1.grants.count }
    let warningText = warnings > 0 ? " (" + plural(warnings, "warning") + ")" : ""
    let verb = fileCount == 1 ? "is" : "are"
    return (diagnostics.isEmpty ? "" : "\n") + style.green("Success!") + " \(files) \(verb) valid: "
      + plural(set.desired.tokens.count, "token") + ", " + plural(grants, "permission") + warningText + ".\n"
  }
}
