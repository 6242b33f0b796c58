import Foundation
import PolicyLanguage
import TokenModel

/// Benchmarks, run in release mode: `swift run -c release tokenwarden-bench parse`.
/// Figures and how to reproduce them are in docs/performance.md.

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
  ParseBenchmark.run(sizesInMB: arguments.count > 1 ? arguments.dropFirst().compactMap(Int.init) : [1, 5, 15])
case "list":
  await ListBenchmark.run(tokens: arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000)
case "reconcile":
  await ReconcileBenchmark.run(
    tokens: arguments.dropFirst().compactMap { Int($0) }.first ?? 1000, loopback: arguments.contains("--loopback"),
    planOnly: arguments.contains("--plan-only"), trace: arguments.contains("--trace"))
case "health":
  await HealthBenchmark.run(
    tokens: arguments.dropFirst().compactMap { Int($0) }.first ?? 1000, loopback: arguments.contains("--loopback"))
case "decode":
  await DecodeBenchmark.run(rounds: arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000)
case "history":
  HistoryBenchmark.run(rows: arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000)
case "write-scenario" where arguments.count == 3:
  exit(ReconcileBenchmark.writeScenario(tokens: Int(arguments[1]) ?? 1000, to: arguments[2]))
case "history-writer" where arguments.count == 3 || (arguments.count == 4 && arguments[3] == "--wait"):
  // --wait: open the database only after a line on stdin, so a test can start several writers at the same moment.
  if arguments.count == 4 { _ = readLine() }
  exit(HistoryBenchmark.writer(path: arguments[1], count: Int(arguments[2]) ?? 100))
case "lock-holder" where arguments.count == 2 || (arguments.count == 3 && arguments[2] == "--wait"):
  // Takes the apply lock of state directory DIR, prints "acquired" or "held: WHY", and keeps it until stdin closes;
  // with --wait, tries only after a first line on stdin (for the test that starts two at the same moment).
  if arguments.count == 3 { _ = readLine() }
  exit(LockHolder.run(stateDirectory: arguments[1]))
case "cli":
  var words = Array(arguments.dropFirst(2))
  var runs = 5
  if let flag = words.firstIndex(of: "--runs"), words.indices.contains(flag + 1) {
    runs = Int(words[flag + 1]) ?? 5
    words.removeSubrange(flag...(flag + 1))
  }
  await CLIBenchmark.run(
    command: arguments.count > 1 ? arguments[1] : "plan", tokens: words.compactMap { Int($0) }.first ?? 1000, runs: runs
  )
case "service":
  let words = arguments.filter { $0 != "--versus-nginx" }
  await ServiceBenchmark.run(
    seconds: words.count > 1 ? Int(words[1]) ?? 60 : 60, connections: words.count > 2 ? Int(words[2]) ?? 100 : 100,
    path: words.count > 3 ? words[3] : "/tokens/status", versusNginx: arguments.contains("--versus-nginx"))
case "slow-clients":
  let numbers = arguments.dropFirst().compactMap { Int($0) }
  SlowClientBenchmark.run(
    connections: numbers.first ?? 1000, probes: numbers.dropFirst().first ?? 200,
    perClientLimit: !arguments.contains("--no-client-limit"))
case "server":
  ServerBenchmark.run(seconds: arguments.count > 1 ? Int(arguments[1]) ?? 10 : 10)
default:
  FileHandle.standardError.write(
    Data(
      """
      Usage: tokenwarden-bench parse [MB...] | list [N] | decode [ROUNDS] | reconcile [N] [--loopback] [--plan-only] [--trace] | server [SECONDS] | history [ROWS] | health [N] [--loopback] | service [SECONDS] [CONNECTIONS]

        parse   Parse generated policies of 1, 5 and 15 MB (or the sizes given; at most 16 MiB); compare with PyYAML's C loader.
        list    Read N tokens (default 1,000) across 5 accounts from the loopback sandbox with 20 ms latency.
        decode  CPU per token of reading a list page of 50 tokens: the general JSON reader, the client's list
                path (pages read straight from their bytes), LiveToken (default 2,000 rounds).
        reconcile  Plan and apply N tokens (default 1,000) across 5 accounts, sandbox with 20 ms latency
                   (in-process; with --loopback a separate sandbox process, so memory is TokenWarden's alone);
                   --plan-only stops after the plan, --trace prints each request as it completes.
        health  A health check of N tokens (default 1,000) across 5 accounts, sandbox with 20 ms latency.
        history Inserts per second, and "last 10" / "last 1,000" checks over ROWS checks (default 1,000,000).
        history-writer PATH COUNT [--wait]  Write COUNT checks to PATH, printing each committed id (for the kill
                   tests); with --wait, only after a line on stdin.
        lock-holder DIR [--wait]  Take the apply lock of DIR and keep it until stdin closes (for the lock tests).
        service [SECONDS] [CONNECTIONS] [PATH] [--versus-nginx]  with --versus-nginx, the same bytes from nginx too.
        service GET /tokens/status of the service under wrk (default 60 s, 100 connections), memory sampled.
        slow-clients [N] [PROBES] [--no-client-limit]  N slow connections (default 1,000) from 127.0.0.2 held open while /healthz is
                   probed from 127.0.0.1 (default 200 probes, 50 ms apart): how many answer within 1 s.
        server  Requests/s and latency of a small JSON endpoint of our HTTP server, measured with wrk.
        cli plan|apply|health [N] [--runs R]  The tokenwarden executable as users run it, against the loopback
                   sandbox with 20 ms latency and a generated policy file of N tokens (default 1,000): wall time
                   against the floor, requests, peak memory, history growth; min, median and max of R runs (5).

      """.utf8))
  exit(arguments.first == nil || arguments.first == "--help" ? 0 : 1)
}
