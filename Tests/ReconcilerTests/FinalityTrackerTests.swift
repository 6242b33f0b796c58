import CloudflareAPI
import Foundation
import Simulator
import Testing
import TokenModel

@testable import Reconciler

/// The order of completions, chosen: a token is told final only once everything its plan reads is in.
@Suite struct FinalityTrackerTests {
  static let account = HexID("00000001aaaaaaaaaaaaaaaaaaaaaaaa")!
  static let family = TokenFamily.account(HexID("00000001aaaaaaaaaaaaaaaaaaaaaaaa")!)

  static func token(_ name: String, _ id: String, owner: TokenOwner, healer: HealerChoice) -> DesiredToken {
    DesiredToken(
      name: name, id: HexID(String(repeating: id, count: 32))!, owner: owner, ownerName: "x", secretVariable: "",
      healer: healer, warnBeforeSeconds: nil, grants: [], location: "t")
  }

  static func live(_ token: DesiredToken) -> LiveToken {
    LiveToken(APIToken(id: token.id.rawValue, name: token.name, status: .active, policies: []))
  }

  static func listed(_ tokens: [DesiredToken]) -> Listed { Listed(tokens.map(live)) }

  @Test func aTokenWaitsForItsHealersViewEvenWhenAnotherListShowedItFirst() throws {
    let admin = Self.token("admin", "a", owner: .user, healer: .automatic)
    let editor = Self.token("editor", "e", owner: .account(Self.account), healer: .token("admin"))
    let first = Self.token("first", "1", owner: .account(Self.account), healer: .token("admin"))
    let second = Self.token("second", "2", owner: .account(Self.account), healer: .token("editor"))
    let desired = DesiredState(tokens: [admin, editor, first, second])
    var tracker = FinalityTracker(
      desired: desired, families: [.user, Self.family, Self.family, Self.family], lists: [Self.family, Self.family],
      visibility: [:], missingSecrets: [:])
    let all = Self.listed([editor, first, second])
    // The admin reads itself: nothing it heals is final yet (no list of their family is in).
    let r1 = tracker.record(.read("admin", .success(Self.live(admin))))
    #expect(r1 == nil)
    // The admin's list comes first: its tokens are final; the editor's are not, until the editor's own list is in.
    let r4 = tracker.record(.list("admin", Self.family, .success(all)))
    let (told, partial) = try #require(r4)
    #expect(told.sorted() == [1, 2])
    #expect(partial.visibility["admin"]?[Self.family] != nil)
    #expect(partial.tokens["admin"] != nil && partial.tokens["first"] != nil)
    let r5 = tracker.record(
      .list("editor", Self.family, .failure(.notFound(APICall(method: "GET", path: "/x", caller: "editor")))))
    let (later, view) = try #require(r5)
    #expect(later == [3])
    #expect(view.visibility["editor"]?[Self.family] != nil)
    #expect(view.tokens["editor"] != nil)
  }

  @Test func aTokenNotInItsFamilysFirstSuccessfulListIsLeftToTheEnd() throws {
    let admin = Self.token("admin", "a", owner: .user, healer: .automatic)
    let moved = Self.token("moved", "3", owner: .account(Self.account), healer: .token("admin"))
    let desired = DesiredState(tokens: [admin, moved])
    var tracker = FinalityTracker(
      desired: desired, families: [.user, Self.family], lists: [Self.family], visibility: [:], missingSecrets: [:])
    let r2 = tracker.record(.read("admin", .success(Self.live(admin))))
    #expect(r2 == nil)
    let r3 = tracker.record(.list("admin", Self.family, .success(Self.listed([]))))
    #expect(r3 == nil)
  }

  @Test func aHealerWithoutItsSecretIsFinalAtOnceAndNoHealerNeverIs() throws {
    let admin = Self.token("admin", "a", owner: .user, healer: .automatic)
    let target = Self.token("target", "4", owner: .account(Self.account), healer: .token("admin"))
    let automatic = Self.token("auto", "5", owner: .account(Self.account), healer: .automatic)
    let desired = DesiredState(tokens: [admin, target, automatic])
    let refused: [String: [TokenFamily: Result<Set<String>, ObservationFailure>]] = [
      "admin": [Self.family: .failure(ObservationFailure("ADMIN_TOKEN is not set"))]
    ]
    var tracker = FinalityTracker(
      desired: desired, families: [.user, Self.family, Self.family], lists: [Self.family], visibility: refused,
      missingSecrets: ["admin": "ADMIN_TOKEN is not set"])
    let r6 = tracker.record(.list("auto", Self.family, .success(Self.listed([target, automatic]))))
    let (told, partial) = try #require(r6)
    #expect(told == [1])
    #expect(partial.missingSecrets["admin"] != nil)
  }

  /// The seed's shape: the user token heals the account token and the other way round; nobody can list the user's
  /// family, so the user token is read by itself. Both are final once the list and the read are both in, in either
  /// order.
  @Test(arguments: [false, true])
  func aTokenReadingItselfIsFinalOnceItsReadIsIn(_ readFirst: Bool) throws {
    let accountToken = Self.token("account_token", "4", owner: .account(Self.account), healer: .token("user_token"))
    let userToken = Self.token("user_token", "7", owner: .user, healer: .token("account_token"))
    let desired = DesiredState(tokens: [accountToken, userToken])
    let refused: [String: [TokenFamily: Result<Set<String>, ObservationFailure>]] = [
      "account_token": [.user: .failure(ObservationFailure("account-owned tokens cannot use /user/tokens"))]
    ]
    var tracker = FinalityTracker(
      desired: desired, families: [Self.family, .user], lists: [Self.family], visibility: refused, missingSecrets: [:])
    let read = Observer.Completed.read("user_token", .success(Self.live(userToken)))
    let list = Observer.Completed.list("user_token", Self.family, .success(Self.listed([accountToken])))
    let first = tracker.record(readFirst ? read : list)
    #expect(first == nil)
    let second = tracker.record(readFirst ? list : read)
    let (told, partial) = try #require(second)
    #expect(told.sorted() == [0, 1])
    #expect(partial.tokens.count == 2)
    #expect(partial.visibility["account_token"]?[.user] != nil && partial.visibility["user_token"]?[Self.family] != nil)
  }
}
