import Basics
import Foundation
import JSON

/// The plan as a file or as `plan --json`: the plan, a summary, and the sha256 digest of the plan's canonical JSON.
package struct PlanDocument: Codable, Sendable {
  package struct Summary: Codable, Sendable {
    package let add: Int
    package let blocked: Int
    package let changedTokens: Int
    package let unchangedTokens: Int

    enum CodingKeys: String, CodingKey {
      case add, blocked
      case changedTokens = "changed_tokens"
      case unchangedTokens = "unchanged_tokens"
    }
  }

  package var formatVersion = Plan.formatVersion
  package let plan: Plan
  package let summary: Summary
  /// `sha256:…` of the canonical JSON of `plan`.
  package let digest: String
  /// `hmac-sha256:…` of the canonical JSON of `plan` under `TOKENWARDEN_PLAN_KEY`, when the plan was made with it.
  package var signature: String?

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case plan, summary, digest, signature
  }

  package init(plan: Plan) {
    self.plan = plan
    summary = Summary(
      add: plan.toAdd, blocked: plan.blockedCount, changedTokens: plan.changedTokens,
      unchangedTokens: plan.unchangedTokens)
    digest = Self.digest(of: plan)
  }

  /// The bytes the digest and the signature are made of: the plan's JSON with sorted keys.
  static func canonical(_ plan: Plan) -> [UInt8] {
    var writer = JSONWriter(capacity: 1 << 16)
    plan.write(json: &writer)
    return writer.bytes
  }

  /// The digest, hashed as the JSON is written: a plan of 10,000 tokens is 20 MB of it, never held whole.
  package static func digest(of plan: Plan) -> String {
    final class Digest { var hasher = SHA256.Hasher() }
    let digest = Digest()
    var writer = JSONWriter(chunk: 1 << 16) { digest.hasher.update($0) }
    plan.write(json: &writer)
    writer.finish()
    return "sha256:" + SHA256.hex(words: digest.hasher.finish())
  }

  /// Signs the plan with a key only the pipeline holds.
  package mutating func sign(key: String) {
    signature = "hmac-sha256:" + Self.hex(SHA256.hmac(key: Array(key.utf8), message: Self.canonical(plan)))
  }

  package enum Authenticity: Sendable, Equatable {
    case valid
    case unsigned
    case wrongSignature
  }

  /// Whether the plan was signed with `key`.
  package func authenticity(key: String) -> Authenticity {
    guard let signature, signature.hasPrefix("hmac-sha256:") else { return .unsigned }
    let expected = Array(Self.hex(SHA256.hmac(key: Array(key.utf8), message: Self.canonical(plan))).utf8)
    return SHA256.constantTimeEqual(expected, Array(signature.dropFirst("hmac-sha256:".count).utf8))
      ? .valid : .wrongSignature
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  package enum ReadError: Error, CustomStringConvertible {
    case unreadable(String)
    case notAPlan(String)
    case older(String)
    case newer(String)
    case tampered

    package var description: String {
      switch self {
      case .unreadable(let detail): return "cannot read the plan file: \(detail)"
      case .notAPlan(let detail):
        return "this is not a TokenWarden plan file (\(detail)); make one with 'tokenwarden plan --out FILE'"
      case .older(let version):
        return
          "the plan file was made by an older TokenWarden (format version \(version); this one reads \(Plan.formatVersion)): plan again"
      case .newer(let version):
        return
          "the plan file was made by a newer TokenWarden (format version \(version); this one reads \(Plan.formatVersion)): apply it with that version, or plan again with this one"
      case .tampered:
        return "the plan file was changed after it was written (its digest does not match its content); run plan again"
      }
    }
  }

  /// Reads a plan file, refusing other versions and files whose content does not match their digest.
  package static func read(_ data: Data) throws(ReadError) -> PlanDocument {
    struct Probe: Decodable {
      let formatVersion: String?
      let plan: VersionProbe?
      enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case plan
      }
      struct VersionProbe: Decodable {
        let formatVersion: String?
        enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
      }
    }
    guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else { throw .notAPlan("not JSON") }
    guard let version = probe.formatVersion ?? probe.plan?.formatVersion else {
      throw .notAPlan("no format_version")
    }
    guard version == Plan.formatVersion else {
      throw (Int(version) ?? 0) < (Int(Plan.formatVersion) ?? 0) ? .older(version) : .newer(version)
    }
    let document: PlanDocument
    do { document = try JSONDecoder().decode(PlanDocument.self, from: data) } catch {
      throw .notAPlan("\(error)")
    }
    guard document.digest == Self.digest(of: document.plan) else { throw .tampered }
    return document
  }

  /// The plan file: indented JSON with sorted keys, and a final newline.
  package func encoded() -> Data {
    var writer = JSONWriter(pretty: true, capacity: 1 << 16)
    write(json: &writer)
    return Data(writer.bytes + [UInt8(ascii: "\n")])
  }
}
