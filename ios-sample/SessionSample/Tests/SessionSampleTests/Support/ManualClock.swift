import Foundation
import SessionSample

/// A clock that moves only when a test moves it, starting at the real time so that the
/// tokens the dev IdP issues count down from their true lifetimes.
final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by interval: TimeInterval) {
        lock.lock()
        current += interval
        lock.unlock()
    }
}
