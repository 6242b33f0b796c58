// libFuzzer entry point for the JSON reader every Cloudflare answer goes through, the writer, and the mapping onto the
// API types. Built and run by `Tests/Fuzz/run.sh SECONDS json`, not by `swift test`. Any crash, hang or broken
// invariant (trapped below) is a finding.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  let value: JSONValue
  do {
    value = try JSONReader.parse(bytes)
  } catch {
    precondition(error.offset >= 0 && error.offset <= size, "error offset out of bounds")
    return 0
  }
  // What was read, written and read again is the same value.
  let written = value.jsonData
  precondition((try? JSONReader.parse(written)) == value, "written JSON does not read back")
  // Whatever its shape, the mapping answers or throws.
  let envelope = Envelope(value)
  for candidate in [value, envelope.result ?? .null] {
    if let token = try? APIToken(json: candidate, path: "result") {
      precondition((try? APIToken(json: JSONReader.parse(token.json.jsonData), path: "result")) == token, "token does not read back")
    }
    _ = try? [APIToken](json: candidate, path: "result")
    _ = try? APITokenVerification(json: candidate, path: "result")
    _ = try? [APIPermissionGroup](json: candidate, path: "result")
  }
  return 0
}
