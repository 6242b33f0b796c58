import Foundation
import PolicyLanguage
import TokenModel

/// Parse throughput against PyYAML's C loader (libyaml) on the same generated policy files.
enum ParseBenchmark {
  static func run(sizesInMB: [Int]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    print("size      bytes        parse (best of 5)  MB/s     validate  MB/s     PyYAML CSafeLoader  MB/s    ratio")
    for megabytes in sizesInMB {
      let text = PolicyGenerator.policy(bytes: megabytes << 20)
      let bytes = Array(text.utf8)
      let path = directory.appendingPathComponent("policy-\(megabytes)mb.yaml").path
      guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        print("cannot write \(path)")
        return
      }
      let source = SourceFile(path: path, bytes: bytes)
      let parse = best(of: 5) {
        let (document, _) = YAMLParser.parse(source)
        precondition(document != nil, "the generated policy must parse")
      }
      let validate = best(of: 3) {
        let set = PolicySet.load([source])
        precondition(
          set.isValid, "the generated policy must be valid: \(set.diagnostics.first.map { "\($0.message.text)" } ?? "")"
        )
      }
      let python = pyyamlSeconds(path: path)
      let mb = Double(bytes.count) / 1_048_576
      let pythonText =
        python.map { String(format: "%8.3f s  %7.1f", $0, mb / $0) } ?? "   (python3 with PyYAML not found)"
      let ratio = python.map { String(format: "%6.1f×", $0 / parse) } ?? ""
      print(
        String(
          format: "%3d MB  %11d  %12.3f s  %9.1f  %7.3f s  %6.1f  %@  %@", megabytes, bytes.count, parse, mb / parse,
          validate, mb / validate, pythonText, ratio))
    }
  }

  /// The fastest of `count` runs, in seconds: the least disturbed by the rest of the machine.
  static func best(of count: Int, _ body: () -> Void) -> Double {
    var fastest = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<count {
      let elapsed = clock.measure(body)
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      fastest = min(fastest, seconds)
    }
    return fastest
  }

  /// PyYAML's C loader on the same file, best of 3, timed inside Python so start-up does not count.
  static func pyyamlSeconds(path: String) -> Double? {
    let script = """
      import sys, time, yaml
      text = open(sys.argv[1], encoding="utf-8").read()
      best = float("inf")
      for _ in range(3):
          start = time.perf_counter()
          yaml.load(text, Loader=yaml.CSafeLoader)
          best = min(best, time.perf_counter() - start)
      print(best)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

/// A realistic policy of about the requested size: accounts, templates, and many tokens with comments, block and
/// flow lists, dashboard and API permission names.
enum PolicyGenerator {
  static func hex(_ value: Int, salt: Int) -> String {
    var state = UInt64(truncatingIfNeeded: value &* 0x9E37_79B9 &+ salt)
    var out = ""
    for _ in 0..<4 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let word = String(state >> 32, radix: 16)
      out += String(repeating: "0", count: 8 - word.count) + word
    }
    return out
  }

  static let accountPermissions = [
    "Workers Scripts: edit", "Workers KV Storage: edit", "D1: edit", "Workers R2 Storage: edit", "Queues: edit",
    "Vectorize: read", "Hyperdrive: edit", "Workers Tail: read", "Pages Write", "Images Read", "AI Gateway: edit",
  ]

  static func policy(bytes target: Int) -> String {
    var text = """
      # Generated for the parse benchmark.
      version: 1

      accounts:

      """
    let accounts = 5
    for account in 0..<accounts { text += "  account-\(account): \(hex(account, salt: 1))\n" }
    text += """

      templates:
        workers:
          - Workers Scripts: edit
          - Workers KV Storage: edit  # the usual pair
        data:
          - include: workers
          - D1: edit

      tokens:

      """
    var token = 0
    while text.utf8.count < target {
      let account = token % accounts
      text += """
          # Token \(token): deploys service \(token) in account-\(account).
          service-\(token):
            id: \(hex(token, salt: 2))
            owner: \(token % 3 == 0 ? "user" : "account account-\(account)")
            secret: $SERVICE_\(token)_TOKEN
            healer: \(token == 0 ? "self" : "service-0")
            expiry:
              warn_before: \(token % 30 + 1)d
            grants:
              - resource: account account-\(account)
                permissions:

        """
      for offset in 0..<6 {
        text += "              - \(accountPermissions[(token + offset) % accountPermissions.count])\n"
      }
      text += "              - include: data\n"
      if token % 3 == 0 {
        text += "      - resource: user\n        permissions: [API Tokens Read, 'Memberships: read']\n"
      }
      text += "\n"
      token += 1
    }
    return text
  }
}
