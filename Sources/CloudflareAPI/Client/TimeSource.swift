import Foundation

/// Time as the client and the rate limiter see it; tests substitute a virtual clock that advances on sleep.
public protocol TimeSource: Sendable {
  /// Seconds since an arbitrary origin, monotonic.
  func now() -> Double
  func sleep(seconds: Double) async throws
}

/// Real time.
public struct SystemTime: TimeSource {
  public init() {}

  public func now() -> Double {
    let instant = ContinuousClock.now
    let components = (instant - ContinuousClock.Instant.zeroReference).components
    return Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  public func sleep(seconds: Double) async throws {
    guard seconds > 0 else { return }
    try await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
  }
}

extension ContinuousClock.Instant {
  /// A fixed reference so `now()` is a plain number.
  static let zeroReference = ContinuousClock.now
}
