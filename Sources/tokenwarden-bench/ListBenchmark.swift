import CloudflareAPI
import Foundation
import HTTPServer
import Simulator
import TokenModel

/// Reading every token of the `many` scenario through the list endpoints, over loopback HTTP with 20 ms latency.
enum ListBenchmark {
  static func run(tokens: Int) async {
    var state = Scenario.many(count: tokens)
    state.faults.latencyMilliseconds = 20
    // The benchmark measures TokenWarden, not the per-user budget (1,200 requests per 5 minutes would pace it).
    state.settings.rateLimit = 1_000_000
    let simulator = Simulator(state: state)
    guard let server = try? simulator.serve() else {
      print("cannot start the loopback sandbox")
      return
    }
    defer { server.stop(grace: 1) }
    let configuration = ClientConfiguration()
    let logger: APILogger? =
      ProcessInfo.processInfo.environment["TOKENWARDEN_LOG"] == "debug" ? { @Sendable line in print(line) } : nil
    let client = CloudflareClient(
      baseURL: URL(string: server.baseURL + Simulator.basePath)!, transport: URLSessionTransport(),
      configuration: configuration, rateLimiter: RateLimiter(limit: 100_000),
      logger: logger)
    let admin = state.tokens.first { $0.name == "admin" }!
    let credential = Credential(label: "admin", tokenID: admin.id, secret: Secret(admin.secret))
    let accounts = state.accounts
    let clock = ContinuousClock()
    for pass in ["cold (first connections)", "warm (connections reused)"] {
      let before = client.counter.total
      var read = 0
      let elapsed = await clock.measure {
        read = await withTaskGroup(of: Int.self) { group in
          group.addTask { (try? await client.permissionGroups(.user, as: credential)).map { _ in 0 } ?? 0 }
          for account in accounts {
            // As a policy naming every token of the account would: its pages are asked for at once.
            let expected = state.tokens.filter { $0.owner == .account(account.id) }.count
            group.addTask {
              (try? await client.listTokens(.account(account.id), as: credential, expected: expected).count) ?? 0
            }
          }
          return await group.reduce(0, +)
        }
      }
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let requests = client.counter.total - before
      let perAccount = accounts.map { account in state.tokens.filter { $0.owner == .account(account.id) }.count }
      let expected = perAccount.map { max(1, ($0 + 49) / 50) }.reduce(0, +) + 1
      let floor = Double(requests) * 0.020 / Double(configuration.concurrency)
      print("\(pass): read \(read) of \(tokens) tokens across \(accounts.count) accounts")
      print("  requests: \(requests) (⌈N/50⌉ per account + the catalog = \(expected))")
      print(
        String(
          format: "  wall time: %.3f s; floor (requests × 20 ms ÷ %d in flight): %.3f s; ratio %.2f×", seconds,
          configuration.concurrency, floor, seconds / floor))
    }
  }
}
