import JSON

/// Why a token holds, lacks or is required to hold each permission: what `explain` prints. Built by the command from
/// the policy (where each grant is required) and a plan of the token (what is live).
package struct Explanation: Sendable {
  package struct Token: Sendable {
    package let name: String
    package let id: String
    package let owner: String
    /// `user_token`, `self`, or `chosen by TokenWarden`.
    package let healer: String
    package let location: String

    package init(name: String, id: String, owner: String, healer: String, location: String) {
      self.name = name
      self.id = id
      self.owner = owner
      self.healer = healer
      self.location = location
    }
  }

  /// How a required permission stands on the live token.
  package enum State: Sendable {
    case held
    /// Apply adds it, through this editor (`self` for the token itself).
    case missing(editor: String)
    /// It cannot be added: the block's stable kind, and why in words.
    case blocked(kind: String?, reason: String)
    /// The live token was not read (`--offline`, or the read failed).
    case unknown(String)
  }

  /// A commit that last changed a line (`git blame`).
  package struct Commit: Sendable {
    package let sha: String
    package let author: String
    package let date: String
    package let summary: String

    package init(sha: String, author: String, date: String, summary: String) {
      self.sha = sha
      self.author = author
      self.date = date
      self.summary = summary
    }
  }

  package struct Origin: Sendable {
    package let location: String
    package let written: String
    package let via: [(template: String, location: String)]
    package var commit: Commit?

    package init(location: String, written: String, via: [(template: String, location: String)], commit: Commit?) {
      self.location = location
      self.written = written
      self.via = via
      self.commit = commit
    }
  }

  package struct Requirement: Sendable {
    package let permission: String
    package let permissionID: String
    package let resource: String
    package let state: State
    package let origins: [Origin]

    package init(permission: String, permissionID: String, resource: String, state: State, origins: [Origin]) {
      self.permission = permission
      self.permissionID = permissionID
      self.resource = resource
      self.state = state
      self.origins = origins
    }
  }

  /// A live permission the policy does not require.
  package struct Extra: Sendable {
    package let permission: String
    package let permissionID: String
    package let resource: String
    package let effect: String

    package init(permission: String, permissionID: String, resource: String, effect: String) {
      self.permission = permission
      self.permissionID = permissionID
      self.resource = resource
      self.effect = effect
    }
  }

  package let token: Token
  package let required: [Requirement]
  package let extra: [Extra]
  /// Why no token can edit this one, and what a person can do, when something is missing.
  package let remediation: String?
  /// Where the live state was read from; nil when it was not.
  package let source: String?

  package init(
    token: Token, required: [Requirement], extra: [Extra], remediation: String?, source: String?
  ) {
    self.token = token
    self.required = required
    self.extra = extra
    self.remediation = remediation
    self.source = source
  }
}

/// `explain` as text and JSON.
package struct ExplainRenderer {
  let style: TextStyle

  package init(style: TextStyle) { self.style = style }

  package func text(_ explanation: Explanation) -> String {
    let token = explanation.token
    var out =
      style.bold(token.name) + " (\(token.id), \(token.owner); healer: \(token.healer)), declared at "
      + token.location + "\n"
    if let source = explanation.source { out += "Live state read from \(source).\n" }
    if !explanation.required.isEmpty {
      out += "\nRequired by the policy:\n"
      for requirement in explanation.required {
        let (marker, state): (String, String)
        switch requirement.state {
        case .held: (marker, state) = (style.green("✓"), "held")
        case .missing(let editor):
          (marker, state) = (
            style.green("+"),
            "missing: apply adds it" + (editor == "self" ? " (the token edits itself)" : " through \(editor)")
          )
        case .blocked(_, let reason): (marker, state) = (style.red("✗"), "blocked: " + reason)
        case .unknown(let why): (marker, state) = ("?", "not known: " + why)
        }
        out += "  \(marker) \(requirement.permission) on \(requirement.resource): \(state)\n"
        for origin in requirement.origins {
          out += "      required at \(origin.location) ('\(origin.written)')\n"
          for include in origin.via {
            out += "        through template \(include.template), included at \(include.location)\n"
          }
          if let commit = origin.commit {
            out +=
              "        last changed in \(commit.sha.prefix(12)) by \(commit.author), \(commit.date): \(commit.summary)\n"
          }
        }
      }
    }
    if !explanation.extra.isEmpty {
      out += "\nHeld, not required by the policy (kept; TokenWarden never removes):\n"
      for extra in explanation.extra {
        let effect = extra.effect == "deny" ? "deny " : ""
        out += "  = \(effect)\(extra.permission) on \(extra.resource)\n"
      }
    }
    if let remediation = explanation.remediation { out += "\n" + remediation + "\n" }
    if explanation.required.isEmpty && explanation.extra.isEmpty { out += "\nNothing matches.\n" }
    return out
  }

  package static func json(_ explanation: Explanation) -> String {
    var writer = JSONWriter(pretty: true)
    writer.object { object in
      object.key("extra")
      object.array(explanation.extra) { extra, writer in
        writer.object { object in
          object.field("effect", extra.effect)
          object.field("permission", extra.permission)
          object.field("permission_id", extra.permissionID)
          object.field("resource", extra.resource)
        }
      }
      object.field("format_version", "1.0")
      object.field("remediation", explanation.remediation)
      object.key("required")
      object.array(explanation.required) { requirement, writer in
        writer.object { object in
          var reason: String?
          switch requirement.state {
          case .blocked(let kind, let why):
            object.field("block_kind", kind)
            reason = why
          case .missing(let editor): object.field("editor", editor)
          case .unknown(let why): reason = why
          case .held: break
          }
          object.key("origins")
          object.array(requirement.origins) { origin, writer in
            writer.object { object in
              if let commit = origin.commit {
                object.key("commit")
                object.object { object in
                  object.field("author", commit.author)
                  object.field("date", commit.date)
                  object.field("sha", commit.sha)
                  object.field("summary", commit.summary)
                }
              }
              object.field("location", origin.location)
              object.key("via")
              object.array(origin.via) { include, writer in
                writer.object { object in
                  object.field("location", include.location)
                  object.field("template", include.template)
                }
              }
              object.field("written", origin.written)
            }
          }
          object.field("permission", requirement.permission)
          object.field("permission_id", requirement.permissionID)
          object.field("reason", reason)
          object.field("resource", requirement.resource)
          let state =
            switch requirement.state {
            case .held: "held"
            case .missing: "missing"
            case .blocked: "blocked"
            case .unknown: "unknown"
            }
          object.field("state", state)
        }
      }
      object.field("source", explanation.source)
      object.key("token")
      object.object { object in
        object.field("healer", explanation.token.healer)
        object.field("id", explanation.token.id)
        object.field("location", explanation.token.location)
        object.field("name", explanation.token.name)
        object.field("owner", explanation.token.owner)
      }
    }
    return String(decoding: writer.bytes, as: UTF8.self) + "\n"
  }
}
