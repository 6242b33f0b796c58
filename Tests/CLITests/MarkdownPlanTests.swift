import Foundation
import Planning
import Reconciler
import Rendering
import Testing

/// A pull-request comment lets reviewers see every permission a plan adds or cannot add, token by token, and stays
/// within GitHub's comment limit however large the plan.
@Suite struct MarkdownPlanTests {
  /// A plan of `tokens` tokens, each adding `adds` permissions and with one blocked.
  static func document(tokens: Int, adds: Int) throws -> PlanDocument {
    func grant(_ index: Int) -> String {
      #"{"effect":"allow","permission_group":"Group \#(index) Write","permission_group_id":"\#(String(format: "%032x", index))","resource":"account:b3304b14848de15c72c24a14b0cd187d","resource_name":"account main"}"#
    }
    let plans = (0..<tokens).map { index in
      #"{"name":"service-\#(index)","id":"\#(String(format: "%032x", index + 1))","owner":"account main","family":"account:b3304b14848de15c72c24a14b0cd187d","editor":"admin","add":[\#((0..<adds).map(grant).joined(separator: ","))],"satisfied":[],"extra":[],"blocked":[{"grant":\#(grant(999)),"reason":"no token can edit it"}]}"#
    }
    let json =
      #"{"format_version":"2","plan":{"format_version":"2","tool_version":"t","policy_digest":"d","policy_files":[],"source":"s","accounts":[],"catalog":"c","tokens":[\#(plans.joined(separator: ","))]},"summary":{"add":0,"blocked":0,"changed_tokens":0,"unchanged_tokens":0},"digest":"sha256:0"}"#
    return try JSONDecoder().decode(PlanDocument.self, from: Data(json.utf8))
  }

  @Test func everyAddedAndBlockedPermissionIsListedPerToken() throws {
    let text = PlanMarkdownRenderer.render(try Self.document(tokens: 200, adds: 2))
    #expect(text.count < PlanMarkdownRenderer.commentLimit)
    for token in 0..<200 {
      #expect(text.contains("<summary><code>service-\(token)</code>"), "service-\(token) missing")
    }
    #expect(text.components(separatedBy: "\n+ \"Group 1 Write\" on account main").count - 1 == 200)
    #expect(
      text.components(separatedBy: "\n- \"Group 999 Write\" on account main — no token can edit it").count - 1 == 200)
    #expect(text.components(separatedBy: "<details>").count - 1 == 200)
    #expect(!text.contains("not shown here"))
  }

  @Test func aPlanTooLargeForOneCommentSaysWhatIsLeftOut() throws {
    let text = PlanMarkdownRenderer.render(try Self.document(tokens: 2_000, adds: 5))
    #expect(text.count < PlanMarkdownRenderer.commentLimit)
    #expect(text.contains("more tokens ("))
    #expect(text.contains("see the full plan in the job log"))
    #expect(text.hasSuffix("Plan digest: `sha256:0` — read from s\n"))
  }
}
