import Basics
import Foundation
import JSON

/// `tokenwarden usage`: each token's last use, whether it is unused, the days it was seen used, and the permissions
/// it holds that the policy does not require (with how long the grants have been as they are).
package struct UsageReport: Sendable {
  package struct Token: Sendable {
    package let name: String
    package let tokenID: String
    /// As Cloudflare said at the check; nil: no use reported.
    package let lastUsedOn: String?
    package let daysSinceUse: Int?
    package let unused: Bool
    package let unusedAfterDays: Int
    package let extraPermissions: [String]
    /// The earliest recorded check since which its grants are as they are now (a lower bound of how long the extra
    /// permissions have been held).
    package let grantsUnchangedSince: String?
    /// Days in the window on which a check found a new last use.
    package let useDays: [String]

    package init(
      name: String, tokenID: String, lastUsedOn: String?, daysSinceUse: Int?, unused: Bool, unusedAfterDays: Int,
      extraPermissions: [String], grantsUnchangedSince: String?, useDays: [String]
    ) {
      self.name = name
      self.tokenID = tokenID
      self.lastUsedOn = lastUsedOn
      self.daysSinceUse = daysSinceUse
      self.unused = unused
      self.unusedAfterDays = unusedAfterDays
      self.extraPermissions = extraPermissions
      self.grantsUnchangedSince = grantsUnchangedSince
      self.useDays = useDays
    }
  }

  package let sinceDays: Int
  package let checks: Int
  /// Least recently used first; never used before all.
  package let tokens: [Token]

  package init(sinceDays: Int, checks: Int, tokens: [Token]) {
    self.sinceDays = sinceDays
    self.checks = checks
    self.tokens = tokens
  }
}

package enum UsageRenderer {
  package static func text(_ report: UsageReport, style: TextStyle) -> String {
    var out =
      "Token use over the last \(report.sinceDays) days (\(plural(report.checks, "recorded check"))), least recently used first:\n\n"
    for token in report.tokens {
      var last = "never"
      if let days = token.daysSinceUse { last = days == 0 ? "today" : days == 1 ? "yesterday" : "\(days) days ago" }
      let flag = token.unused ? "  " + style.yellow("unused") + " (over \(token.unusedAfterDays) days)" : ""
      out += "  \(style.bold(token.name))  last used \(last)\(flag)\n"
      if !token.useDays.isEmpty {
        out +=
          "      used on \(token.useDays.count) recorded \(token.useDays.count == 1 ? "day" : "days"): "
          + token.useDays.suffix(7).joined(separator: ", ") + (token.useDays.count > 7 ? ", …" : "") + "\n"
      }
      if !token.extraPermissions.isEmpty {
        let since = token.grantsUnchangedSince.map { ", held since at least \($0)" } ?? ""
        out += "      not required by the policy\(since): " + token.extraPermissions.joined(separator: "; ") + "\n"
      }
    }
    let unused = report.tokens.filter(\.unused).count
    let extra = report.tokens.filter { !$0.extraPermissions.isEmpty }.count
    out +=
      "\n\(plural(unused, "token")) unused, \(plural(extra, "token")) holding permissions the policy does not require.\n"
    return out
  }

  package static func json(_ report: UsageReport) -> String {
    var writer = JSONWriter(pretty: true)
    writer.object { object in
      object.field("checks", report.checks)
      object.field("format_version", "1.0")
      object.field("since_days", report.sinceDays)
      object.key("tokens")
      object.array(report.tokens) { token, writer in
        writer.object { object in
          if let days = token.daysSinceUse { object.field("days_since_use", days) }
          object.key("extra_permissions")
          object.array(token.extraPermissions)
          object.field("grants_unchanged_since", token.grantsUnchangedSince)
          object.field("last_used_on", token.lastUsedOn)
          object.field("name", token.name)
          object.field("token_id", token.tokenID)
          object.key("unused")
          object.bool(token.unused)
          object.field("unused_after_days", token.unusedAfterDays)
          object.key("use_days")
          object.array(token.useDays)
        }
      }
    }
    return String(decoding: writer.bytes, as: UTF8.self) + "\n"
  }
}
