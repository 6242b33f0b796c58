/// What a policy does with its permissions: Cloudflare's `effect`. A deny wins over any allow on the same resource.
package enum Effect: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
  case allow
  case deny

  /// The effect of an API policy. Cloudflare knows only these two; anything else is read as a deny, so that an
  /// unknown word can never make a permission look present.
  package init(api text: String) { self = text == "allow" ? .allow : .deny }

  package static func < (lhs: Effect, rhs: Effect) -> Bool { lhs.rawValue < rhs.rawValue }
}
