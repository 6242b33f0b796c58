import Foundation
import Health
import Rendering
import TokenModel

/// `tokenwarden probe`: what each token can actually do, next to what the policy says.
enum ProbeCommand {
  static let spec = CommandSpec(
    name: "probe",
    summary:
      "Call a small read-only endpoint per permission area as each token; PASS/FAIL next to what the policy says.",
    usage: "tokenwarden probe [--area NAME]... [--all-areas] [--json] [--no-color] [--sandbox] POLICY [TOKEN...]",
    options: [
      .init(
        name: "area", valueName: "NAME",
        help: "Probe only this area (repeatable): " + ProbeArea.all.map(\.name).joined(separator: ", ") + "."),
      .init(name: "all-areas", valueName: nil, help: "Probe every area, not only the standard seven."),
    ] + HealthRun.outputOptions + Connection.options,
    details: """
      Only GET requests. A call the policy does not grant is expected to fail: a user token failing account
      endpoints it was never given is as expected, not a failure.
      Exit status: 0 every result as expected, 2 some were not, 1 when the probe could not run.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    let positionals = arguments.positionals
    guard let context = await Reconcile.prepare(invocation, arguments, paths: Array(positionals.prefix(1))) else {
      return 1
    }
    let desired = context.set.desired
    let names = Array(positionals.dropFirst())
    let unknown = names.filter { desired.token(named: $0) == nil }
    if !unknown.isEmpty {
      invocation.report(.unknownTokens(unknown, known: desired.tokens.map(\.name)))
      return 1
    }
    var areas = arguments.has("all-areas") ? ProbeArea.all : ProbeArea.standard
    let chosen = arguments.all("area")
    if !chosen.isEmpty {
      let bad = chosen.filter { name in !ProbeArea.all.contains { $0.name == name } }
      if !bad.isEmpty {
        invocation.report(.unknownAreas(bad, known: ProbeArea.all.map(\.name)))
        return 1
      }
      areas = ProbeArea.all.filter { chosen.contains($0.name) }
    }
    let tokens = names.isEmpty ? desired.tokens : desired.tokens.filter { names.contains($0.name) }
    let calls = Prober.calls(for: tokens, in: desired, areas: areas, catalog: .bundled)
    let report = await Prober.run(
      calls, client: context.connection.client, credentials: context.credentials, missingSecrets: context.missing,
      now: invocation.now())
    guard Reconcile.reached(context.connection.client, invocation: invocation, doing: "probed") else { return 1 }
    if arguments.has("json") {
      invocation.out(JSONOutput.encode(report))
    } else {
      invocation.out(HealthRenderer(style: HealthRun.style(invocation, arguments)).probe(report))
    }
    return report.surprises.isEmpty ? 0 : 2
  }
}
