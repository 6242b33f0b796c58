import Foundation

/// Runs blocking work (reading a child process's output, waiting for it to exit, blocking sockets) on a thread of its
/// own and awaits its result. Swift Testing runs tests, synchronous ones included, on the cooperative pool, which has
/// one thread per core: two tests blocking there stall every other test's tasks — and the HTTP servers they run —
/// until they finish. Check results in the test, after the await, so that a failure names its test.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result { try body() }) }.start()
  }
}
