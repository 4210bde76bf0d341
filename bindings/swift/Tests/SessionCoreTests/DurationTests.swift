import Foundation
import SessionCore
import XCTest

/// The `Duration` spellings of the idiomatic layer, which the core receives as whole
/// seconds or milliseconds.
final class DurationTests: XCTestCase {
    func testTimeoutIsStoredInMillisecondsRoundedUp() {
        var config = AuthConfig(domain: "example.eu.auth0.com", clientId: "client", redirectUri: "app://callback")

        config.timeout = .microseconds(2_500_100)

        XCTAssertEqual(config.timeoutMs, 2501)
        XCTAssertEqual(config.timeout, .milliseconds(2501))
    }

    func testLeewayIsStoredInSecondsRoundedUp() {
        var config = AuthConfig(domain: "example.eu.auth0.com", clientId: "client", redirectUri: "app://callback")

        config.leeway = .milliseconds(30_001)

        XCTAssertEqual(config.leewaySeconds, 31)
    }

    func testNegativeTimeoutIsStoredAsZero() {
        var config = AuthConfig(domain: "example.eu.auth0.com", clientId: "client", redirectUri: "app://callback")

        config.timeout = .seconds(-1)

        XCTAssertEqual(config.timeoutMs, 0)
    }

    func testHugeTimeoutIsClampedToLargestMilliseconds() {
        var config = AuthConfig(domain: "example.eu.auth0.com", clientId: "client", redirectUri: "app://callback")

        config.timeout = .seconds(Int64.max)

        XCTAssertEqual(config.timeoutMs, UInt32.max)
    }
}
