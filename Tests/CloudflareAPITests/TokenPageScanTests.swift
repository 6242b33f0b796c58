import Foundation
import Testing

@testable import CloudflareAPI

/// The fast path is really taken for ordinary pages (the differential test in ListPagingTests shows that what it
/// accepts it reads as the general reader does; this shows it accepts what it should).
@Suite struct TokenPageScanTests {
  @Test func ordinaryAndUnusualPagesAreReadStraightFromTheBytes() throws {
    let bases = try ListPagingTests.bases()
    #expect(TokenPage.scan(bases[0]) != nil, "a page as the simulator renders it")
    #expect(TokenPage.scan(bases[1]) == nil, "an escaped key goes to the general reader")
    for base in bases[2...] {
      let scanned = TokenPage.scan(base)
      #expect(scanned != nil)
      #expect(scanned?.0.tokens == ListPagingTests.reference(base))
    }
    // A page as Cloudflare writes one (the details fixture's token, and another): read fast, and the same.
    let listed = try Fixture.data("token-list.json")
    let fast = try #require(TokenPage.scan(listed))
    #expect(fast.0.tokens == ListPagingTests.reference(listed))
    #expect(fast.0.tokens.count == 2)
    #expect(fast.1?.totalCount == 2)
    let page =
      #"{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":2,"per_page":50,"count":0,"total_count":1.0}}"#
    #expect(TokenPage.scan(Data(page.utf8))?.1 == ResultInfo(page: 2, perPage: 50, count: 0, totalCount: 1))
  }
}
