import Foundation
import Testing

/// `tokenwarden schema` accepts every policy the decoder accepts, and rejects what the decoder rejects for its
/// structure; checked with Python's `jsonschema` as an independent reference.
@Suite struct SchemaTests {
  /// Documents the decoder refuses for their shape: each must fail the schema too.
  static let malformed: [String] = [
    "tokens: {}\n",
    "version: 2\ntokens: {}\n",
    "version: 1\ntokens: {}\nextras: 1\n",
    "version: 1\naccounts:\n  main: not-an-id\ntokens: {}\n",
    "version: 1\ntokens:\n  a:\n    owner: user\n    secret: $A\n    grants: []\n",
    token("owner: team\n    secret: $A\n    grants: []"),
    token("owner: user\n    secret: A_VALUE\n    grants: []"),
    token("owner: user\n    secret: $A\n    grants: all"),
    token("owner: user\n    secret: $A\n    colour: blue\n    grants: []"),
    token("owner: user\n    secret: $A\n    expiry:\n      warn_before: soon\n    grants: []"),
    token("owner: user\n    secret: $A\n    grants:\n      - resource: user\n        permissions: [5]"),
    token(
      "owner: user\n    secret: $A\n    grants:\n      - resource: user\n        scope: all\n        permissions: []"),
    token("owner: user\n    secret: $A\n    grants:\n      - resource: everything\n        permissions: []"),
    token("owner: user\n    secret: $A\n    grants:\n      - permissions: [API Tokens Write]"),
    token(
      "owner: user\n    secret: $A\n    grants:\n      - resource: user\n        permissions:\n          - API Tokenz: edit"
    ),
    token(
      "owner: user\n    secret: $A\n    grants:\n      - resource: user\n        permissions:\n          - include: [a]"
    ),
  ]

  static func token(_ body: String) -> String {
    "version: 1\ntokens:\n  a:\n    id: a753e62f6ffe44a7762befbce7a9eddf\n    \(body)\n"
  }

  static func check(_ schema: String, _ paths: [String]) throws -> [String: [String]] {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let schemaPath = directory.appendingPathComponent("schema.json")
    try Data(schema.utf8).write(to: schemaPath)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Snapshot.input("schema_check.py"), schemaPath.path] + paths
    let output = Pipe()
    let errors = directory.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: errors.path, contents: nil)
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
    try #require(
      process.terminationStatus == 0,
      "the jsonschema reference failed (python3 with jsonschema and PyYAML: pip install jsonschema pyyaml): \(stderr)")
    var results: [String: [String]] = [:]
    for line in data.split(separator: UInt8(ascii: "\n")) {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
      results[object["path"] as? String ?? ""] = object["errors"] as? [String] ?? []
    }
    return results
  }

  @Test func everyPolicyAndExampleValidates() async throws {
    let schema = await Harness.run(["schema"])
    #expect(schema.status == 0)
    let root = Harness.repositoryRoot
    var paths: [String] = []
    for folder in ["policies", "examples"] {
      let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
      paths += names.filter { $0.hasSuffix(".yaml") }.map {
        root.appendingPathComponent(folder).appendingPathComponent($0).path
      }
    }
    paths.append(Snapshot.input("import-mixed.yaml"))
    #expect(paths.count >= 5)
    let results = try Self.check(schema.stdout, paths)
    #expect(results.count == paths.count)
    for path in paths {
      #expect(results[path] == [], "\(path): \(results[path] ?? ["not checked"])")
    }
  }

  @Test func whatTheDecoderRefusesForItsShapeTheSchemaRefusesToo() async throws {
    let schema = await Harness.run(["schema"])
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var paths: [String] = []
    for (index, text) in Self.malformed.enumerated() {
      let path = directory.appendingPathComponent("bad\(index).yaml").path
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      paths.append(path)
      let validate = await Harness.run(["validate", path])
      #expect(validate.status == 1, "the decoder accepts:\n\(text)")
    }
    let results = try Self.check(schema.stdout, paths)
    for (index, path) in paths.enumerated() {
      #expect(results[path]?.isEmpty == false, "the schema accepts:\n\(Self.malformed[index])")
    }
  }

  /// The copy editors read from the repository is the command's output.
  @Test func theCheckedInSchemaIsCurrent() async throws {
    let schema = await Harness.run(["schema"])
    let file = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("docs/policy.schema.json"), encoding: .utf8)
    #expect(file == schema.stdout, "docs/policy.schema.json is stale: tokenwarden schema > docs/policy.schema.json")
    let policy = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("policies/worker.yaml"), encoding: .utf8)
    #expect(policy.hasPrefix("# yaml-language-server: $schema=../docs/policy.schema.json\n"))
  }
}
