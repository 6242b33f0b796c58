import TokenModel

/// A unified diff of two texts by lines (Myers' algorithm), with three lines of context.
package enum LineDiff {
  enum Edit: Equatable {
    case same(String)
    case removed(String)
    case added(String)
  }

  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// The shortest edit script from `a` to `b`.
  static func edits(_ a: [String], _ b: [String]) -> [Edit] {
    let n = a.count
    let m = b.count
    let maximum = n + m
    var v = [Int](repeating: 0, count: 2 * maximum + 2)
    var trace: [[Int]] = []
    var found = false
    for d in 0...maximum {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[maximum + k - 1] < v[maximum + k + 1]) {
          x = v[maximum + k + 1]
        } else {
          x = v[maximum + k - 1] + 1
        }
        var y = x - k
        while x < n && y < m && a[x] == b[y] {
          x += 1
          y += 1
        }
        v[maximum + k] = x
        if x >= n && y >= m {
          found = true
          break
        }
      }
      if found { break }
    }
    var edits: [Edit] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let k = x - y
      let previousK = (k == -d || (k != d && v[maximum + k - 1] < v[maximum + k + 1])) ? k + 1 : k - 1
      let previousX = v[maximum + previousK]
      let previousY = previousX - previousK
      while x > previousX && y > previousY {
        edits.append(.same(a[x - 1]))
        x -= 1
        y -= 1
      }
      if d > 0 {
        if x == previousX {
          edits.append(.added(b[y - 1]))
        } else {
          edits.append(.removed(a[x - 1]))
        }
      }
      x = previousX
      y = previousY
    }
    return edits.reversed()
  }

  package static func unified(old: String, new: String, path: String, style: TextStyle, context: Int = 3) -> String {
    let script = edits(lines(old), lines(new))
    let (oldName, newName) = path.hasPrefix("/") ? (path, path) : ("a/" + path, "b/" + path)
    var out = style.bold("--- \(oldName)") + "\n" + style.bold("+++ \(newName)") + "\n"
    // Group changes into hunks with `context` unchanged lines around them.
    var index = 0
    var oldLine = 1
    var newLine = 1
    var positions: [(old: Int, new: Int)] = []
    for edit in script {
      positions.append((oldLine, newLine))
      switch edit {
      case .same:
        oldLine += 1
        newLine += 1
      case .removed: oldLine += 1
      case .added: newLine += 1
      }
    }
    while index < script.count {
      guard let firstChange = script[index...].firstIndex(where: { if case .same = $0 { false } else { true } })
      else { break }
      let start = max(index, firstChange - context)
      var end = firstChange
      var lastChange = firstChange
      while end < script.count {
        if case .same = script[end] {
          if end - lastChange > 2 * context { break }
        } else {
          lastChange = end
        }
        end += 1
      }
      end = min(script.count, lastChange + context + 1)
      let hunk = script[start..<end]
      let oldCount = hunk.filter { if case .added = $0 { false } else { true } }.count
      let newCount = hunk.filter { if case .removed = $0 { false } else { true } }.count
      let oldStart = oldCount == 0 ? positions[start].old - 1 : positions[start].old
      let newStart = newCount == 0 ? positions[start].new - 1 : positions[start].new
      out += style.cyan("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@") + "\n"
      for edit in hunk {
        switch edit {
        // A token pasted into the file is never shown again.
        case .same(let line): out += " " + SecretMask.maskLine(line).text + "\n"
        case .removed(let line): out += style.red("-" + SecretMask.maskLine(line).text) + "\n"
        case .added(let line): out += style.green("+" + SecretMask.maskLine(line).text) + "\n"
        }
      }
      index = end
    }
    return out
  }
}
