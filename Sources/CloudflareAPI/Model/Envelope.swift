/// Cloudflare's response envelope.
struct Envelope<Result: Decodable>: Decodable {
  let success: Bool
  let errors: [APIMessage]
  let messages: [APIMessage]?
  let result: Result?
  let resultInfo: ResultInfo?

  enum CodingKeys: String, CodingKey {
    case success, errors, messages, result
    case resultInfo = "result_info"
  }

  init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    success = try container.decode(Bool.self, forKey: .success)
    errors = (try? container.decodeIfPresent([APIMessage].self, forKey: .errors)) ?? []
    messages = try? container.decodeIfPresent([APIMessage].self, forKey: .messages)
    // A failure's result is null (or junk); only a success must carry a well-formed one.
    result = success ? try container.decodeIfPresent(Result.self, forKey: .result) : nil
    resultInfo = try? container.decodeIfPresent(ResultInfo.self, forKey: .resultInfo)
  }
}

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
      return (try? container.decodeIfPresent(Double.self, forKey: key)).flatMap { $0.map { Int($0) } }
    }
    page = int(.page)
    perPage = int(.perPage)
    count = int(.count)
    totalCount = int(.totalCount)
  }
}
