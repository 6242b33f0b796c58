import Basics
import Foundation
import Operations
import TokenModel

/// What a schedule of checks costs of the request budget, worked out before the service starts: a schedule that
/// spends most of the budget on checks leaves nothing for heals, for people using the dashboard, or for other tools of
/// the same user.
extension RequestBudget {
  /// The most runs of `schedules` that fall in any 5-minute window over the next day.
  package static func runsPerWindow(_ schedules: [CronExpression], from start: Date) -> Int {
    var times: [Date] = []
    for schedule in schedules {
      var next = schedule.next(after: start)
      while let time = next, time.timeIntervalSince(start) < 86_400, times.count < 20_000 {
        times.append(time)
        next = schedule.next(after: time)
      }
    }
    times.sort()
    var most = 0
    var first = 0
    for (index, time) in times.enumerated() {
      while time.timeIntervalSince(times[first]) >= window { first += 1 }
      most = max(most, index - first + 1)
    }
    return most
  }

  /// Why the checks alone would use more than half of the budget, with the numbers; nil when they fit.
  package static func refusal(
    _ desired: DesiredState, healthInterval: TimeInterval, schedules: [CronExpression], from start: Date
  ) -> String? {
    let perCheck = requestsPerCheck(desired)
    let scheduled = runsPerWindow(schedules, from: start)
    guard healthInterval > 0 else {
      return "--health-interval 0 lets every GET /tokens/health start a check of \(perCheck) requests, without bound; "
        + "Cloudflare allows \(limit) requests per 5 minutes. Give an interval of at least \(minimumInterval(perCheck: perCheck, scheduled: scheduled).map { "\($0) s" } ?? "a few minutes")"
    }
    // GET /tokens/health starts at most one check per interval; each scheduled run is one check (a heal adds its
    // writes, which the half left over is for).
    let onDemand = Int((window / healthInterval).rounded(.up))
    let spent = perCheck * (onDemand + scheduled)
    guard spent > limit / 2 else { return nil }
    var advice: String
    if perCheck > limit / 2 {
      advice =
        "one check of this policy alone needs \(perCheck) requests: split its tokens over several policies (and services)"
    } else if let minimum = minimumInterval(perCheck: perCheck, scheduled: scheduled) {
      advice = "use --health-interval \(minimum) or more"
    } else {
      advice =
        "run the schedules less often (their checks alone use \(perCheck * scheduled) requests in the busiest 5 minutes)"
    }
    return
      "the checks would use \(spent) of Cloudflare's \(limit) requests per 5 minutes (\(perCheck) requests a check for "
      + "\(plural(desired.tokens.count, "token")), at most \(onDemand) on-demand checks every 5 minutes with --health-interval "
      + "\(Int(healthInterval)), and \(scheduled) scheduled in the busiest 5 minutes), more than half of the budget; \(advice)"
  }

  /// The shortest interval that keeps the checks within half of the budget, when one does.
  static func minimumInterval(perCheck: Int, scheduled: Int) -> Int? {
    let allowed = limit / 2 / max(1, perCheck) - scheduled
    guard allowed >= 1 else { return nil }
    return Int((window / Double(allowed)).rounded(.up))
  }
}
