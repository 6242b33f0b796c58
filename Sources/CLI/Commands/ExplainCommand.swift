import Foundation
import LiveState
import Planning
import PolicyLanguage
import Rendering
import TokenModel

/// `tokenwarden explain TOKEN [PERMISSION]`: for each permission, the line of the policy that requires it (through
/// which templates, changed in which commit), and how it stands on the live token.
enum ExplainCommand {
  static let spec = CommandSpec(
    name: "explain",
    summary:
      "Why a token must hold, holds or lacks each permission: the policy line that requires it, and the live state.",
    usage:
      "tokenwarden explain [--policy POLICY]... [--offline] [--no-git] [--json] [--no-color] [--sandbox] TOKEN [PERMISSION]",
    options: [
      .init(name: "policy", valueName: "POLICY", help: "Policy files or folders (repeatable; default 'policies')."),
      .init(name: "offline", valueName: nil, help: "Only what the policy says: read nothing from Cloudflare."),
      .init(name: "no-git", valueName: nil, help: "Do not ask git which commit last changed each line."),
      .init(name: "json", valueName: nil, help: "Print JSON."),
      .init(name: "no-color", valueName: nil, help: "Never colour the output."),
    ] + Connection.options,
    details: """
      PERMISSION is a group's API name, its dashboard form (Workers Scripts: edit) or its id; without it, every
      permission of the token. For each permission the policy requires: the file:line:col that requires it, the
      templates it came through, and (when git tracks the file) the commit that last changed that line; then whether
      the live token holds it, what apply would do, or why it is blocked. Live permissions the policy does not require
      are listed as kept: TokenWarden never removes.
      Exit status: 0, 1 when the token or permission is not found or the policy is not valid.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let positionals = arguments.positionals
    guard (1...2).contains(positionals.count) else {
      invocation.report(.usage("explain takes a token name and, optionally, a permission"))
      invocation.err("\n" + spec.helpText())
      return 1
    }
    let name = positionals[0]
    let permission = positionals.count == 2 ? positionals[1] : nil
    let paths = arguments.all("policy")
    let loaded: (set: PolicySet, sources: [SourceFile])
    var plan: TokenPlan?
    var source: String?
    if arguments.has("offline") {
      let files = PolicyFiles.load(paths.isEmpty ? ["policies"] : paths, workingDirectory: invocation.workingDirectory)
      for problem in files.missing { invocation.report(.policyFileProblem(problem)) }
      let set = PolicySet.load(files.sources, recordOrigins: true)
      let diagnostics = files.diagnostics + set.diagnostics
      if !files.missing.isEmpty || diagnostics.contains(where: { $0.severity == .error }) {
        invocation.err(DiagnosticRenderer(sources: files.sources).text(diagnostics, style: TextStyle(color: false)))
        invocation.report(.policyInvalid(liveCatalogChecked: false))
        return 1
      }
      loaded = (set, files.sources)
    } else {
      guard let context = await Reconcile.prepare(invocation, arguments, paths: paths) else { return 1 }
      guard context.set.desired.token(named: name) != nil else { return unknownToken(name, context.set, invocation) }
      guard let planned = await Reconcile.plan(context, invocation: invocation, targets: [name]) else { return 1 }
      let (set, catalog) = await Reconcile.resolveCatalog(context, invocation: invocation)
      let sources = set.files.map(\.source)
      loaded = (PolicySet.load(sources, catalog: catalog, recordOrigins: true), sources)
      plan = planned.tokens.first { $0.name == name }
      source = context.connection.description
    }
    guard let token = loaded.set.desired.token(named: name) else { return unknownToken(name, loaded.set, invocation) }
    var explanation = explain(token, origins: loaded.set.origins[name] ?? [], plan: plan, source: source)
    if let permission {
      explanation = filtered(explanation, permission: permission)
      if explanation.required.isEmpty && explanation.extra.isEmpty {
        invocation.report(.explainNoSuchPermission(token: name, permission: permission))
        return 1
      }
    }
    if !arguments.has("no-git") {
      explanation = GitBlame(workingDirectory: invocation.workingDirectory).annotate(explanation)
    }
    if arguments.has("json") {
      invocation.out(ExplainRenderer.json(explanation))
    } else {
      let style = TextStyle(color: invocation.useColor(onStdout: true, noColorFlag: arguments.has("no-color")))
      invocation.out(ExplainRenderer(style: style).text(explanation))
    }
    return 0
  }

  static func unknownToken(_ name: String, _ set: PolicySet, _ invocation: Invocation) -> Int32 {
    let names = set.desired.tokens.map(\.name)
    invocation.report(.unknownTargets([(name, ArgumentParser.closest(name, among: names))]))
    return 1
  }

  /// The policy's requirements of `token` with where each is written, and the plan's view of the live token.
  static func explain(_ token: DesiredToken, origins: [GrantOrigin], plan: TokenPlan?, source: String?) -> Explanation {
    struct Key: Hashable {
      let group: String
      let resource: String
    }
    func key(_ grant: DesiredGrant) -> Key {
      Key(group: grant.group.rawValue, resource: LiveGrant.key(for: grant.resource))
    }
    var states: [Key: Explanation.State] = [:]
    if let plan {
      for grant in plan.satisfied { states[Key(group: grant.group, resource: grant.resource)] = .held }
      for grant in plan.add {
        states[Key(group: grant.group, resource: grant.resource)] = .missing(editor: plan.editor ?? "its healer")
      }
      for blocked in plan.blocked {
        states[Key(group: blocked.grant.group, resource: blocked.grant.resource)] = .blocked(
          kind: blocked.kind?.rawValue, reason: blocked.reason)
      }
    }
    let byGrant = Dictionary(grouping: origins, by: { key($0.grant) })
    let required = token.grants.map { grant in
      Explanation.Requirement(
        permission: grant.groupName, permissionID: grant.group.rawValue, resource: grant.resourceName,
        state: states[key(grant)]
          ?? .unknown(plan == nil ? "the live token was not read (--offline)" : "not in the plan"),
        origins: (byGrant[key(grant)] ?? []).map { origin in
          Explanation.Origin(
            location: origin.location.description, written: origin.written,
            via: origin.via.map { ($0.template, $0.location.description) }, commit: nil)
        })
    }
    let extra = (plan?.extra ?? []).map {
      Explanation.Extra(
        permission: $0.groupName, permissionID: $0.group, resource: $0.resourceName, effect: $0.effect.rawValue)
    }
    let healer =
      switch token.healer {
      case .token(let name): name
      case .selfEdit: "self"
      case .automatic: "chosen by TokenWarden"
      }
    return Explanation(
      token: .init(
        name: token.name, id: token.id.rawValue, owner: token.ownerName, healer: healer, location: token.location),
      required: required, extra: extra,
      remediation: plan?.blocked.isEmpty == false || plan?.add.isEmpty == false ? plan?.remediation : nil,
      source: source)
  }

  /// Only the permission asked about: by API name, dashboard form (`Workers Scripts: edit`) or id, any case.
  static func filtered(_ explanation: Explanation, permission: String) -> Explanation {
    var names = [permission.lowercased()]
    if let colon = permission.lastIndex(of: ":") {
      let product = permission[..<colon].trimmingCharacters(in: .whitespaces)
      let level = permission[permission.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
      let suffix = level == "edit" || level == "write" ? "write" : level
      names.append("\(product) \(suffix)".lowercased())
    }
    func matches(_ name: String, _ id: String) -> Bool {
      names.contains(name.lowercased()) || id == permission.lowercased()
    }
    return Explanation(
      token: explanation.token, required: explanation.required.filter { matches($0.permission, $0.permissionID) },
      extra: explanation.extra.filter { matches($0.permission, $0.permissionID) }, remediation: explanation.remediation,
      source: explanation.source)
  }
}

/// Which commit last changed a line, from `git blame --porcelain`, run once per file; nothing when git is missing or
/// the file is not tracked (explain works the same without it).
struct GitBlame {
  let workingDirectory: String

  func annotate(_ explanation: Explanation) -> Explanation {
    var files: [String: [Int: Explanation.Commit]] = [:]
    func commit(_ location: String) -> Explanation.Commit? {
      let parts = location.split(separator: ":")
      guard parts.count >= 3, let line = Int(parts[parts.count - 2]) else { return nil }
      let path = parts.dropLast(2).joined(separator: ":")
      if files[path] == nil { files[path] = blame(path) }
      return files[path]?[line]
    }
    let required = explanation.required.map { requirement in
      Explanation.Requirement(
        permission: requirement.permission, permissionID: requirement.permissionID, resource: requirement.resource,
        state: requirement.state,
        origins: requirement.origins.map { origin in
          var annotated = origin
          annotated.commit = commit(origin.location)
          return annotated
        })
    }
    return Explanation(
      token: explanation.token, required: required, extra: explanation.extra, remediation: explanation.remediation,
      source: explanation.source)
  }

  /// Each line of the file (1-based) → the commit that last changed it; empty when git cannot say.
  func blame(_ path: String) -> [Int: Explanation.Commit] {
    let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "git", "-C", (absolute as NSString).deletingLastPathComponent, "blame", "--porcelain", "--",
      (absolute as NSString).lastPathComponent,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return [:] }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return [:] }
    return Self.parse(String(decoding: data, as: UTF8.self))
  }

  /// The porcelain format: for each line, `SHA ORIGINAL FINAL [COUNT]`, the commit's fields the first time the
  /// commit appears (`author`, `author-time`, `summary`…), then the line itself after a tab.
  static func parse(_ text: String) -> [Int: Explanation.Commit] {
    var fields: [String: [String: String]] = [:]
    var lines: [Int: String] = [:]
    var current: (sha: String, line: Int)?
    for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if row.hasPrefix("\t") {
        current = nil
        continue
      }
      let words = row.split(separator: " ", maxSplits: 1).map(String.init)
      guard let first = words.first else { continue }
      if current == nil {
        let header = row.split(separator: " ")
        guard header.count >= 3, first.count == 40, let final = Int(header[2]) else { continue }
        current = (first, final)
        lines[final] = first
      } else if let sha = current?.sha, words.count == 2 {
        fields[sha, default: [:]][first] = words[1]
      }
    }
    var commits: [String: Explanation.Commit] = [:]
    for (sha, known) in fields {
      if sha.allSatisfy({ $0 == "0" }) {
        commits[sha] = Explanation.Commit(sha: sha, author: "you", date: "now", summary: "not committed yet")
        continue
      }
      let date = known["author-time"].flatMap(Double.init).map {
        ISO8601DateFormatter.string(
          from: Date(timeIntervalSince1970: $0), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
      }
      commits[sha] = Explanation.Commit(
        sha: sha, author: known["author"] ?? "unknown", date: date ?? "", summary: known["summary"] ?? "")
    }
    return lines.compactMapValues { commits[$0] }
  }
}
