import Basics
import TokenModel

/// One policy file, decoded: its tokens, with the references that can only be checked across the whole set.
package struct PolicyFile: Sendable {
  package let source: SourceFile
  /// The tokens that decoded without error.
  package let tokens: [DesiredToken]
  /// Every token name declared, valid or not, with where it stands.
  package let declaredTokens: [String: SourceRange]
  /// Every `healer: NAME`, checked once all files are read.
  let healers: [HealerReference]
  /// Every `observers:` entry, checked once all files are read.
  let observers: [ObserverReference]
}

/// `observers: {user: NAME}`: the read-only token that lists a family for plan, health and status.
struct ObserverReference {
  let family: TokenFamily
  let familyText: String
  let token: String
  let range: SourceRange
}

struct HealerReference {
  let token: String
  let healer: String
  let range: SourceRange
}

/// "Did you mean" over a small list of names (accounts, zones, templates, healers).
enum Suggest {
  static func closest(_ name: String, among candidates: [String]) -> String? {
    Suggestion.closest(name, among: candidates, within: max(2, name.count / 3), ignoringCase: true)
  }
}
