import CloudflareAPI
import Foundation
import Testing

/// Every remedy TokenWarden prints for a Cloudflare error names only flags that exist: advice runs as printed.
@Suite struct RemedyTests {
  static let call = APICall(method: "GET", path: "/accounts/b3304b14848de15c72c24a14b0cd187d/tokens", caller: "t")
  static let errors: [CloudflareError] =
    [
      .invalidToken(call), .missingPermission(call, "x"), .locationDenied(call, "x"),
      .validation(call, [APIMessage(code: 1001, message: "x")]), .notFound(call),
      .rateLimited(call, retryAfterSeconds: 30),
      .rateLimited(call, retryAfterSeconds: nil), .server(call, status: 502, detail: "x"), .transport(call, "x"),
      .timeout(call, seconds: 30), .malformedResponse(call, status: 200, "x"),
      .malformedResponse(call, status: 403, "HTML page 'x'"),
      .unexpected(call, status: 418, []),
    ]
    + CloudflareErrorTable.rows.map { row in
      // An answer of each row of the table.
      switch row.match {
      case .code(let code, let phrase):
        CloudflareClient.classify(
          status: 400, errors: [APIMessage(code: code, message: phrase ?? "x")], body: Data(), headers: [:], call: call)
      case .status(let range):
        CloudflareClient.classify(
          status: range.lowerBound, errors: [APIMessage(code: 1, message: "x")], body: Data(), headers: [:], call: call)
      }
    }

  @Test func everyFlagARemedyNamesIsAnOptionOfTheCommandsThatTalkToCloudflare() async throws {
    let help = await Harness.run(["plan", "--help"], environment: [:]).stdout
    var named = 0
    for error in Self.errors {
      let text = error.remedy + " " + error.message
      let flags = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "(" || $0 == ")" })
        .filter { $0.hasPrefix("--") }
      for flag in flags {
        named += 1
        #expect(help.contains(String(flag)), "\(error): names \(flag), which 'tokenwarden plan' does not take")
      }
    }
    #expect(named > 0)
  }
}
