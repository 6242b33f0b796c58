/// "1 token", "2 tokens": counts in messages, the same everywhere.
package func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
