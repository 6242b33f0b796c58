import CloudflareAPI
import Foundation
import Importing
import LiveState
import Planning
import PolicyLanguage
import Reconciler
import TokenModel

/// `tokenwarden import` (alias `adopt`): the policy that, applied, changes nothing, from the tokens some credentials
/// can see — where a real account's policy starts.
enum ImportCommand {
  static let spec = CommandSpec(
    name: "import",
    summary: "Write a policy from the live tokens (applied as it is, it changes nothing). Alias: adopt.",
    usage:
      "tokenwarden import [--secret-env VAR]... [--account ID]... [--token ID|NAME]... [--out FILE [--force]] [--sandbox]",
    options: [
      .init(
        name: "secret-env", valueName: "VAR",
        help:
          "Read with the token in this variable (repeatable; default CLOUDFLARE_API_TOKEN; in the sandbox, its tokens that can list tokens)."
      ),
      .init(
        name: "account", valueName: "ID",
        help: "Only this account's tokens (repeatable; needed for account-owned credentials)."),
      .init(name: "token", valueName: "ID|NAME", help: "Only this token (repeatable)."),
      .init(name: "out", valueName: "FILE", help: "Write the policy there instead of to stdout."),
      .init(name: "force", valueName: nil, help: "With --out: replace an existing file."),
    ] + Connection.options,
    details: """
      Reads, never writes. A user-owned token lists its user's tokens (API Tokens Read), the accounts it reaches and
      their tokens (Account API Tokens Read), and zone names; an account-owned token needs --account with its account.
      Each token is written with the permissions it effectively holds, in the dashboard's words; accounts and zones
      by their names (from the ids where the names cannot be read); permission lists three or more tokens share as
      templates. Deny policies, conditions and resources the policy language cannot name are left out, with a comment
      on the token: TokenWarden never removes them. The tokens read with get their variable as `secret:`; the others a
      placeholder ($CLOUDFLARE_<NAME>) to set before 'tokenwarden plan'.
      Exit status: 0 written, 1 nothing could be read or the file exists (without --force).
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard arguments.positionals.isEmpty else {
      invocation.report(.usage("import takes no arguments, only options (got '\(arguments.positionals[0])')"))
      return 1
    }
    var accounts: [HexID] = []
    for text in arguments.all("account") {
      guard let id = HexID(text) else {
        invocation.report(.badValue(option: "--account", expects: "a 32-character hexadecimal account id", got: text))
        return 1
      }
      accounts.append(id)
    }
    let out = arguments.value("out")
    let outPath = out.map { $0.hasPrefix("/") ? $0 : invocation.workingDirectory + "/" + $0 }
    if let out, let outPath, FileManager.default.fileExists(atPath: outPath), !arguments.has("force") {
      invocation.report(.importFileExists(path: out))
      return 1
    }
    let connection: Connection
    do { connection = try Connection.make(invocation, arguments) } catch {
      invocation.report(.connectionSetup(error.message))
      return 1
    }
    var variables = arguments.all("secret-env")
    if variables.isEmpty {
      // In the sandbox, the tokens a person would choose: those that may list tokens.
      let listing: Set = [
        "0cc3a61731504c89b99ec1be78b77aa0", "686d18d5ac6c441c867cbf6771e58a0a", "eb56a6953c034b9d97dd838155666f06",
        "5bc3f8b21c554832afc660159ab75fa4",
      ]
      variables =
        connection.simulator.map { simulator in
          simulator.snapshot.tokens.filter { token in
            token.policies.contains { $0.effect == "allow" && !listing.isDisjoint(with: $0.permissionGroups) }
          }.compactMap(\.env).sorted()
        } ?? ["CLOUDFLARE_API_TOKEN"]
    }
    var sources: [InventoryReader.Source] = []
    for variable in variables {
      guard let value = connection.secrets[variable], !value.isEmpty else {
        invocation.report(.importSecretUnset(variable: variable))
        continue
      }
      let credential = Credential(label: variable, tokenID: nil, secret: Secret(value))
      if let problem = credential.secret.malformation {
        invocation.report(.secretMalformed(variable: variable, token: "the token", problem: problem))
        return 1
      }
      sources.append(InventoryReader.Source(variable: variable, credential: credential))
    }
    guard !sources.isEmpty else { return 1 }
    let client = connection.client
    var inventory = await InventoryReader(client: client, accounts: accounts).read(sources)
    guard Reconcile.reached(client, invocation: invocation, doing: "imported") else { return 1 }
    for problem in inventory.problems { invocation.report(.importPartial(problem)) }
    let only = arguments.all("token")
    if !only.isEmpty {
      inventory.tokens = inventory.tokens.filter { only.contains($0.id) || only.contains($0.name) }
      let found = Set(inventory.tokens.flatMap { [$0.id, $0.name] })
      for missing in only where !found.contains(missing) { invocation.report(.importTokenNotSeen(missing)) }
    }
    if !accounts.isEmpty {
      let kept = Set(accounts.map(\.rawValue))
      inventory.tokens = inventory.tokens.filter { token in
        if case .account(let id) = token.family { return kept.contains(id.rawValue) }
        return true
      }
    }
    guard !inventory.tokens.isEmpty else {
      invocation.report(.importNothing)
      return 1
    }
    let catalog = await catalog(client: client, sources: sources)
    let date = ISO8601DateFormatter.string(
      from: invocation.now(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
    let output = PolicyWriter.write(
      inventory, catalog: catalog,
      header: [
        "Written by 'tokenwarden import' on \(date) from \(connection.description).",
        "Applied as it is, this policy changes nothing. Set each token's secret variable before 'tokenwarden plan'.",
      ])
    let path = out ?? "imported.yaml"
    let (formatted, _) = Formatter.format(SourceFile(path: path, text: output.text))
    let text = formatted ?? output.text
    // The promise, checked: the file reads back as a valid policy, and every permission it requires is one the
    // token effectively holds — so that a plan of it says "No changes."
    let set = PolicySet.load([SourceFile(path: path, text: text)], catalog: catalog)
    let byID = Dictionary(inventory.tokens.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let broken = set.desired.tokens.flatMap { token in
      token.grants.filter { grant in
        !EffectivePermissions.holds(
          group: grant.group.rawValue, on: LiveGrant.key(for: grant.resource),
          in: byID[token.id.rawValue]?.grants ?? [])
      }.map { "\(token.name): \($0.groupName) on \($0.resourceName)" }
    }
    if !set.isValid || !broken.isEmpty {
      let why = set.diagnostics.filter { $0.severity == .error }.map { "\($0.path): \($0.message.text)" } + broken
      invocation.report(.importMismatch(why))
      return 1
    }
    for (token, note) in output.notes { invocation.report(.importOmitted(token: token, what: note)) }
    if let out, let outPath {
      do { try Data(text.utf8).write(to: URL(fileURLWithPath: outPath), options: .atomic) } catch {
        invocation.report(.cannotWrite(path: out, why: error.localizedDescription))
        return 1
      }
      let sandbox = connection.simulator == nil ? "" : " --sandbox"
      invocation.err(
        "Imported \(output.tokenCount) \(output.tokenCount == 1 ? "token" : "tokens") into \(out). "
          + "Set each token's secret variable, then: tokenwarden plan\(sandbox) \(shellQuoted(out))\n")
    } else {
      invocation.out(text)
    }
    return 0
  }

  /// The live catalog when a credential can read it, completed by the bundled one; else the bundled one.
  static func catalog(client: CloudflareClient, sources: [InventoryReader.Source]) async -> PermissionCatalog {
    for source in sources {
      guard let groups = try? await client.permissionGroups(.user, as: source.credential) else { continue }
      return PermissionCatalog(live: groups, family: .user, origin: "live catalog").merging(fallback: .bundled).catalog
    }
    return .bundled
  }
}
