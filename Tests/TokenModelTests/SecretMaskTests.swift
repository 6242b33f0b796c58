import Testing
import TokenModel

/// What a pasted token looks like in output: its known prefix and length, never the value.
@Suite struct SecretMaskTests {
  static let token = "cfut_" + String(repeating: "Ab3", count: 12) + "Zz9"

  @Test func aValueShowsOnlyItsKnownPrefixAndLength() {
    #expect(SecretMask.masked(Self.token) == "cfut_…(44 characters)")
    #expect(SecretMask.masked("Bearer " + Self.token) == "Bearer cfut_…(51 characters)")
    #expect(SecretMask.masked(String(repeating: "x", count: 33)) == "…(33 characters)")
  }

  @Test func freeTextKeepsNamesAndMasksTokens() {
    #expect(
      SecretMask.maskingTokens(in: "unknown healer 'my-very-long-service-account-token-for-workers'")
        == "unknown healer 'my-very-long-service-account-token-for-workers'")
    #expect(SecretMask.maskingTokens(in: "did you mean '\(Self.token)'?") == "did you mean 'cfut_…(44 characters)'?")
    let legacy = "Q3zK8dP1xY7mN2bV5cL9wR4tH6jF0gS8aE2uI7oW"
    #expect(SecretMask.maskingTokens(in: "value \(legacy) here") == "value …(40 characters) here")
  }

  @Test(arguments: [
    ("    secret: \(SecretMaskTests.token)", "    secret: cfut_…(44 characters)"),
    (
      "    secret: \"Bearer \(SecretMaskTests.token)\"  # pasted",
      "    secret: \"Bearer cfut_…(51 characters)\"  # pasted"
    ),
    ("  - {name: a, secret: hunter2hunter2, id: 1}", "  - {name: a, secret: …(14 characters), id: 1}"),
    ("    secret: $CLOUDFLARE_USER_TOKEN", "    secret: $CLOUDFLARE_USER_TOKEN"),
    ("    'secret': 'abc'", "    'secret': '…(3 characters)'"),
  ])
  func linesMaskSecretValuesButNotVariables(_ line: String, _ expected: String) {
    #expect(SecretMask.maskLine(line).text == expected)
  }

  @Test func columnsFollowTheMask() {
    let (text, edits) = SecretMask.maskLine("    secret: \(Self.token) # x")
    #expect(text == "    secret: cfut_…(44 characters) # x")
    #expect(SecretMask.column(4, through: edits) == 4)
    #expect(SecretMask.column(12, through: edits) == 12)
    #expect(SecretMask.column(30, through: edits) == 12)
    #expect(SecretMask.column(12 + 44 + 1, through: edits) == 12 + 21 + 1)
  }

  @Test(arguments: [
    ("abc\n", "a line break at byte 4"), ("ab c", "a space at byte 3"), ("\tabc", "a tab at byte 1"),
    ("abcé", "a non-ASCII character at byte 4"), ("ab\u{7}", "a control character at byte 3"),
  ])
  func aMalformedEnvironmentValueIsDescribedNeverShown(_ value: String, _ problem: String) {
    #expect(Secret(value).malformation == problem)
    #expect(Secret("cfut_fine-value_123").malformation == nil)
  }
}
