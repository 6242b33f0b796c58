import Foundation
import LiveState
import TokenModel

/// A token whose secret is older than its policy's `rotation.every`: a recommendation, which changes neither what a
/// plan adds nor its exit status.
package struct RotationDue: Sendable, Hashable, Codable {
  package let token: String
  package let issuedOn: String
  package let ageDays: Int
  /// The policy's `every`, in seconds.
  package let every: Int

  enum CodingKeys: String, CodingKey {
    case token, every
    case issuedOn = "issued_on"
    case ageDays = "age_days"
  }

  package init(token: String, issuedOn: String, ageDays: Int, every: Int) {
    self.token = token
    self.issuedOn = issuedOn
    self.ageDays = ageDays
    self.every = every
  }
}

package enum RotationSchedule {
  /// Active tokens whose secret is due, by the time it was issued, read now.
  package static func due(_ desired: DesiredState, observation: Observation, now: Date) -> [RotationDue] {
    desired.tokens.compactMap { token in
      guard let every = token.rotation?.every, case .read(let live)? = observation.tokens[token.name],
        live.status == .active, let issuedText = live.issuedOn, let issued = CloudflareDate.parse(issuedText)
      else { return nil }
      let age = now.timeIntervalSince(issued)
      guard age >= Double(every) else { return nil }
      return RotationDue(token: token.name, issuedOn: issuedText, ageDays: Int(age / 86_400), every: every)
    }
  }
}
