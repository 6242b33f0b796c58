import Foundation
import PolicyLanguage

/// Finds and reads policy files: a file names itself; a directory means its `*.yaml` and `*.yml` files (not its
/// subdirectories), in name order.
enum PolicyFiles {
  struct Loaded {
    var sources: [SourceFile] = []
    /// Files that could not be read, as diagnostics.
    var diagnostics: [Diagnostic] = []
    /// Paths that exist neither as file nor directory, or directories without policy files.
    var missing: [String] = []
  }

  static func load(_ paths: [String], workingDirectory: String) -> Loaded {
    var loaded = Loaded()
    let manager = FileManager.default
    for path in paths {
      let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
        loaded.missing.append("\(path): no such file or directory")
        continue
      }
      if isDirectory.boolValue {
        let names = ((try? manager.contentsOfDirectory(atPath: absolute)) ?? [])
          .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        if names.isEmpty { loaded.missing.append("\(path): no .yaml or .yml files in this directory") }
        for name in names {
          let display = path.hasSuffix("/") ? path + name : path + "/" + name
          read(display: display, absolute: absolute + "/" + name, into: &loaded)
        }
      } else {
        read(display: path, absolute: absolute, into: &loaded)
      }
    }
    return loaded
  }

  static func read(display: String, absolute: String, into loaded: inout Loaded) {
    let size = (try? FileManager.default.attributesOfItem(atPath: absolute)[.size] as? Int) ?? 0
    if size > YAMLParser.maxBytes {
      loaded.diagnostics.append(
        Diagnostic(.error, .fileTooLarge(bytes: size, limit: YAMLParser.maxBytes), path: display, range: .point(0)))
      return
    }
    guard let data = FileManager.default.contents(atPath: absolute) else {
      loaded.diagnostics.append(
        Diagnostic(.error, .unreadableFile("permission denied or not a regular file"), path: display, range: .point(0)))
      return
    }
    loaded.sources.append(SourceFile(path: display, bytes: [UInt8](data)))
  }
}
