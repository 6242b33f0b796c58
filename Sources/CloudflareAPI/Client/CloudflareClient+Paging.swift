import Foundation
import JSON
import Synchronization
import TokenModel

// Lists read page by page: the pages a policy's tokens fill asked for at once, the rest once the first answer
// gives the count; each page boiled down as it arrives.
extension CloudflareClient {

  /// A page of a list fetched, or converted.
  enum ListStep<T: Sendable>: Sendable {
    case fetched(Int, Result<ListedPage<T>, CloudflareError>)
    case converted(Int, [T])
  }

  /// One page of a list: the answer as it came until it is converted, then its records; and its counts.
  struct ListedPage<T: Sendable>: Sendable {
    var records: [T] = []
    var raw: Page<TokenPage>?
    let count: Int
    let total: Int?
  }

  struct Page<Result: JSONResult>: Sendable {
    let result: Result
    let info: ResultInfo?
  }

  /// Every token of a family, all pages; expired ones included (`include_expired=true`): a token the policy
  /// requires that has expired is reported as expired, not as one nobody can see.
  package func listTokens(_ family: TokenFamily, as credential: Credential, expected: Int = 0)
    async throws(CloudflareError)
    -> [APIToken]
  {
    try await listTokens(family, as: credential, expected: expected) { $0 }
  }

  /// Every token of a family, each boiled down by `transform` as its page arrives (in a task of its own, behind the
  /// requests still to make), so the records are never all held.
  ///
  /// `expected` is how many tokens the caller knows the family to hold (a policy's tokens of it): the pages those
  /// fill (at most `maxEarlyPages`) are asked for at once, together with the first, instead of one round trip later.
  /// Pages beyond them are asked for as soon as the first page's `total_count` is read. A page asked for early that
  /// the count puts past the end (tokens of the policy that no longer exist) is dropped, whatever it answered.
  package func listTokens<T: Sendable>(
    _ family: TokenFamily, as credential: Credential, expected: Int = 0,
    _ transform: @escaping @Sendable (APIToken) -> T
  ) async throws(CloudflareError) -> [T] {
    let size = configuration.pageSize
    let list = PageReader(
      client: self, path: family.tokensPath, credential: credential, size: size,
      early: max(1, min((max(0, expected) + size - 1) / size, Self.maxEarlyPages)), transform: transform)
    let state = await fetchPages(list)
    return try await collect(state, list)
  }

  /// How to ask for one page of a list and boil it down.
  struct PageReader<T: Sendable>: Sendable {
    let client: CloudflareClient
    let path: String
    let credential: Credential
    let size: Int
    /// Pages asked for at once, with the first.
    let early: Int
    let transform: @Sendable (APIToken) -> T

    var call: APICall { APICall(method: "GET", path: path, caller: credential.display) }

    func records(_ page: Page<TokenPage>) -> [T] { page.result.tokens.map(transform) }

    /// One page as it came: converted later, apart from the fetch.
    func read(_ page: Int) async -> Result<ListedPage<T>, CloudflareError> {
      do {
        let answer: Page<TokenPage> = try await client.send(
          "GET", path, query: ["page": "\(page)", "per_page": "\(size)", "include_expired": "true"], as: credential)
        return .success(ListedPage(raw: answer, count: answer.result.tokens.count, total: answer.info?.totalCount))
      } catch {
        return .failure(error)
      }
    }

    /// A page's records: converted by its task, or here if that never ran.
    func converted(_ page: ListedPage<T>) -> [T] { page.raw.map(records) ?? page.records }
  }

  /// Pages read, failures, and the page count once page 1 tells it (nil: no total, walk to a short page).
  struct ListState<T: Sendable> {
    var fetched: [Int: ListedPage<T>] = [:]
    var failures: [Int: CloudflareError] = [:]
    var pages: Int?
    var firstFailure: CloudflareError?
    var implausible: Int?
  }

  /// The first page and those the policy's tokens fill at once, the rest as soon as the first gives the count;
  /// stops at the first failure of a page that must be there.
  func fetchPages<T: Sendable>(_ list: PageReader<T>) async -> ListState<T> {
    var state = ListState<T>()
    await withTaskGroup(of: ListStep<T>.self) { group in
      // Fetches go ahead of conversions: an answer to hand on or a request to send gates the next round trip,
      // converting a page gates nothing. Each page is converted in a task of its own as it arrives.
      func fetch(_ page: Int) { group.addTask(priority: .high) { .fetched(page, await list.read(page)) } }
      for page in 1...list.early { fetch(page) }
      for await step in group {
        let page: Int
        let result: Result<ListedPage<T>, CloudflareError>
        switch step {
        case .converted(let number, let records):
          state.fetched[number]?.records = records
          state.fetched[number]?.raw = nil
          continue
        case .fetched(let number, let outcome):
          page = number
          result = outcome
        }
        switch result {
        case .success(let value):
          state.fetched[page] = value
          if let raw = value.raw { group.addTask(priority: .low) { .converted(page, list.records(raw)) } }
        case .failure(let error): state.failures[page] = error
        }
        guard page == 1 else {
          // A page that must be there failed: nothing more is worth waiting for.
          if state.failures[page] != nil, let pages = state.pages, page <= pages {
            group.cancelAll()
            return
          }
          continue
        }
        guard case .success(let first) = result else {
          state.firstFailure = state.failures[1]
          group.cancelAll()
          return
        }
        if let total = first.total {
          // A page count from a broken answer must not become millions of requests (or an overflow).
          guard (0...configuration.maxListedTokens).contains(total) else {
            state.implausible = total
            group.cancelAll()
            return
          }
          let count = max(1, (total + list.size - 1) / list.size)
          state.pages = count
          if count > list.early { for page in (list.early + 1)...count { fetch(page) } }
          if state.failures.keys.contains(where: { $0 <= count }) {
            group.cancelAll()
            return
          }
        }
      }
    }
    return state
  }

  /// The records of every page in order; the first failure of a page that must be there; without a total, the
  /// pages up to the first short one, read one at a time past those asked for early.
  func collect<T: Sendable>(_ state: ListState<T>, _ list: PageReader<T>) async throws(CloudflareError) -> [T] {
    let call = list.call
    if let firstFailure = state.firstFailure { throw firstFailure }
    if let implausible = state.implausible {
      throw .malformedResponse(
        call, status: 200, "result_info.total_count is \(implausible), not a plausible number of tokens")
    }
    guard state.fetched[1] != nil else { throw .transport(call, "cancelled") }
    if let pages = state.pages {
      if let failed = state.failures.keys.filter({ $0 <= pages }).min(), let error = state.failures[failed] {
        throw error
      }
      var all: [T] = []
      for page in 1...pages {
        guard let known = state.fetched[page] else { throw .transport(call, "cancelled") }
        all += list.converted(known)
      }
      return all
    }
    var all: [T] = []
    var page = 1
    while true {
      let current: ListedPage<T>
      if page <= list.early {
        if let error = state.failures[page] { throw error }
        guard let known = state.fetched[page] else { throw .transport(call, "cancelled") }
        current = known
      } else {
        current = try await list.read(page).get()
      }
      all += list.converted(current)
      if current.count < list.size { return all }
      // Full pages without end: a broken answer, not an account.
      guard all.count < configuration.maxListedTokens else {
        throw .malformedResponse(
          call, status: 200, "over \(configuration.maxListedTokens) tokens listed without a result_info.total_count")
      }
      page += 1
    }
  }
}
