import Basics
import CloudflareAPI
import Foundation
import LiveState
import Planning
import Simulator
import Testing
import TokenModel

@testable import Planning

/// The plan file and its digest are written by our own writer; `JSONEncoder`, which wrote them before, is the
/// reference: the same bytes, compact (the digest) and indented (the file), for plans with every optional field
/// present or absent and awkward text, so that plan files written by earlier versions keep their digests.
@Suite struct PlanJSONTests {
  struct Generator {
    var rng: SplitMix64

    mutating func chance() -> Bool { Bool.random(using: &rng) }

    mutating func text() -> String {
      let pieces = ["a", "Zone", "é", "😀", "\"", "\\", "/", "\n", "\u{1}", " ", "account:1", "_", "-"]
      return (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    mutating func optional() -> String? { chance() ? text() : nil }

    mutating func grant() -> PlannedGrant {
      PlannedGrant(
        group: text(), groupName: text(), resource: text(), resourceName: text(), effect: chance() ? .allow : .deny)
    }

    mutating func grants() -> [PlannedGrant] { (0..<Int.random(in: 0...3, using: &rng)).map { _ in grant() } }

    mutating func token() -> TokenPlan {
      var token = TokenPlan(
        name: text(), id: text(), owner: text(),
        family: chance() ? .user : .account(HexID(String(repeating: "a", count: 32))!))
      token.fingerprint = optional()
      token.modifiedOn = optional()
      token.status = optional()
      if chance() {
        var read = TokenReadState(
          APIToken(id: "x", name: text(), status: .active, policies: []), grantsHash: text(),
          grantCount: Int.random(in: 0...1000, using: &rng))
        read.modifiedOn = optional()
        read.expiresOn = optional()
        read.notBefore = optional()
        read.conditionDigest = optional()
        token.read = read
      }
      token.readError = optional()
      token.editor = optional()
      token.remediation = optional()
      token.add = grants()
      token.satisfied = grants()
      token.extra = grants()
      let kinds: [BlockedGrant.Kind] = [.deniedByPolicy, .tokenInactive, .unreadable, .noEditor, .editorLacksGrant]
      token.blocked = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
        BlockedGrant(grant: grant(), reason: text(), kind: kinds.randomElement(using: &rng)!)
      }
      return token
    }

    mutating func plan() -> Plan {
      var plan = Plan(
        toolVersion: text(), policyDigest: text(), source: text(), catalog: text(),
        tokens: (0..<Int.random(in: 0...4, using: &rng)).map { _ in token() })
      plan.policyFiles = (0..<Int.random(in: 0...2, using: &rng)).map { _ in text() }
      plan.accounts = (0..<Int.random(in: 0...2, using: &rng)).map { _ in text() }
      switch Int.random(in: 0...2, using: &rng) {
      case 0: plan.target = .api(baseURL: text())
      case 1: plan.target = .sandbox(scenario: text())
      default: plan.target = nil
      }
      return plan
    }
  }

  @Test func writtenAsJSONEncoderWritesThem() throws {
    var generator = Generator(rng: SplitMix64(seed: 13))
    for _ in 0..<400 {
      var document = PlanDocument(plan: generator.plan())
      if generator.chance() { document.sign(key: "k") }
      let compact = JSONEncoder()
      compact.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      #expect(PlanDocument.canonical(document.plan) == [UInt8](try compact.encode(document.plan)))
      let pretty = JSONEncoder()
      pretty.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let expected = try pretty.encode(document) + Data("\n".utf8)
      #expect(
        document.encoded() == expected,
        "\(String(decoding: document.encoded(), as: UTF8.self))\n≠\n\(String(decoding: expected, as: UTF8.self))")
      #expect(try PlanDocument.read(document.encoded()).plan == document.plan)
      #expect(document.digest == "sha256:" + SHA256.hex(PlanDocument.canonical(document.plan)))
    }
  }

  /// The digest is hashed in pieces as the JSON is written: a plan far larger than a piece digests as its whole text.
  @Test func aLargePlanDigestsAsItsWholeText() throws {
    var generator = Generator(rng: SplitMix64(seed: 17))
    var plan = generator.plan()
    plan.tokens = (0..<2_000).map { _ in generator.token() }
    let canonical = PlanDocument.canonical(plan)
    #expect(canonical.count > 4 << 16)
    #expect(PlanDocument.digest(of: plan) == "sha256:" + SHA256.hex(canonical))
  }
}
