import Foundation
import Service
import TokenModel

/// `tokenwarden serve`: the REST endpoints, the dashboard and the scheduled runs.
enum ServeCommand {
  static let spec = CommandSpec(
    name: "serve",
    summary: "Serve health, heal, status, history, metrics and a dashboard over HTTP, and check and heal on a schedule.",
    usage: "tokenwarden serve [--listen HOST:PORT] [--schedule CRON]... [--monitor-only] [--notify-webhook URL] [--health-interval SECONDS] [--allow-unauthenticated] [--sandbox] [POLICY...]",
    options: [
      .init(name: "listen", valueName: "HOST:PORT", help: "Where to listen (default 127.0.0.1:8787)."),
      .init(name: "schedule", valueName: "CRON", help: "A 5-field cron schedule, UTC unless it starts with CRON_TZ=Zone (repeatable; default '0 */6 * * *' and '0 0 * * *')."),
      .init(name: "monitor-only", valueName: nil, help: "Scheduled runs check but never heal."),
      .init(name: "notify-webhook", valueName: "URL", help: "Post Slack-compatible JSON there on state changes and after each heal."),
      .init(name: "health-interval", valueName: "SECONDS", help: "At most one fresh check per this many seconds for GET /tokens/health (default 30)."),
      .init(name: "allow-unauthenticated", valueName: nil, help: "Run without CLIENT_AUTH_TOKEN (only on a loopback address)."),
    ] + Connection.options,
    details: """
      Every endpoint but /healthz needs the client token from CLIENT_AUTH_TOKEN: 'Authorization: Bearer TOKEN', or
      HTTP Basic with it as the password (for the dashboard in a browser). Logs go to stderr. SIGTERM or SIGINT lets
      a running heal or scheduled run finish (at most 60 s), then exits 0.
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
        try schedules.isEmpty ? TokenWardenService.Options.defaultSchedules() : schedules.map { text throws(CronExpression.ParseError) in try CronExpression(text) }
    } catch {
      invocation.err("Error: \(error.description)\n")
      return 1
    }
    options.monitorOnly = arguments.has("monitor-only")
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
    if let token = invocation.environment["CLIENT_AUTH_TOKEN"], !token.isEmpty {
      options.clientToken = Secret(token)
    } else if arguments.has("allow-unauthenticated") {
      guard ["127.0.0.1", "::1", "localhost"].contains(options.host) else {
        invocation.err("Error: --allow-unauthenticated works only on a loopback address, not \(options.host); set CLIENT_AUTH_TOKEN\n")
        return 1
      }
      invocation.err("Warning: serving without authentication on \(options.host) (--allow-unauthenticated)\n")
    } else {
      invocation.err(
        "Error: set CLIENT_AUTH_TOKEN to the token clients must send (Authorization: Bearer …), or pass --allow-unauthenticated to serve on loopback without one\n")
      return 1
    }
    guard let runner = await HealthRun.prepare(invocation, arguments) else { return 1 }
    if let refusal = RequestBudget.refusal(
      runner.check.desired, healthInterval: options.healthInterval, schedules: options.schedules, from: invocation.now())
    {
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
