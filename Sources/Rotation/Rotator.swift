import Basics
import CloudflareAPI
import Foundation
import History
import LiveState
import Reconciler
import TokenModel

/// Rotates one token's secret, step by step, each step written to the journal before it is taken further, so that a
/// run stopped anywhere is finished by running it again.
///
/// `replace` never leaves a consumer without a valid secret: the old token works until every sink holds a new one
/// that was verified, and then only expires after a grace period (it is never deleted). `roll` keeps the id; the
/// old secret stops at once, so consumers fail until the sinks hold the new one.
package struct Rotator: Sendable {
  /// A step just written to the journal; tests stop a run there, as a kill would.
  package enum Step: String, Sendable, CaseIterable {
    case orphansExpired, intent, created, written, verified, oldExpiring, done
  }

  package let client: CloudflareClient
  package let sinks: SinkWriter
  package let journal: HistoryStore
  package let now: @Sendable () -> Date
  /// Called after each step; throwing stops the run there (a test's kill).
  package let afterStep: @Sendable (Step) throws -> Void
  /// Given a verified new secret of a rolled token, for a running service that uses that token (in memory only).
  package let keep: (@Sendable (String, Secret) -> Void)?

  package init(
    client: CloudflareClient, sinks: SinkWriter, journal: HistoryStore, now: @escaping @Sendable () -> Date,
    afterStep: @escaping @Sendable (Step) throws -> Void = { _ in }, keep: (@Sendable (String, Secret) -> Void)? = nil
  ) {
    self.client = client
    self.sinks = sinks
    self.journal = journal
    self.now = now
    self.afterStep = afterStep
    self.keep = keep
  }

  /// What to rotate and how.
  package struct Request: Sendable {
    package let token: DesiredToken
    package let strategy: RotationStrategy
    package let sinks: [SecretSink]
    package let grace: Int
    package let lifetime: Int?
    /// The token that creates, rolls and expires: it holds (Account) API Tokens Write for the token's family.
    package let editor: Credential
    /// Writes Workers secrets; nil: the new secret itself.
    package let sinkCredential: Credential?

    package init(
      token: DesiredToken, strategy: RotationStrategy, sinks: [SecretSink], grace: Int, lifetime: Int?,
      editor: Credential, sinkCredential: Credential?
    ) {
      self.token = token
      self.strategy = strategy
      self.sinks = sinks
      self.grace = grace
      self.lifetime = lifetime
      self.editor = editor
      self.sinkCredential = sinkCredential
    }
  }

  /// How a rotation ended. The English is the renderer's.
  package enum Outcome: Sendable {
    /// Done: the new id (the same for `roll`), and when the old token stops working (`replace`).
    case rotated(oldID: String, newID: String, oldExpires: String?, notes: [String])
    /// Stopped; `newID` is a token that exists and holds a secret nobody may have (to finish or undo).
    case failed(reason: String, oldID: String, newID: String?, secretLost: Bool)
  }

  package struct Stop: Error, Sendable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
  }

  package func rotate(_ request: Request) async -> Outcome {
    do {
      switch request.strategy {
      case .replace: return try await replace(request)
      case .roll: return try await roll(request)
      }
    } catch {
      return .failed(reason: "\(error)", oldID: request.token.id.rawValue, newID: nil, secretLost: false)
    }
  }

  var family: (TokenFamily) -> String { { $0.key } }

  func record(_ record: inout RotationRecord, _ state: RotationRecord.State, message: String = "") throws {
    record.state = state
    record.updated = now()
    record.message = message
    record.id = try journal.journal(record)
  }

  // MARK: replace

  func replace(_ request: Request) async throws -> Outcome {
    let token = request.token
    let family = TokenFamily(owner: token.owner)
    // Runs stopped before. The newest may have written every sink: then it is finished. The others created tokens
    // whose secret was lost, yet may sit in a sink; they are expired only once every sink holds a newer secret.
    var open = try journal.rotations(token: token.name, limit: 50).filter { $0.isOpen && $0.strategy == "replace" }
    if let newest = open.first, newest.state == .written || newest.state == .verified, let newID = newest.newID {
      var entry = newest
      try await confirmWritten(&entry, newID: newID, request: request)
      let notes = try await expireOrphans(Array(open.dropFirst()), request: request, keeping: newID)
      return try await finish(&entry, request: request, notes: ["finished the rotation a stopped run began"] + notes)
    }
    let old = try await read(token.id, family: family, as: request.editor)
    let listed = try await client.listTokens(family, as: request.editor)
    let quota = family == .user ? 50 : 500
    guard listed.count < quota else {
      throw Stop(
        "\(family.description) already holds \(listed.count) tokens, Cloudflare's quota (\(quota)): delete unused ones first (TokenWarden never deletes)"
      )
    }
    let stamp = CloudflareDate.format(now())
    let base = "\(old.name) (rotated \(stamp.prefix(10)))"
    var name = base
    var counter = 2
    // Not the name of a token a stopped run may have created either: those are found by name to be expired.
    let names = Set(listed.map(\.name)).union(open.compactMap(\.newName))
    while names.contains(name) {
      name = "\(base) \(counter)"
      counter += 1
    }
    var entry = RotationRecord(
      token: token.name, strategy: "replace", family: family.key, oldID: token.id.rawValue, newName: name,
      state: .intent, started: now(), updated: now())
    try record(&entry, .intent)
    try afterStep(.intent)
    var update = APITokenUpdate(echoing: old, policies: old.policies)
    update.name = name
    update.status = nil
    update.expiresOn = request.lifetime.map { CloudflareDate.format(now().addingTimeInterval(Double($0))) }
    let created: CreatedToken
    do { created = try await client.createToken(family, update, as: request.editor) } catch {
      try record(&entry, .abandoned, message: "create failed: \(error.message)")
      throw Stop("creating the new token failed: \(error.message); nothing changed")
    }
    entry.newID = created.token.id
    try record(&entry, .created)
    try afterStep(.created)
    let secret = created.value
    let writer = request.sinkCredential ?? Credential(label: name, tokenID: HexID(created.token.id), secret: secret)
    for sink in request.sinks {
      do { try await sinks.write(sink, secret: secret, credential: writer) } catch {
        return .failed(reason: error.description, oldID: old.id, newID: created.token.id, secretLost: true)
      }
    }
    try record(&entry, .written)
    try afterStep(.written)
    if let failure = await verify(secret, id: created.token.id, family: family, request: request, writer: writer) {
      return .failed(reason: failure, oldID: old.id, newID: created.token.id, secretLost: true)
    }
    try record(&entry, .verified)
    try afterStep(.verified)
    open.removeAll { $0.id == entry.id }
    let notes = try await expireOrphans(open, request: request, keeping: created.token.id)
    return try await finish(&entry, request: request, notes: notes)
  }

  /// The journal says every sink took the new secret: where a sink can be read back, it must verify as the new
  /// token; nothing is expired when it does not.
  func confirmWritten(_ entry: inout RotationRecord, newID: String, request: Request) async throws {
    guard entry.state == .written else { return }
    let family = TokenFamily(owner: request.token.owner)
    for sink in request.sinks {
      guard case .value(let secret) = await sinks.readBack(sink, credential: request.sinkCredential ?? request.editor)
      else { continue }
      let answer = try? await client.verify(family, as: Credential(label: "new secret", tokenID: nil, secret: secret))
      guard answer?.id == newID else {
        throw Stop(
          "\(sink) does not hold the secret of the new token \(newID) that a stopped rotation wrote there; nothing was expired: put a working secret there, then run rotate again"
        )
      }
    }
    try record(&entry, .verified)
    try afterStep(.verified)
  }

  /// The old token expires `grace` from now (never later than it would have), by a read-modify-write like every
  /// write of TokenWarden's; it is never deleted.
  func finish(_ entry: inout RotationRecord, request: Request, notes: [String]) async throws -> Outcome {
    let family = TokenFamily(owner: request.token.owner)
    let expires = try await expire(request.token.id, family: family, after: request.grace, as: request.editor)
    try afterStep(.oldExpiring)
    try record(&entry, .done, message: "old token \(entry.oldID) expires \(expires)")
    try afterStep(.done)
    return .rotated(oldID: entry.oldID, newID: entry.newID ?? entry.oldID, oldExpires: expires, notes: notes)
  }

  /// Tokens stopped runs created, whose secret is lost: expired now (every sink holds a newer secret by the time
  /// this runs), and their entries closed.
  func expireOrphans(_ entries: [RotationRecord], request: Request, keeping: String? = nil) async throws -> [String] {
    guard !entries.isEmpty else { return [] }
    let family = TokenFamily(owner: request.token.owner)
    let listed = try await client.listTokens(family, as: request.editor)
    var notes: [String] = []
    for var entry in entries {
      var orphans = Set<String>()
      if let newID = entry.newID { orphans.insert(newID) }
      if let name = entry.newName { orphans.formUnion(listed.filter { $0.name == name }.map(\.id)) }
      var expired: [String] = []
      for orphan in orphans.sorted() {
        guard let id = HexID(orphan), orphan != request.token.id.rawValue, orphan != keeping else { continue }
        let when = try await expire(id, family: family, after: 0, as: request.editor)
        expired.append("\(orphan) (expired \(when))")
      }
      let message =
        expired.isEmpty
        ? "a stopped run created nothing"
        : "a stopped run's token, whose secret was lost: " + expired.joined(separator: ", ")
      try record(&entry, .abandoned, message: message)
      if !expired.isEmpty { notes.append(message) }
    }
    try afterStep(.orphansExpired)
    return notes
  }

  func read(_ id: HexID, family: TokenFamily, as credential: Credential) async throws -> APIToken {
    do { return try await client.token(id, in: family, as: credential) } catch {
      throw Stop("cannot read token \(id.short) through \(credential.display): \(error.message)")
    }
  }

  /// Sets `expires_on` to now + `after`, or keeps an earlier one: a token is made to expire sooner, never later.
  func expire(_ id: HexID, family: TokenFamily, after seconds: Int, as credential: Credential) async throws -> String {
    try await setExpiry(
      id, family: family, to: now().addingTimeInterval(Double(seconds)), as: credential, onlySooner: true)
  }

  /// Sets `expires_on` to `date` (with `onlySooner`, unless the token already expires before it) by a read-modify-write
  /// from a fresh read, checked by reading back.
  func setExpiry(_ id: HexID, family: TokenFamily, to date: Date, as credential: Credential, onlySooner: Bool = false)
    async throws -> String
  {
    let current = try await read(id, family: family, as: credential)
    if onlySooner, let existing = current.expiresOn.flatMap(CloudflareDate.parse), existing <= date {
      return current.expiresOn ?? ""
    }
    var update = APITokenUpdate(echoing: current, policies: current.policies)
    update.expiresOn = CloudflareDate.format(date)
    do { _ = try await client.updateToken(id, in: family, update, as: credential) } catch {
      throw Stop("cannot set the expiry of \(id.short): \(error.message)")
    }
    let after = try await read(id, family: family, as: credential)
    guard LiveGrant.grants(of: after).isSuperset(of: LiveGrant.grants(of: current)) else {
      throw Stop("token \(id.short) lost grants while its expiry was set: check it in the dashboard")
    }
    return after.expiresOn ?? update.expiresOn ?? ""
  }

  /// The new secret as its consumers will use it: Cloudflare accepts it as this token, and each sink that can be read
  /// back holds it.
  func verify(_ secret: Secret, id: String, family: TokenFamily, request: Request, writer: Credential) async -> String?
  {
    do {
      let answer = try await client.verify(family, as: Credential(label: "new secret", tokenID: nil, secret: secret))
      guard answer.id == id, answer.status == .active else {
        return "the new secret verifies as \(answer.id) (\(answer.status.rawValue)), not as the new token \(id)"
      }
    } catch {
      return "Cloudflare does not accept the new secret: \(error.message)"
    }
    for sink in request.sinks {
      switch await sinks.readBack(sink, credential: writer) {
      case .value(let held):
        if held != secret { return "\(sink) does not hold the new secret after writing it" }
      case .missing(let why): return "\(sink): \(why)"
      case .present, .unsupported: continue
      }
    }
    return nil
  }

  // MARK: roll

  func roll(_ request: Request) async throws -> Outcome {
    let token = request.token
    let family = TokenFamily(owner: token.owner)
    var notes: [String] = []
    if let open = try journal.rotations(token: token.name, limit: 1).first, open.isOpen, open.strategy == "roll" {
      var closed = open
      if open.state == .written || open.state == .verified {
        // The sinks hold the rolled secret: verify where it can be read back, and close.
        for sink in request.sinks {
          if case .value(let secret) = await sinks.readBack(sink, credential: request.sinkCredential ?? request.editor),
            (try? await client.verify(family, as: Credential(label: "rolled", tokenID: nil, secret: secret)))?.id
              == token.id.rawValue
          {
            try record(&closed, .done, message: "finished by a later run")
            return .rotated(
              oldID: token.id.rawValue, newID: token.id.rawValue, oldExpires: nil,
              notes: ["finished the roll a stopped run began"])
          }
        }
      }
      // The rolled secret was lost with the run that rolled it: roll again.
      try record(&closed, .abandoned, message: "the rolled secret was lost; rolled again")
      notes.append("a stopped run had rolled the secret without writing it anywhere: rolled again")
    }
    var entry = RotationRecord(
      token: token.name, strategy: "roll", family: family.key, oldID: token.id.rawValue, state: .intent,
      started: now(), updated: now())
    try record(&entry, .intent)
    try afterStep(.intent)
    let secret: Secret
    do { secret = try await client.rollToken(token.id, in: family, as: request.editor) } catch {
      try record(&entry, .abandoned, message: "roll failed: \(error.message)")
      throw Stop("rolling the secret failed: \(error.message); the old secret still works")
    }
    entry.newID = token.id.rawValue
    try record(&entry, .created, message: "rolled; the old secret no longer works")
    try afterStep(.created)
    let writer = request.sinkCredential ?? Credential(label: token.name, tokenID: token.id, secret: secret)
    for sink in request.sinks {
      do { try await sinks.write(sink, secret: secret, credential: writer) } catch {
        return .failed(reason: error.description, oldID: token.id.rawValue, newID: nil, secretLost: true)
      }
    }
    try record(&entry, .written)
    try afterStep(.written)
    if let failure = await verify(secret, id: token.id.rawValue, family: family, request: request, writer: writer) {
      return .failed(reason: failure, oldID: token.id.rawValue, newID: nil, secretLost: true)
    }
    keep?(token.name, secret)
    // With a lifetime, the rolled token gets the expiry a new one would: a roll then also moves the expiry away.
    if let lifetime = request.lifetime {
      let expires = try await setExpiry(
        token.id, family: family, to: now().addingTimeInterval(Double(lifetime)), as: request.editor)
      notes.append("its expiry is now \(expires)")
    }
    try record(&entry, .done)
    try afterStep(.done)
    return .rotated(oldID: token.id.rawValue, newID: token.id.rawValue, oldExpires: nil, notes: notes)
  }
}

extension Rotator {
  /// `rotate --abandon`: expires every token the token's open rotations created and closes them. What a sink holds
  /// is not changed: a sink holding an abandoned token's secret stops working, which the person asked for.
  package func abandon(_ token: DesiredToken, editor: Credential) async throws -> [String] {
    let open = try journal.rotations(token: token.name, limit: 50).filter(\.isOpen)
    let request = Request(
      token: token, strategy: .replace, sinks: [], grace: 0, lifetime: nil, editor: editor, sinkCredential: nil)
    return try await expireOrphans(open, request: request)
  }
}
