import Foundation
import JSON
import Synchronization
import TokenModel

// Answers read: size limit, the fast page scan, the general reader, the envelope, errors classified.
extension CloudflareClient {

  /// Pages asked for before the first answer says how many there are: 50,000 tokens at 50 a page.
  package static let maxEarlyPages = 1_000

  /// Larger answers are refused unread: no token endpoint returns anything near this.
  package static let maxResponseBytes = 16 << 20

  func decode<Result: JSONResult>(_ response: HTTPResponse, call: APICall) throws(CloudflareError) -> Page<Result> {
    guard response.body.count <= Self.maxResponseBytes else {
      throw .malformedResponse(
        call, status: response.status,
        "the answer is \(response.body.count) bytes, over the \(Self.maxResponseBytes >> 20) MiB limit")
    }
    let ok = (200..<300).contains(response.status)
    if ok, let scanned = Self.scan(Result.self, response.body) { return scanned }
    let envelope: Envelope?
    do {
      envelope = Envelope(try JSONReader.parse(response.body))
    } catch {
      if ok { throw .malformedResponse(call, status: response.status, Self.describe(error, body: response.body)) }
      envelope = nil
    }
    if ok, let envelope, envelope.success == nil {
      throw .malformedResponse(call, status: response.status, "missing field 'success' or not a boolean")
    }
    if ok, let envelope, envelope.success == true {
      guard let json = envelope.result else {
        throw .malformedResponse(call, status: response.status, "the response has no result")
      }
      do {
        return Page(result: try Result(json: json, path: "result"), info: envelope.resultInfo)
      } catch {
        throw .malformedResponse(call, status: response.status, error.description)
      }
    }
    let errors = envelope?.errors ?? []
    throw Self.classify(
      status: response.status, errors: errors, body: response.body, headers: response.headers, call: call)
  }

  /// A success answer read straight from its bytes, when `Result` can be and the answer has the expected shape.
  static func scan<Result: JSONResult>(_ type: Result.Type, _ body: Data) -> Page<Result>? {
    guard let scanned = type as? any ScannedResult.Type, let (result, info) = scanned.scan(body),
      let result = result as? Result
    else { return nil }
    return Page(result: result, info: info)
  }

  /// What a failed answer means: by the table of Cloudflare's answers, or as no answer of Cloudflare's API at all.
  package static func classify(
    status: Int, errors: [APIMessage], body: Data, headers: [String: String], call: APICall
  ) -> CloudflareError {
    let text = errors.map(\.message).joined(separator: "; ")
    // An answer without Cloudflare's envelope (an HTML page from the edge, a proxy's text) is not Cloudflare's API
    // speaking, unless its status says enough on its own.
    if errors.isEmpty && ![404, 429].contains(status) && status < 500 {
      return .malformedResponse(call, status: status, excerpt(body))
    }
    guard let row = CloudflareErrorTable.row(status: status, errors: errors) else {
      return .unexpected(call, status: status, errors)
    }
    switch row.kind {
    case .rateLimited: return .rateLimited(call, retryAfterSeconds: headers["retry-after"].flatMap { Int($0) })
    case .invalidToken: return .invalidToken(call)
    case .locationDenied: return .locationDenied(call, text)
    case .missingPermission: return .missingPermission(call, text.isEmpty ? "HTTP \(status)" : text)
    case .server: return .server(call, status: status, detail: errors.isEmpty ? excerpt(body) : text)
    case .notFound: return .notFound(call)
    case .validation: return .validation(call, errors)
    case .unexpected: return .unexpected(call, status: status, errors)
    }
  }

  /// A short, single-line excerpt of a body: the title of an HTML page, or the first characters of text.
  static func excerpt(_ body: Data) -> String {
    let text = String(decoding: body.prefix(4096), as: UTF8.self)
    if let start = text.range(of: "<title>", options: .caseInsensitive),
      let end = text.range(of: "</title>", options: .caseInsensitive, range: start.upperBound..<text.endIndex)
    {
      return "HTML page '" + text[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        + "'"
    }
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    if flat.isEmpty { return "empty body" }
    return flat.count > 120 ? String(flat.prefix(120)) + "…" : flat
  }

  static func describe(_ error: JSONReadError, body: Data) -> String {
    if body.isEmpty { return "empty body" }
    return "not JSON (\(error)): " + excerpt(body)
  }
}
