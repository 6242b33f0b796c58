import Foundation
import HTTPServer
import Service
import Testing

/// Slack (Block Kit, linking the dashboard) and e-mail through `sendmail -t`, on transitions only, never a secret.
@Suite struct NotificationTests {
  @Test func slackGetsBlocksWithTheStateChangeWhatWasDoneAndTheDashboard() async throws {
    let received = Lines()
    var router = Router()
    router.add("POST", "/slack") { request, _ in
      received.append(String(decoding: request.body, as: UTF8.self))
      return .json(200, Data("ok".utf8))
    }
    let receiver = try HTTPServer(handler: router.handler)
    defer { receiver.stop(grace: 1) }
    let url = try #require(URL(string: receiver.baseURL + "/slack"))
    let notifier = Notifier(
      channels: [.slack(url)], dashboard: URL(string: "https://tokenwarden.example.com/")
    ) { _ in }
    let harness = try await Harness.start(notifier: notifier, prepare: ServiceTests.recentCheck)
    await harness.ready()
    #expect(try await harness.request("POST", "/tokens/heal").status == 200)
    await harness.stop()
    let payloads = try received.withLock { $0 }.map { message in
      try #require(try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any])
    }
    #expect(payloads.count == 2, "one for the state change, one for the heal")
    for payload in payloads {
      let blocks = try #require(payload["blocks"] as? [[String: Any]])
      #expect(blocks.first?["type"] as? String == "header")
      #expect((payload["text"] as? String)?.isEmpty == false)
      let context = try #require(blocks.last?["elements"] as? [[String: String]])
      #expect(context.first?["text"] == "<https://tokenwarden.example.com/|Open the dashboard>")
    }
    let all = received.withLock { $0 }.joined()
    #expect(all.contains("*Tokens affected*") && all.contains("account_token is now healthy (was degraded)"))
    #expect(all.contains("*What was done:* Successfully healed all tokens"))
    #expect(!all.contains("cfat_") && !all.contains("cfut_"))
  }

  @Test func emailGoesThroughSendmailAsAnRFC5322Message() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenwarden-mail-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outbox = directory.appendingPathComponent("outbox").path
    let sendmail = directory.appendingPathComponent("sendmail")
    // A fake mail transfer agent: records its arguments and what it was given.
    try Data("#!/bin/sh\necho \"ARGS: $*\" >> '\(outbox)'\ncat >> '\(outbox)'\n".utf8).write(to: sendmail)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sendmail.path)
    let notifier = Notifier(channels: [.sendmail(program: sendmail.path, to: "ops@example.com")]) { _ in }
    let harness = try await Harness.start(notifier: notifier, prepare: ServiceTests.recentCheck)
    await harness.ready()
    #expect(try await harness.request("POST", "/tokens/heal").status == 200)
    await harness.stop()
    let mail = try String(contentsOfFile: outbox, encoding: .utf8)
    #expect(mail.components(separatedBy: "ARGS: -t").count == 3, "two messages, each to sendmail -t")
    #expect(mail.contains("To: ops@example.com\r\n"))
    #expect(mail.contains("Subject: TokenWarden: token health changed (overall healthy)\r\n"))
    #expect(mail.contains("Subject: TokenWarden heal: degraded → healthy\r\n"))
    #expect(mail.contains("Content-Type: text/plain; charset=utf-8\r\n"))
    #expect(mail.contains("\r\n\r\nTokenWarden heal: Successfully healed all tokens"))
    #expect(!mail.contains("cfat_") && !mail.contains("cfut_"))
  }
}
