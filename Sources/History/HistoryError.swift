/// Why the history database could not be used, in words a person can act on.
package struct HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
  package enum Kind: String, Sendable, Hashable {
    case corrupt, locked, readOnly, full, cannotOpen, newerSchema, other
  }

  package let kind: Kind
  package var path: String
  package let detail: String

  package init(kind: Kind, path: String, detail: String) {
    self.kind = kind
    self.path = path
    self.detail = detail
  }

  init(_ error: SQLiteError, path: String) {
    let kind: Kind
    switch error.primary {
    case SQLiteError.corrupt, SQLiteError.notADatabase: kind = .corrupt
    case SQLiteError.busy, SQLiteError.locked: kind = .locked
    case SQLiteError.readOnly: kind = .readOnly
    case SQLiteError.full: kind = .full
    case SQLiteError.cannotOpen: kind = .cannotOpen
    default: kind = error.code == Migrations.newerSchemaCode ? .newerSchema : .other
    }
    self.init(kind: kind, path: path, detail: error.description)
  }

  package var description: String {
    let file = path.isEmpty ? "the history database" : "the history database \(path)"
    switch kind {
    case .corrupt:
      return "\(file) is corrupt (\(detail)); move it aside and a new one is created on the next run"
    case .locked:
      return "\(file) stayed locked by another process past the busy timeout (\(detail)); try again when it is done"
    case .readOnly:
      return "\(file) is read-only (\(detail)); make it and its directory writable, or set TOKENWARDEN_STATE_DIR"
    case .full:
      return "\(file) cannot grow: the disk or its quota is full (\(detail)); free space or lower the retention"
    case .cannotOpen:
      return
        "\(file) cannot be opened (\(detail)); check that its directory exists and is writable, or set TOKENWARDEN_STATE_DIR"
    case .newerSchema:
      return "\(file) was written by a newer TokenWarden (\(detail)); upgrade TokenWarden to read it"
    case .other:
      return "\(file) failed: \(detail)"
    }
  }
}
