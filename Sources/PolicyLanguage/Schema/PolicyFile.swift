import TokenModel

/// One policy file, decoded: its tokens, with the references that can only be checked across the whole set.
public struct PolicyFile: Sendable {
  public let source: SourceFile
  public let tokens: [DesiredToken]
  /// For each token, where its name and its `healer` value stand, for diagnostics across files.
  let tokenRanges: [String: SourceRange]
  let healerRanges: [String: SourceRange]
}

/// A set of policy files read together: token names and ids are unique across the set, and healers may name a token
/// of another file.
public struct PolicySet: Sendable {
  public let files: [PolicyFile]
  public let desired: DesiredState
  public let diagnostics: [Diagnostic]

  public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
  public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
  public var isValid: Bool { errorCount == 0 }

  /// Parses and decodes every source, then checks what spans files.
  public static func load(_ sources: [SourceFile], catalog: PermissionCatalog = .bundled) -> PolicySet {
    var diagnostics: [Diagnostic] = []
    var files: [PolicyFile] = []
    for source in sources {
      let (document, syntax) = YAMLParser.parse(source)
      diagnostics += syntax
      guard let document else { continue }
      var decoder = PolicyDecoder(source: source, catalog: catalog)
      let file = decoder.decode(document)
      diagnostics += decoder.sink.items
      if let file { files.append(file) }
    }
    var tokens: [DesiredToken] = []
    var byName: [String: (PolicyFile, DesiredToken)] = [:]
    var byID: [HexID: DesiredToken] = [:]
    for file in files {
      for token in file.tokens {
        let range = file.tokenRanges[token.name] ?? .point(0)
        if let (otherFile, _) = byName[token.name] {
          diagnostics.append(
            Diagnostic(
              .error, .duplicateTokenName(token.name), path: file.source.path, range: range,
              note: "also declared in \(otherFile.source.path); token names are unique across the policy set"))
          continue
        }
        if let other = byID[token.id] {
          diagnostics.append(
            Diagnostic(
              .error, .duplicateTokenID(token.id.rawValue), path: file.source.path, range: range,
              note: "token '\(other.name)' (\(other.location)) has the same id"))
          continue
        }
        byName[token.name] = (file, token)
        byID[token.id] = token
        tokens.append(token)
      }
    }
    for file in files {
      for token in file.tokens {
        guard case .token(let healer) = token.healer, let range = file.healerRanges[token.name] else { continue }
        if healer == token.name {
          diagnostics.append(Diagnostic(.error, .selfHealer, path: file.source.path, range: range))
        } else if byName[healer] == nil {
          let names = Array(byName.keys)
          let suggestion = Suggest.closest(healer, among: names)
          diagnostics.append(
            Diagnostic(
              .error, .unknownToken(healer), path: file.source.path, range: range,
              note: suggestion.map { "did you mean '\($0)'?" } ?? "name a token declared under 'tokens:'"))
        }
      }
    }
    return PolicySet(files: files, desired: DesiredState(tokens: tokens), diagnostics: diagnostics)
  }
}

/// "Did you mean" over a small list of names.
enum Suggest {
  static func closest(_ name: String, among candidates: [String]) -> String? {
    let threshold = max(2, name.count / 3)
    return candidates
      .map { (EditDistance.between(name.lowercased(), $0.lowercased(), limit: threshold), $0) }
      .filter { $0.0 <= threshold }
      .min { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }?.1
  }
}
