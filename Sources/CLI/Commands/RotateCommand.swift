import CloudflareAPI
import Foundation
import History
import LiveState
import Operations
import Planning
import PolicyLanguage
import Reconciler
import Rotation
import Simulator
import TokenModel

/// `tokenwarden rotate TOKEN...`: a new secret for each token, into every place that holds it.
enum RotateCommand {
  static let spec = CommandSpec(
    name: "rotate",
    summary: "Give tokens new secrets and write them where they are used: a new token (replace) or a new value (roll).",
    usage:
      "tokenwarden rotate [--strategy replace|roll] [--sink SPEC]... [--grace DURATION] [--lifetime DURATION] [--sink-token NAME] [--write-policy] [--abandon] [--policy POLICY]... [--sandbox] TOKEN...",
    options: [
      .init(
        name: "strategy", valueName: "STRATEGY",
        help: "replace (default: a new token; the old one expires after the grace) or roll (same token, new value).",
        choices: ["replace", "roll"]),
      .init(
        name: "sink", valueName: "SPEC",
        help:
          "Where the new secret goes (repeatable; adds to the policy's): workers-secret:ACCOUNT/SCRIPT/NAME, file:PATH, env-file:PATH:VAR, command:PROGRAM ARGS."
      ),
      .init(
        name: "grace", valueName: "DURATION",
        help: "How long the old token keeps working (default 24h, or the policy's)."),
      .init(
        name: "lifetime", valueName: "DURATION", help: "The expiry a new token gets (default: the policy's, else none)."
      ),
      .init(
        name: "sink-token", valueName: "NAME",
        help: "The policy token that writes Workers secrets (default: the new token)."),
      .init(
        name: "write-policy", valueName: nil, help: "Put the new token's id in the policy file, keeping its layout."),
      .init(
        name: "abandon", valueName: nil,
        help: "Do not rotate: expire what a stopped rotation of the token created, and close it in the journal."),
      .init(name: "policy", valueName: "POLICY", help: "Policy files or folders (repeatable; default 'policies')."),
    ] + Connection.options,
    details: """
      replace: checks Cloudflare's quota (50 user-owned tokens per user, 500 per account), creates a token with the
      same permissions, condition and not_before, writes its secret to every sink, verifies it as Cloudflare and the
      sinks see it, and only then sets the old token to expire after the grace period (it is never deleted). Until
      then consumers keep the old secret: none is ever without a valid one.
      roll: the same token gets a new value; the old one stops working at once, so consumers fail until every sink
      holds the new one.
      Each step is written to a journal in the history (never the secret). A run stopped anywhere is finished by
      running the same command again: a token whose secret was lost is expired once every sink holds a newer one.
      The editor (the token's healer, or a policy token holding API Tokens Write / Account API Tokens Write) creates,
      rolls and expires; the policy's `rotation:` block gives the defaults.
      Exit status: 0 every token rotated, 1 otherwise.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let names = arguments.positionals
    guard !names.isEmpty else {
      invocation.report(.usage("rotate takes the names of the tokens to rotate"))
      invocation.err("\n" + spec.helpText())
      return 1
    }
    var extraSinks: [SecretSink] = []
    for text in arguments.all("sink") {
      switch SecretSink.parse(text) {
      case .success(let sink): extraSinks.append(sink)
      case .failure:
        invocation.report(.badValue(option: "--sink", expects: SecretSink.forms, got: text))
        return 1
      }
    }
    var durations: [String: Int] = [:]
    for option in ["grace", "lifetime"] {
      guard let text = arguments.value(option) else { continue }
      guard let seconds = PolicyDuration.seconds(text) else {
        invocation.report(.badValue(option: "--\(option)", expects: "a duration like 24h, 7d or 2w", got: text))
        return 1
      }
      durations[option] = seconds
    }
    guard let context = await Reconcile.prepare(invocation, arguments, paths: arguments.all("policy")) else { return 1 }
    let desired = context.set.desired
    let unknown = names.filter { desired.token(named: $0) == nil }
    guard unknown.isEmpty else {
      invocation.report(
        .unknownTargets(unknown.map { ($0, ArgumentParser.closest($0, among: desired.tokens.map(\.name))) }))
      return 1
    }
    let stateDirectory = Platform.stateDirectory(environment: invocation.environment)
    let journal: HistoryStore
    do {
      journal = try HistoryStore(
        path: HistoryStore.defaultPath(stateDirectory: stateDirectory),
        retentionDays: HistoryRecorder.retentionDays(invocation.environment))
    } catch {
      invocation.report(.rotationJournalUnavailable(error.description))
      return 1
    }
    let locked = await HealthRunner.withApplyLock(
      stateDirectory: stateDirectory,
      command: (["tokenwarden", "rotate"] + invocation.arguments).joined(separator: " ")
    ) {
      await rotate(
        names, context: context, journal: journal, extraSinks: extraSinks, durations: durations,
        invocation: invocation, arguments: arguments)
    }
    switch locked {
    case .success(let status): return status
    case .failure(let failure):
      invocation.report(.lockUnavailable("\(failure)"))
      return 1
    }
  }

  static func rotate(
    _ names: [String], context: Reconcile.Context, journal: HistoryStore, extraSinks: [SecretSink],
    durations: [String: Int], invocation: Invocation, arguments: ParsedArguments
  ) async -> Int32 {
    let desired = context.set.desired
    let client = context.connection.client
    // Who may edit each family, from what is live now.
    let observation = await Observer(
      client: client, credentials: context.credentials, missingSecrets: context.missing
    ).observe(desired)
    guard Reconcile.reached(client, invocation: invocation, doing: "rotated") else { return 1 }
    let sinks = SinkWriter(
      client: client, workingDirectory: invocation.workingDirectory, accounts: accounts(desired))
    let rotator = Rotator(client: client, sinks: sinks, journal: journal, now: invocation.now)
    var failed = false
    for name in names {
      guard let token = desired.token(named: name) else { continue }
      let policy = token.rotation ?? RotationPolicy()
      let strategy = arguments.value("strategy").flatMap(RotationStrategy.init(rawValue:)) ?? policy.strategy
      guard
        let editor = RotationEditor.choose(
          for: token, desired: desired, observation: observation, credentials: context.credentials)
      else {
        invocation.report(.rotationNoEditor(token: name))
        failed = true
        continue
      }
      if arguments.has("abandon") {
        do {
          let notes = try await rotator.abandon(token, editor: editor)
          invocation.out(
            notes.isEmpty ? "\(name): no stopped rotation to abandon.\n" : notes.map { "\(name): \($0)\n" }.joined())
        } catch {
          invocation.report(.rotationFailed(token: name, reason: "\(error)", newID: nil, secretLost: false))
          failed = true
        }
        continue
      }
      let sinkTokenName = arguments.value("sink-token") ?? policy.sinkToken
      var sinkCredential: Credential?
      if let sinkTokenName {
        guard let credential = context.credentials[sinkTokenName] else {
          invocation.report(.rotationSinkTokenUnavailable(sinkTokenName))
          failed = true
          continue
        }
        sinkCredential = credential
      }
      let allSinks = policy.sinks + extraSinks.filter { !policy.sinks.contains($0) }
      // A secret written nowhere is a secret lost: its consumers would keep the old one until it stops working.
      guard !allSinks.isEmpty else {
        invocation.report(.rotationWithoutSinks(token: name))
        failed = true
        continue
      }
      if strategy == .roll { invocation.report(.rollBreaksConsumers(token: name)) }
      let request = Rotator.Request(
        token: token, strategy: strategy, sinks: allSinks, grace: durations["grace"] ?? policy.grace,
        lifetime: durations["lifetime"] ?? policy.lifetime, editor: editor, sinkCredential: sinkCredential)
      switch await rotator.rotate(request) {
      case .rotated(let oldID, let newID, let expires, let notes):
        for note in notes { invocation.out("\(name): \(note)\n") }
        if oldID == newID {
          invocation.out("\(name): rolled; its new secret is in \(describe(allSinks)).\n")
        } else {
          invocation.out(
            "\(name): replaced by \(newID), whose secret is in \(describe(allSinks)); the old token \(oldID) expires \(expires ?? "now").\n"
          )
          context.connection.simulator?.moveEnvironment(from: oldID, to: newID)
          if arguments.has("write-policy") {
            switch PolicyEdit.replaceID(of: token, with: newID, workingDirectory: invocation.workingDirectory) {
            case .success(let path): invocation.out("\(name): wrote id: \(newID) in \(path).\n")
            case .failure(let error):
              invocation.report(.cannotWrite(path: token.location, why: error.description))
              failed = true
            }
          } else {
            invocation.out(
              "\(name): now put its new id in the policy (\(token.location)): id: \(newID) — or run rotate with --write-policy.\n"
            )
          }
        }
      case .failed(let reason, _, let newID, let secretLost):
        invocation.report(.rotationFailed(token: name, reason: reason, newID: newID, secretLost: secretLost))
        failed = true
      }
    }
    return failed ? 1 : 0
  }

  /// The policy's account names → ids, from its tokens' owners and grants: what `workers-secret:NAME/…` names.
  static func accounts(_ desired: DesiredState) -> [String: HexID] {
    var accounts: [String: HexID] = [:]
    for token in desired.tokens {
      if case .account(let id) = token.owner, let name = token.ownerName.split(separator: " ").last {
        accounts[String(name)] = id
      }
      for grant in token.grants {
        if case .account(let id) = grant.resource, let name = grant.resourceName.split(separator: " ").last {
          accounts[String(name)] = id
        }
      }
    }
    return accounts
  }

  static func describe(_ sinks: [SecretSink]) -> String {
    sinks.isEmpty ? "no sink (none was named)" : sinks.map { "\($0)" }.joined(separator: ", ")
  }

}

/// The one edit `rotate --write-policy` makes: the token's `id:` line, its value replaced, everything else kept.
enum PolicyEdit {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static func replaceID(of token: DesiredToken, with newID: String, workingDirectory: String)
    -> Result<String, Failure>
  {
    let parts = token.location.split(separator: ":")
    guard parts.count >= 3, let line = Int(parts[parts.count - 2]) else {
      return .failure(Failure(description: "no file position for \(token.name)"))
    }
    let path = parts.dropLast(2).joined(separator: ":")
    let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
    guard let data = FileManager.default.contents(atPath: absolute) else {
      return .failure(Failure(description: "cannot read \(path)"))
    }
    var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    guard line - 1 < lines.count else { return .failure(Failure(description: "\(path) changed since it was read")) }
    let keyIndent = lines[line - 1].prefix { $0 == " " }.count
    var index = line
    while index < lines.count {
      let text = lines[index]
      let indent = text.prefix { $0 == " " }.count
      let trimmed = text.dropFirst(indent)
      if !trimmed.isEmpty && !trimmed.hasPrefix("#") && indent <= keyIndent { break }
      if trimmed.hasPrefix("id:"), let range = text.range(of: token.id.rawValue) {
        lines[index].replaceSubrange(range, with: newID)
        let updated = lines.joined(separator: "\n")
        // The file must still read as a valid policy before it replaces the old one.
        let check = PolicySet.load([SourceFile(path: path, text: updated)])
        guard check.desired.token(named: token.name)?.id.rawValue == newID else {
          return .failure(Failure(description: "\(path) would not read back with the new id"))
        }
        do { try Data(updated.utf8).write(to: URL(fileURLWithPath: absolute), options: .atomic) } catch {
          return .failure(Failure(description: error.localizedDescription))
        }
        return .success(path)
      }
      index += 1
    }
    return .failure(Failure(description: "no 'id: \(token.id.rawValue)' under \(token.name) in \(path)"))
  }
}
