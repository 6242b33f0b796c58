import Foundation
import History
import Testing

/// The history database through its public interface: records, reads, migrations, retention and every failure mode.
@Suite struct HistoryStoreTests {
  static func temporaryPath() throws -> (URL, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tokenwarden-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return (directory, directory.appendingPathComponent("history.db").path)
  }

  static func check(_ overall: String, time: Date = Date(), tokens: Int = 2, hash: String = "h1") -> CheckRecord {
    CheckRecord(
      time: time, overall: overall, score: overall == "healthy" ? 100 : 60, source: "test",
      tokens: (0..<tokens).map { index in
        TokenCheck(
          name: "token-\(index)", tokenID: String(repeating: "\(index % 10)", count: 32), tokenType: "account",
          isValid: true, isActive: index % 2 == 0 ? true : nil, status: "active", state: overall,
          score: 100, missing: overall == "healthy" ? [] : ["D1 Write on account main"], expiresOn: nil,
          grantsHash: hash, conditions: #"[{"type":"Valid"}]"#)
      })
  }

  @Test func checksAndEventsComeBackNewestFirstWithTheirTokens() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path)
    let first = try store.record(
      Self.check("degraded"),
      event: EventRecord(time: Date(), type: "token_health_check", metadata: #"{"overall":"degraded"}"#))
    let second = try store.record(Self.check("healthy"))
    #expect(second > first)
    let checks = try store.recentChecks(limit: 10)
    #expect(checks.map(\.overall) == ["healthy", "degraded"])
    #expect(checks[1].tokens.map(\.missing) == [["D1 Write on account main"], ["D1 Write on account main"]])
    #expect(checks[1].tokens[1].isActive == nil)
    #expect(checks[1].tokens[0].isActive == true)
    #expect(try store.recentChecks(limit: 1).map(\.id) == [second])
    #expect(try store.recentEvents(limit: 5).map(\.type) == ["token_health_check"])
    #expect(try store.integrityCheck() == "ok")
    #expect(try store.schemaVersion() == Self.latestSchema)
  }

  @Test func timeRangesSelectOnlyTheirChecks() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path, retentionDays: nil)
    let now = Date()
    for day in 0..<5 { try store.record(Self.check("healthy", time: now.addingTimeInterval(-Double(day) * 86_400))) }
    let lastTwoDays = try store.checks(from: now.addingTimeInterval(-1.5 * 86_400), to: now.addingTimeInterval(1))
    #expect(lastTwoDays.count == 2)
  }

  @Test func plansAndAppliesAreTheAuditTrailAndTheNewestKnownHashWins() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path)
    let now = Date()
    try store.record(Self.check("degraded", time: now.addingTimeInterval(-60), hash: "before"))
    try store.record(
      RunRecord(
        time: now, kind: "apply", planDigest: "sha256:abc", source: "test", result: "applied",
        tokens: [
          RunToken(
            name: "token-0", editor: "token-1", outcome: RunOutcome(rawValue: "applied"), message: "added 1 permission",
            before: ["allow a account:x"], added: ["allow b account:x"],
            after: ["allow a account:x", "allow b account:x"],
            afterHash: "after")
        ]))
    let runs = try store.recentRuns(limit: 5)
    #expect(runs.count == 1)
    #expect(runs[0].tokens[0].after == ["allow a account:x", "allow b account:x"])
    let known = try store.lastKnown(["token-0", "token-1", "unknown"])
    #expect(known["token-0"]?.grantsHash == "after")
    #expect(known["token-0"]?.conditions == #"[{"type":"Valid"}]"#)
    #expect(known["token-1"]?.grantsHash == "before")
    #expect(known["unknown"] == nil)
  }

  @Test func retentionDeletesOldRowsWithTheirTokens() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path, retentionDays: 30)
    try store.record(Self.check("degraded", time: Date().addingTimeInterval(-31 * 86_400)))
    try store.record(Self.check("healthy"))
    #expect(try store.recentChecks(limit: 10).map(\.overall) == ["healthy"])
    #expect(try store.counts()["check_tokens"] == 2)
  }

  @Test func anOlderSchemaIsMigratedKeepingItsRows() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
      let old = try HistoryStore(path: path, retentionDays: nil, busyTimeoutMilliseconds: 1_000, schemaVersion: 1)
      #expect(try old.schemaVersion() == 1)
      try old.record(Self.check("degraded"))
      #expect(throws: HistoryError.self) {
        try old.record(
          RunRecord(time: Date(), kind: "plan", planDigest: "d", source: "s", result: "changes", tokens: []))
      }
      old.close()
    }
    let store = try HistoryStore(path: path)
    #expect(try store.schemaVersion() == Self.latestSchema)
    #expect(try store.recentChecks(limit: 10).count == 1)
    try store.record(RunRecord(time: Date(), kind: "plan", planDigest: "d", source: "s", result: "changes", tokens: []))
    #expect(try store.recentRuns(limit: 10).count == 1)
  }

  static let latestSchema = 4

  /// Version 3 stores each distinct grant list once: a file of version 2 keeps every run's lists, in order.
  @Test func runsOfVersionTwoKeepTheirGrantListsAndOrder() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
      let old = try HistoryStore(path: path, retentionDays: nil, busyTimeoutMilliseconds: 1_000, schemaVersion: 2)
      try old.execute(
        """
        INSERT INTO runs (id, time, kind, plan_digest, source, result) VALUES (1, 1, 'plan', 'd1', 's', 'changes');
        INSERT INTO runs (id, time, kind, plan_digest, source, result) VALUES (2, 2, 'apply', 'd1', 's', 'applied');
        INSERT INTO run_tokens (run_id, name, editor, outcome, message, before, added, after, after_hash) VALUES
          (1, 'z', 'admin', 'add', 'would add 1 permission', '["allow a x"]', '["allow b x"]', '["allow a x","allow b x"]', NULL),
          (1, 'a', NULL, 'none', 'nothing to add', '["allow a x"]', '[]', '["allow a x"]', NULL),
          (2, 'z', 'admin', 'applied', 'added 1 permission', '["allow a x"]', '["allow b x"]', '["allow a x","allow b x"]', 'h');
        """)
      old.close()
    }
    let store = try HistoryStore(path: path, retentionDays: nil)
    #expect(try store.schemaVersion() == Self.latestSchema)
    let runs = try store.recentRuns(limit: 10)
    #expect(runs.map(\.planDigest) == ["d1", "d1"])
    #expect(runs[1].tokens.map(\.name) == ["z", "a"])
    #expect(runs[1].tokens[0].before == ["allow a x"])
    #expect(runs[1].tokens[0].added == ["allow b x"])
    #expect(runs[1].tokens[0].after == ["allow a x", "allow b x"])
    #expect(runs[1].tokens[1].added == [])
    #expect(runs[0].tokens[0].afterHash == "h")
    #expect(try store.counts()["grant_sets"] == 4)
    #expect(try store.integrityCheck() == "ok")
  }

  /// A plan of many tokens that share their grants stores each list once; retention removes lists no run refers to.
  @Test func sharedGrantListsAreStoredOnceAndGoWithTheirRuns() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    func run(_ time: Date, _ list: String) -> RunRecord {
      RunRecord(
        time: time, kind: "plan", planDigest: "d", source: "s", result: "changes",
        tokens: (0..<500).map { index in
          RunToken(
            name: "token-\(index)", editor: "admin", outcome: .add, message: "would add 1 permission",
            before: ["allow a \(list)"], added: ["allow b \(list)"], after: ["allow a \(list)", "allow b \(list)"])
        })
    }
    do {
      let keeper = try HistoryStore(path: path, retentionDays: nil)
      try keeper.record(run(Date().addingTimeInterval(-31 * 86_400), "old"))
      #expect(try keeper.counts()["grant_sets"] == 3)
      keeper.close()
    }
    let store = try HistoryStore(path: path, retentionDays: 30)
    try store.record(run(Date(), "new"))
    #expect(try store.counts()["run_tokens"] == 500)
    #expect(try store.counts()["grant_sets"] == 3)
    let tokens = try store.recentRuns(limit: 1)[0].tokens
    #expect(tokens.count == 500)
    #expect(tokens.allSatisfy { $0.after == ["allow a new", "allow b new"] })
    #expect(tokens.map(\.name) == (0..<500).map { "token-\($0)" })
  }

  @Test func aFileFromANewerVersionIsRefusedWithWhatToDo() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    try HistoryStore(path: path).execute("PRAGMA user_version = 99")
    let error = #expect(throws: HistoryError.self) { try HistoryStore(path: path) }
    #expect(error?.kind == .newerSchema)
    #expect(error?.description.contains("upgrade TokenWarden") == true)
  }

  @Test func aCorruptFileIsNamedAsSuch() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: HistoryError.self) { try HistoryStore(path: path) }
    #expect(error?.kind == .corrupt)
    #expect(error?.description.contains("move it aside") == true)
  }

  @Test func aDirectoryThatCannotExistCannotBeOpened() throws {
    let (directory, _) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("not-a-directory")
    try Data("x".utf8).write(to: file)
    let error = #expect(throws: HistoryError.self) { try HistoryStore(path: file.path + "/history.db") }
    #expect(error?.kind == .cannotOpen)
  }

  @Test func aReadOnlyDatabaseRefusesWritesAsSuch() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path)
    // Tests run as root, where file modes do not stop writes; SQLite's own switch gives the same error.
    try store.execute("PRAGMA query_only = 1")
    let error = #expect(throws: HistoryError.self) { try store.record(Self.check("healthy")) }
    #expect(error?.kind == .readOnly)
  }

  @Test func aFullDatabaseLosesNoHalfWrittenCheck() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path, retentionDays: nil)
    try store.execute("PRAGMA max_page_count = 40")
    var failure: HistoryError?
    for _ in 0..<2_000 {
      do { try store.record(Self.check("degraded", tokens: 25)) } catch {
        failure = error
        break
      }
    }
    #expect(failure?.kind == .full)
    let counts = try store.counts()
    #expect((counts["check_tokens"] ?? -1) == (counts["checks"] ?? -1) * 25)
    #expect(try store.integrityCheck() == "ok")
  }

  @Test func aLockHeldPastTheBusyTimeoutIsReportedAsLocked() throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let holder = try HistoryStore(path: path)
    let waiter = try HistoryStore(path: path, retentionDays: 365, busyTimeoutMilliseconds: 20, schemaVersion: 2)
    try holder.execute("BEGIN IMMEDIATE")
    let error = #expect(throws: HistoryError.self) { try waiter.record(Self.check("healthy")) }
    #expect(error?.kind == .locked)
    try holder.execute("ROLLBACK")
    try waiter.record(Self.check("healthy"))
    #expect(try holder.recentChecks(limit: 5).count == 1)
  }

  @Test func twoConnectionsWritingAtOnceLoseNothing() async throws {
    let (directory, path) = try Self.temporaryPath()
    defer { try? FileManager.default.removeItem(at: directory) }
    let stores = [try HistoryStore(path: path), try HistoryStore(path: path)]
    try await withThrowingTaskGroup(of: Void.self) { group in
      for store in stores {
        group.addTask { for _ in 0..<150 { try store.record(Self.check("healthy")) } }
      }
      try await group.waitForAll()
    }
    #expect(try stores[0].counts()["checks"] == 300)
  }
}
