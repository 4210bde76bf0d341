import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class KeychainLockedTests: XCTestCase {
    @MainActor
    func testLockedLaunchShowsLockedScreen() async throws {
        let idp = try startDevIdp()
        let storage = LockableStorage()
        _ = try await loggedInModel(idp, storage: storage)
        storage.isLocked = true

        let relaunched = try makeModel(idp, storage: storage)
        await relaunched.start()

        XCTAssertEqual(relaunched.state.screen, .storageLocked)
        XCTAssertEqual(relaunched.state.notice?.text, SessionError.StorageUnavailable(credentials: nil, message: "").userMessage)
        XCTAssertFalse(storage.backing.snapshot.isEmpty, "the locked session was cleared")
    }

    @MainActor
    func testTryAgainAfterUnlockShowsProfile() async throws {
        let idp = try startDevIdp()
        let storage = LockableStorage()
        _ = try await loggedInModel(idp, storage: storage)
        storage.isLocked = true
        let relaunched = try makeModel(idp, storage: storage)
        await relaunched.start()

        storage.isLocked = false
        await relaunched.start()

        XCTAssertEqual(relaunched.state.profile?.name, "Ada Lovelace")
        XCTAssertNil(relaunched.state.notice)
        let stats = try await idp.stats()
        XCTAssertEqual(stats.authorizationCodeGrants, 1, "unlocking needed a new login")
    }
}
