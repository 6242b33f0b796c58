import Foundation

/// A standard 5-field cron expression: minute, hour, day of month, month, day of week; `*`, lists, ranges, steps, and
/// month and weekday names (`JAN`–`DEC`, `SUN`–`SAT`; 0 and 7 are Sunday). UTC unless it starts with
/// `CRON_TZ=Zone/Name` (or `TZ=`). As in Vixie cron, when both day fields are restricted a day matching either runs.
///
///     expression := [("CRON_TZ=" | "TZ=") zone " "] field field field field field
///     field      := item ("," item)*
///     item       := ("*" | value ["-" value]) ["/" step]
package struct CronExpression: Sendable, Hashable, CustomStringConvertible {
  package let text: String
  package let timeZone: TimeZone
  let minutes: Set<Int>
  let hours: Set<Int>
  let days: Set<Int>
  let months: Set<Int>
  let weekdays: Set<Int>
  let daysRestricted: Bool
  let weekdaysRestricted: Bool

  package var description: String { text }

  /// Why an expression was refused: which field, what was wrong.
  package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    package let expression: String
    package let message: String
    package var description: String {
      "invalid cron expression '\(expression)': \(message) (expected 5 fields: minute hour day-of-month month day-of-week, like '0 */6 * * *')"
    }
  }

  static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
  static let weekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

  package init(_ text: String) throws(ParseError) {
    self.text = text
    var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    var zone = TimeZone(identifier: "UTC") ?? .current
    if let first = fields.first, let range = ["CRON_TZ=", "TZ="].first(where: { first.hasPrefix($0) }) {
      let name = String(first.dropFirst(range.count))
      guard let named = TimeZone(identifier: name) else {
        throw ParseError(expression: text, message: "unknown time zone '\(name)'")
      }
      zone = named
      fields.removeFirst()
    }
    guard fields.count == 5 else {
      throw ParseError(expression: text, message: "\(fields.count) field\(fields.count == 1 ? "" : "s")")
    }
    timeZone = zone
    minutes = try Self.field(fields[0], "minute", 0...59, names: [], text: text)
    hours = try Self.field(fields[1], "hour", 0...23, names: [], text: text)
    days = try Self.field(fields[2], "day of month", 1...31, names: [], text: text)
    months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, text: text)
    let weekdays = try Self.field(fields[4], "day of week", 0...7, names: Self.weekdayNames, text: text)
    self.weekdays = Set(weekdays.map { $0 % 7 })
    daysRestricted = !fields[2].hasPrefix("*")
    weekdaysRestricted = !fields[4].hasPrefix("*")
  }

  static func field(_ field: String, _ name: String, _ range: ClosedRange<Int>, names: [String], text: String)
    throws(ParseError) -> Set<Int>
  {
    func value(_ token: Substring) throws(ParseError) -> Int {
      if let number = Int(token), range.contains(number) { return number }
      if let index = names.firstIndex(of: token.uppercased()) { return index + (range.lowerBound == 1 ? 1 : 0) }
      throw ParseError(
        expression: text, message: "\(name) '\(token)' is not in \(range.lowerBound)–\(range.upperBound)")
    }
    var values = Set<Int>()
    for item in field.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
      var step = 1
      if parts.count == 2 {
        guard let number = Int(parts[1]), number > 0 else {
          throw ParseError(expression: text, message: "\(name) step '\(parts[1])' is not a positive number")
        }
        step = number
      }
      let base = parts[0]
      var low: Int
      var high: Int
      if base == "*" {
        (low, high) = (range.lowerBound, range.upperBound)
      } else if let dash = base.firstIndex(of: "-") {
        low = try value(base[..<dash])
        high = try value(base[base.index(after: dash)...])
        guard low <= high else { throw ParseError(expression: text, message: "\(name) range '\(base)' runs backwards") }
      } else {
        guard !base.isEmpty else { throw ParseError(expression: text, message: "empty \(name)") }
        low = try value(base)
        high = parts.count == 2 ? range.upperBound : low
      }
      values.formUnion(stride(from: low, through: high, by: step))
    }
    return values
  }

  func matchesDay(_ components: DateComponents) -> Bool {
    guard let day = components.day, let weekday = components.weekday else { return false }
    let dayMatches = days.contains(day)
    let weekdayMatches = weekdays.contains(weekday - 1)
    if daysRestricted && weekdaysRestricted { return dayMatches || weekdayMatches }
    return dayMatches && weekdayMatches
  }

  /// The first time strictly after `date` this expression fires, or nil if it never does (Feb 30) within 5 years.
  package func next(after date: Date) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    guard let start = calendar.dateInterval(of: .minute, for: date)?.end else { return nil }
    var candidate = start
    let limit = date.addingTimeInterval(5 * 366 * 86_400)
    while candidate < limit {
      let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: candidate)
      guard let month = parts.month, let hour = parts.hour, let minute = parts.minute else { return nil }
      if !months.contains(month) {
        guard let next = calendar.dateInterval(of: .month, for: candidate)?.end else { return nil }
        candidate = next
      } else if !matchesDay(parts) {
        guard let next = calendar.dateInterval(of: .day, for: candidate)?.end else { return nil }
        candidate = next
      } else if !hours.contains(hour) {
        guard let next = calendar.dateInterval(of: .hour, for: candidate)?.end else { return nil }
        candidate = next
      } else if !minutes.contains(minute) {
        candidate = candidate.addingTimeInterval(60)
      } else {
        // Calendar arithmetic may leave a fraction of a second; runs fire on whole minutes.
        return Date(timeIntervalSinceReferenceDate: (candidate.timeIntervalSinceReferenceDate / 60).rounded() * 60)
      }
    }
    return nil
  }

  /// The shortest gap between two consecutive runs over the next few, for "the last run is older than the interval".
  package func interval(after date: Date) -> TimeInterval? {
    var gaps: [TimeInterval] = []
    var previous = next(after: date)
    for _ in 0..<8 {
      guard let current = previous, let following = next(after: current) else { break }
      gaps.append(following.timeIntervalSince(current))
      previous = following
    }
    return gaps.min()
  }
}
