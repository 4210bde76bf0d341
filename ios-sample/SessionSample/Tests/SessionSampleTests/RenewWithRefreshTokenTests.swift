import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class RenewWithRefreshTokenTests: XCTestCase {
    @MainActor
    func testRenewGetsNewTokens() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120"])
        let model = try await loggedInModel(idp)
        try await idp.configure(["access_token_lifetime": 900])

        await model.renewWithRefreshToken()

        assertRemaining(model.state.accessTokenCountdown, near: 900)
        XCTAssertEqual(model.state.notice?.kind, .info)
        let stats = try await idp.stats()
        XCTAssertEqual(stats.refreshTokenGrants, 1)
        XCTAssertEqual(stats.activeRefreshTokens, 1, "the rotated refresh token is not the only one left")
    }

    @MainActor
    func testRevokedSessionGoesToLogin() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let model = try await loggedInModel(idp, storage: storage)
        try await idp.revokeAll()

        await model.renewWithRefreshToken()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice?.text, SessionError.LoginRequired(message: "").userMessage)
        let relaunched = try makeModel(idp, storage: storage)
        await relaunched.start()
        XCTAssertEqual(relaunched.state.screen, .login, "the ended session was still stored")
    }

    @MainActor
    func testProviderDownKeepsProfile() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let model = try await loggedInModel(idp, storage: storage)
        idp.stop()

        await model.renewWithRefreshToken()

        XCTAssertEqual(model.state.profile?.name, "Ada Lovelace")
        XCTAssertEqual(model.state.notice?.kind, .error)
        XCTAssertEqual(model.state.notice?.text, SessionError.Network(message: "").userMessage)
        XCTAssertFalse(storage.snapshot.isEmpty, "a network failure cleared the session")
    }

    @MainActor
    func testOutageShowsRetryDelay() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)
        try await idp.injectFault([
            "endpoint": "token", "status": 503, "headers": ["Retry-After": "7"], "body": "<html>down</html>",
        ])

        await model.renewWithRefreshToken()

        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice, .error("The login server is having trouble (HTTP 503). Try again in 7 seconds."))
    }

    @MainActor
    func testLockedKeychainKeepsProfile() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120"])
        let storage = LockableStorage()
        let model = try await loggedInModel(idp, storage: storage)
        try await idp.configure(["access_token_lifetime": 900])
        storage.isLocked = true

        await model.renewWithRefreshToken()

        XCTAssertNotEqual(model.state.screen, .login)
        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice?.text, SessionError.StorageUnavailable(credentials: nil, message: "").userMessage)
        assertRemaining(model.state.accessTokenCountdown, near: 900)
    }

    @MainActor
    func testMissingRefreshTokenKeepsProfile() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        _ = try await loggedInModel(idp, storage: storage)
        let manager = try SessionManager(config: idp.settings.authConfig(), storage: storage)
        let issued = try await manager.credentials(minTimeToLive: .zero)
        try manager.saveCredentials(credentials: Credentials(
            accessToken: issued.accessToken(),
            idToken: issued.idToken(),
            refreshToken: nil,
            expiresIn: .seconds(3600),
            scope: issued.scope()
        ))
        let model = try makeModel(idp, storage: storage)
        await model.start()

        await model.renewWithRefreshToken()

        XCTAssertEqual(model.state.profile?.name, "Ada Lovelace")
        XCTAssertEqual(model.state.notice?.text, SessionError.NoRefreshToken.userMessage)
    }
}
