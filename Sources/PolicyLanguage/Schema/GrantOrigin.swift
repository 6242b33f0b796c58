import TokenModel

/// Where a policy requires a grant of a token: the permission as written and where, and the templates it came
/// through (outermost first). What `explain` shows a reviewer asking "which line asks for this?".
package struct GrantOrigin: Sendable, Hashable {
  /// A place in a policy file, 1-based.
  package struct Location: Sendable, Hashable, CustomStringConvertible {
    package let path: String
    package let line: Int
    package let column: Int

    package var description: String { "\(path):\(line):\(column)" }
  }

  /// An `include: TEMPLATE` the permission came through.
  package struct Include: Sendable, Hashable {
    package let template: String
    package let location: Location
  }

  package let grant: DesiredGrant
  /// The permission as written there (`Workers Scripts: edit`).
  package let written: String
  package let location: Location
  /// Where the grant's `resource:` is.
  package let resourceLocation: Location
  package let via: [Include]
}
