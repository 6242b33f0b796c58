import Foundation
import TokenModel

/// Cloudflare's request budget (1,200 requests per 5 minutes per user) and what reading a policy's tokens costs of it.
package enum RequestBudget {
  package static let limit = 1200
  package static let window: TimeInterval = 300

  /// Requests one health check of `desired` makes: each token's verify, the list pages of each family, the catalog.
  package static func requestsPerCheck(_ desired: DesiredState) -> Int {
    desired.tokens.count + listPages(desired) + 1
  }

  /// The list pages that read every token of `desired`: ⌈tokens / 50⌉ for each family.
  package static func listPages(_ desired: DesiredState) -> Int {
    var perFamily: [TokenOwner: Int] = [:]
    for token in desired.tokens { perFamily[token.owner, default: 0] += 1 }
    return perFamily.values.reduce(0) { $0 + ($1 + 49) / 50 }
  }
}
