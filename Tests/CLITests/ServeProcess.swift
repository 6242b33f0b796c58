import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real `tokenwarden serve` process on a loopback port, asked over HTTP as a client would.
final class ServeProcess {
  let process = Process()
  let base: String
  let token: String

  static var binary: String {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    return here.appendingPathComponent("tokenwarden").path
  }

  /// Starts `tokenwarden serve ARGUMENTS --listen 127.0.0.1:0` and waits for its banner.
  init(_ arguments: [String], environment: [String: String], token: String) async throws {
    self.token = token
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
    process.environment = environment.merging(["CLIENT_AUTH_TOKEN": token]) { _, new in new }
    process.currentDirectoryURL = Harness.repositoryRoot
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
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
    guard let base = banner.split(separator: " ").first(where: { $0.hasPrefix("http://127.0.0.1:") }) else {
      process.terminate()
      process.waitUntilExit()
      throw ServeFailed(banner: banner)
    }
    self.base = String(base)
  }

  struct ServeFailed: Error, CustomStringConvertible {
    let banner: String
    var description: String { "serve did not start: \(banner)" }
  }

  /// The body of `METHOD PATH` with the client token.
  func request(_ method: String, _ path: String) async throws -> Data {
    var request = URLRequest(url: try #require(URL(string: base + path.dropFirst())))
    request.httpMethod = method
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    return try await URLSession.shared.data(for: request).0
  }

  func stop() {
    process.terminate()
    process.waitUntilExit()
  }
}
