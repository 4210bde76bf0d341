import DevIdpHarness
import Foundation
import SessionSample
import XCTest

final class CountdownTests: XCTestCase {
    func testCountdownTextFormatsHoursMinutesAndSeconds() {
        XCTAssertEqual(Countdown.remaining(seconds: 3723).text, "1:02:03")
        XCTAssertEqual(Countdown.remaining(seconds: 59).text, "0:59")
        XCTAssertEqual(Countdown.remaining(seconds: 600).text, "10:00")
        XCTAssertEqual(Countdown.expired.text, "expired")
        XCTAssertEqual(Countdown.unknown.text, "unknown")
    }

    func testCountdownRoundsDownAndExpiresAtZero() {
        let now = Date(timeIntervalSince1970: 1_000)
        XCTAssertEqual(Countdown(expiresAt: now.addingTimeInterval(1.9), now: now), .remaining(seconds: 1))
        XCTAssertEqual(Countdown(expiresAt: now.addingTimeInterval(0.5), now: now), .expired)
        XCTAssertEqual(Countdown(expiresAt: now, now: now), .expired)
        XCTAssertEqual(Countdown(expiresAt: nil, now: now), .unknown)
    }

    @MainActor
    func testCountdownsStartAtTheTokenLifetimes() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120", "--id-token-lifetime", "600"])
        let model = try await loggedInModel(idp)

        assertRemaining(model.state.accessTokenCountdown, near: 120)
        assertRemaining(model.state.idTokenCountdown, near: 600)
    }

    @MainActor
    func testCountdownsMoveWithTheClock() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120", "--id-token-lifetime", "600"])
        let clock = TestClock()
        let model = try await loggedInModel(idp, clock: clock)
        let before = model.state.accessTokenCountdown

        clock.advance(by: 60)
        XCTAssertEqual(model.state.accessTokenCountdown, before, "the countdown moved without a tick")
        model.tick()

        assertRemaining(model.state.accessTokenCountdown, near: 60)
        assertRemaining(model.state.idTokenCountdown, near: 540)
    }

    @MainActor
    func testAccessTokenCountdownShowsExpiredAfterItsLifetime() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120", "--id-token-lifetime", "600"])
        let clock = TestClock()
        let model = try await loggedInModel(idp, clock: clock)

        clock.advance(by: 125)
        model.tick()

        XCTAssertEqual(model.state.accessTokenCountdown, .expired)
        assertRemaining(model.state.idTokenCountdown, near: 475)
    }

    @MainActor
    func testCountdownsAreUnknownOnTheLoginScreen() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp)
        await model.start()

        XCTAssertEqual(model.state.accessTokenCountdown, .unknown)
        XCTAssertEqual(model.state.idTokenCountdown, .unknown)
    }
}
