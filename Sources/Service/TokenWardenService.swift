import Foundation
import HTTPServer
import Health
import History
import Operations
import Synchronization
import TokenModel

/// `tokenwarden serve`, assembled: the monitor, the endpoints on our HTTP server, and the scheduler.
package final class TokenWardenService: Sendable {
  package struct Options: Sendable {
    package var host = "127.0.0.1"
    package var port: UInt16 = 8787
    /// The seed's: every 6 hours and at midnight (UTC).
    package var schedules: [CronExpression] = []
    package var monitorOnly = false
    /// At most one fresh check per this many seconds for `GET /tokens/health`.
    package var healthInterval: TimeInterval = 30
    package var clientToken: Secret?
    /// The service's external URL (behind a reverse proxy): its name is one the service answers to, and its origin
    /// one whose pages may start a heal.
    package var publicURL: URL?
    /// More names the service answers to (`--allowed-host`).
    package var allowedHosts: [String] = []
    package var notifier: Notifier?
    /// Rolls that scheduled runs do when the policy says so (not with `monitorOnly`).
    package var rotations: ScheduledRotations?
    /// Connections open at once from one address (0: no limit).
    package var maxConnectionsPerClient = 64
    /// A fresh check of many tokens, or a heal, can take a while; the server answers 503 past this.
    package var handlerTimeout: TimeInterval = 300

    package init() {}

    package static func defaultSchedules() -> [CronExpression] {
      ["0 */6 * * *", "0 0 * * *"].compactMap { try? CronExpression($0) }
    }
  }

  package let monitor: Monitor
  package let server: HTTPServer
  let scheduler: Task<Void, Never>
  let control = SchedulerControl()

  /// Starts serving at once; the scheduler makes a catch-up run when the last recorded run is older than the
  /// shortest interval, else a plain check so that status and metrics have something to serve.
  package init(
    runner: HealthRunner, options: Options, clock: any ServiceClock, log: @escaping @Sendable (String) -> Void
  )
    throws
  {
    let store = runner.recorder.store
    let last = (try? store?.recentChecks(limit: 1))?.first
    let baseline = Dictionary(
      (last?.tokens ?? []).compactMap { token in HealthState(rawValue: token.state).map { (token.name, $0) } },
      uniquingKeysWith: { first, _ in first })
    let monitor = Monitor(
      runner: runner, clock: clock, minInterval: options.healthInterval, notifier: options.notifier, baseline: baseline,
      rotations: options.rotations, log: log)
    self.monitor = monitor
    let origin = ServiceOrigin(
      listenHost: options.host, port: options.port, publicURL: options.publicURL, allowedHosts: options.allowedHosts)
    let endpoints = ServiceEndpoints(
      monitor: monitor, clientToken: options.clientToken, client: runner.check.client, clock: clock, origin: origin)
    var configuration = ServerConfiguration()
    configuration.host = options.host
    configuration.port = options.port
    configuration.handlerTimeout = options.handlerTimeout
    configuration.maxConnectionsPerClient = options.maxConnectionsPerClient
    server = try HTTPServer(configuration: configuration, handler: endpoints.handler)
    // Port 0 picks a free port: the service's own origins are on the one picked.
    let bound = server.port
    origin.port.withLock { $0 = bound }
    let scheduler = Scheduler(schedules: options.schedules, clock: clock)
    let monitorOnly = options.monitorOnly
    let lastRun = last?.time
    let control = self.control
    self.scheduler = Task {
      if !scheduler.catchUpDue(lastRun: lastRun, at: clock.now()) { _ = await monitor.health() }
      await scheduler.run(lastRun: lastRun, control: control) { why in
        await monitor.scheduledRun(why: why, monitorOnly: monitorOnly)
      }
    }
  }

  package var baseURL: String { server.baseURL }

  /// Stops the scheduler, lets a running heal or scheduled run finish (at most `grace` seconds), then stops the server.
  package func stop(grace: TimeInterval = 60) async {
    control.stop()
    let monitor = self.monitor
    let scheduler = self.scheduler
    // Whichever comes first: the run in progress ends, or the grace period does.
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let resumed = Mutex(false)
      let finish: @Sendable () -> Void = {
        if resumed.withLock({ done in
          defer { done = true }
          return !done
        }) {
          continuation.resume()
        }
      }
      Task {
        await scheduler.value
        await monitor.idle()
        finish()
      }
      Task {
        try? await Task.sleep(for: .seconds(grace))
        finish()
      }
    }
    server.stop(grace: 5)
  }
}
