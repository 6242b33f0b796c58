import Foundation
import Testing

/// A golden file: `actual` must equal the file's text; with `TOKENWARDEN_RECORD=1` in the environment the file is
/// written first (and the test then passes), which is how golden files are made and updated.
package enum Golden {
  package static var recording: Bool { ProcessInfo.processInfo.environment["TOKENWARDEN_RECORD"] == "1" }

  package static func check(_ actual: String, against file: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    if recording {
      #expect(throws: Never.self, "cannot record \(file.path)", sourceLocation: sourceLocation) {
        try Data(actual.utf8).write(to: file)
      }
    }
    let expected = (try? String(contentsOf: file, encoding: .utf8)) ?? "<missing golden file \(file.lastPathComponent)>"
    #expect(
      actual == expected, "\(file.lastPathComponent) differs; re-record with TOKENWARDEN_RECORD=1",
      sourceLocation: sourceLocation)
  }
}
