/// Where each key was first seen, to report a second one: the keys of one mapping, the grants of one token. Most
/// hold a handful, found faster by comparing than by hashing (a 10,000-token policy has 50,000 mappings); past 16 a
/// dictionary takes over (`tokens:`).
struct FirstSeen<Key: Hashable, Value> {
  private var few: [(key: Key, value: Value)] = []
  private var many: [Key: Value] = [:]

  /// Records `key` at `value`; where it was first, if it was already there.
  mutating func insert(_ key: Key, at value: Value) -> Value? {
    if few.count < 16 {
      if let first = few.first(where: { $0.key == key }) { return first.value }
      few.append((key, value))
      if few.count == 16 { many = Dictionary(few, uniquingKeysWith: { first, _ in first }) }
      return nil
    }
    if let first = many[key] { return first }
    many[key] = value
    return nil
  }
}
