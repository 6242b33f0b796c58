internal import CSQLite
import Foundation
import Synchronization

/// A failed SQLite call: the result code, SQLite's message and the statement — never the bound values, which is where
/// data would be.
package struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
  package let code: Int32
  package let message: String
  package let sql: String?

  /// The primary result code (`SQLITE_BUSY` for `SQLITE_BUSY_SNAPSHOT`, and so on).
  package var primary: Int32 { code & 0xFF }

  package var description: String {
    "SQLite error \(code): \(message)" + (sql.map { " (in: \($0.prefix(80)))" } ?? "")
  }
}

/// One connection to a database file, guarded by a mutex so it can be shared between tasks. Every C call goes through
/// `check`, which throws with the code and the message.
final class SQLiteConnection: Sendable {
  struct Handle: @unchecked Sendable { let pointer: OpaquePointer }

  private let handle: Mutex<Handle?>

  static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32) throws(SQLiteError) {
    var pointer: OpaquePointer?
    let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
    let code = sqlite3_open_v2(path, &pointer, flags, nil)
    guard code == SQLITE_OK, let pointer else {
      let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
      sqlite3_close_v2(pointer)
      throw SQLiteError(code: code, message: message, sql: nil)
    }
    sqlite3_extended_result_codes(pointer, 1)
    sqlite3_busy_timeout(pointer, busyTimeoutMilliseconds)
    handle = Mutex(Handle(pointer: pointer))
  }

  deinit { close() }

  func close() {
    handle.withLock { current in
      if let pointer = current?.pointer { sqlite3_close_v2(pointer) }
      current = nil
    }
  }

  /// Runs `body` with exclusive use of the connection.
  func withConnection<T>(_ body: (Connected) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
    try handle.withLock { current throws(SQLiteError) -> T in
      guard let pointer = current?.pointer else {
        throw SQLiteError(code: SQLITE_MISUSE, message: "the database is closed", sql: nil)
      }
      return try body(Connected(pointer: pointer))
    }
  }

  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. `BEGIN IMMEDIATE` takes the
  /// write lock at once, so the busy timeout applies there rather than half-way through.
  func transaction<T>(_ body: (Connected) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
    try withConnection { connection throws(SQLiteError) -> T in
      try connection.execute("BEGIN IMMEDIATE")
      do throws(SQLiteError) {
        let value = try body(connection)
        try connection.execute("COMMIT")
        return value
      } catch {
        try? connection.execute("ROLLBACK")
        throw error
      }
    }
  }
}

/// The connection while its mutex is held.
struct Connected {
  let pointer: OpaquePointer

  func check(_ code: Int32, _ sql: String?) throws(SQLiteError) {
    guard code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE else {
      throw SQLiteError(code: code, message: String(cString: sqlite3_errmsg(pointer)), sql: sql)
    }
  }

  /// Runs one or more statements without parameters.
  func execute(_ sql: String) throws(SQLiteError) {
    try check(sqlite3_exec(pointer, sql, nil, nil, nil), sql)
  }

  func prepare(_ sql: String) throws(SQLiteError) -> Statement {
    var statement: OpaquePointer?
    try check(sqlite3_prepare_v2(pointer, sql, -1, &statement, nil), sql)
    guard let statement else { throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement", sql: sql) }
    return Statement(connection: self, pointer: statement, sql: sql)
  }

  /// Runs a statement with these parameters, once; the rows it returns, each as an array of values.
  @discardableResult
  func run(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
    let statement = try prepare(sql)
    defer { statement.finalize() }
    try statement.bind(values)
    return try statement.rows()
  }

  var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(pointer) }

  /// Rows the last INSERT, UPDATE or DELETE changed.
  var changes: Int { Int(sqlite3_changes(pointer)) }
}

/// A value in or out of SQLite.
enum SQLiteValue: Sendable, Hashable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)

  var int: Int64? { if case .integer(let value) = self { return value } else { return nil } }
  var double: Double? {
    switch self {
    case .real(let value): return value
    case .integer(let value): return Double(value)
    default: return nil
    }
  }
  var string: String? { if case .text(let value) = self { return value } else { return nil } }
  var bool: Bool? { int.map { $0 != 0 } }

  static func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .null }
  static func optional(_ flag: Bool?) -> SQLiteValue { flag.map { .integer($0 ? 1 : 0) } ?? .null }
  static func bool(_ flag: Bool) -> SQLiteValue { .integer(flag ? 1 : 0) }
}

/// A prepared statement; reusable after `reset`.
struct Statement {
  let connection: Connected
  let pointer: OpaquePointer
  let sql: String

  func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32
      switch value {
      case .null: code = sqlite3_bind_null(pointer, index)
      case .integer(let number): code = sqlite3_bind_int64(pointer, index, number)
      case .real(let number): code = sqlite3_bind_double(pointer, index, number)
      case .text(let text): code = sqlite3_bind_text(pointer, index, text, -1, SQLiteConnection.transient)
      }
      try connection.check(code, sql)
    }
  }

  func rows() throws(SQLiteError) -> [[SQLiteValue]] {
    var rows: [[SQLiteValue]] = []
    while true {
      let code = sqlite3_step(pointer)
      if code == SQLITE_DONE { return rows }
      guard code == SQLITE_ROW else {
        try connection.check(code, sql)
        return rows
      }
      var row: [SQLiteValue] = []
      for column in 0..<sqlite3_column_count(pointer) {
        switch sqlite3_column_type(pointer, column) {
        case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(pointer, column)))
        case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(pointer, column)))
        case SQLITE_NULL: row.append(.null)
        default: row.append(.text(sqlite3_column_text(pointer, column).map { String(cString: $0) } ?? ""))
        }
      }
      rows.append(row)
    }
  }

  /// Runs it again with new values (prepared once, bound many times: batch inserts); the rows it returns.
  @discardableResult
  func rerun(_ values: [SQLiteValue]) throws(SQLiteError) -> [[SQLiteValue]] {
    sqlite3_reset(pointer)
    sqlite3_clear_bindings(pointer)
    try bind(values)
    return try rows()
  }

  func finalize() { sqlite3_finalize(pointer) }
}

extension SQLiteError {
  static let busy = SQLITE_BUSY
  static let locked = SQLITE_LOCKED
  static let readOnly = SQLITE_READONLY
  static let full = SQLITE_FULL
  static let corrupt = SQLITE_CORRUPT
  static let notADatabase = SQLITE_NOTADB
  static let cannotOpen = SQLITE_CANTOPEN
  static let ioError = SQLITE_IOERR
}
