import Foundation

/// The time that the profile screen's countdowns are measured against. Tests pass a
/// clock they move by hand; the core's own expiry checks always use the system clock.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The device's clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Date {
        Date()
    }
}
