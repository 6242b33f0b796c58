import Foundation
import TestSupport
import Testing

/// The sources follow the checked-in `.swift-format` configuration: `swift format lint --strict` finds nothing. Part
/// of `swift test`, so CI and a newcomer's one test command check it alike. Fix findings with
/// `swift format format -i -r Sources Tests Package.swift`.
@Suite struct SourceFormatTests {
  @Test func swiftFormatLintFindsNothing() async throws {
    let root = Harness.repositoryRoot
    let (status, output) = try await blocking { () -> (Int32, String) in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "swift", "format", "lint", "--strict", "--parallel", "--configuration", ".swift-format", "-r", "Sources",
        "Tests",
        "Package.swift",
      ]
      process.currentDirectoryURL = root
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = pipe
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
    let findings = output.split(separator: "\n").prefix(20).joined(separator: "\n")
    #expect(
      status == 0 && output.isEmpty,
      "swift format lint --strict (from the Swift 6 toolchain) says, exit \(status):\n\(findings)\nfix with: swift format format -i -r Sources Tests Package.swift"
    )
  }
}
