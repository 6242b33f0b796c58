import CloudflareAPI
import Foundation
import Health
import TokenModel

/// A health check of N tokens (the `many` scenario, 20 ms latency): one verify per token is unavoidable — it needs
/// each token's own secret — plus the list pages that read the grants.
enum HealthBenchmark {
  static func run(tokens: Int, loopback: Bool) async {
    guard let fixture = ReconcileBenchmark.fixture(tokens: tokens, loopback: loopback) else { return }
    defer { fixture.sandbox?.terminate() }
    let check = HealthCheck(
      client: fixture.client, desired: fixture.desired, catalog: .bundled, credentials: fixture.credentials,
      missingSecrets: [:], toolVersion: "bench", policyDigest: "-", source: "bench")
    let start = ContinuousClock.now
    let outcome = await check.run(previous: [:])
    let elapsed = ContinuousClock.now - start
    let requests = fixture.client.counter.total
    let counts = Dictionary(grouping: outcome.report.tokens, by: \.health).mapValues(\.count)
    print(
      "health of \(outcome.report.tokens.count) tokens: \(counts[.healthy] ?? 0) healthy, \(counts[.degraded] ?? 0) degraded, \(counts[.unhealthy] ?? 0) unhealthy"
    )
    print("  requests: \(requests) (\(outcome.report.tokens.count) verify calls, one per token, plus the list pages)")
    ReconcileBenchmark.report(elapsed, requests: requests, concurrency: fixture.configuration.concurrency)
    print("peak resident memory: \(ReconcileBenchmark.peakKilobytes() / 1024) MB")
  }
}
