import Foundation

/// One rotation as the journal holds it: what it meant to do and how far it got. Never a secret.
package struct RotationRecord: Sendable, Hashable {
  /// How far a rotation got; each state is written before the step it names is taken further.
  package enum State: String, Sendable, Hashable, CaseIterable {
    /// About to create the new token (`replace`) or roll the secret (`roll`); the new name is recorded.
    case intent
    /// The new token exists (`replace`: its id is recorded) or the secret was rolled (`roll`). Its secret was in
    /// memory only: a run that stops here has lost it.
    case created
    /// Every sink holds the new secret.
    case written
    /// The new secret was verified as the sinks hold it.
    case verified
    /// The old token expires at the end of its grace period: the rotation is complete.
    case done
    /// Given up: an orphan token was expired, or a person must act (`message`).
    case abandoned
  }

  package var id: Int64?
  package var token: String
  /// `replace` or `roll`.
  package var strategy: String
  /// `user` or `account:ID`.
  package var family: String
  package var oldID: String
  package var newName: String?
  package var newID: String?
  package var state: State
  package var started: Date
  package var updated: Date
  package var message: String

  package init(
    id: Int64? = nil, token: String, strategy: String, family: String, oldID: String, newName: String? = nil,
    newID: String? = nil, state: State, started: Date, updated: Date, message: String = ""
  ) {
    self.id = id
    self.token = token
    self.strategy = strategy
    self.family = family
    self.oldID = oldID
    self.newName = newName
    self.newID = newID
    self.state = state
    self.started = started
    self.updated = updated
    self.message = message
  }

  /// Neither done nor abandoned: a run stopped in the middle of it.
  package var isOpen: Bool { state != .done && state != .abandoned }
}

extension HistoryStore {
  /// Writes the record (a new one when `id` is nil) and returns its id; each step is written before it is taken.
  @discardableResult
  package func journal(_ record: RotationRecord) throws(HistoryError) -> Int64 {
    try perform { () throws(SQLiteError) -> Int64 in
      try connection.transaction { database throws(SQLiteError) -> Int64 in
        let values: [SQLiteValue] = [
          .text(record.token), .text(record.strategy), .text(record.family), .text(record.oldID),
          .optional(record.newName), .optional(record.newID), .text(record.state.rawValue),
          .real(record.started.timeIntervalSince1970), .real(record.updated.timeIntervalSince1970),
          .text(record.message),
        ]
        if let id = record.id {
          try database.run(
            """
            UPDATE rotations SET token = ?, strategy = ?, family = ?, old_id = ?, new_name = ?, new_id = ?, state = ?,
              started = ?, updated = ?, message = ? WHERE id = ?
            """, values + [.integer(id)])
          return id
        }
        try database.run(
          """
          INSERT INTO rotations (token, strategy, family, old_id, new_name, new_id, state, started, updated, message)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """, values)
        return database.lastInsertRowID
      }
    }
  }

  /// The newest rotations, newest first; of one token when `token` is given.
  package func rotations(token: String? = nil, limit: Int = 100) throws(HistoryError) -> [RotationRecord] {
    try perform { () throws(SQLiteError) -> [RotationRecord] in
      try connection.withConnection { database throws(SQLiteError) -> [RotationRecord] in
        let filter = token == nil ? "" : "WHERE token = ?"
        let values: [SQLiteValue] = (token.map { [.text($0)] } ?? []) + [.integer(Int64(max(0, limit)))]
        return try database.run(
          """
          SELECT id, token, strategy, family, old_id, new_name, new_id, state, started, updated, message
          FROM rotations \(filter) ORDER BY id DESC LIMIT ?
          """, values
        )
        .map { row in
          RotationRecord(
            id: row[0].int, token: row[1].string ?? "", strategy: row[2].string ?? "", family: row[3].string ?? "",
            oldID: row[4].string ?? "", newName: row[5].string, newID: row[6].string,
            state: RotationRecord.State(rawValue: row[7].string ?? "") ?? .abandoned,
            started: Date(timeIntervalSince1970: row[8].double ?? 0),
            updated: Date(timeIntervalSince1970: row[9].double ?? 0), message: row[10].string ?? "")
        }
      }
    }
  }
}
