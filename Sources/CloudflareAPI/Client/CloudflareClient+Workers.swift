import Foundation
import JSON
import TokenModel

// Workers secrets: where the seed's deployment keeps its tokens, and so where `rotate` writes a new one.
extension CloudflareClient {
  /// Creates or replaces one secret of a Worker script. The value travels in the body only; never retried (a lost
  /// answer is checked by listing the names).
  package func putWorkerSecret(
    account: HexID, script: String, name: String, value: Secret, as credential: Credential
  ) async throws(CloudflareError) {
    let path = Self.secretsPath(account: account, script: script)
    let body = value.withValue { text in
      Data(
        JSONValue.object(["name": .string(name), "text": .string(text), "type": .string("secret_text")]).canonical.utf8)
    }
    let _: Page<JSONValue> = try await send("PUT", path, body: body, as: credential)
  }

  /// The names of a Worker script's secrets (Cloudflare never returns their values).
  package func workerSecretNames(account: HexID, script: String, as credential: Credential)
    async throws(CloudflareError) -> [String]
  {
    let listed: Page<JSONValue> = try await send(
      "GET", Self.secretsPath(account: account, script: script), as: credential)
    guard case .array(let items) = listed.result else { return [] }
    return items.compactMap { $0.objectValue?["name"]?.stringValue }
  }

  static func secretsPath(account: HexID, script: String) -> String {
    let escaped =
      script.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-_."))) ?? script
    return "/accounts/\(account)/workers/scripts/\(escaped)/secrets"
  }
}
