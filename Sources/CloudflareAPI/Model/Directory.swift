import JSON
import TokenModel

/// An account as `GET /accounts` and `GET /accounts/{id}` show it: what `import` names accounts after.
package struct APIAccount: Sendable, Hashable, JSONResult {
  package let id: String
  package let name: String

  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    let fields = try JSONFields(json, path: path)
    id = try fields.string("id")
    name = try fields.optionalString("name") ?? ""
  }
}

/// A zone as `GET /zones` lists it, with the account that owns it.
package struct APIZone: Sendable, Hashable, JSONResult {
  package let id: String
  package let name: String
  package let accountID: String?

  package init(json: JSONValue, path: String) throws(JSONShapeError) {
    let fields = try JSONFields(json, path: path)
    id = try fields.string("id")
    name = try fields.optionalString("name") ?? ""
    accountID =
      try fields.optionalValue("account").map { (value) throws(JSONShapeError) in
        try JSONFields(value, path: fields.at("account")).optionalString("id")
      } ?? nil
  }
}
