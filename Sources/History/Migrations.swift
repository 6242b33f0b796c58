/// The schema, as an ordered list of migrations; `PRAGMA user_version` records how many have run. A migration is
/// never edited once released: changes are new migrations.
enum Migrations {
  static let steps: [String] = [
    // 1: health checks.
    """
    CREATE TABLE checks (
      id INTEGER PRIMARY KEY, time REAL NOT NULL, overall TEXT NOT NULL, score INTEGER NOT NULL, source TEXT NOT NULL,
      heal_attempted INTEGER NOT NULL, heal_result TEXT);
    CREATE INDEX checks_time ON checks (time);
    CREATE TABLE check_tokens (
      check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE, name TEXT NOT NULL, token_id TEXT NOT NULL,
      token_type TEXT NOT NULL, is_valid INTEGER, is_active INTEGER, status TEXT, state TEXT NOT NULL,
      score INTEGER NOT NULL, missing TEXT NOT NULL, expires_on TEXT, grants_hash TEXT, conditions TEXT NOT NULL,
      heal_attempted INTEGER NOT NULL, heal_result TEXT, PRIMARY KEY (check_id, name));
    CREATE INDEX check_tokens_name ON check_tokens (name, check_id);
    """,
    // 2: the reconciler's audit trail (plans and applies) and telemetry events.
    """
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY, time REAL NOT NULL, kind TEXT NOT NULL, plan_digest TEXT NOT NULL, source TEXT NOT NULL,
      result TEXT NOT NULL);
    CREATE INDEX runs_time ON runs (time);
    CREATE TABLE run_tokens (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, name TEXT NOT NULL, editor TEXT,
      outcome TEXT NOT NULL, message TEXT NOT NULL, before TEXT NOT NULL, added TEXT NOT NULL, after TEXT NOT NULL,
      after_hash TEXT, PRIMARY KEY (run_id, name));
    CREATE INDEX run_tokens_name ON run_tokens (name, run_id);
    CREATE TABLE events (id INTEGER PRIMARY KEY, time REAL NOT NULL, type TEXT NOT NULL, metadata TEXT NOT NULL);
    CREATE INDEX events_time ON events (time);
    """,
    // 3: each distinct grant list stored once. A plan of 10,000 tokens that share a few lists wrote each token's
    // before, added and after in full (20 MB); a run's token now refers to the lists by id. Existing rows keep
    // their lists and their order.
    """
    CREATE TABLE grant_sets (id INTEGER PRIMARY KEY, grants TEXT NOT NULL UNIQUE);
    INSERT OR IGNORE INTO grant_sets (grants)
      SELECT before FROM run_tokens UNION SELECT added FROM run_tokens UNION SELECT after FROM run_tokens;
    CREATE TABLE run_tokens_3 (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, name TEXT NOT NULL, editor TEXT,
      outcome TEXT NOT NULL, message TEXT NOT NULL, before_set INTEGER NOT NULL REFERENCES grant_sets (id),
      added_set INTEGER NOT NULL REFERENCES grant_sets (id), after_set INTEGER NOT NULL REFERENCES grant_sets (id),
      after_hash TEXT, PRIMARY KEY (run_id, name));
    INSERT INTO run_tokens_3
      SELECT t.run_id, t.name, t.editor, t.outcome, t.message,
        (SELECT id FROM grant_sets WHERE grants = t.before), (SELECT id FROM grant_sets WHERE grants = t.added),
        (SELECT id FROM grant_sets WHERE grants = t.after), t.after_hash
      FROM run_tokens t ORDER BY t.run_id, t.rowid;
    DROP TABLE run_tokens;
    ALTER TABLE run_tokens_3 RENAME TO run_tokens;
    CREATE INDEX run_tokens_name ON run_tokens (name, run_id);
    """,
    // 4: the rotation journal (what a rotation meant to do and how far it got, never a secret), and each token's
    // last use as Cloudflare reported it at each check.
    """
    CREATE TABLE rotations (
      id INTEGER PRIMARY KEY, token TEXT NOT NULL, strategy TEXT NOT NULL, family TEXT NOT NULL,
      old_id TEXT NOT NULL, new_name TEXT, new_id TEXT, state TEXT NOT NULL, started REAL NOT NULL,
      updated REAL NOT NULL, message TEXT NOT NULL DEFAULT '');
    CREATE INDEX rotations_token ON rotations (token, id);
    ALTER TABLE check_tokens ADD COLUMN last_used_on TEXT;
    """,
  ]

  static var latest: Int { steps.count }

  static func version(_ database: Connected) throws(SQLiteError) -> Int {
    Int(try database.run("PRAGMA user_version").first?.first?.int ?? 0)
  }

  /// Brings the file to `target`, each step in its own transaction with its version bump.
  static func migrate(_ connection: SQLiteConnection, to target: Int, path: String) throws(HistoryError) {
    do {
      try connection.transaction { database throws(SQLiteError) in
        let current = try version(database)
        guard current <= latest else {
          throw SQLiteError(
            code: newerSchemaCode, message: "schema version \(current), this TokenWarden knows \(latest)", sql: nil)
        }
        for step in current..<max(current, target) {
          try database.execute(steps[step])
          try database.execute("PRAGMA user_version = \(step + 1)")
        }
      }
    } catch {
      if error.code == newerSchemaCode {
        throw HistoryError(kind: .newerSchema, path: path, detail: error.message)
      }
      throw HistoryError(error, path: path)
    }
  }

  /// Not an SQLite code: marks a file from a newer TokenWarden.
  static let newerSchemaCode: Int32 = -2
}
