import Foundation
import History

/// The history database: inserts per second in batches, and "last 10" / "last 1,000" over 1,000,000 checks.
enum HistoryBenchmark {
  /// A check of two tokens, shaped like the seed's.
  static func check(_ index: Int, time: Date) -> CheckRecord {
    let conditions =
      #"[{"type":"Valid","status":"True","reason":"Verified","message":"valid","last_transition_time":"2026-11-22T00:00:00Z"}]"#
    return CheckRecord(
      time: time, overall: index % 3 == 0 ? "degraded" : "healthy", score: 90, source: "benchmark",
      tokens: [
        TokenCheck(
          name: "account_token", tokenID: "4d841f1aa61bc019800506e138085f66", tokenType: "account", isValid: true,
          isActive: true, status: "active", state: "healthy", score: 100, missing: [], expiresOn: nil,
          grantsHash: "0123456789abcdef", conditions: conditions),
        TokenCheck(
          name: "user_token", tokenID: "a753e62f6ffe44a7762befbce7a9eddf", tokenType: "user", isValid: true,
          isActive: true, status: "active", state: "healthy", score: 100, missing: [], expiresOn: nil,
          grantsHash: "fedcba9876543210", conditions: conditions),
      ])
  }

  static func run(rows: Int) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tokenwarden-history-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history.db").path
    do {
      let store = try HistoryStore(path: path, retentionDays: nil)
      // One transaction per check (what a health check does), then the same rows in batches of 1,000.
      let single = 2_000
      var started = Date()
      for index in 0..<single { try store.record(check(index, time: Date())) }
      let perSecond = Double(single) / Date().timeIntervalSince(started)
      print(
        String(
          format: "one check per transaction: %.0f checks/s (%.0f rows/s with their 2 tokens)", perSecond, perSecond * 3
        ))
      started = Date()
      var written = single
      while written < rows {
        let batch = (0..<min(1_000, rows - written)).map { check(written + $0, time: Date()) }
        try store.record(batch: batch)
        written += batch.count
      }
      let batched = Double(rows - single) / Date().timeIntervalSince(started)
      print(String(format: "batches of 1,000 checks: %.0f checks/s (%.0f rows/s)", batched, batched * 3))
      for limit in [10, 1_000] {
        var best = Double.infinity
        for _ in 0..<20 {
          let start = Date()
          let checks = try store.recentChecks(limit: limit)
          best = min(best, Date().timeIntervalSince(start))
          precondition(checks.count == limit && checks[0].tokens.count == 2)
        }
        print(String(format: "last %d of %d checks (with their tokens): %.2f ms", limit, rows, best * 1000))
      }
      let hourAgo = Date().addingTimeInterval(-3600)
      let start = Date()
      let range = try store.checks(from: hourAgo, to: Date(), limit: 1_000)
      print(
        String(
          format: "a time range (last hour, first 1,000): %.2f ms, %d checks", Date().timeIntervalSince(start) * 1000,
          range.count))
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      print("database size: \(size / 1_048_576) MB")
      // A plan of 10,000 tokens, 20 accounts, each token lacking one of 8 grants: 160 distinct grant lists.
      let grants = (0..<8).map { "allow group-\($0)-0123456789abcdef0123456789 account:" }
      let tokens = (0..<10_000).map { index -> RunToken in
        let account = String(format: "%032x", index % 20)
        let all = grants.map { $0 + account }
        let missing = index / 20 % 8
        return RunToken(
          name: "service-\(index)", editor: "admin", outcome: .add, message: "would add 1 permission",
          before: all.enumerated().filter { $0.offset != missing }.map(\.element), added: [all[missing]], after: all)
      }
      var times: [Double] = []
      for _ in 0..<5 {
        let start = Date()
        try store.record(
          RunRecord(time: Date(), kind: "plan", planDigest: "d", source: "s", result: "changes", tokens: tokens))
        times.append(Date().timeIntervalSince(start))
      }
      print(String(format: "a plan of 10,000 tokens: %.1f ms per record (best of 5)", (times.min() ?? 0) * 1000))
    } catch {
      print("history benchmark failed: \(error)")
    }
  }

  /// Writes `count` checks one transaction at a time, printing each committed id: the process the kill and
  /// concurrency tests start (and kill) many times.
  static func writer(path: String, count: Int) -> Int32 {
    do {
      let store = try HistoryStore(path: path, retentionDays: nil)
      for index in 0..<count {
        let id = try store.record(
          check(index, time: Date()), event: EventRecord(time: Date(), type: "writer", metadata: "{}"))
        FileHandle.standardOutput.write(Data("committed \(id)\n".utf8))
      }
      return 0
    } catch {
      FileHandle.standardError.write(Data("\(error)\n".utf8))
      return 1
    }
  }
}
