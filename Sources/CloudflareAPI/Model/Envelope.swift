/// An error or message of the envelope.
public struct APIMessage: Sendable, Hashable, Codable {
  public var code: Int
  public var message: String

  public init(code: Int, message: String) {
    self.code = code
    self.message = message
  }
}

/// Pagination of list calls.
public struct ResultInfo: Sendable, Hashable, Codable {
  public var page: Int?
  public var perPage: Int?
  public var count: Int?
  public var totalCount: Int?

  enum CodingKeys: String, CodingKey {
    case page, count
    case perPage = "per_page"
    case totalCount = "total_count"
  }

  public init(page: Int?, perPage: Int?, count: Int?, totalCount: Int?) {
    self.page = page
    self.perPage = perPage
    self.count = count
    self.totalCount = totalCount
  }

  public init(from decoder: Decoder) throws {
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
