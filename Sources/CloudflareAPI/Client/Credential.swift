import TokenModel

/// A token's value and how to name it in messages and logs.
package struct Credential: Sendable {
  /// The policy's name for the token, or its id.
  package let label: String
  package let tokenID: HexID?
  package let secret: Secret

  package init(label: String, tokenID: HexID?, secret: Secret) {
    self.label = label
    self.tokenID = tokenID
    self.secret = secret
  }

  /// `user_token (a753…eddf)`: never the value.
  package var display: String { tokenID.map { "\(label) (\($0.short))" } ?? label }
}
