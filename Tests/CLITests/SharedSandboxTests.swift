import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `serve --sandbox` and the command line share one sandbox: what an `apply` in one process changed, the service in
/// another sees at its next request.
@Suite struct SharedSandboxTests {
  static var binary: String {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    return here.appendingPathComponent("tokenwarden").path
  }

  @Test func theServiceSeesWhatTheCommandLineApplied() async throws {
    let state = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let token = "shared-sandbox-test-token-0123456789abcdef"
    let environment = ["TOKENWARDEN_STATE_DIR": state.path, "CLIENT_AUTH_TOKEN": token, "PATH": "/usr/bin:/bin"]
    _ = await Harness.run(["sandbox", "--reset"], environment: environment)
    let serve = Process()
    serve.executableURL = URL(fileURLWithPath: Self.binary)
    serve.arguments = ["serve", "--sandbox", "--monitor-only", "--listen", "127.0.0.1:0", "policies/"]
    serve.environment = environment
    serve.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let output = Pipe()
    serve.standardOutput = output
    serve.standardError = FileHandle.nullDevice
    try serve.run()
    defer {
      serve.terminate()
      serve.waitUntilExit()
    }
    let banner = try await blocking { () -> String in
      var text = ""
      while !text.contains("Stop with Ctrl-C") {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
      }
      return text
    }
    // "TokenWarden serving at http://127.0.0.1:PORT/ (dashboard), …"
    let base = try #require(banner.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }.map(String.init))
    // The command line heals the account token in the shared sandbox.
    let apply = await Harness.run(["apply", "--sandbox", "--auto-approve", "policies/"], environment: environment)
    #expect(apply.status == 0, "\(apply.stderr)")
    // The service, asked to heal, finds nothing to add: it read what the command line wrote.
    var request = URLRequest(url: try #require(URL(string: base + "tokens/heal")))
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    let (data, _) = try await URLSession.shared.data(for: request)
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let before = report["before"] as? [String: Any]
    #expect(before?["overall_status"] as? String == "healthy", "\(String(decoding: data, as: UTF8.self).prefix(400))")
  }
}
