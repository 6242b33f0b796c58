import JSON

extension APIToken: JSONRepresentable {
  /// The fields `Codable` encodes, absent optionals left out.
  package var json: JSONValue {
    var fields: [String: JSONValue] = [
      "id": .string(id), "name": .string(name), "status": .string(status.rawValue), "policies": policies.json,
    ]
    fields["issued_on"] = issuedOn.map(JSONValue.string)
    fields["modified_on"] = modifiedOn.map(JSONValue.string)
    fields["last_used_on"] = lastUsedOn.map(JSONValue.string)
    fields["not_before"] = notBefore.map(JSONValue.string)
    fields["expires_on"] = expiresOn.map(JSONValue.string)
    fields["condition"] = condition
    return .object(fields)
  }
}

extension APIPolicy: JSONRepresentable {
  package var json: JSONValue {
    var fields: [String: JSONValue] = [
      "effect": .string(effect), "resources": resources,
      "permission_groups": .array(
        permissionGroups.map { group in
          var fields: [String: JSONValue] = ["id": .string(group.id)]
          fields["name"] = group.name.map(JSONValue.string)
          fields["meta"] = group.meta
          return .object(fields)
        }),
    ]
    fields["id"] = id.map(JSONValue.string)
    return .object(fields)
  }
}

extension APIMessage: JSONRepresentable {
  package var json: JSONValue { .object(["code": .number(Double(code)), "message": .string(message)]) }
}

extension ResultInfo: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      if let count { object.field("count", count) }
      if let page { object.field("page", page) }
      if let perPage { object.field("per_page", perPage) }
      if let totalCount { object.field("total_count", totalCount) }
    }
  }
}

// The simulator writes 10,000 tokens per listing this way, without building the dictionaries of `json` first; the
// bytes are the same (keys in sorted order).

extension APIToken: JSONWritable {
  package func write(json writer: inout JSONWriter) { writer.object { object in writeFields(json: &object) } }

  /// The fields inside the object, for an answer that adds its own after them (sorted after `status`).
  package func writeFields(json object: inout JSONWriter) {
    object.field("condition", condition)
    object.field("expires_on", expiresOn)
    object.field("id", id)
    object.field("issued_on", issuedOn)
    object.field("last_used_on", lastUsedOn)
    object.field("modified_on", modifiedOn)
    object.field("name", name)
    object.field("not_before", notBefore)
    object.field("policies", policies)
    object.field("status", status.rawValue)
  }
}

extension APIPermissionGroup: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("category", category)
      object.field("id", id)
      object.field("name", name)
      object.field("scopes", scopes)
    }
  }
}

extension APIPolicy: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("effect", effect)
      object.field("id", id)
      object.key("permission_groups")
      object.array(permissionGroups) { group, writer in
        writer.object { fields in
          fields.field("id", group.id)
          fields.field("meta", group.meta)
          fields.field("name", group.name)
        }
      }
      object.field("resources", resources)
    }
  }
}
