import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `serve --sandbox` and the command line share one sandbox: what an `apply` in one process changed, the service in
/// another sees at its next request.
@Suite struct SharedSandboxTests {
  @Test func theServiceSeesWhatTheCommandLineApplied() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let token = "shared-sandbox-test-token-0123456789abcdef"
    let environment = ["TOKENWARDEN_STATE_DIR": state.path, "CLIENT_AUTH_TOKEN": token, "PATH": "/usr/bin:/bin"]
    _ = await Harness.run(["sandbox", "--reset"], environment: environment)
    let serve = try await ServeProcess(
      ["--sandbox", "--monitor-only", "policies/"], environment: environment, token: token)
    defer { serve.stop() }
    // The command line heals the account token in the shared sandbox.
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment)
    #expect(apply.status == 0, "\(apply.stderr)")
    // The service, asked to heal, finds nothing to add: it read what the command line wrote.
    let data = try await serve.request("POST", "/tokens/heal")
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let before = (report["data"] as? [String: Any])?["before"] as? [String: Any]
    #expect(before?["overall_health"] as? String == "healthy", "\(String(decoding: data, as: UTF8.self).prefix(400))")
  }
}
