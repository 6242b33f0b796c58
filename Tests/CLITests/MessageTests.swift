import Foundation
import Testing

/// Errors, warnings and notes come from one catalogue with stable codes; a `--json` run that fails before its document
/// prints them as JSON on stdout.
@Suite struct MessageTests {
  @Test func aJSONRunThatFailsEarlyPrintsItsMessagesWithCodes() async throws {
    let result = await Harness.run(["plan", "--json", "--sandbox", "no-such-policy.yaml"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Error: no-such-policy.yaml"))
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    #expect(document["format_version"] as? String == "1.0")
    let messages = try #require(document["messages"] as? [[String: String]])
    #expect(messages.map { $0["code"] } == ["policy-file-unreadable", "policy-invalid"])
    #expect(messages.allSatisfy { $0["severity"] == "error" && !($0["text"] ?? "").isEmpty })
  }

  @Test func aUsageErrorWithJSONIsADocumentToo() async throws {
    for arguments in [["health", "--json", "--bogus"], ["history", "--json", "--limit", "0"]] {
      let result = await Harness.run(arguments)
      #expect(result.status == 1)
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(arguments)")
      let codes = (document["messages"] as? [[String: String]])?.compactMap { $0["code"] }
      #expect(codes == [arguments[0] == "health" ? "usage" : "bad-option-value"], "\(arguments)")
    }
  }

  @Test func withoutJSONStdoutStaysEmpty() async {
    let result = await Harness.run(["plan", "--sandbox", "no-such-policy.yaml"])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
  }

  /// Scripts depend on the codes: each is listed, once, in docs/messages.md.
  @Test func everyCodeIsDocumentedOnce() throws {
    let source = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("Sources/CLI/Message.swift"), encoding: .utf8)
    let body = try #require(source.range(of: "var code: String {").map { source[$0.upperBound...] })
    let switchBody = body[..<(body.range(of: "\n  }\n")?.lowerBound ?? body.endIndex)]
    let codes = switchBody.split(separator: "\n").compactMap { line -> String? in
      guard let open = line.lastIndex(of: "\""), let first = line[..<open].lastIndex(of: "\"") else { return nil }
      return String(line[line.index(after: first)..<open])
    }
    #expect(codes.count > 30)
    let table = try String(
      contentsOf: Harness.repositoryRoot.appendingPathComponent("docs/messages.md"), encoding: .utf8)
    for code in Set(codes) {
      #expect(table.components(separatedBy: "| `\(code)` |").count == 2, "\(code) is not in docs/messages.md once")
    }
    #expect(table.components(separatedBy: "\n| `").count - 1 == Set(codes).count, "a code in the table is not used")
  }
}
