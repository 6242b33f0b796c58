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
