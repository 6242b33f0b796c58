import CloudflareAPI
import Foundation
import Reconciler
import TokenModel

/// One read-only call of a probe, and what the policy says should happen.
package struct ProbeCall: Sendable, Hashable {
  package let token: String
  package let area: ProbeArea
  package let path: String
  /// Whether the policy grants what this call needs.
  package let expectedPass: Bool
  /// Why it is expected to pass or fail, in words.
  package let because: String
}

/// What one probe call did.
package struct ProbeResult: Sendable, Hashable, Encodable {
  package enum Outcome: String, Sendable, Hashable, Encodable {
    case pass = "PASS"
    case fail = "FAIL"
    case skipped = "SKIP"
  }

  package let token: String
  package let area: String
  package let title: String
  package let method: String
  package let path: String
  package let result: Outcome
  package let expected: Outcome
  package let asExpected: Bool
  /// Why it was expected so.
  package let because: String
  /// What Cloudflare said when it failed.
  package let detail: String?

  enum CodingKeys: String, CodingKey {
    case token, area, title, method, path, result, expected, because, detail
    case asExpected = "as_expected"
  }
}

/// Every result, and the surprises among them.
package struct ProbeReport: Sendable, Hashable, Encodable {
  package let timestamp: String
  package let results: [ProbeResult]

  package var checked: [ProbeResult] { results.filter { $0.result != .skipped } }
  package var surprises: [ProbeResult] { checked.filter { !$0.asExpected } }

  enum CodingKeys: String, CodingKey {
    case timestamp, results, total, surprises, skipped
    case formatVersion = "format_version"
    case asExpected = "as_expected"
  }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("1", forKey: .formatVersion)
    try container.encode(timestamp, forKey: .timestamp)
    try container.encode(results, forKey: .results)
    try container.encode(checked.count, forKey: .total)
    try container.encode(checked.count - surprises.count, forKey: .asExpected)
    try container.encode(surprises.count, forKey: .surprises)
    try container.encode(results.count - checked.count, forKey: .skipped)
  }
}

/// What each token can actually do: one small read-only call per permission area, next to what the policy grants.
package enum Prober {
  /// The calls for these tokens (pure): account areas on the token's own account, or for a user token on every
  /// account the policy names.
  package static func calls(
    for tokens: [DesiredToken], in desired: DesiredState, areas: [ProbeArea], catalog: PermissionCatalog
  )
    -> [ProbeCall]
  {
    var accountNames: [HexID: String] = [:]
    for token in desired.tokens {
      if case .account(let id) = token.owner { accountNames[id] = accountNames[id] ?? token.ownerName }
      for grant in token.grants {
        if case .account(let id) = grant.resource { accountNames[id] = accountNames[id] ?? grant.resourceName }
      }
    }
    let allAccounts = accountNames.keys.sorted { $0.rawValue < $1.rawValue }
    var calls: [ProbeCall] = []
    for token in tokens {
      let family = TokenFamily(owner: token.owner)
      func grants(_ names: [String], on resource: Resource) -> [String] {
        let ids = Set(names.flatMap { catalog.groups(named: $0).map(\.id) })
        return token.grants.filter { $0.resource == resource && ids.contains($0.group) }.map(\.groupName)
      }
      func call(_ area: ProbeArea, _ path: String, _ resource: Resource, _ where: String) -> ProbeCall {
        let granted = grants(area.groups, on: resource)
        let because =
          granted.isEmpty
          ? "the policy grants none of \(area.groups.joined(separator: ", ")) on \(`where`)"
          : "the policy grants \(granted.joined(separator: ", ")) on \(`where`)"
        return ProbeCall(token: token.name, area: area, path: path, expectedPass: !granted.isEmpty, because: because)
      }
      for area in areas {
        switch area.kind {
        case .verify:
          calls.append(
            ProbeCall(
              token: token.name, area: area, path: family.tokensPath + "/verify", expectedPass: true,
              because: "every token of the policy should be valid and active"))
        case .tokenList:
          switch token.owner {
          case .user: calls.append(call(area, family.tokensPath, .user, "the user"))
          case .account(let id):
            calls.append(call(area, family.tokensPath, .account(id), accountNames[id] ?? "account \(id.short)"))
          }
        case .account(let template):
          let accounts: [HexID]
          if case .account(let id) = token.owner { accounts = [id] } else { accounts = allAccounts }
          for account in accounts {
            let path = template.replacingOccurrences(of: "{account}", with: account.rawValue)
            calls.append(call(area, path, .account(account), accountNames[account] ?? "account \(account.short)"))
          }
        }
      }
    }
    return calls
  }

  /// Runs the calls, each as its own token, at the same time (the client bounds how many are in flight).
  package static func run(
    _ calls: [ProbeCall], client: CloudflareClient, credentials: [String: Credential], missingSecrets: [String: String],
    now: Date = Date()
  ) async -> ProbeReport {
    let results = await withTaskGroup(of: (Int, ProbeResult).self) { group in
      for (index, call) in calls.enumerated() {
        group.addTask {
          guard let credential = credentials[call.token] else {
            let why = missingSecrets[call.token] ?? "its secret is not available"
            return (index, result(call, .skipped, detail: why))
          }
          return (index, await probe(call, client: client, credential: credential))
        }
      }
      var ordered = [ProbeResult?](repeating: nil, count: calls.count)
      for await (index, result) in group { ordered[index] = result }
      return ordered.compactMap { $0 }
    }
    return ProbeReport(timestamp: CloudflareDate.format(now), results: results)
  }

  static func probe(_ call: ProbeCall, client: CloudflareClient, credential: Credential) async -> ProbeResult {
    do {
      _ = try await client.get(call.path, as: credential)
      return result(call, .pass, detail: nil)
    } catch {
      return result(call, .fail, detail: error.message)
    }
  }

  static func result(_ call: ProbeCall, _ outcome: ProbeResult.Outcome, detail: String?) -> ProbeResult {
    let expected: ProbeResult.Outcome = call.expectedPass ? .pass : .fail
    return ProbeResult(
      token: call.token, area: call.area.name, title: call.area.title, method: "GET", path: call.path, result: outcome,
      expected: expected, asExpected: outcome == expected, because: call.because, detail: detail)
  }
}
