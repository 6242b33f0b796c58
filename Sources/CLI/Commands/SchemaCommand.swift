import JSON
import PolicyLanguage

/// `tokenwarden schema`: the JSON Schema of policy files, for editors.
enum SchemaCommand {
  static let spec = CommandSpec(
    name: "schema",
    summary: "Print the JSON Schema (draft 2020-12) of policy files, for editor completion and inline errors.",
    usage: "tokenwarden schema",
    options: [],
    details: """
      The YAML language server (VS Code's YAML extension, and other editors) reads it: put
      '# yaml-language-server: $schema=PATH' at the top of a policy file, or map files to it in the editor's settings
      (examples/vscode/settings.json). docs/policy.schema.json is this output, kept current by a test.
      Permission names are those of the bundled catalog; a group only the live catalog knows is accepted by
      'validate --online' but marked by the editor.
      """)

  static func run(_ invocation: Invocation, _ arguments: ParsedArguments) async -> Int32 {
    guard arguments.positionals.isEmpty else {
      invocation.report(.usage("schema takes no arguments"))
      return 1
    }
    invocation.out(text)
    return 0
  }

  static var text: String {
    var writer = JSONWriter(pretty: true)
    writer.value(PolicyJSONSchema.document())
    return String(decoding: writer.bytes, as: UTF8.self) + "\n"
  }
}
