import Foundation
import HTTPServer

/// Our HTTP server under wrk: a small JSON endpoint, keep-alive, loopback.
enum ServerBenchmark {
  static func run(seconds: Int) {
    var router = Router()
    let body = Data(#"{"status":"ok","tokens":2,"healthy":2}"#.utf8)
    router.add("GET", "/status") { _, _ in .json(200, body) }
    guard let server = try? HTTPServer(handler: router.handler) else {
      print("cannot start the server")
      return
    }
    defer { server.stop(grace: 1) }
    let before = residentKilobytes()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["wrk", "-t2", "-c64", "-d\(seconds)s", "--latency", server.baseURL + "/status"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do { try process.run() } catch {
      print("wrk is needed: apt-get install wrk")
      return
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0, text.contains("Requests/sec") else {
      print("wrk did not run (apt-get install wrk):\n" + text)
      return
    }
    let after = residentKilobytes()
    print(text)
    print("resident memory: \(before / 1024) MB before, \(after / 1024) MB after")
  }

  static func residentKilobytes() -> Int { ProcessStatus.kilobytes("VmRSS:") }
}

/// Fields of /proc/self/status, in kilobytes.
enum ProcessStatus {
  static func kilobytes(_ field: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }
}
