import CloudflareAPI
import Foundation
import Testing

/// Every row of the table of Cloudflare's answers: an answer it describes is classified by it, and says its meaning
/// and its remedy.
@Suite struct ErrorTableTests {
  static let call = APICall(method: "PUT", path: "/accounts/b3304b14848de15c72c24a14b0cd187d/tokens/x", caller: "t")

  struct Case: CustomTestStringConvertible, Sendable {
    let index: Int
    var testDescription: String {
      switch CloudflareErrorTable.rows[index].match {
      case .code(let code, let phrase): "code \(code)" + (phrase.map { " '\($0)'" } ?? "")
      case .status(let range): "HTTP \(range)"
      }
    }
  }

  @Test(arguments: CloudflareErrorTable.rows.indices.map(Case.init))
  func eachRowDescribesTheAnswersItMatches(_ testCase: Case) {
    let row = CloudflareErrorTable.rows[testCase.index]
    let (status, errors): (Int, [APIMessage]) =
      switch row.match {
      case .code(let code, let phrase): (400, [APIMessage(code: code, message: "Cloudflare says \(phrase ?? "no")")])
      case .status(let range): (range.lowerBound, [APIMessage(code: 99_999, message: "something else")])
      }
    let error = CloudflareClient.classify(status: status, errors: errors, body: Data(), headers: [:], call: Self.call)
    #expect(error.message.contains(row.meaning) || row.kind == .server, "\(error.message)")
    #expect(error.remedy == row.remedy(for: Self.call))
    #expect(CloudflareErrorTable.row(status: status, errors: errors)?.meaning == row.meaning)
  }

  @Test func theCodesCloudflareDocumentsAroundTokensAreEachInTheTable() {
    let codes = CloudflareErrorTable.rows.compactMap { row -> Int? in
      if case .code(let code, _) = row.match { code } else { nil }
    }
    #expect(Set(codes).isSuperset(of: [1000, 1001, 6003, 6103, 7003, 9106, 9109, 10000]))
  }

  @Test func aTokenThatDoesNotExistIsNotFoundButAWrongPathIsNoEndpoint() {
    let missing = CloudflareClient.classify(
      status: 404,
      errors: [
        APIMessage(code: 7003, message: "Could not route to /user/tokens/x, perhaps your object identifier is invalid?")
      ],
      body: Data(), headers: [:], call: Self.call)
    #expect(missing == .notFound(Self.call))
    let wrong = CloudflareClient.classify(
      status: 404, errors: [APIMessage(code: 7003, message: "No route for the URI")], body: Data(), headers: [:],
      call: Self.call)
    #expect(wrong.remedy.contains("CLOUDFLARE_API_BASE_URL"))
  }

  @Test func anHTMLPageFromTheEdgeIsSaidToBeOne() {
    let page = Data("<html><head><title>Attention Required! | Cloudflare</title></head></html>".utf8)
    let blocked = CloudflareClient.classify(status: 403, errors: [], body: page, headers: [:], call: Self.call)
    #expect(blocked.message.contains("HTML page 'Attention Required! | Cloudflare'"))
    #expect(blocked.remedy.hasPrefix("an HTML page came from Cloudflare's edge"))
    let outage = CloudflareClient.classify(status: 502, errors: [], body: page, headers: [:], call: Self.call)
    #expect(outage.isTransient)
    #expect(outage.message.contains("HTML page"))
  }
}
