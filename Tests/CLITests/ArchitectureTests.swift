import Foundation
import Testing

/// The module graph of `docs/architecture.md` is the one `Package.swift` declares, and every `import` in `Sources/` is
/// a declared dependency.
@Suite struct ArchitectureTests {
  /// Modules of the toolchain, importable anywhere. (Swift modules are capitalised; a lowercase `import` is another
  /// language's, quoted in a string.)
  static let toolchain: Set<String> = [
    "Foundation", "FoundationNetworking", "Dispatch", "Synchronization", "Glibc", "Darwin",
  ]

  static func text(_ path: String) throws -> String {
    try String(contentsOf: Harness.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
  }

  /// Each source target of `Package.swift` and the dependencies it declares.
  static func declared() throws -> [String: Set<String>] {
    let manifest = try text("Package.swift")
    var graph: [String: Set<String>] = [:]
    let pattern = try NSRegularExpression(
      pattern:
        #"\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?"#)
    for match in pattern.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)) {
      guard let name = Range(match.range(at: 1), in: manifest).map({ String(manifest[$0]) }) else { continue }
      let list = Range(match.range(at: 2), in: manifest).map { String(manifest[$0]) } ?? ""
      graph[name] = Set(
        list.split(separator: ",").map {
          $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: ["\""])
        }.filter { !$0.isEmpty })
    }
    graph["TestSupport"] = nil
    return graph
  }

  /// The table of `docs/architecture.md`: module → what it may import.
  static func documented() throws -> [String: Set<String>] {
    var graph: [String: Set<String>] = [:]
    for line in try text("docs/architecture.md").split(separator: "\n") where line.hasPrefix("| ") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 2, cells[0] != "module", !cells[0].hasPrefix("---") else { continue }
      graph[cells[0]] =
        cells[1] == "—" ? [] : Set(cells[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
    return graph
  }

  @Test func theDocumentedGraphIsTheDeclaredOne() throws {
    let declared = try Self.declared()
    let documented = try Self.documented()
    #expect(Set(declared.keys) == Set(documented.keys))
    for (module, dependencies) in declared {
      #expect(
        documented[module] == dependencies,
        "\(module): Package.swift says \(dependencies.sorted()), docs/architecture.md \(documented[module]?.sorted() ?? [])"
      )
    }
  }

  @Test func everyImportIsADeclaredDependency() throws {
    let declared = try Self.declared()
    let importLine = try NSRegularExpression(
      pattern: #"^\s*(?:@\w+\s+)?(?:(?:public|package|internal)\s+)?import\s+([A-Z]\w*)"#, options: .anchorsMatchLines)
    var found = 0
    for (module, dependencies) in declared {
      let folder = Harness.repositoryRoot.appendingPathComponent("Sources/\(module)")
      guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
      for case let file as URL in files where file.pathExtension == "swift" {
        let source = try String(contentsOf: file, encoding: .utf8)
        for match in importLine.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
          guard let range = Range(match.range(at: 1), in: source) else { continue }
          let imported = String(source[range])
          found += 1
          if Self.toolchain.contains(imported) { continue }
          #expect(
            dependencies.contains(imported),
            "Sources/\(module)/\(file.lastPathComponent) imports \(imported), which Package.swift does not give \(module)"
          )
        }
      }
    }
    #expect(found > 50)
  }
}
