import Foundation
import TestSupport
import Testing

/// The OpenAPI document: the served one is the one in `examples/`, and live responses match its schemas.
@Suite struct OpenAPITests {
  static var file: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("examples/openapi.json")
  }

  /// A small JSON Schema (2020-12 subset) validator: type (and type lists), enum, const, required, properties,
  /// additionalProperties (false or a schema), items, minimum, maximum, $ref into components. Returns the problems.
  struct Validator {
    let document: [String: Any]

    func resolve(_ schema: [String: Any]) -> [String: Any] {
      guard let ref = schema["$ref"] as? String else { return schema }
      var node: Any = document
      for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
      return resolve(node as? [String: Any] ?? [:])
    }

    static func typeName(_ value: Any) -> String {
      switch value {
      case is NSNull: return "null"
      case _ where type(of: value) == Bool.self: return "boolean"
      case let number as NSNumber:
        if String(cString: number.objCType) == "c" { return "boolean" }
        return number.doubleValue == number.doubleValue.rounded() ? "integer" : "number"
      case is String: return "string"
      case is [Any]: return "array"
      case is [String: Any]: return "object"
      default: return "unknown"
      }
    }

    func validate(_ value: Any, _ rawSchema: [String: Any], at path: String = "$") -> [String] {
      let schema = resolve(rawSchema)
      var problems: [String] = []
      let actual = Self.typeName(value)
      if let type = schema["type"] {
        let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
        let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
        if !matches { return ["\(path): \(actual), expected \(allowed.joined(separator: " or "))"] }
      }
      if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
        problems.append("\(path): '\(value)' is not one of \(options)")
      }
      if let constant = schema["const"], "\(constant)" != "\(value)" {
        problems.append("\(path): '\(value)' is not '\(constant)'")
      }
      if let number = value as? NSNumber, actual != "boolean" {
        if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum {
          problems.append("\(path): below \(minimum)")
        }
        if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum {
          problems.append("\(path): above \(maximum)")
        }
      }
      if let object = value as? [String: Any] {
        for key in schema["required"] as? [String] ?? [] where object[key] == nil {
          problems.append("\(path): '\(key)' missing")
        }
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for (key, item) in object {
          if let property = properties[key] as? [String: Any] {
            problems += validate(item, property, at: "\(path).\(key)")
          } else if let additional = schema["additionalProperties"] as? [String: Any] {
            problems += validate(item, additional, at: "\(path).\(key)")
          } else if (schema["additionalProperties"] as? Bool) == false {
            problems.append("\(path): '\(key)' is not in the schema")
          }
        }
      }
      if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
        for (index, item) in array.enumerated() { problems += validate(item, items, at: "\(path)[\(index)]") }
      }
      return problems
    }

    func schema(_ path: String, _ method: String, _ status: Int) -> [String: Any]? {
      let operation = ((document["paths"] as? [String: Any])?[path] as? [String: Any])?[method] as? [String: Any]
      var response = resolve((operation?["responses"] as? [String: Any])?[String(status)] as? [String: Any] ?? [:])
      response = resolve(response)
      return ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
        as? [String: Any]
    }
  }

  @Test func theServedDocumentIsTheOneInTheRepositoryAndResponsesMatchIt() async throws {
    let harness = try await Harness.start(prepare: ServiceTests.recentCheck)
    await harness.ready()
    let served = try await harness.request("GET", "/openapi.json")
    #expect(served.status == 200)
    Golden.check(served.text, against: Self.file)
    let document = try served.json()
    #expect(document["openapi"] as? String == "3.1.0")
    let validator = Validator(document: document)
    let calls: [(String, String, String, Harness.Auth, Int)] = [
      ("GET", "/healthz", "/healthz", .none, 200),
      ("GET", "/tokens/status", "/tokens/status", .bearer(Harness.token), 200),
      ("GET", "/tokens/health", "/tokens/health", .bearer(Harness.token), 200),
      ("GET", "/tokens/history?limit=3", "/tokens/history", .bearer(Harness.token), 200),
      ("GET", "/tokens/history?limit=x", "/tokens/history", .bearer(Harness.token), 400),
      ("GET", "/tokens/status", "/tokens/status", .none, 401),
      ("POST", "/tokens/heal", "/tokens/heal", .bearer(Harness.token), 200),
      ("GET", "/tokens/health?auto_heal=true", "/tokens/health", .bearer(Harness.token), 200),
    ]
    for (method, target, path, auth, status) in calls {
      let response = try await harness.request(method, target, auth: auth)
      #expect(response.status == status, "\(method) \(target)")
      let schema = try #require(
        validator.schema(path, method.lowercased(), status), "no schema for \(method) \(path) \(status)")
      let problems = validator.validate(
        try JSONSerialization.jsonObject(with: response.body, options: .fragmentsAllowed), schema)
      #expect(problems.isEmpty, "\(method) \(target): \(problems)")
    }
    // The validator can fail: a response missing a required key is caught.
    let broken = validator.validate(
      ["format_version": "2", "success": true, "data": ["overall_status": "healthy"]],
      try #require(validator.schema("/tokens/status", "get", 200)))
    #expect(broken.contains { $0.contains("'tokens' missing") })
    await harness.stop()
  }
}
