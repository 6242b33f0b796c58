import Foundation

/// Files under `Tests/PolicyLanguageTests/Fixtures`.
enum Fixtures {
  static var directory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures")
  }

  /// The YAML fixtures, sorted by name.
  static func all() throws -> [(name: String, text: String)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".yaml") }.sorted()
    return try names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
  }
}
