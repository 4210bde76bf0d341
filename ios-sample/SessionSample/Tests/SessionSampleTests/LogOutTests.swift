import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class LogOutTests: XCTestCase {
    @MainActor
    func testLogOutRevokesAndClears() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let model = try await loggedInModel(idp, storage: storage)

        await model.logOut()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice, .info("You are logged out."))
        XCTAssertTrue(storage.snapshot.isEmpty, "the session is still stored")
        let stats = try await idp.stats()
        XCTAssertEqual(stats.revocationRequests, 1)
        XCTAssertEqual(stats.activeRefreshTokens, 0)
    }

    @MainActor
    func testProviderDownStillLogsOut() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let model = try await loggedInModel(idp, storage: storage)
        idp.stop()

        await model.logOut()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice?.kind, .error)
        XCTAssertTrue(model.state.notice?.text.hasPrefix("You are logged out on this device") ?? false)
        XCTAssertTrue(storage.snapshot.isEmpty, "the session is still stored")
    }

    @MainActor
    func testLaunchAfterLogOutShowsLogin() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let model = try await loggedInModel(idp, storage: storage)
        await model.logOut()

        let relaunched = try makeModel(idp, storage: storage)
        await relaunched.start()

        XCTAssertEqual(relaunched.state.screen, .login)
    }

    @MainActor
    func testLockedKeychainReportsUndeletedSession() async throws {
        let idp = try startDevIdp()
        let storage = LockableStorage()
        let model = try await loggedInModel(idp, storage: storage)
        storage.isLocked = true

        await model.logOut()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice?.kind, .error)
        XCTAssertTrue(model.state.notice?.text.contains("could not be deleted") ?? false)
    }
}
