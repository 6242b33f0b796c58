import Foundation

/// The plan as a file or as `plan --json`: the plan, a summary, and the sha256 digest of the plan's canonical JSON.
public struct PlanDocument: Codable, Sendable {
  public struct Summary: Codable, Sendable {
    public let add: Int
    public let blocked: Int
    public let changedTokens: Int
    public let unchangedTokens: Int

    enum CodingKeys: String, CodingKey {
      case add, blocked
      case changedTokens = "changed_tokens"
      case unchangedTokens = "unchanged_tokens"
    }
  }

  public let plan: Plan
  public let summary: Summary
  /// `sha256:…` of the canonical JSON of `plan`.
  public let digest: String

  public init(plan: Plan) {
    self.plan = plan
    summary = Summary(
      add: plan.toAdd, blocked: plan.blockedCount, changedTokens: plan.changedTokens,
      unchangedTokens: plan.unchangedTokens)
    digest = Self.digest(of: plan)
  }

  public static func digest(of plan: Plan) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(plan)) ?? Data()
    return "sha256:" + SHA256.hex([UInt8](data))
  }

  public enum ReadError: Error, CustomStringConvertible {
    case unreadable(String)
    case notAPlan(String)
    case version(String)
    case tampered

    public var description: String {
      switch self {
      case .unreadable(let detail): return "cannot read the plan file: \(detail)"
      case .notAPlan(let detail): return "this is not a TokenWarden plan file (\(detail)); make one with 'tokenwarden plan --out FILE'"
      case .version(let version):
        return "the plan file has format version \(version); this TokenWarden reads version \(Plan.formatVersion): run plan again with this version"
      case .tampered:
        return "the plan file was changed after it was written (its digest does not match its content); run plan again"
      }
    }
  }

  /// Reads a plan file, refusing other versions and files whose content does not match their digest.
  public static func read(_ data: Data) throws(ReadError) -> PlanDocument {
    struct Probe: Decodable {
      let plan: VersionProbe?
      struct VersionProbe: Decodable { let format_version: String? }
    }
    guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else { throw .notAPlan("not JSON") }
    guard let version = probe.plan?.format_version else { throw .notAPlan("no plan.format_version") }
    guard version == Plan.formatVersion else { throw .version(version) }
    let document: PlanDocument
    do { document = try JSONDecoder().decode(PlanDocument.self, from: data) } catch {
      throw .notAPlan("\(error)")
    }
    guard document.digest == Self.digest(of: document.plan) else { throw .tampered }
    return document
  }

  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
  }
}
