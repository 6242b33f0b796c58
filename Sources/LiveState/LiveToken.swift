import JSON
import Synchronization
import TokenModel

/// What the planner and health checks need of a live token — status, dates and grants — without the rest of the
/// record: an observation of 10,000 tokens keeps these, not the decoded API records.
///
/// Immutable and shared: a class, so handing one from a list to the observation to the planner is one reference
/// count, not one per string field.
package final class LiveToken: Sendable, Hashable {
  package let id: String
  package let status: TokenStatus
  package let issuedOn: String?
  package let modifiedOn: String?
  package let notBefore: String?
  package let expiresOn: String?
  /// The grants, sorted and each once, their strings interned: what plans compare, one by one.
  package let sortedGrants: [LiveGrant]
  /// `LiveGrant.hash(of: grants)`, computed once as the record arrives (while other reads are still in flight)
  /// rather than by every plan and health check that compares it.
  package let grantsHash: String
  /// When Cloudflare last saw the token used (`last_used_on`), if it says.
  package let lastUsedOn: String?

  /// `sortedGrants` sorted and each once (`StringPool.grants(of:)` makes them so).
  package init(
    id: String, name: String, status: TokenStatus, issuedOn: String?, modifiedOn: String?, notBefore: String?,
    expiresOn: String?, condition: JSONValue?, sortedGrants: [LiveGrant], lastUsedOn: String? = nil
  ) {
    self.lastUsedOn = lastUsedOn
    self.id = id
    self.status = status
    self.issuedOn = issuedOn
    self.modifiedOn = modifiedOn
    self.notBefore = notBefore
    self.expiresOn = expiresOn
    self.sortedGrants = sortedGrants
    grantsHash = LiveGrant.hash(ofSorted: sortedGrants)
    fingerprint = (modifiedOn ?? "-") + "/" + grantsHash
    readState = TokenReadState(
      name: name, modifiedOn: modifiedOn, status: status, expiresOn: expiresOn, notBefore: notBefore,
      condition: condition, grantsHash: grantsHash, grantCount: sortedGrants.count)
  }

  /// Name, status, dates, condition and grants as read: what apply compares field by field with a fresh read.
  package let readState: TokenReadState

  package static func == (lhs: LiveToken, rhs: LiveToken) -> Bool {
    lhs === rhs
      || (lhs.id == rhs.id && lhs.status == rhs.status && lhs.issuedOn == rhs.issuedOn
        && lhs.modifiedOn == rhs.modifiedOn
        && lhs.notBefore == rhs.notBefore && lhs.expiresOn == rhs.expiresOn && lhs.sortedGrants == rhs.sortedGrants)
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(id)
    hasher.combine(modifiedOn)
    hasher.combine(grantsHash)
  }

  /// The grants as a set, whatever the order of the token's policies and groups.
  package var grants: Set<LiveGrant> { Set(sortedGrants) }

  /// Whether the token holds the grant: a binary search of the sorted grants.
  package func holds(_ grant: LiveGrant) -> Bool {
    var low = 0
    var high = sortedGrants.count
    while low < high {
      let middle = (low + high) / 2
      if sortedGrants[middle] < grant { low = middle + 1 } else { high = middle }
    }
    return low < sortedGrants.count && sortedGrants[low] == grant
  }

  /// What was read, in a form that changes whenever the grants or the token change: `modified_on` and a hash of the
  /// sorted grants. Saved plans keep it; apply compares it with a fresh read before writing.
  package let fingerprint: String
}

/// One copy of each group id and resource key however many tokens hold them.
package final class StringPool: Sendable {
  package static let shared = StringPool()
  private let strings = Mutex(Set<String>())

  package func intern(_ text: String) -> String { strings.withLock { $0.insert(text).memberAfterInsert } }

  /// A token's grants (`LiveGrant.grants(of:)`), sorted, each once, and interned under one acquisition of the lock:
  /// each policy's resource keys and group ids are looked up once, not once per grant.
  package func grants(of policies: some Sequence<(effect: Effect, groups: [String], resources: JSONValue)>)
    -> [LiveGrant]
  {
    var grants: [LiveGrant] = []
    strings.withLock { pool in
      for policy in policies {
        let effect = policy.effect
        let groups = policy.groups.map { pool.insert($0).memberAfterInsert }
        for key in LiveGrant.keys(of: policy.resources) {
          let resource = pool.insert(key).memberAfterInsert
          for group in groups { grants.append(LiveGrant(effect: effect, group: group, resource: resource)) }
        }
      }
    }
    grants.sort()
    var distinct: [LiveGrant] = []
    distinct.reserveCapacity(grants.count)
    for grant in grants where distinct.last != grant { distinct.append(grant) }
    return distinct
  }
}
