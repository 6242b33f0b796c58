import Foundation
import Testing

/// `completion bash|zsh|fish`: scripts the shells accept, that complete commands, options, their values and the
/// policy's token names.
@Suite struct CompletionTests {
  /// Runs `script` with `shell -c`, with a `tokenwarden` on PATH that answers `__complete tokens` as the real one does.
  static func shell(_ shell: String, _ script: String, in directory: URL) async throws -> String {
    let tokens = await Harness.run(["__complete", "tokens"])
    let bin = directory.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let fake = bin.appendingPathComponent("tokenwarden")
    try Data("#!/bin/sh\nprintf '%s' '\(tokens.stdout)'\n".utf8).write(to: fake)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    return try Harness.process(
      [shell, "-c", script], environment: ["PATH": bin.path + ":/usr/bin:/bin", "HOME": directory.path],
      directory: directory
    ).output
  }

  static func installed(_ program: String) -> Bool {
    ["/usr/bin/", "/bin/", "/usr/local/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + program) }
  }

  @Test func tokenNamesComeFromThePolicy() async {
    let result = await Harness.run(["__complete", "tokens"])
    #expect(result.status == 0)
    #expect(result.stdout == "account_token\nuser_token\n")
    let nowhere = await Harness.run(["__complete", "tokens"], directory: "/")
    #expect(nowhere.status == 0)
    #expect(nowhere.stdout.isEmpty && nowhere.stderr.isEmpty)
  }

  @Test func bashCompletesCommandsOptionsValuesAndTokens() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = await Harness.run(["completion", "bash"])
    #expect(script.status == 0)
    try Data(script.stdout.utf8).write(to: directory.appendingPathComponent("completion.bash"))
    func complete(_ words: [String]) -> String {
      let array = words.map { "'\($0)'" }.joined(separator: " ")
      return "COMP_WORDS=(\(array)); COMP_CWORD=\(words.count - 1); _tokenwarden; echo \"${COMPREPLY[*]}\""
    }
    let output = try await Self.shell(
      "bash",
      (["source completion.bash"]
        + [
          ["tokenwarden", "pl"], ["tokenwarden", "plan", "--tar"], ["tokenwarden", "plan", "--target", ""],
          ["tokenwarden", "plan", "--format", "m"], ["tokenwarden", "explain", ""],
          ["tokenwarden", "health", "--scenario", "seed-r"], ["tokenwarden", "completion", "--h"],
        ].map(complete))
        .joined(separator: "\n"),
      in: directory)
    #expect(
      output
        == "plan\n--target\naccount_token user_token\nmarkdown\naccount_token user_token\nseed-revoked\n--help\n",
      "\(output)")
  }

  @Test func zshAndFishAcceptTheirScripts() async throws {
    let directory = try Harness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for shell in ["zsh", "fish"] {
      guard Self.installed(shell) else {
        // Not on every machine; the scripts are checked wherever the shell is (apt-get install zsh fish).
        continue
      }
      let script = await Harness.run(["completion", shell])
      let file = directory.appendingPathComponent("completion.\(shell)")
      try Data(script.stdout.utf8).write(to: file)
      let syntax = try await Self.shell(shell, "\(shell) -n \(file.path) && echo ok", in: directory)
      #expect(syntax == "ok\n", "\(shell): \(syntax)")
    }
    if Self.installed("fish") {
      let output = try await Self.shell(
        "fish", "source completion.fish; complete -C 'tokenwarden plan --target '; complete -C 'tokenwarden expl'",
        in: directory)
      #expect(output.hasPrefix("account_token\tPlan only this token"), "\(output)")
      #expect(output.contains("\nexplain\t"), "\(output)")
    }
  }

  /// The scripts come from the commands' own tables: every command and option is in each.
  @Test(arguments: ["bash", "zsh", "fish"])
  func everyCommandAndOptionIsOffered(_ shell: String) async {
    let script = await Harness.run(["completion", shell]).stdout
    let help = await Harness.run(["--help"]).stdout
    let commands = help.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("  --") }
      .compactMap { $0.split(separator: " ").first.map(String.init) }
    #expect(commands.count >= 17)
    for command in commands {
      #expect(script.contains(command), "\(shell): \(command)")
      let options = await Harness.run([command, "--help"]).stdout.split(separator: "\n")
        .filter { $0.hasPrefix("  --") }.compactMap { $0.dropFirst(4).split(separator: " ").first.map(String.init) }
      for option in options {
        let spelled = shell == "fish" ? "-l \(option)" : "--\(option)"
        #expect(script.contains(spelled), "\(shell): \(command) --\(option)")
      }
    }
  }

  @Test func aShellItDoesNotKnowIsRefused() async {
    let result = await Harness.run(["completion", "powershell"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("completion takes one shell: bash, zsh or fish"))
  }
}
