import TokenModel

/// Every diagnostic message of the policy language, alphabetised by identifier.
///
/// Messages are lowercase without a trailing period and quote names with '…'; a note says why or what to do.
extension DiagnosticMessage {
  package static let aliasNotSupported = DiagnosticMessage(
    "alias-not-supported", "aliases ('*name') are not supported", note: "write the value out in full")
  package static func ambiguousScalar(_ text: String) -> DiagnosticMessage {
    DiagnosticMessage("ambiguous-scalar", "ambiguous value '\(text)'")
  }
  package static let anchorNotSupported = DiagnosticMessage(
    "anchor-not-supported", "anchors ('&name') are not supported",
    note: "write the value out in full, or share permissions with a template")
  package static func badIDPrefix(_ what: String) -> DiagnosticMessage {
    DiagnosticMessage("bad-id", "\(what) must be a 32-character hexadecimal id")
  }
  package static let badIndentation = DiagnosticMessage(
    "bad-indentation", "this line is indented differently from the lines above it",
    note: "entries of one mapping or list must start in the same column")
  package static let blockScalarNotSupported = DiagnosticMessage(
    "block-scalar-not-supported", "block scalars ('|' and '>') are not supported",
    note: "write the value on one line, in quotes if needed")
  package static let blockSequenceInFlow = DiagnosticMessage(
    "block-sequence-in-flow", "'- ' list entries are not allowed inside '[ ]' or '{ }'")
  package static let commentNeedsSpace = DiagnosticMessage(
    "comment-needs-space", "a comment must be separated from the value before it by a space")
  package static let complexKey = DiagnosticMessage(
    "complex-key", "keys must be plain or quoted text", note: "lists, mappings and '?' keys are not supported")
  package static let contentAfterDocumentStart = DiagnosticMessage(
    "content-after-document-start", "content on the same line as '---' is not supported",
    note: "start the content on the next line")
  package static let directiveNotSupported = DiagnosticMessage(
    "directive-not-supported", "directives ('%YAML', '%TAG') are not supported")
  package static let documentEndMarker = DiagnosticMessage(
    "document-end-marker", "the document end marker '...' is not supported", note: "a policy file holds one document")
  package static func duplicateKey(_ key: String) -> DiagnosticMessage {
    DiagnosticMessage("duplicate-key", "duplicate key '\(key)'")
  }
  package static func duplicatePermission(_ permission: String, _ resource: String) -> DiagnosticMessage {
    DiagnosticMessage("duplicate-permission", "'\(permission)' is granted twice on \(resource)")
  }
  package static func duplicateTokenID(_ id: String) -> DiagnosticMessage {
    DiagnosticMessage("duplicate-token-id", "token id '\(id)' is declared twice")
  }
  package static func duplicateTokenName(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("duplicate-token-name", "token '\(name)' is declared in two files")
  }
  package static let emptyFlowEntry = DiagnosticMessage("empty-flow-entry", "missing value in '[ ]' or '{ }'")
  package static let emptyPolicy = DiagnosticMessage(
    "empty-policy", "empty policy", note: "a policy file starts with 'version: 1'; see docs/policy.md")
  package static func expectedFlowSeparator(_ closer: String) -> DiagnosticMessage {
    DiagnosticMessage("expected-flow-separator", "expected ',' or \(closer)")
  }
  package static let expectedKey = DiagnosticMessage(
    "expected-key", "expected a 'key: value' entry, found a list entry",
    note: "a list under a key starts on the line after the key")
  package static let expectedSequenceEntry = DiagnosticMessage(
    "expected-sequence-entry", "expected a '- ' list entry", note: "every entry of a list starts with '- '")
  package static func expectedType(_ what: String, expected: String, found: String) -> DiagnosticMessage {
    DiagnosticMessage("expected-type", "\(what) must be \(expected), not \(found)")
  }
  package static func fileTooLarge(bytes: Int, limit: Int) -> DiagnosticMessage {
    DiagnosticMessage(
      "file-too-large", "policy file is \(bytes) bytes; the limit is \(limit >> 20) MiB",
      note: "a policy of 10,000 tokens is about 4 MB; split a larger one into several files")
  }
  package static let floatKey = DiagnosticMessage(
    "float-key", "numbers with a fraction cannot be keys", note: "quote the key")
  package static func forbiddenCharacter(_ codePoint: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "forbidden-character", "character \(codePoint) is not allowed",
      note: "YAML readers disagree on control characters, byte order marks and Unicode line separators; remove it")
  }
  package static func indicatorNeedsQuotes(_ indicator: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "indicator-needs-quotes", "a value cannot start with '\(indicator)' unless it is quoted", note: "quote the value")
  }
  package static let invalidEscape = DiagnosticMessage(
    "invalid-escape", "escape does not name a valid character",
    note: "'\\x' takes 2 hex digits, '\\u' 4 and '\\U' 8, outside the surrogate range")
  package static func invalidDuration(_ text: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "invalid-duration", "invalid duration '\(text)'", note: "write a whole number and a unit: '36h', '14d' or '2w'")
  }
  package static func invalidName(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "invalid-name", "invalid name '\(name)'",
      note: "names start with a letter or digit and use letters, digits, '-', '_' and '.'")
  }
  package static func reservedTokenName(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("reserved-token-name", "a token cannot be named '\(name)'")
  }
  package static func invalidOwner(_ text: String) -> DiagnosticMessage {
    DiagnosticMessage("invalid-owner", "invalid owner '\(text)'", note: "write 'user' or 'account NAME'")
  }
  package static func invalidResource(_ text: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "invalid-resource", "invalid resource '\(text)'",
      note: "write 'account NAME', 'all zones of account NAME', 'zone NAME' or 'user'")
  }
  package static func invalidSecret(_ text: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "invalid-secret", "secret '\(SecretMask.masked(text))' does not name an environment variable",
      note: "write '$' and the variable's name, like '$CLOUDFLARE_API_TOKEN'")
  }
  package static func invalidUTF8(byte: UInt8, offset: Int) -> DiagnosticMessage {
    let hex = String(byte, radix: 16, uppercase: true)
    return DiagnosticMessage(
      "invalid-utf8", "invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex) at byte offset \(offset)",
      note: "save the file as UTF-8")
  }
  package static func keyTooLong(limit: Int) -> DiagnosticMessage {
    DiagnosticMessage("key-too-long", "key is longer than \(limit) characters")
  }
  package static let loneCarriageReturn = DiagnosticMessage(
    "lone-carriage-return", "carriage return without a line feed", note: "use LF or CRLF line endings")
  package static let mappingOnValueLine = DiagnosticMessage(
    "mapping-on-value-line", "a mapping cannot start on the same line as its key",
    note: "put the nested 'key: value' on the next line, indented, or quote the value if ':' belongs to it")
  package static let missingSpaceAfterColon = DiagnosticMessage(
    "missing-space-after-colon", "expected a space after ':'")
  package static func missingColon(_ key: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "missing-colon", key.isEmpty ? "expected ':' after the key" : "expected ':' after '\(key)'",
      note: "entries of a mapping are written 'key: value'")
  }
  package static func missingKey(_ key: String, in what: String) -> DiagnosticMessage {
    DiagnosticMessage("missing-key", "\(what) has no '\(key)'")
  }
  package static func nestingTooDeep(limit: Int) -> DiagnosticMessage {
    DiagnosticMessage("nesting-too-deep", "nesting is deeper than \(limit) levels")
  }
  package static let pairInFlowSequence = DiagnosticMessage(
    "pair-in-flow-sequence", "an entry of '[ ]' holds at most one 'key: value' pair",
    note: "quote the value if ':' belongs to it, or use a block mapping")
  package static func permissionRenamed(_ former: String, to current: String) -> DiagnosticMessage {
    DiagnosticMessage("permission-renamed", "'\(former)' is now called '\(current)' in Cloudflare's catalog")
  }
  package static func permissionScope(_ permission: String, applies: String, resource: String) -> DiagnosticMessage {
    DiagnosticMessage("permission-scope", "'\(permission)' applies to \(applies), not to \(resource)")
  }
  package static let questionInFlowScalar = DiagnosticMessage(
    "question-in-flow-scalar", "'?' in an unquoted value inside '[ ]' or '{ }'", note: "quote the value")
  package static let colonInFlowScalar = DiagnosticMessage(
    "colon-in-flow-scalar", "':' in an unquoted value inside '[ ]' or '{ }'", note: "quote the value")
  package static let secretLiteral = DiagnosticMessage(
    "secret-literal", "token values must not be written in policy files",
    note:
      "revoke this token in Cloudflare's dashboard now (it is in the file, so in git history and every copy), create a new one, and name the environment variable that holds it, like '$CLOUDFLARE_API_TOKEN'"
  )
  package static func invalidSink(_ why: String) -> DiagnosticMessage {
    DiagnosticMessage("invalid-sink", "invalid sink: \(why)")
  }
  package static func invalidObserver(_ why: String) -> DiagnosticMessage {
    DiagnosticMessage("invalid-observer", "invalid observer: \(why)")
  }
  package static func observerCanWrite(_ observer: String, _ permissions: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "observer-can-write", "observer '\(observer)' is granted \(permissions), which can change things",
      note:
        "an observer needs only 'API Tokens Read' (user) or 'Account API Tokens Read' (an account): its secret goes to pull-request jobs, where anyone who can push can read it"
    )
  }
  package static func impossibleHealer(_ healer: String, _ target: String, why: String) -> DiagnosticMessage {
    DiagnosticMessage("impossible-healer", "'\(healer)' can never edit '\(target)': \(why)")
  }
  package static let selfEditRisk = DiagnosticMessage(
    "self-edit-risk", "a token that heals itself can cut off its own way back",
    note:
      "one bad write (a grant lost, a condition that excludes this machine) leaves nothing able to repair it; prefer another token as the healer, and keep a way to fix it in the dashboard"
  )
  package static let selfHealer = DiagnosticMessage(
    "self-healer", "a token cannot name itself as its healer",
    note: "write 'healer: self' to allow it explicitly; a token editing itself can lock itself out with one bad write")
  package static let sequenceOnKeyLine = DiagnosticMessage(
    "sequence-on-key-line", "a list cannot start on the same line as its key",
    note: "put '- item' on the next line, or use '[a, b]'")
  package static let severalDocuments = DiagnosticMessage(
    "several-documents", "a policy file holds one document", note: "remove the second '---' or split the file")
  package static let tabCharacter = DiagnosticMessage(
    "tab-character", "tab character outside quotes", note: "indent and separate with spaces")
  package static let tagNotSupported = DiagnosticMessage(
    "tag-not-supported", "tags ('!name', '!!str') are not supported")
  package static func templateCycle(_ path: String) -> DiagnosticMessage {
    DiagnosticMessage("template-cycle", "templates include each other in a cycle: \(path)")
  }
  package static func unexpectedCharacter(_ character: String) -> DiagnosticMessage {
    DiagnosticMessage("unexpected-character", "unexpected '\(character)'")
  }
  package static let unexpectedIndentation = DiagnosticMessage(
    "unexpected-indentation", "unexpected indented line",
    note:
      "values must fit on one line (multi-line values are not supported); a nested entry goes under a key with no value"
  )
  package static func unknownAccount(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-account", "unknown account '\(name)'")
  }
  package static func unknownEscape(_ character: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-escape", "unknown escape '\\\(character)'", note: "write '\\\\' for a backslash")
  }
  package static func unknownKey(_ key: String, in what: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-key", "unknown key '\(key)' in \(what)")
  }
  package static func unknownPermission(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-permission", "unknown permission '\(name)'")
  }
  package static func unknownTemplate(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-template", "unknown template '\(name)'")
  }
  package static func unknownToken(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-token", "unknown token '\(name)'")
  }
  package static func unknownZone(_ name: String) -> DiagnosticMessage {
    DiagnosticMessage("unknown-zone", "unknown zone '\(name)'")
  }
  package static func unreadableFile(_ reason: String) -> DiagnosticMessage {
    DiagnosticMessage("unreadable-file", "cannot read the file: \(reason)")
  }
  package static func unsupportedVersion(_ text: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "unsupported-version", "unsupported policy version '\(text)'", note: "this TokenWarden reads version 1")
  }
  package static let unterminatedQuoted = DiagnosticMessage(
    "unterminated-quoted", "quoted value is not closed on its line", note: "multi-line values are not supported")
  package static func unterminatedFlow(_ opener: String) -> DiagnosticMessage {
    DiagnosticMessage(
      "unterminated-flow", "'\(opener)' is not closed on its line",
      note: "'[ ]' and '{ }' must close on the line they open; use a '- ' list for long lists")
  }
  package static func wrongOwnerResource(_ token: String, _ detail: String) -> DiagnosticMessage {
    DiagnosticMessage("account-token-resource", "account-owned token '\(token)' \(detail)")
  }
  package static func emptyGrant(_ token: String) -> DiagnosticMessage {
    DiagnosticMessage("empty-grants", "token '\(token)' grants no permissions")
  }

  /// Every identifier in the catalogue; tests check that each has a case asserting its position.
  package static let catalogueIDs: [String] = [
    "account-token-resource", "alias-not-supported", "ambiguous-scalar", "anchor-not-supported", "bad-id",
    "bad-indentation", "block-scalar-not-supported", "block-sequence-in-flow", "colon-in-flow-scalar",
    "comment-needs-space", "complex-key", "content-after-document-start", "directive-not-supported",
    "document-end-marker", "duplicate-key", "duplicate-permission", "duplicate-token-id", "duplicate-token-name",
    "empty-flow-entry", "empty-grants", "empty-policy", "expected-flow-separator", "expected-key",
    "expected-sequence-entry", "expected-type", "file-too-large", "float-key", "forbidden-character",
    "impossible-healer", "indicator-needs-quotes", "invalid-duration", "invalid-escape", "invalid-name",
    "invalid-observer", "invalid-owner",
    "invalid-resource", "invalid-secret", "invalid-sink", "invalid-utf8", "key-too-long", "lone-carriage-return",
    "mapping-on-value-line", "missing-colon", "missing-key", "missing-space-after-colon", "nesting-too-deep",
    "observer-can-write", "pair-in-flow-sequence", "permission-renamed", "permission-scope", "question-in-flow-scalar",
    "reserved-token-name",
    "secret-literal", "self-edit-risk",
    "self-healer",
    "sequence-on-key-line", "several-documents", "tab-character", "tag-not-supported", "template-cycle",
    "unexpected-character", "unexpected-indentation", "unknown-account", "unknown-escape", "unknown-key",
    "unknown-permission", "unknown-template", "unknown-token", "unknown-zone", "unreadable-file",
    "unsupported-version", "unterminated-flow", "unterminated-quoted",
  ]
}
