import Foundation
import SessionSample

/// The system time plus an offset that a test moves by hand, so that a countdown can
/// jump ahead while the tokens keep their real expiry times.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return Date().addingTimeInterval(offset)
    }

    func advance(by interval: TimeInterval) {
        lock.lock()
        offset += interval
        lock.unlock()
    }
}
