import Foundation
import Operations
import Service
import TokenModel

/// `tokenwarden serve`: the REST endpoints, the dashboard and the scheduled runs.
enum ServeCommand {
  static let spec = CommandSpec(
    name: "serve",
    summary:
      "Serve health, heal, status, history, metrics and a dashboard over HTTP, and check and heal on a schedule.",
    usage:
      "tokenwarden serve [--listen HOST:PORT] [--public-url URL] [--allowed-host HOST]... [--max-connections-per-client N] [--schedule CRON]... [--monitor-only] [--notify-webhook URL] [--health-interval SECONDS] [--allow-unauthenticated] [--sandbox] [POLICY...]",
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
        help: "Post Slack-compatible JSON there on state changes and after each heal."),
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
      invocation.err("Error: \(error.description)\n")
      return 1
    }
    options.monitorOnly = arguments.has("monitor-only")
    if let text = arguments.value("max-connections-per-client") {
      guard let limit = Int(text), limit >= 0 else {
        invocation.err("Error: --max-connections-per-client takes a whole number (0 for no limit), not '\(text)'\n")
        return 1
      }
      options.maxConnectionsPerClient = limit
    }
    if let text = arguments.value("public-url") {
      guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host != nil,
        url.user == nil,
        url.password == nil
      else {
        invocation.err(
          "Error: --public-url takes the service's external http(s) URL, like https://tokenwarden.example.com, not '\(text)'\n"
        )
        return 1
      }
      options.publicURL = url
    }
    for host in arguments.all("allowed-host") {
      guard !host.isEmpty, !host.contains("/"), !host.contains(" ") else {
        invocation.err("Error: --allowed-host takes a host name, like tokenwarden.example.com, not '\(host)'\n")
        return 1
      }
    }
    options.allowedHosts = arguments.all("allowed-host")
    let names = options.allowedHosts + (options.publicURL?.host.map { [$0] } ?? [])
    if let token = invocation.environment["CLIENT_AUTH_TOKEN"], !token.isEmpty {
      // A guessable client token is a password for healing every token: refuse one that is short or repetitive.
      guard token.count >= 32, Set(token).count >= 8 else {
        invocation.err(
          "Error: CLIENT_AUTH_TOKEN is too weak: use at least 32 characters with at least 8 different ones; make one with: openssl rand -hex 32\n"
        )
        return 1
      }
      options.clientToken = Secret(token)
    } else if arguments.has("allow-unauthenticated") {
      guard ServiceOrigin.isLoopback(options.host) else {
        invocation.err(
          "Error: --allow-unauthenticated works only on a loopback address, not \(options.host); set CLIENT_AUTH_TOKEN\n"
        )
        return 1
      }
      guard names.allSatisfy(ServiceOrigin.isLoopback) else {
        invocation.err(
          "Error: --allow-unauthenticated works only when every name the service answers to is a loopback name; set CLIENT_AUTH_TOKEN to serve \(names.filter { !ServiceOrigin.isLoopback($0) }.joined(separator: ", "))\n"
        )
        return 1
      }
      invocation.err("Warning: serving without authentication on \(options.host) (--allow-unauthenticated)\n")
    } else {
      invocation.err(
        "Error: set CLIENT_AUTH_TOKEN to the token clients must send (Authorization: Bearer …), or pass --allow-unauthenticated to serve on loopback without one\n"
      )
      return 1
    }
    if ServiceOrigin.isWildcard(options.host) && names.isEmpty {
      invocation.err(
        "Error: listening on \(listen) (every address) needs the names clients use to reach the service: --public-url URL or --allowed-host HOST (requests for other names are refused, so that no other site can reach it through DNS re-binding)\n"
      )
      return 1
    }
    if let text = arguments.value("health-interval") {
      guard let seconds = Double(text), seconds >= 0 else {
        invocation.err("Error: --health-interval takes seconds, not '\(text)'\n")
        return 1
      }
      options.healthInterval = seconds
    }
    let log: @Sendable (String) -> Void = { line in
      invocation.err("[\(ISO8601DateFormatter().string(from: Date()))] \(line)\n")
    }
    if let text = arguments.value("notify-webhook") {
      guard let url = URL(string: text), url.scheme == "https" || url.scheme == "http", url.host != nil else {
        invocation.err("Error: --notify-webhook takes an http(s) URL, not '\(text)'\n")
        return 1
      }
      options.notifier = Notifier(url: url, log: log)
    }
    guard let runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    if let refusal = RequestBudget.refusal(
      runner.check.desired, healthInterval: options.healthInterval, schedules: options.schedules, from: invocation.now()
    ) {
      invocation.err("Error: \(refusal)\n")
      return 1
    }
    let termination = TerminationSignal()
    let service: TokenWardenService
    do { service = try TokenWardenService(runner: runner, options: options, clock: SystemClock(), log: log) } catch {
      invocation.err("Error: cannot serve on \(listen): \(error)\n")
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
