// libFuzzer entry point for the JSON reader every Cloudflare answer goes through, the writer, the mapping onto the
// API types, and the fast reader of list pages (differential: it accepts nothing the general reader refuses and reads
// what it accepts the same). Built and run by `Tests/Fuzz/run.sh SECONDS json`, not by `swift test`. Any crash, hang
// or broken invariant (trapped below) is a finding.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  let scanned = TokenPage.scan(bytes)
  let value: JSONValue
  do {
    value = try JSONReader.parse(bytes)
  } catch {
    precondition(error.offset >= 0 && error.offset <= size, "error offset out of bounds")
    precondition(scanned == nil, "the fast page reader accepted what the reader refuses")
    return 0
  }
  // What was read, written and read again is the same value.
  let written = value.jsonData
  precondition((try? JSONReader.parse(written)) == value, "written JSON does not read back")
  // Whatever its shape, the mapping answers or throws.
  let envelope = Envelope(value)
  // The fast page reader agrees with the general path: envelope, then `[APIToken]`.
  let general = envelope.success == true ? envelope.result.flatMap { try? [APIToken](json: $0, path: "result") } : nil
  if let scanned {
    precondition(general == scanned.0.tokens, "the fast page reader read a page differently")
    precondition(scanned.1 == envelope.resultInfo, "the fast page reader read result_info differently")
  }
  for candidate in [value, envelope.result ?? .null] {
    if let token = try? APIToken(json: candidate, path: "result") {
      precondition(
        (try? APIToken(json: JSONReader.parse(token.json.jsonData), path: "result")) == token,
        "token does not read back")
    }
    _ = try? [APIToken](json: candidate, path: "result")
    _ = try? APITokenVerification(json: candidate, path: "result")
    _ = try? [APIPermissionGroup](json: candidate, path: "result")
  }
  return 0
}
