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
  /// Each token's family, by position.
  let families: [TokenFamily]
  let missingSecrets: [String: String]
  /// Families somebody lists.
  private let listed: Set<TokenFamily>
  /// The first successful list of each family, its records by id.
  private var firstSuccess: [TokenFamily: [String: LiveToken]] = [:]
  private var visibility: [String: [TokenFamily: Result<Set<String>, ObservationFailure>]]
  private var reads: [String: LiveToken] = [:]
  /// Positions by family, by the name of their named healer (and by healer and family), and of each name (names used
  /// once only).
  private let byFamily: [TokenFamily: [Int]]
  private let byHealer: [String: [Int]]
  private let byHealerAndFamily: [String: [TokenFamily: [Int]]]
  private let positions: [String: Int]
  /// Names two tokens of the policy share.
  private let shared: Set<String>
  /// Named healers by their own family.
  private let healersByFamily: [TokenFamily: [String]]
  /// Each token's name, id and named healer, by position (looked at often: not copied out of the policy each time).
  private let names: [String]
  private let ids: [String]
  private let healers: [String?]
  private var told: [Bool]

  init(
    desired: DesiredState, families: [TokenFamily], lists: [TokenFamily],
    visibility: [String: [TokenFamily: Result<Set<String>, ObservationFailure>]], missingSecrets: [String: String]
  ) {
    self.families = families
    self.visibility = visibility
    self.missingSecrets = missingSecrets
    listed = Set(lists)
    var byFamily: [TokenFamily: [Int]] = [:]
    var byHealer: [String: [Int]] = [:]
    var byHealerAndFamily: [String: [TokenFamily: [Int]]] = [:]
    var positions: [String: Int] = [:]
    var shared: Set<String> = []
    names = desired.tokens.map(\.name)
    ids = desired.tokens.map(\.id.rawValue)
    healers = desired.tokens.map(Self.healer(of:))
    for (position, name) in names.enumerated() {
      byFamily[families[position], default: []].append(position)
      if let healer = healers[position] {
        byHealer[healer, default: []].append(position)
        byHealerAndFamily[healer, default: [:]][families[position], default: []].append(position)
      }
      if positions.updateValue(position, forKey: name) != nil { shared.insert(name) }
    }
    for name in shared { positions[name] = nil }
    self.shared = shared
    var healersByFamily: [TokenFamily: [String]] = [:]
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
      // Its own record is known, and the tokens it heals have their healer's.
      candidates = (positions[name].map { [$0] } ?? []) + (byHealer[name] ?? [])
    }
    var final: [Int] = []
    var partial = Observation()
    partial.missingSecrets = missingSecrets
    partial.tokens.reserveCapacity(candidates.count + 1)
    // Consecutive candidates mostly share their family and their healer: what depends only on those is looked up
    // once per run of them.
    var family: (key: TokenFamily, listed: Bool, records: [String: LiveToken]?)?
    var healing:
      (
        healer: String, family: TokenFamily, record: LiveToken?, view: Result<Set<String>, ObservationFailure>?,
        ready: Bool
      )?
    for position in candidates where !told[position] {
      let name = names[position]
      guard positions[name] == position, let healer = healers[position] else { continue }
      let key = families[position]
      if family?.key != key {
        let isListed = listed.contains(key)
        family = (key, isListed, isListed ? firstSuccess[key] : nil)
      }
      guard let own = family?.listed == true ? family?.records?[ids[position]] : reads[name] else { continue }
      if healing?.healer != healer || healing?.family != key {
        var record: LiveToken?
        var view: Result<Set<String>, ObservationFailure>?
        var ready = true
        if let at = positions[healer] {
          record = self.record(at: at)
          view = visibility[healer]?[key]
          // A healer whose secret is missing is refused before its record is looked at.
          ready = (record != nil || missingSecrets[healer] != nil) && view != nil
        } else if shared.contains(healer) {
          ready = false  // a healer whose name is used twice
        }
        healing = (healer, key, record, view, ready)
      }
      guard let healing, healing.ready else { continue }
      told[position] = true
      final.append(position)
      partial.tokens[name] = .read(own)
      if let record = healing.record { partial.tokens[healer] = .read(record) }
      if let view = healing.view { partial.visibility[healer, default: [:]][key] = view }
    }
    return final.isEmpty ? nil : (final, partial)
  }

  /// The record the observation will hold for the token at `position`, when it can no longer change.
  private func record(at position: Int) -> LiveToken? {
    if listed.contains(families[position]) { return firstSuccess[families[position]]?[ids[position]] }
    return reads[names[position]]
  }
}
