import Foundation
import Operations
import Rotation
import Service
import TokenModel

/// `tokenwarden serve`: the REST endpoints, the dashboard and the scheduled runs.
enum ServeCommand {
  static let spec = CommandSpec(
    name: "serve",
    summary:
      "Serve health, heal, status, history, metrics and a dashboard over HTTP, and check and heal on a schedule.",
    usage:
      "tokenwarden serve [--listen HOST:PORT] [--public-url URL] [--allowed-host HOST]... [--max-connections-per-client N] [--schedule CRON]... [--monitor-only] [--notify-webhook URL] [--notify-slack URL] [--notify-sendmail ADDRESS] [--health-interval SECONDS] [--allow-unauthenticated] [--sandbox] [POLICY...]",
    options: [
      .init(name: "listen", valueName: "HOST:PORT", help: "Where to listen (default 127.0.0.1:8787)."),
      .init(
        name: "schedule", valueName: "CRON",
        help:
          "A 5-field cron schedule, UTC unless it starts with CRON_TZ=Zone (repeatable; default '0 */6 * * *' and '0 0 * * *')."
      ),
      .init(name: "monitor-only", valueName: nil, help: "Scheduled runs check but never heal."),
      .init(
        name: "notify-webhook", valueName: "URL",
        help: "Post {\"text\": …} JSON there on state changes, heals and failed checks."),
      .init(
        name: "notify-slack", valueName: "URL",
        help: "Post to a Slack incoming webhook (Block Kit, linking the dashboard with --public-url)."),
      .init(
        name: "notify-sendmail", valueName: "ADDRESS",
        help: "E-mail ADDRESS through the system's 'sendmail -t' (as cron does)."),
      .init(
        name: "health-interval", valueName: "SECONDS",
        help: "At most one fresh check per this many seconds for GET /tokens/health (default 30)."),
      .init(
        name: "allow-unauthenticated", valueName: nil,
        help: "Run without CLIENT_AUTH_TOKEN (only on a loopback address)."),
      .init(
        name: "public-url", valueName: "URL",
        help:
          "The service's external URL behind a reverse proxy (https://tokenwarden.example.com): a name it answers to."),
      .init(name: "allowed-host", valueName: "HOST", help: "Another name the service answers to (repeatable)."),
      .init(
        name: "max-connections-per-client", valueName: "N",
        help:
          "Connections open at once from one address (default 64; 0: no limit). Behind a reverse proxy, limit there."),
    ] + Connection.options,
    details: """
      Every endpoint but /healthz needs the client token from CLIENT_AUTH_TOKEN: 'Authorization: Bearer TOKEN', or
      HTTP Basic with it as the password (for the dashboard in a browser). The service answers only requests sent to
      one of its names (the listen address, localhost on loopback, --public-url, --allowed-host; others get 421), and
      starts a heal only for a Bearer token or a request from its own pages (others get 403). Logs go to stderr.
      SIGTERM or SIGINT lets a running heal or scheduled run finish (at most 60 s), then exits 0.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    var options = TokenWardenService.Options()
    guard let (host, port, listen) = arguments.listenAddress(default: "127.0.0.1:8787", invocation: invocation) else {
      return 1
    }
    options.host = host
    options.port = port
    let schedules = arguments.all("schedule")
    do {
      options.schedules =
        try schedules.isEmpty
        ? TokenWardenService.Options.defaultSchedules()
        : schedules.map { text throws(CronExpression.ParseError) in try CronExpression(text) }
    } catch {
      invocation.report(.scheduleInvalid(error.description))
      return 1
    }
    options.monitorOnly = arguments.has("monitor-only")
    if let text = arguments.value("max-connections-per-client") {
      guard let limit = Int(text), limit >= 0 else {
        invocation.report(
          .badValue(option: "--max-connections-per-client", expects: "a whole number (0 for no limit)", got: text))
        return 1
      }
      options.maxConnectionsPerClient = limit
    }
    if let text = arguments.value("public-url") {
      guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host != nil,
        url.user == nil,
        url.password == nil
      else {
        invocation.report(
          .badValue(
            option: "--public-url", expects: "the service's external http(s) URL, like https://tokenwarden.example.com",
            got: text))
        return 1
      }
      options.publicURL = url
    }
    for host in arguments.all("allowed-host") {
      guard !host.isEmpty, !host.contains("/"), !host.contains(" ") else {
        invocation.report(
          .badValue(option: "--allowed-host", expects: "a host name, like tokenwarden.example.com", got: host))
        return 1
      }
    }
    options.allowedHosts = arguments.all("allowed-host")
    let names = options.allowedHosts + (options.publicURL?.host.map { [$0] } ?? [])
    if let token = invocation.environment["CLIENT_AUTH_TOKEN"], !token.isEmpty {
      // A guessable client token is a password for healing every token: refuse one that is short or repetitive.
      guard token.count >= 32, Set(token).count >= 8 else {
        invocation.report(.clientTokenWeak)
        return 1
      }
      options.clientToken = Secret(token)
    } else if arguments.has("allow-unauthenticated") {
      guard ServiceOrigin.isLoopback(options.host) else {
        invocation.report(.unauthenticatedNotLoopback(host: options.host))
        return 1
      }
      guard names.allSatisfy(ServiceOrigin.isLoopback) else {
        invocation.report(.unauthenticatedNamesNotLoopback(names.filter { !ServiceOrigin.isLoopback($0) }))
        return 1
      }
      invocation.report(.servingUnauthenticated(host: options.host))
    } else {
      invocation.report(.clientTokenMissing)
      return 1
    }
    if ServiceOrigin.isWildcard(options.host) && names.isEmpty {
      invocation.report(.wildcardNeedsNames(listen: listen))
      return 1
    }
    if let text = arguments.value("health-interval") {
      guard let seconds = Double(text), seconds >= 0 else {
        invocation.report(.badValue(option: "--health-interval", expects: "seconds", got: text))
        return 1
      }
      options.healthInterval = seconds
    }
    let log: @Sendable (String) -> Void = { line in
      invocation.err("[\(ISO8601DateFormatter().string(from: Date()))] \(line)\n")
    }
    var channels: [Notifier.Channel] = []
    for option in ["notify-webhook", "notify-slack"] {
      guard let text = arguments.value(option) else { continue }
      guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host != nil else {
        invocation.report(.badValue(option: "--\(option)", expects: "an http(s) URL", got: text))
        return 1
      }
      channels.append(option == "notify-slack" ? .slack(url) : .webhook(url))
    }
    if let address = arguments.value("notify-sendmail") {
      guard address.contains("@"), !address.contains(where: { $0 == "\n" || $0 == "\r" || $0 == " " }) else {
        invocation.report(.badValue(option: "--notify-sendmail", expects: "an e-mail address", got: address))
        return 1
      }
      guard let program = Platform.findProgram("sendmail", environment: invocation.environment) else {
        invocation.report(.sendmailMissing)
        return 1
      }
      channels.append(.sendmail(program: program, to: address))
    }
    if !channels.isEmpty {
      // Messages link to the dashboard only at an address others can open.
      options.notifier = Notifier(
        channels: channels, dashboard: options.publicURL?.appendingPathComponent(""), now: invocation.now, log: log)
    }
    guard var runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    // Advice that looks ahead names the next scheduled check.
    var check = runner.check
    let cronSchedules = options.schedules
    check.nextCheck = { now in cronSchedules.compactMap { $0.next(after: now) }.min() }
    runner = HealthRunner(
      check: check, recorder: runner.recorder, stateDirectory: runner.stateDirectory, now: runner.now)
    // Rolls the policy asks for, written where it says; the journal is the history's.
    if let journal = runner.recorder.store {
      options.rotations = ScheduledRotations(
        runner: runner,
        sinks: SinkWriter(
          client: check.client, workingDirectory: invocation.workingDirectory,
          accounts: RotateCommand.accounts(check.desired)),
        journal: journal, now: invocation.now)
    }
    if let refusal = RequestBudget.refusal(
      runner.check.desired, healthInterval: options.healthInterval, schedules: options.schedules, from: invocation.now()
    ) {
      invocation.report(.requestBudgetExceeded(refusal))
      return 1
    }
    let termination = TerminationSignal()
    let service: TokenWardenService
    do { service = try TokenWardenService(runner: runner, options: options, clock: SystemClock(), log: log) } catch {
      invocation.report(.cannotListen(listen: listen, why: "\(error)"))
      return 1
    }
    invocation.out(
      "TokenWarden serving at \(service.baseURL)/ (dashboard), \(service.baseURL)/tokens/health, …\n"
        + "Schedules (\(options.monitorOnly ? "check only" : "check and heal")): "
        + options.schedules.map { "'\($0.text)'" }.joined(separator: ", ") + ". Stop with Ctrl-C or SIGTERM.\n")
    let signal = await termination.wait()
    log("\(signal): finishing the run in progress, then stopping.")
    await service.stop(grace: 60)
    log("stopped.")
    return 0
  }
}
