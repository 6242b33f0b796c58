import CloudflareAPI
import TokenModel

/// Which tokens' plans can no longer change as lists and reads of themselves complete, for
/// `Observer.observe(_:whenFinal:)`: those can be planned while the other reads are still in flight.
///
/// A token's plan reads its own record and, for a named healer (or itself with `healer: self`), whether the healer's
/// secret is missing, the healer's record and the healer's view of the token's family. Those are final when:
/// - a record: the first successful list of its family (the one the observation's assembly takes) shows it, or, for
///   a family nobody lists, the token's read of itself succeeded (what the assembly takes first, too);
/// - the healer's view: its list of the family is done, or it was refused before any call.
///
/// Tokens with automatic healers (every candidate would count), tokens whose record needs a fallback (another
/// family's list, a read after the lists) and tokens sharing a name are left to the end.
struct FinalityTracker {
  let desired: DesiredState
  /// Each token's family key, by position.
  let families: [String]
  let missingSecrets: [String: String]
  /// Families somebody lists.
  private let listed: Set<String>
  /// The first successful list of each family, its records by id.
  private var firstSuccess: [String: [String: LiveToken]] = [:]
  private var visibility: [String: [String: Result<Set<String>, ObservationFailure>]]
  private var reads: [String: LiveToken] = [:]
  /// Positions by family, by the name of their named healer (and by healer and family), and of each name (names used
  /// once only).
  private let byFamily: [String: [Int]]
  private let byHealer: [String: [Int]]
  private let byHealerAndFamily: [String: [String: [Int]]]
  private let positions: [String: Int]
  /// Named healers by their own family.
  private let healersByFamily: [String: [String]]
  private var told: [Bool]

  init(
    desired: DesiredState, families: [String], lists: [String],
    visibility: [String: [String: Result<Set<String>, ObservationFailure>]], missingSecrets: [String: String]
  ) {
    self.desired = desired
    self.families = families
    self.visibility = visibility
    self.missingSecrets = missingSecrets
    listed = Set(lists)
    var byFamily: [String: [Int]] = [:]
    var byHealer: [String: [Int]] = [:]
    var byHealerAndFamily: [String: [String: [Int]]] = [:]
    var positions: [String: Int] = [:]
    var shared: Set<String> = []
    for (position, token) in desired.tokens.enumerated() {
      byFamily[families[position], default: []].append(position)
      if let healer = Self.healer(of: token) {
        byHealer[healer, default: []].append(position)
        byHealerAndFamily[healer, default: [:]][families[position], default: []].append(position)
      }
      if positions.updateValue(position, forKey: token.name) != nil { shared.insert(token.name) }
    }
    for name in shared { positions[name] = nil }
    var healersByFamily: [String: [String]] = [:]
    for healer in byHealer.keys {
      if let position = positions[healer] { healersByFamily[families[position], default: []].append(healer) }
    }
    self.byFamily = byFamily
    self.byHealer = byHealer
    self.byHealerAndFamily = byHealerAndFamily
    self.positions = positions
    self.healersByFamily = healersByFamily
    told = Array(repeating: false, count: desired.tokens.count)
  }

  /// The named healer (or the token itself), nil for an automatic one.
  static func healer(of token: DesiredToken) -> String? {
    switch token.healer {
    case .token(let name): return name
    case .selfEdit: return token.name
    case .automatic: return nil
    }
  }

  /// Takes a completed list or read; answers the positions that became final with it, and what their plans read.
  mutating func record(_ completed: Observer.Completed) -> ([Int], Observation)? {
    var candidates: [Int] = []
    switch completed {
    case .list(let name, let family, let result):
      // The lister's view of the family is known: the tokens it heals there may be final.
      candidates = byHealerAndFamily[name]?[family] ?? []
      switch result {
      case .success(let list):
        visibility[name, default: [:]][family] = .success(list.ids)
        if firstSuccess[family] == nil {
          // The family's records are known: its tokens, and the tokens its tokens heal, may be final.
          firstSuccess[family] = list.records
          candidates += byFamily[family] ?? []
          for healer in healersByFamily[family] ?? [] { candidates += byHealer[healer] ?? [] }
        }
      case .failure(let error):
        visibility[name, default: [:]][family] = .failure(ObservationFailure(error.message))
      }
    case .read(let name, let result):
      guard case .success(let record) = result else { return nil }
      reads[name] = record
      candidates = byHealer[name] ?? []
    }
    var final: [Int] = []
    var partial = Observation()
    partial.missingSecrets = missingSecrets
    for position in candidates where !told[position] {
      let token = desired.tokens[position]
      guard positions[token.name] == position, let healer = Self.healer(of: token), let own = record(at: position)
      else { continue }
      var healerRecord: LiveToken?
      var view: Result<Set<String>, ObservationFailure>?
      if let at = positions[healer] {
        healerRecord = record(at: at)
        // A healer whose secret is missing is refused before its record is looked at.
        guard healerRecord != nil || missingSecrets[healer] != nil else { continue }
        view = visibility[healer]?[families[position]]
        guard view != nil else { continue }
      } else if desired.token(named: healer) != nil {
        continue  // a healer whose name is used twice
      }
      told[position] = true
      final.append(position)
      partial.tokens[token.name] = .read(own)
      if let healerRecord { partial.tokens[healer] = .read(healerRecord) }
      if let view { partial.visibility[healer, default: [:]][families[position]] = view }
    }
    return final.isEmpty ? nil : (final, partial)
  }

  /// The record the observation will hold for the token at `position`, when it can no longer change.
  private func record(at position: Int) -> LiveToken? {
    let token = desired.tokens[position]
    if listed.contains(families[position]) { return firstSuccess[families[position]]?[token.id.rawValue] }
    return reads[token.name]
  }
}
