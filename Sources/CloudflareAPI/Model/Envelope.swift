import Foundation
import JSON

/// An error or message of the envelope.
package struct APIMessage: Sendable, Hashable, Codable {
  package var code: Int
  package var message: String

  package init(code: Int, message: String) {
    self.code = code
    self.message = message
  }
}

/// Pagination of list calls.
package struct ResultInfo: Sendable, Hashable, Codable {
  package var page: Int?
  package var perPage: Int?
  package var count: Int?
  package var totalCount: Int?

  enum CodingKeys: String, CodingKey {
    case page, count
    case perPage = "per_page"
    case totalCount = "total_count"
  }

  package init(page: Int?, perPage: Int?, count: Int?, totalCount: Int?) {
    self.page = page
    self.perPage = perPage
    self.count = count
    self.totalCount = totalCount
  }

  package init(from decoder: Decoder) throws {
    // The spec types these as numbers; accept 1 and 1.0 alike.
    let container = try decoder.container(keyedBy: CodingKeys.self)
    func int(_ key: CodingKeys) -> Int? {
      if let value = try? container.decodeIfPresent(Int.self, forKey: key) { return value }
      return (try? container.decodeIfPresent(Double.self, forKey: key)).flatMap {
        $0.flatMap { Int(exactly: $0.rounded(.towardZero)) }
      }
    }
    page = int(.page)
    perPage = int(.perPage)
    count = int(.count)
    totalCount = int(.totalCount)
  }
}

/// Cloudflare's response envelope, read leniently where the old decoder was: `errors`, `messages` and
/// `result_info` that are not of their documented shape count as absent; `success` must be a boolean.
struct Envelope {
  let success: Bool?
  let errors: [APIMessage]
  let result: JSONValue?
  let resultInfo: ResultInfo?

  init(_ json: JSONValue) {
    let fields = json.objectValue ?? [:]
    if case .bool(let success)? = fields["success"] { self.success = success } else { success = nil }
    errors = Self.messages(fields["errors"])
    switch fields["result"] {
    case nil, .null?: result = nil
    case let value?: result = value
    }
    resultInfo = Self.resultInfo(fields["result_info"])
  }

  /// `result_info` when it is an object; its numbers read leniently.
  static func resultInfo(_ value: JSONValue?) -> ResultInfo? {
    guard case .object(let info)? = value else { return nil }
    let read = JSONFields(fields: info, path: "result_info")
    return ResultInfo(
      page: read.lenientInt("page"), perPage: read.lenientInt("per_page"), count: read.lenientInt("count"),
      totalCount: read.lenientInt("total_count"))
  }

  /// Every message with a numeric code and a text, or none.
  static func messages(_ value: JSONValue?) -> [APIMessage] {
    guard case .array(let items)? = value else { return [] }
    var messages: [APIMessage] = []
    for item in items {
      guard case .object(let fields) = item, case .number(let number)? = fields["code"],
        let code = Int(exactly: number), case .string(let message)? = fields["message"]
      else { return [] }
      messages.append(APIMessage(code: code, message: message))
    }
    return messages
  }
}
