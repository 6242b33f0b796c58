/// Levenshtein distance with an early exit once every cell of a row exceeds `limit`.
package enum EditDistance {
  package static func between(_ a: String, _ b: String, limit: Int = .max) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMinimum = min(rowMinimum, current[j])
      }
      if rowMinimum > limit { return limit + 1 }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}

/// "Did you mean": the candidate nearest a name that was not found, when one is near enough.
package enum Suggestion {
  /// The candidate within `distance` edits of `name` (compared in lower case when `ignoringCase`), the nearest;
  /// between equally near ones, the first in alphabetical order.
  package static func closest(_ name: String, among candidates: [String], within distance: Int, ignoringCase: Bool)
    -> String?
  {
    let target = ignoringCase ? name.lowercased() : name
    return
      candidates
      .map { (EditDistance.between(target, ignoringCase ? $0.lowercased() : $0, limit: distance), $0) }
      .filter { $0.0 <= distance }
      .min { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }?.1
  }
}
