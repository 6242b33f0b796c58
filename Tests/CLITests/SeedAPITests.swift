import Foundation
import PolicyLanguage
import Testing

/// A client written for the seed's published responses reads ours: each published example (in `SeedAPI/`, as
/// published) gives a schema — every key it has, with the same JSON type — and live answers of a real
/// `serve --sandbox` must fit it, for the seed's two tokens and for many.
@Suite struct SeedAPITests {
  /// The schema of one published example, generalised to any token names: the members the example has under
  /// `account_token` and `user_token` (or prefixed with them, in history entries) are required for every token.
  struct ExampleShape {
    static let exampleTokens = ["account_token", "user_token"]
    let tokens: [String]

    func problems(_ example: Any, _ live: Any, at path: String) -> [String] {
      if example is NSNull { return [] }  // the example does not say which type
      switch (example, live) {
      case (let example as [String: Any], let live as [String: Any]):
        return objectProblems(example, live, at: path)
      case (let example as [Any], let live as [Any]):
        guard let first = example.first else { return [] }
        return live.enumerated().flatMap { index, item in problems(first, item, at: "\(path)[\(index)]") }
      default:
        let (expected, found) = (Self.type(example), Self.type(live))
        return expected == found ? [] : ["\(path): \(found), not \(expected) as in the example"]
      }
    }

    func objectProblems(_ example: [String: Any], _ live: [String: Any], at path: String) -> [String] {
      var problems: [String] = []
      func member(_ key: String, _ shape: Any) {
        guard let value = live[key] else { return problems.append("\(path).\(key) missing") }
        problems += self.problems(shape, value, at: "\(path).\(key)")
      }
      for (key, shape) in example {
        if let template = Self.exampleTokens.first(where: { key == $0 }) {
          // One token's object: every live token has one.
          if template == Self.exampleTokens[0] { for token in tokens { member(token, shape) } }
        } else if let template = Self.exampleTokens.first(where: { key.hasPrefix($0 + "_") }) {
          // `account_token_valid`: `<token>_valid` for every live token.
          if template == Self.exampleTokens[0] {
            for token in tokens { member(token + key.dropFirst(template.count), shape) }
          }
        } else {
          member(key, shape)
        }
      }
      return problems
    }

    static func type(_ value: Any) -> String {
      switch value {
      case is NSNull: "null"
      case is String: "string"
      case let number as NSNumber: String(cString: number.objCType) == "c" ? "boolean" : "number"
      case is [Any]: "array"
      default: "object"
      }
    }
  }

  static func example(_ name: String) throws -> Any {
    try JSONSerialization.jsonObject(
      with: Data(contentsOf: Harness.repositoryRoot.appendingPathComponent("Tests/CLITests/SeedAPI/\(name).json")))
  }

  static func json(_ data: Data) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
  }

  /// Asks a `serve --sandbox` for each documented answer and checks it against the example's schema; also that
  /// `data` holds nothing but the tokens and the keys a token cannot be named.
  static func check(policy: String, tokens: [String], environment: [String: String]) async throws {
    let serve = try await ServeProcess(
      ["--sandbox", "--monitor-only", policy], environment: environment, token: "seed-api-test-token-0123456789abcdef")
    defer { serve.stop() }
    let shape = ExampleShape(tokens: tokens)
    var keys = Set<String>()
    for (example, method, path) in [
      ("health", "GET", "/tokens/health"), ("status", "GET", "/tokens/status"), ("heal", "POST", "/tokens/heal"),
      ("health", "GET", "/tokens/health?auto_heal=true"), ("history", "GET", "/tokens/history?limit=20"),
    ] {
      let live = try json(try await serve.request(method, path))
      let problems = shape.problems(try Self.example(example), live, at: "\(method) \(path)")
      #expect(problems.isEmpty, "\(problems.prefix(10))")
      #expect(live["format_version"] as? String == "2")
      let data = try #require(live["data"] as? [String: Any])
      keys.formUnion(Set(data.keys).subtracting(tokens))
      if let entries = data["history"] as? [[String: Any]] { #expect(entries.count >= 2, "\(method) \(path)") }
    }
    #expect(keys == ReservedTokenNames.all, "keys of data that a token could be named: update ReservedTokenNames")
  }

  @Test func theSeedsResponsesForItsTwoTokens() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = ["TOKENWARDEN_STATE_DIR": state.path, "PATH": "/usr/bin:/bin"]
    #expect(await Harness.run(["sandbox", "--reset"], environment: environment).status == 0)
    try await Self.check(policy: "policies/", tokens: ["account_token", "user_token"], environment: environment)
  }

  @Test func theSeedsResponsesGeneralisedToManyTokens() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let environment = ["TOKENWARDEN_STATE_DIR": state.path, "PATH": "/usr/bin:/bin"]
    #expect(await Harness.run(["sandbox", "--reset", "--scenario", "many:6"], environment: environment).status == 0)
    // A policy for the sandbox's tokens: each account-owned token needs the two groups the scenario hands out most.
    let sandbox = try Self.json(Data(contentsOf: state.appendingPathComponent("sandbox/state.json")))
    let accounts = try #require(sandbox["accounts"] as? [[String: Any]])
    var policy = "version: 1\naccounts:\n"
    for account in accounts { policy += "  \(account["name"] ?? ""): \(account["id"] ?? "")\n" }
    policy += "tokens:\n"
    var names: [String] = []
    for token in try #require(sandbox["tokens"] as? [[String: Any]]) {
      let name = try #require(token["name"] as? String)
      let owner = try #require(token["owner"] as? String)
      let env = try #require(token["env"] as? String)
      names.append(name)
      policy += "  \(name):\n    id: \(token["id"] ?? "")\n    secret: $\(env)\n"
      if owner.hasPrefix("account:") {
        let account = try #require(accounts.first { "account:\($0["id"] ?? "")" == owner }?["name"])
        policy += """
              owner: account \(account)
              healer: admin
              grants:
                - resource: account \(account)
                  permissions: [Workers Scripts Write, D1 Write]

          """
      } else {
        policy += "    owner: user\n    grants:\n      - resource: user\n        permissions: [API Tokens Write]\n"
      }
    }
    #expect(names.count == 7)
    let path = state.appendingPathComponent("many.yaml").path
    try Data(policy.utf8).write(to: URL(fileURLWithPath: path))
    #expect(await Harness.run(["validate", path], environment: environment).status == 0, "\(policy)")
    try await Self.check(policy: path, tokens: names, environment: environment)
  }
}
