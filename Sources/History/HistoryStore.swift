internal import CSQLite
import Foundation
import JSON

/// The history database: every health check, plan and apply, and telemetry events, in SQLite in the state directory.
///
/// WAL mode, so readers never wait for the writer; a busy timeout, so a CLI run and a running service can write at
/// the same time; every record is one transaction, so a crash leaves whole rows or none. Never a secret: records hold
/// names, ids and grants only.
package final class HistoryStore: Sendable {
  package let path: String
  /// Records older than this many days are deleted when new ones are written; nil keeps everything.
  package let retentionDays: Int?
  /// The schema this store was opened at (older only in tests of migrations): columns added later are written only
  /// when they exist.
  let openedAt: Int
  let connection: SQLiteConnection

  package static func defaultPath(stateDirectory: String) -> String { stateDirectory + "/history.db" }

  /// Opens (creating if needed) and migrates the database.
  package convenience init(path: String, retentionDays: Int? = 365, busyTimeoutMilliseconds: Int32 = 5_000)
    throws(HistoryError)
  {
    try self.init(
      path: path, retentionDays: retentionDays, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
      schemaVersion: Migrations.latest)
  }

  /// Opens at an older schema version: for tests of migrations.
  package init(path: String, retentionDays: Int?, busyTimeoutMilliseconds: Int32, schemaVersion: Int)
    throws(HistoryError)
  {
    self.path = path
    self.retentionDays = retentionDays
    openedAt = schemaVersion
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    do {
      connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
      try connection.withConnection { database throws(SQLiteError) in
        try Self.enableWAL(database, timeoutMilliseconds: busyTimeoutMilliseconds)
        try database.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
      }
    } catch {
      throw HistoryError(error, path: path)
    }
    try Migrations.migrate(connection, to: schemaVersion, path: path)
  }

  package func close() { connection.close() }

  /// WAL persists in the file once set, so this changes something only on a new file. Switching takes an exclusive
  /// lock and SQLite answers SQLITE_BUSY at once, without its busy handler, when another process holds the file — two
  /// processes creating the database together — so it is retried here for as long as the busy timeout.
  static func enableWAL(_ database: Connected, timeoutMilliseconds: Int32) throws(SQLiteError) {
    var waited: Int32 = 0
    while true {
      do {
        if try database.run("PRAGMA journal_mode").first?.first?.string?.lowercased() == "wal" { return }
        // journal_mode answers with a row.
        _ = try database.run("PRAGMA journal_mode = WAL")
        return
      } catch  where error.primary == SQLITE_BUSY && waited < timeoutMilliseconds {
        usleep(10_000)
        waited += 10
      }
    }
  }

  func perform<T>(_ body: () throws(SQLiteError) -> T) throws(HistoryError) -> T {
    do { return try body() } catch { throw HistoryError(error, path: path) }
  }

  var retentionCutoff: Double? {
    retentionDays.map { Date().timeIntervalSince1970 - Double($0) * 86_400 }
  }

  // MARK: Writing

  /// Records a health check and, in the same transaction, its telemetry event; returns the check's id.
  @discardableResult
  package func record(_ check: CheckRecord, event: EventRecord? = nil) throws(HistoryError) -> Int64 {
    try perform { () throws(SQLiteError) -> Int64 in
      try connection.transaction { database throws(SQLiteError) -> Int64 in
        let id = try insert(check, database)
        if let event { try insertEvent(event, database) }
        try prune(database)
        return id
      }
    }
  }

  /// Records many checks in one transaction (imports, benchmarks).
  package func record(batch checks: [CheckRecord]) throws(HistoryError) {
    try perform { () throws(SQLiteError) in
      try connection.transaction { database throws(SQLiteError) in
        for check in checks { _ = try insert(check, database) }
        try prune(database)
      }
    }
  }

  func insert(_ check: CheckRecord, _ database: Connected) throws(SQLiteError) -> Int64 {
    try database.run(
      "INSERT INTO checks (time, overall, score, source, heal_attempted, heal_result) VALUES (?, ?, ?, ?, ?, ?)",
      [
        .real(check.time.timeIntervalSince1970), .text(check.overall), .integer(Int64(check.score)),
        .text(check.source), .bool(check.healAttempted), .optional(check.healResult),
      ])
    let id = database.lastInsertRowID
    let lastUse = openedAt >= 4
    let insert = try database.prepare(
      """
      INSERT INTO check_tokens (check_id, name, token_id, token_type, is_valid, is_active, status, state, score,
        missing, expires_on, grants_hash, conditions, heal_attempted, heal_result\(lastUse ? ", last_used_on" : ""))
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?\(lastUse ? ", ?" : ""))
      """)
    defer { insert.finalize() }
    for token in check.tokens {
      try insert.rerun(
        [
          .integer(id), .text(token.name), .text(token.tokenID), .text(token.tokenType), .optional(token.isValid),
          .optional(token.isActive), .optional(token.status), .text(token.state), .integer(Int64(token.score)),
          .text(JSONList.encode(token.missing)), .optional(token.expiresOn), .optional(token.grantsHash),
          .text(token.conditions), .bool(token.healAttempted), .optional(token.healResult),
        ] + (lastUse ? [.optional(token.lastUsedOn)] : []))
    }
    return id
  }

  /// Records a plan or an apply; returns its id.
  @discardableResult
  package func record(_ run: RunRecord) throws(HistoryError) -> Int64 {
    try perform { () throws(SQLiteError) -> Int64 in
      try connection.transaction { database throws(SQLiteError) -> Int64 in
        try database.run(
          "INSERT INTO runs (time, kind, plan_digest, source, result) VALUES (?, ?, ?, ?, ?)",
          [
            .real(run.time.timeIntervalSince1970), .text(run.kind), .text(run.planDigest), .text(run.source),
            .text(run.result),
          ])
        let id = database.lastInsertRowID
        let insert = try database.prepare(
          """
          INSERT INTO run_tokens (run_id, name, editor, outcome, message, before_set, added_set, after_set, after_hash)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
        defer { insert.finalize() }
        var sets = try GrantSets(database)
        defer { sets.finalize() }
        for token in run.tokens {
          try insert.rerun([
            .integer(id), .text(token.name), .optional(token.editor), .text(token.outcome.rawValue),
            .text(token.message),
            .integer(try sets.id(of: token.before)), .integer(try sets.id(of: token.added)),
            .integer(try sets.id(of: token.after)), .optional(token.afterHash),
          ])
        }
        try prune(database)
        return id
      }
    }
  }

  @discardableResult
  package func record(_ event: EventRecord) throws(HistoryError) -> Int64 {
    try perform { () throws(SQLiteError) -> Int64 in
      try connection.transaction { database throws(SQLiteError) -> Int64 in
        try insertEvent(event, database)
        return database.lastInsertRowID
      }
    }
  }

  func insertEvent(_ event: EventRecord, _ database: Connected) throws(SQLiteError) {
    try database.run(
      "INSERT INTO events (time, type, metadata) VALUES (?, ?, ?)",
      [.real(event.time.timeIntervalSince1970), .text(event.type), .text(event.metadata)])
  }

  /// Deletes what is older than the retention; cheap when there is nothing to delete (an index on time).
  func prune(_ database: Connected) throws(SQLiteError) {
    guard let cutoff = retentionCutoff else { return }
    for table in ["checks", "events", "runs"] {
      try database.run("DELETE FROM \(table) WHERE time < ?", [.real(cutoff)])
    }
    // Grant lists that only the deleted runs referred to; looked for only when runs were deleted (the scan reads
    // every remaining run's tokens).
    if database.changes > 0 {
      try database.run(
        """
        DELETE FROM grant_sets WHERE id NOT IN (
          SELECT before_set FROM run_tokens UNION SELECT added_set FROM run_tokens UNION SELECT after_set FROM run_tokens)
        """)
    }
  }

  // MARK: Reading

  /// The last `limit` checks, newest first.
  package func recentChecks(limit: Int) throws(HistoryError) -> [CheckRecord] {
    try checks(where: "", [], order: "id DESC", limit: limit)
  }

  /// Checks in a time range, newest first.
  package func checks(from start: Date, to end: Date, limit: Int = 1_000) throws(HistoryError) -> [CheckRecord] {
    try checks(
      where: "WHERE time >= ? AND time < ?", [.real(start.timeIntervalSince1970), .real(end.timeIntervalSince1970)],
      order: "time DESC", limit: limit)
  }

  /// `order` follows an index: the rowid for "the last N", `checks_time` for ranges.
  func checks(where clause: String, _ values: [SQLiteValue], order: String, limit: Int) throws(HistoryError)
    -> [CheckRecord]
  {
    try perform { () throws(SQLiteError) -> [CheckRecord] in
      try connection.withConnection { database throws(SQLiteError) -> [CheckRecord] in
        let rows = try database.run(
          "SELECT id, time, overall, score, source, heal_attempted, heal_result FROM checks \(clause) ORDER BY \(order) LIMIT ?",
          values + [.integer(Int64(max(0, limit)))])
        var checks = rows.map { row in
          CheckRecord(
            id: row[0].int, time: Date(timeIntervalSince1970: row[1].double ?? 0), overall: row[2].string ?? "",
            score: Int(row[3].int ?? 0), source: row[4].string ?? "", healAttempted: row[5].bool ?? false,
            healResult: row[6].string, tokens: [])
        }
        let ids = checks.compactMap(\.id)
        guard let newest = ids.max(), let oldest = ids.min() else { return checks }
        let tokenRows = try database.run(
          """
          SELECT check_id, name, token_id, token_type, is_valid, is_active, status, state, score, missing, expires_on,
            grants_hash, conditions, heal_attempted, heal_result\(openedAt >= 4 ? ", last_used_on" : "")
          FROM check_tokens WHERE check_id BETWEEN ? AND ? ORDER BY check_id, rowid
          """, [.integer(oldest), .integer(newest)])
        var byCheck: [Int64: [TokenCheck]] = [:]
        for row in tokenRows {
          byCheck[row[0].int ?? 0, default: []].append(
            TokenCheck(
              name: row[1].string ?? "", tokenID: row[2].string ?? "", tokenType: row[3].string ?? "",
              isValid: row[4].bool, isActive: row[5].bool, status: row[6].string, state: row[7].string ?? "",
              score: Int(row[8].int ?? 0), missing: JSONList.decode(row[9].string), expiresOn: row[10].string,
              grantsHash: row[11].string, conditions: row[12].string ?? "[]", healAttempted: row[13].bool ?? false,
              healResult: row[14].string, lastUsedOn: row.count > 15 ? row[15].string : nil))
        }
        for index in checks.indices { checks[index].tokens = byCheck[checks[index].id ?? 0] ?? [] }
        return checks
      }
    }
  }

  /// The last `limit` plans and applies, newest first.
  package func recentRuns(limit: Int) throws(HistoryError) -> [RunRecord] {
    try perform { () throws(SQLiteError) -> [RunRecord] in
      try connection.withConnection { database throws(SQLiteError) -> [RunRecord] in
        let rows = try database.run(
          "SELECT id, time, kind, plan_digest, source, result FROM runs ORDER BY id DESC LIMIT ?",
          [.integer(Int64(max(0, limit)))])
        var runs = rows.map { row in
          RunRecord(
            id: row[0].int, time: Date(timeIntervalSince1970: row[1].double ?? 0), kind: row[2].string ?? "",
            planDigest: row[3].string ?? "", source: row[4].string ?? "", result: row[5].string ?? "", tokens: [])
        }
        guard let newest = runs.first?.id, let oldest = runs.last?.id else { return runs }
        let tokenRows = try database.run(
          """
          SELECT t.run_id, t.name, t.editor, t.outcome, t.message, b.grants, a.grants, f.grants, t.after_hash
          FROM run_tokens t JOIN grant_sets b ON b.id = t.before_set JOIN grant_sets a ON a.id = t.added_set
            JOIN grant_sets f ON f.id = t.after_set
          WHERE t.run_id BETWEEN ? AND ? ORDER BY t.run_id, t.rowid
          """, [.integer(oldest), .integer(newest)])
        var byRun: [Int64: [RunToken]] = [:]
        for row in tokenRows {
          byRun[row[0].int ?? 0, default: []].append(
            RunToken(
              name: row[1].string ?? "", editor: row[2].string, outcome: RunOutcome(rawValue: row[3].string ?? ""),
              message: row[4].string ?? "", before: JSONList.decode(row[5].string),
              added: JSONList.decode(row[6].string), after: JSONList.decode(row[7].string), afterHash: row[8].string))
        }
        for index in runs.indices { runs[index].tokens = byRun[runs[index].id ?? 0] ?? [] }
        return runs
      }
    }
  }

  /// The last `limit` events, newest first.
  package func recentEvents(limit: Int) throws(HistoryError) -> [EventRecord] {
    try perform { () throws(SQLiteError) -> [EventRecord] in
      try connection.withConnection { database throws(SQLiteError) -> [EventRecord] in
        try database.run(
          "SELECT id, time, type, metadata FROM events ORDER BY id DESC LIMIT ?", [.integer(Int64(max(0, limit)))]
        )
        .map { row in
          EventRecord(
            id: row[0].int, time: Date(timeIntervalSince1970: row[1].double ?? 0), type: row[2].string ?? "",
            metadata: row[3].string ?? "{}")
        }
      }
    }
  }

  /// For each named token, the newest of its last check and its last apply: the grants hash then, and the
  /// conditions of its last check.
  package func lastKnown(_ names: [String]) throws(HistoryError) -> [String: LastKnown] {
    try perform { () throws(SQLiteError) -> [String: LastKnown] in
      try connection.withConnection { database throws(SQLiteError) -> [String: LastKnown] in
        let checked = try database.prepare(
          """
          SELECT c.time, t.grants_hash, t.conditions FROM check_tokens t JOIN checks c ON c.id = t.check_id
          WHERE t.name = ? ORDER BY t.check_id DESC LIMIT 1
          """)
        defer { checked.finalize() }
        let applied = try database.prepare(
          """
          SELECT r.time, t.after_hash FROM run_tokens t JOIN runs r ON r.id = t.run_id
          WHERE t.name = ? AND r.kind = 'apply' AND t.after_hash IS NOT NULL ORDER BY t.run_id DESC LIMIT 1
          """)
        defer { applied.finalize() }
        var known: [String: LastKnown] = [:]
        for name in names {
          try checked.rerun([.text(name)]).first.map { row in
            known[name] = LastKnown(
              time: Date(timeIntervalSince1970: row[0].double ?? 0), grantsHash: row[1].string,
              conditions: row[2].string)
          }
          if let row = try applied.rerun([.text(name)]).first {
            let time = Date(timeIntervalSince1970: row[0].double ?? 0)
            if time >= known[name]?.time ?? .distantPast {
              known[name] = LastKnown(time: time, grantsHash: row[1].string, conditions: known[name]?.conditions)
            }
          }
        }
        return known
      }
    }
  }

  /// `PRAGMA integrity_check`: "ok", or what is wrong.
  package func integrityCheck() throws(HistoryError) -> String {
    try perform { () throws(SQLiteError) -> String in
      try connection.withConnection { database throws(SQLiteError) -> String in
        try database.run("PRAGMA integrity_check").compactMap { $0.first?.string }.joined(separator: "; ")
      }
    }
  }

  /// Rows in each table: for tests.
  package func counts() throws(HistoryError) -> [String: Int] {
    try perform { () throws(SQLiteError) -> [String: Int] in
      try connection.withConnection { database throws(SQLiteError) -> [String: Int] in
        var counts: [String: Int] = [:]
        for table in ["checks", "check_tokens", "runs", "run_tokens", "grant_sets", "events"] {
          counts[table] = Int(try database.run("SELECT count(*) FROM \(table)").first?.first?.int ?? 0)
        }
        return counts
      }
    }
  }

  /// The schema version of the file (`PRAGMA user_version`).
  package func schemaVersion() throws(HistoryError) -> Int {
    try perform { () throws(SQLiteError) -> Int in try connection.withConnection(Migrations.version) }
  }

  /// Runs raw SQL: for tests that simulate a full disk or a schema from an older version.
  package func execute(_ sql: String) throws(HistoryError) {
    try perform { () throws(SQLiteError) in
      try connection.withConnection { database throws(SQLiteError) in try database.execute(sql) }
    }
  }
}

/// The ids of grant lists in `grant_sets`, each list written once; a run's tokens mostly share a few lists.
struct GrantSets {
  let insert: Statement
  let select: Statement
  var known: [Lines: Int64] = [:]

  /// A grant list as a key hashed by its ends only: a plan's lists are few and differ there, and hashing every
  /// line of every token's three lists cost more than storing them.
  struct Lines: Hashable {
    let lines: [String]

    func hash(into hasher: inout Hasher) {
      hasher.combine(lines.count)
      hasher.combine(lines.first)
      hasher.combine(lines.last)
    }
  }

  init(_ database: Connected) throws(SQLiteError) {
    insert = try database.prepare("INSERT OR IGNORE INTO grant_sets (grants) VALUES (?)")
    select = try database.prepare("SELECT id FROM grant_sets WHERE grants = ?")
  }

  mutating func id(of grants: [String]) throws(SQLiteError) -> Int64 {
    if let id = known[Lines(lines: grants)] { return id }
    let text = JSONList.encode(grants)
    _ = try insert.rerun([.text(text)])
    guard let id = try select.rerun([.text(text)]).first?.first?.int else {
      throw SQLiteError(code: 1, message: "a grant list was not stored", sql: nil)
    }
    known[Lines(lines: grants)] = id
    return id
  }

  func finalize() {
    insert.finalize()
    select.finalize()
  }
}

/// Lists of strings as JSON text in one column.
enum JSONList {
  static func encode(_ items: [String]) -> String {
    var writer = JSONWriter()
    writer.array(items)
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  static func decode(_ text: String?) -> [String] {
    guard let text, let items = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
    return items
  }
}
