import Foundation
import PolicyLanguage

/// The data tree of a parsed document in the tagged JSON form the PyYAML oracle prints.
enum TaggedTree {
  static func json(_ node: YAMLNode?) -> String {
    guard let node else { return #"{"null":true}"# }
    var out = ""
    write(node, into: &out)
    return out
  }

  static func write(_ node: YAMLNode, into out: inout String) {
    switch node.value {
    case .scalar(let scalar):
      switch scalar.resolved {
      case .null: out += #"{"null":true}"#
      case .bool(let value): out += #"{"bool":\#(value)}"#
      case .int(let digits): out += #"{"int":"\#(digits)"}"#
      case .float(let value):
        out += value.isNaN ? #"{"float":"nan"}"# : #"{"float":"\#(value.bitPattern)"}"#
      case .string: out += #"{"str":\#(quote(scalar.text))}"#
      }
    case .sequence(let items):
      out += #"{"seq":["#
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        write(item, into: &out)
      }
      out += "]}"
    case .mapping(let entries):
      out += #"{"map":["#
      for (index, entry) in entries.enumerated() {
        if index > 0 { out += "," }
        out += "["
        write(entry.key, into: &out)
        out += ","
        write(entry.value, into: &out)
        out += "]"
      }
      out += "]}"
    }
  }

  /// JSON string quoting with ASCII-only output, as Python's json.dumps(ensure_ascii=True) writes it.
  static func quote(_ text: String) -> String {
    var out = "\""
    for unit in text.utf16 {
      switch unit {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case 0x08: out += "\\b"
      case 0x0C: out += "\\f"
      case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(unit)!)
      default:
        let hex = String(unit, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return out + "\""
  }
}

/// Runs the PyYAML oracle over files; one answer per file, in order.
enum PyYAMLOracle {
  struct Answer: Decodable {
    let ok: AnyJSON?
    let error: String?
  }

  /// Canonical JSON text of whatever the oracle printed, so it compares with `TaggedTree.json`.
  struct AnyJSON: Decodable {
    let text: String
    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      text = try AnyJSON.render(container.decode(JSONValue.self))
    }
    static func render(_ value: JSONValue) -> String {
      switch value {
      case .bool(let b): return b ? "true" : "false"
      case .string(let s): return TaggedTree.quote(s)
      case .array(let items): return "[" + items.map(render).joined(separator: ",") + "]"
      case .object(let pairs):
        return "{" + pairs.map { TaggedTree.quote($0.0) + ":" + render($0.1) }.joined(separator: ",") + "}"
      }
    }
  }

  indirect enum JSONValue: Decodable {
    case bool(Bool)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
      if let keyed = try? decoder.container(keyedBy: Key.self) {
        // Tagged objects have exactly one key, so order is not an issue.
        self = .object(try keyed.allKeys.map { ($0.stringValue, try keyed.decode(JSONValue.self, forKey: $0)) })
        return
      }
      if var list = try? decoder.unkeyedContainer() {
        var items: [JSONValue] = []
        while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
        self = .array(items)
        return
      }
      let single = try decoder.singleValueContainer()
      if let b = try? single.decode(Bool.self) {
        self = .bool(b)
      } else {
        self = .string(try single.decode(String.self))
      }
    }
  }

  static var scriptPath: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/pyyaml_oracle.py").path
  }

  /// Answers for each path; throws when python3 or PyYAML is missing, with what to install.
  static func load(_ paths: [String], cLoader: Bool = false) throws -> [Answer] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", scriptPath] + (cLoader ? ["--c"] : [])
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let request = Data((paths.joined(separator: "\n") + "\n").utf8)
    DispatchQueue.global().async {
      input.fileHandleForWriting.write(request)
      try? input.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw OracleError(
        message: "the PyYAML oracle failed (is PyYAML installed? pip install pyyaml): "
          + String(decoding: stderr, as: UTF8.self))
    }
    let lines = data.split(separator: UInt8(ascii: "\n"))
    return try lines.map { try JSONDecoder().decode(Answer.self, from: Data($0)) }
  }

  struct OracleError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }
}
