import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

extension XCTestCase {
    /// Starts a dev IdP with `flags` for this test and stops it when the test ends.
    func startDevIdp(_ flags: [String] = []) throws -> DevIdpServer {
        let idp = try DevIdpServer.start(flags)
        addTeardownBlock { idp.stop() }
        return idp
    }

    /// Creates a screen model for `idp` over `storage`.
    @MainActor
    func makeModel(
        _ idp: DevIdpServer,
        storage: SecureStorage = InMemorySecureStorage(),
        browser: BrowserLogin = ScriptedBrowser(),
        clock: WallClock = TestClock(),
        minTimeToLive: Duration = .seconds(60)
    ) throws -> SessionModel {
        try SessionModel(settings: idp.settings, storage: storage, browser: browser, clock: clock, minTimeToLive: minTimeToLive)
    }

    /// Creates a model, launches it and logs in, failing the test unless the profile
    /// screen shows.
    @MainActor
    func loggedInModel(
        _ idp: DevIdpServer,
        storage: SecureStorage = InMemorySecureStorage(),
        clock: WallClock = TestClock(),
        minTimeToLive: Duration = .seconds(60),
        file: StaticString = #filePath,
        line: UInt = #line
    ) async throws -> SessionModel {
        let model = try makeModel(idp, storage: storage, clock: clock, minTimeToLive: minTimeToLive)
        await model.start()
        await model.logIn()
        _ = try XCTUnwrap(model.state.profile, "login did not show the profile: \(model.state.notice?.text ?? "no notice")", file: file, line: line)
        return model
    }

    /// Asserts that `countdown` shows `seconds`, or up to 3 seconds less, which leaves
    /// time for the requests and the rounding of expiry times to whole seconds.
    func assertRemaining(
        _ countdown: Countdown,
        near seconds: Int,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        guard case let .remaining(remaining) = countdown else {
            XCTFail("expected time remaining, got \(countdown)", file: file, line: line)
            return
        }
        let range = (seconds - 3)...seconds
        XCTAssertTrue(range.contains(remaining), "\(remaining) s remaining, expected \(range)", file: file, line: line)
    }
}

extension ScreenState {
    /// The profile shown, or nil on another screen.
    var profile: Profile? {
        if case let .profile(profile) = screen {
            return profile
        }
        return nil
    }
}
