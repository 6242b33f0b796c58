import CloudflareAPI
import Synchronization

/// What the planner and health checks need of a live token — status, dates and grants — without the rest of the
/// record: an observation of 10,000 tokens keeps these, not the decoded API records.
public struct LiveToken: Sendable, Hashable {
  public let id: String
  public let status: TokenStatus
  public let issuedOn: String?
  public let modifiedOn: String?
  public let notBefore: String?
  public let expiresOn: String?
  public let grants: Set<LiveGrant>
  /// `LiveGrant.hash(of: grants)`, computed once as the record arrives (while other reads are still in flight)
  /// rather than by every plan and health check that compares it.
  public let grantsHash: String

  public init(_ token: APIToken) {
    id = token.id
    status = token.status
    issuedOn = token.issuedOn
    modifiedOn = token.modifiedOn
    notBefore = token.notBefore
    expiresOn = token.expiresOn
    grants = StringPool.shared.intern(LiveGrant.grants(of: token))
    grantsHash = LiveGrant.hash(of: grants)
  }

  /// What was read, in a form that changes whenever the grants or the token change: `modified_on` and a hash of the
  /// sorted grants. Saved plans keep it; apply compares it with a fresh read before writing.
  public var fingerprint: String { (modifiedOn ?? "-") + "/" + grantsHash }
}

/// One copy of each group id, resource key and effect however many tokens hold them.
final class StringPool: Sendable {
  static let shared = StringPool()
  private let strings = Mutex(Set<String>())

  func intern(_ text: String) -> String { strings.withLock { $0.insert(text).memberAfterInsert } }

  /// A token's grants, interned under one acquisition of the lock.
  func intern(_ grants: Set<LiveGrant>) -> Set<LiveGrant> {
    strings.withLock { pool in
      var interned = Set<LiveGrant>(minimumCapacity: grants.count)
      for grant in grants {
        interned.insert(
          LiveGrant(
            effect: pool.insert(grant.effect).memberAfterInsert, group: pool.insert(grant.group).memberAfterInsert,
            resource: pool.insert(grant.resource).memberAfterInsert))
      }
      return interned
    }
  }
}
