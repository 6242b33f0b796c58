import Basics
import TokenModel

/// A set of policy files read together: token names and ids are unique across the set, and healers may name a token
/// of another file.
package struct PolicySet: Sendable {
  package let files: [PolicyFile]
  package let desired: DesiredState
  package let diagnostics: [Diagnostic]
  /// Token name → where each of its grants is required; only when loaded with `recordOrigins`.
  package var origins: [String: [GrantOrigin]] = [:]
  /// Every distinct permission the files wrote, on each scope, and what the catalog resolved it to.
  let lookups: [PolicyDecoder.Resolution: PolicyDecoder.Lookup]

  package var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
  package var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
  package var isValid: Bool { errorCount == 0 }

  /// Whether `catalog` resolves every permission of the files exactly as the catalog they were read with did: then
  /// reading them again with it would give the same set, and need not be done (a 10,000-token policy takes a
  /// quarter of a second to read).
  package func resolvesTheSame(with catalog: PermissionCatalog) -> Bool {
    lookups.allSatisfy { key, lookup in PolicyDecoder.lookup(key, in: catalog) == lookup }
  }

  /// Parses and decodes every source, then checks what spans files.
  package static func load(
    _ sources: [SourceFile], catalog: PermissionCatalog = .bundled, recordOrigins: Bool = false
  ) -> PolicySet {
    var origins: [String: [GrantOrigin]] = [:]
    var diagnostics: [Diagnostic] = []
    var files: [PolicyFile] = []
    var lookups: [PolicyDecoder.Resolution: PolicyDecoder.Lookup] = [:]
    for source in sources {
      let (document, syntax) = YAMLParser.parse(source)
      diagnostics += syntax
      guard let document else { continue }
      var decoder = PolicyDecoder(source: source, catalog: catalog)
      decoder.recordOrigins = recordOrigins
      let file = decoder.decode(document)
      origins.merge(decoder.origins) { first, _ in first }
      diagnostics += decoder.sink.items
      lookups.merge(decoder.lookups) { first, _ in first }
      if let file { files.append(file) }
    }
    var tokens: [DesiredToken] = []
    var declaredIn: [String: String] = [:]
    var byID: [HexID: DesiredToken] = [:]
    for file in files {
      for (name, range) in file.declaredTokens.sorted(by: { $0.value.start < $1.value.start }) {
        if let otherPath = declaredIn[name] {
          diagnostics.append(
            Diagnostic(
              .error, .duplicateTokenName(name), path: file.source.path, range: range,
              note: "also declared in \(otherPath); token names are unique across the policy set"))
        } else {
          declaredIn[name] = file.source.path
        }
      }
      for token in file.tokens where declaredIn[token.name] == file.source.path {
        if let other = byID[token.id] {
          diagnostics.append(
            Diagnostic(
              .error, .duplicateTokenID(token.id.rawValue), path: file.source.path,
              range: file.declaredTokens[token.name] ?? .point(0),
              note: "token '\(other.name)' (\(other.location)) has the same id"))
          continue
        }
        byID[token.id] = token
        tokens.append(token)
      }
    }
    let byName = Dictionary(tokens.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    for file in files {
      for reference in file.healers {
        if reference.healer == reference.token {
          diagnostics.append(Diagnostic(.error, .selfHealer, path: file.source.path, range: reference.range))
        } else if let healer = byName[reference.healer], let target = byName[reference.token],
          let why = Self.impossibility(healer: healer, target: target)
        {
          diagnostics.append(
            Diagnostic(
              .error, .impossibleHealer(healer.name, target.name, why: why.reason), path: file.source.path,
              range: reference.range, note: why.remedy))
        } else if declaredIn[reference.healer] == nil {
          let suggestion = Suggest.closest(reference.healer, among: Array(declaredIn.keys))
          diagnostics.append(
            Diagnostic(
              .error, .unknownToken(reference.healer), path: file.source.path, range: reference.range,
              note: suggestion.map { "did you mean '\($0)'?" } ?? "name a token declared under 'tokens:'"))
        }
      }
    }
    var observers: [TokenFamily: String] = [:]
    var warnedObservers = Set<String>()
    for file in files {
      for reference in file.observers {
        let path = file.source.path
        guard let observer = byName[reference.token] else {
          if declaredIn[reference.token] == nil {
            let suggestion = Suggest.closest(reference.token, among: Array(declaredIn.keys))
            diagnostics.append(
              Diagnostic(
                .error, .unknownToken(reference.token), path: path, range: reference.range,
                note: suggestion.map { "did you mean '\($0)'?" } ?? "name a token declared under 'tokens:'"))
          }
          continue
        }
        if case .account(let account) = observer.owner, reference.family != .account(account) {
          diagnostics.append(
            Diagnostic(
              .error,
              .invalidObserver(
                "'\(observer.name)' is account-owned (\(observer.ownerName)) and cannot list \(reference.familyText == "user" ? "user-owned tokens" : "the tokens of \(reference.familyText)")"
              ), path: path, range: reference.range,
              note:
                "name a user-owned token with 'API Tokens Read', or a token of that account with 'Account API Tokens Read'"
            ))
          continue
        }
        if let other = observers[reference.family], other != observer.name {
          diagnostics.append(
            Diagnostic(
              .error, .invalidObserver("\(reference.familyText) already has observer '\(other)'"), path: path,
              range: reference.range, note: "one observer per family"))
          continue
        }
        observers[reference.family] = observer.name
        let writes = observer.grants.filter { !$0.groupName.hasSuffix(" Read") }.map { "'\($0.groupName)'" }
        if !writes.isEmpty && warnedObservers.insert(observer.name).inserted {
          diagnostics.append(
            Diagnostic(
              .warning, .observerCanWrite(observer.name, writes.joined(separator: ", ")), path: path,
              range: reference.range))
        }
      }
    }
    // Report in reading order: by file, then by position.
    let order = Dictionary(uniqueKeysWithValues: sources.enumerated().map { ($1.path, $0) })
    diagnostics = diagnostics.enumerated().sorted { lhs, rhs in
      let (l, r) = (lhs.element, rhs.element)
      let (lf, rf) = (order[l.path] ?? Int.max, order[r.path] ?? Int.max)
      if lf != rf { return lf < rf }
      if l.range.start != r.range.start { return l.range.start < r.range.start }
      return lhs.offset < rhs.offset
    }.map(\.element)
    var desired = DesiredState(tokens: tokens)
    desired.observers = observers
    var set = PolicySet(files: files, desired: desired, diagnostics: diagnostics, lookups: lookups)
    set.origins = origins
    return set
  }
}

extension PolicySet {
  /// Why `healer` can never edit `target`, whatever it is granted: Cloudflare keeps account-owned tokens out of the
  /// user family, and each account's tokens to that account.
  static func impossibility(healer: DesiredToken, target: DesiredToken) -> (reason: String, remedy: String)? {
    guard case .account(let healerAccount) = healer.owner else { return nil }
    switch target.owner {
    case .user:
      return (
        "an account-owned token cannot edit user-owned tokens",
        "user-owned tokens are edited through /user/tokens, by a user-owned token with 'API Tokens Write'; name one as the healer, or leave 'healer' out"
      )
    case .account(let targetAccount) where targetAccount != healerAccount:
      return (
        "an account-owned token edits only the tokens of its own account (\(healer.ownerName)), not of \(target.ownerName)",
        "name a token of \(target.ownerName) with 'Account API Tokens Write', or a user-owned token whose user is Super Administrator there"
      )
    default: return nil
    }
  }
}
