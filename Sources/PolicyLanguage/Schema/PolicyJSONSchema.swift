import JSON
import TokenModel

/// A JSON Schema (draft 2020-12) of schema version 1, for editors: the YAML language server gives completion and
/// inline errors with it. Made from the decoder's own key lists and the catalog, and each permission form is kept only
/// if the decoder reads it back as its group, so the schema accepts what the decoder accepts (structurally: whether a
/// permission fits its resource's scope, or a name is declared, only `validate` can tell).
package enum PolicyJSONSchema {
  static let hexID = "^[0-9a-fA-F]{32}$"
  static let name = "^[A-Za-z0-9][A-Za-z0-9._-]*$"

  package static func document(catalog: PermissionCatalog = .bundled) -> JSONValue {
    let (strings, mapping) = permissionForms(catalog)
    let permission: JSONValue = .object([
      "description":
        "A Cloudflare permission group: its API name, its dashboard form ('Workers Scripts: edit'), its id, or 'include: TEMPLATE'.",
      "anyOf": .array([
        .object(["type": "string", "enum": .array(strings.map(JSONValue.string))]),
        .object([
          "type": "object", "description": "Another template's permissions.",
          "properties": .object(["include": .object(["type": "string", "pattern": .string(name)])]),
          "required": .array(["include"]), "additionalProperties": false,
        ]),
        .object([
          "type": "object", "description": "'Product: level', as the dashboard writes it.",
          "minProperties": 1, "maxProperties": 1,
          "properties": .object(
            mapping.mapValues { levels in
              JSONValue.object(["type": "string", "enum": .array(levels.map(JSONValue.string))])
            }),
          "additionalProperties": false,
        ]),
      ]),
    ])
    let permissions: JSONValue = .object(["type": "array", "items": .object(["$ref": "#/$defs/permission"])])
    let idMap: (String) -> JSONValue = { what in
      .object([
        "type": "object", "description": .string("Our name for each \(what) → Cloudflare's 32-hex id."),
        "propertyNames": .object(["pattern": .string(name)]),
        "additionalProperties": .object(["$ref": "#/$defs/id"]),
      ])
    }
    func properties(_ keys: [String], _ values: [String: JSONValue]) -> JSONValue {
      .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, values[$0] ?? .object([:])) }))
    }
    let grant: JSONValue = .object([
      "type": "object", "required": .array(["resource", "permissions"]), "additionalProperties": false,
      "properties": properties(
        PolicyDecoder.Keys.grant,
        [
          "resource": .object([
            "type": "string",
            "description": "user, account NAME, all zones of account NAME, or zone NAME",
            "pattern":
              "^(user|account [A-Za-z0-9][A-Za-z0-9._-]*|all zones of account [A-Za-z0-9][A-Za-z0-9._-]*|zone [A-Za-z0-9][A-Za-z0-9._-]*)$",
          ]),
          "permissions": permissions,
        ]),
    ])
    let token: JSONValue = .object([
      "type": "object", "required": .array(["id", "owner", "secret", "grants"]), "additionalProperties": false,
      "properties": properties(
        PolicyDecoder.Keys.token,
        [
          "id": .object([
            "$ref": "#/$defs/id", "description": "The token's id (in the dashboard, or from 'tokenwarden import').",
          ]),
          "owner": .object([
            "type": "string", "description": "user (a user-owned token) or account NAME (an account-owned one)",
            "pattern": "^(user|account [A-Za-z0-9][A-Za-z0-9._-]*)$",
          ]),
          "secret": .object([
            "type": "string",
            "description": "$VARIABLE: the environment variable that holds the token's value; never the value.",
            "pattern": "^\\$[A-Za-z_][A-Za-z0-9_]*$",
          ]),
          "healer": .object([
            "type": "string", "description": "The token that edits this one, or self.", "pattern": .string(name),
          ]),
          "expiry": .object([
            "type": "object", "additionalProperties": false,
            "properties": properties(
              PolicyDecoder.Keys.expiry,
              [
                "warn_before": .object([
                  "type": "string", "description": "Warn this long before the token expires: 14d, 2w, 48h.",
                  "pattern": "^[0-9]+[hdw]$",
                ])
              ]),
          ]),
          "grants": .object(["type": "array", "items": .object(["$ref": "#/$defs/grant"])]),
          "unused_after": .object([
            "$ref": "#/$defs/duration", "description": "Report the token as unused after this long (default 30d).",
          ]),
          "rotation": .object([
            "type": "object", "additionalProperties": false,
            "description": "How 'tokenwarden rotate' and the service rotate the token's secret.",
            "properties": properties(
              PolicyDecoder.Keys.rotation,
              [
                "every": .object(["$ref": "#/$defs/duration", "description": "Rotate when the secret is this old."]),
                "strategy": .object([
                  "enum": ["replace", "roll"],
                  "description":
                    "replace: a new token, the old one expires after the grace period; roll: a new secret for the same token.",
                ]),
                "sinks": .object([
                  "type": "array",
                  "items": .object([
                    "type": "string", "description": .string("Where the new secret goes: \(SecretSink.forms)."),
                    "pattern":
                      "^(workers-secret:[^/]+/[^/]+/[A-Za-z0-9_]+|file:.+|env-file:.+:[A-Za-z_][A-Za-z0-9_]*|command:.+)$",
                  ]),
                ]),
                "grace": .object([
                  "$ref": "#/$defs/duration", "description": "How long the old token keeps working (default 24h).",
                ]),
                "lifetime": .object(["$ref": "#/$defs/duration", "description": "The expiry a new token gets."]),
                "sink_token": .object([
                  "type": "string", "pattern": .string(name),
                  "description": "The token that writes Workers secrets (default: the new token itself).",
                ]),
              ]),
          ]),
        ]),
    ])
    return .object([
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://tokenwarden.dev/schema/policy-v1.json",
      "title": "TokenWarden policy, schema version 1",
      "type": "object", "required": .array(["version", "tokens"]), "additionalProperties": false,
      "properties": properties(
        PolicyDecoder.Keys.policy,
        [
          "version": .object(["const": 1, "description": "Schema version: 1."]),
          "accounts": idMap("account"),
          "zones": idMap("zone"),
          "observers": .object([
            "type": "object",
            "description":
              "The read-only token that lists each family for plan, health and status: user, or account NAME → a token's name.",
            "propertyNames": .object(["pattern": "^(user|account [A-Za-z0-9][A-Za-z0-9._-]*)$"]),
            "additionalProperties": .object(["type": "string", "pattern": .string(name)]),
          ]),
          "templates": .object([
            "type": "object", "description": "Named permission lists, for 'include: NAME'.",
            "propertyNames": .object(["pattern": .string(name)]), "additionalProperties": permissions,
          ]),
          "tokens": .object([
            "type": "object", "description": "Each token by our name, with the permissions it must have.",
            "propertyNames": .object(["pattern": .string(name)]),
            "additionalProperties": .object(["$ref": "#/$defs/token"]),
          ]),
        ]),
      "$defs": .object([
        // An id of digits alone reads as a number in YAML; the decoder takes its text.
        "id": .object([
          "anyOf": .array([.object(["type": "string", "pattern": .string(hexID)]), .object(["type": "integer"])])
        ]),
        "duration": .object(["type": "string", "pattern": "^[0-9]+[hdw]$"]),
        "permission": permission, "grant": grant, "token": token,
      ]),
    ])
  }

  /// Every way the decoder reads each group: the exact API name and the id as strings, and the `Product: level`
  /// forms, as strings and as the one-entry mapping YAML makes of them (split at the first ': ').
  static func permissionForms(_ catalog: PermissionCatalog) -> (strings: [String], mapping: [String: [String]]) {
    var strings = Set<String>()
    var mapping: [String: Set<String>] = [:]
    for group in catalog.groups {
      strings.insert(group.id.rawValue)
      var forms = [group.name]
      if let space = group.name.lastIndex(of: " ") {
        let product = group.name[..<space]
        let level = group.name[group.name.index(after: space)...].lowercased()
        forms.append("\(product): \(level)")
        if level == "write" { forms.append("\(product): edit") }
      }
      for form in forms where reads(form, as: group, in: catalog) {
        strings.insert(form)
        if let colon = form.range(of: ": ") {
          mapping[String(form[..<colon.lowerBound]), default: []].insert(String(form[colon.upperBound...]))
        }
      }
    }
    return (strings.sorted(), mapping.mapValues { $0.sorted() })
  }

  /// Whether the decoder's reading of `written` finds `group` (for some scope it has).
  static func reads(_ written: String, as group: PermissionGroup, in catalog: PermissionCatalog) -> Bool {
    let request = PolicyDecoder.request(written, range: SourceRange(0, 0))
    return request.names.contains { catalog.groups(named: $0).contains { $0.id == group.id } }
  }
}
