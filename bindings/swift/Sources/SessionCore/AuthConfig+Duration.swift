import Foundation

extension AuthConfig {
    /// Time limit of one HTTP request to the provider; stored in whole milliseconds,
    /// rounded up, at most `UInt32.max` of them.
    public var timeout: Duration {
        get { .milliseconds(Int64(timeoutMs)) }
        set { timeoutMs = UInt32(clamping: newValue.wholeMillisecondsRoundedUp) }
    }

    /// Tolerated difference between the device clock and the provider's when token
    /// times are checked; stored in whole seconds, rounded up.
    public var leeway: Duration {
        get { .seconds(Int64(leewaySeconds)) }
        set { leewaySeconds = UInt32(clamping: newValue.wholeSecondsRoundedUp) }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up; zero for negative durations.
    var wholeMillisecondsRoundedUp: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 {
            return 0
        }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (milliseconds, remainder) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
        let total = UInt64(seconds).multipliedReportingOverflow(by: 1000)
        if total.overflow {
            return UInt64.max
        }
        return total.partialValue + UInt64(milliseconds) + (remainder > 0 ? 1 : 0)
    }
}
