import JSON
import LiveState

// The plan file's JSON, written field by field in sorted key order: the bytes `JSONEncoder` writes with sorted keys
// (the plan's digest is over them, so plans written by earlier versions keep theirs), without its cost, which was a
// fifth of a 10,000-token plan. Reading stays with `Codable`.

extension PlannedGrant: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("effect", effect.rawValue)
      object.field("permission_group", groupName)
      object.field("permission_group_id", group)
      object.field("resource", resource)
      object.field("resource_name", resourceName)
    }
  }
}

extension BlockedGrant: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("grant", grant)
      object.field("kind", kind?.rawValue)
      object.field("reason", reason)
    }
  }
}

extension TokenReadState: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("condition_digest", conditionDigest)
      object.field("expires_on", expiresOn)
      object.field("grant_count", grantCount)
      object.field("grants_digest", grantsDigest)
      object.field("modified_on", modifiedOn)
      object.field("name", name)
      object.field("not_before", notBefore)
      object.field("status", status)
    }
  }
}

extension TokenPlan: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("add", add)
      object.field("blocked", blocked)
      object.field("editor", editor)
      object.field("extra", extra)
      object.field("family", family.key)
      object.field("fingerprint", fingerprint)
      object.field("id", id)
      object.field("modified_on", modifiedOn)
      object.field("name", name)
      object.field("owner", owner)
      object.field("read", read)
      object.field("read_error", readError)
      object.field("remediation", remediation)
      object.field("satisfied", satisfied)
      object.field("status", status)
    }
  }
}

extension RotationDue: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("age_days", ageDays)
      object.field("every", every)
      object.field("issued_on", issuedOn)
      object.field("token", token)
    }
  }
}

extension PlanTarget: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      switch self {
      case .api(let baseURL):
        object.field("base_url", baseURL)
        object.field("kind", "api")
      case .sandbox(let scenario):
        object.field("kind", "sandbox")
        object.field("scenario", scenario)
      }
    }
  }
}

extension Plan: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("accounts", accounts)
      object.field("catalog", catalog)
      object.field("format_version", formatVersion)
      object.field("policy_digest", policyDigest)
      object.field("policy_files", policyFiles)
      if let rotationsDue, !rotationsDue.isEmpty { object.field("rotations_due", rotationsDue) }
      object.field("source", source)
      object.field("target", target)
      object.field("tokens", tokens)
      object.field("tool_version", toolVersion)
    }
  }
}

extension PlanDocument: JSONWritable {
  package func write(json writer: inout JSONWriter) {
    writer.object { object in
      object.field("digest", digest)
      object.field("format_version", formatVersion)
      object.field("plan", plan)
      object.field("signature", signature)
      object.key("summary")
      object.object { fields in
        fields.field("add", summary.add)
        fields.field("blocked", summary.blocked)
        fields.field("changed_tokens", summary.changedTokens)
        fields.field("unchanged_tokens", summary.unchangedTokens)
      }
    }
  }
}
