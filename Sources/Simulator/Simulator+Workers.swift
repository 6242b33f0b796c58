import CloudflareAPI
import Foundation
import JSON
import TokenModel

/// Workers secrets: `PUT /accounts/{id}/workers/scripts/{script}/secrets` creates or replaces one (Workers Scripts
/// Write on the account), `GET` lists their names and types, never their values (Read or Write).
extension Simulator {
  func workerSecrets(_ request: SimRequest, account: HexID, script: String) -> SimResponse {
    let caller: SimToken
    switch authenticate(request, verifying: false) {
    case .failure(let response): return response
    case .success(let token): caller = token
    }
    if let limited = countRequest(for: caller) { return limited }
    var response = workerSecretsAnswer(caller, request: request, account: account, script: script)
    response.headers.merge(rateHeaders(for: caller)) { current, _ in current }
    return response
  }

  func workerSecretsAnswer(_ caller: SimToken, request: SimRequest, account: HexID, script: String) -> SimResponse {
    let unauthorized = Self.failure(403, 9109, "Unauthorized to access requested resource")
    switch caller.owner {
    case .account(let owner): guard owner == account else { return unauthorized }
    case .user: guard userOf(caller)?.role(in: account) != nil else { return unauthorized }
    }
    let write = request.method == "PUT"
    guard request.method == "GET" || write else { return Self.failure(405, 10405, "Method not allowed") }
    let groups = write ? ["Workers Scripts Write"] : ["Workers Scripts Read", "Workers Scripts Write"]
    guard holds(caller, groups, on: "com.cloudflare.api.account.\(account)") else {
      return Self.failure(403, 10000, "Authentication error")
    }
    let known = state.withLock { $0.workers.firstIndex { $0.account == account && $0.script == script } }
    guard let index = known else {
      return Self.failure(404, 10007, "This Worker does not exist on your account.")
    }
    guard write else {
      let names = state.withLock { $0.workers[index].secrets.keys.sorted() }
      let listed = JSONValue.array(names.map { .object(["name": .string($0), "type": .string("secret_text")]) })
      return Self.success { listed.write(json: &$0) }
    }
    guard let body = try? JSONReader.parse(request.body), let fields = body.objectValue,
      let name = fields["name"]?.stringValue, !name.isEmpty, let text = fields["text"]?.stringValue,
      fields["type"]?.stringValue == "secret_text"
    else {
      return Self.failure(400, 10021, "The request body must be {\"name\", \"text\", \"type\": \"secret_text\"}")
    }
    let updated = state.withLock { current -> SimulatorState in
      current.workers[index].secrets[name] = text
      return current
    }
    onChange?(updated)
    let answer = JSONValue.object(["name": .string(name), "type": .string("secret_text")])
    return Self.success { answer.write(json: &$0) }
  }
}
