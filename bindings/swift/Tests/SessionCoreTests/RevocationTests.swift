import Foundation
import SessionCore
import XCTest

final class RevocationTests: XCTestCase {
    func testRevokedRefreshTokenEndsSessionWithLoginRequired() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        try await idp.revokeAll()

        let error = await sessionError { try await manager.credentials() }

        guard case .LoginRequired = error else {
            return XCTFail("expected LoginRequired, got \(String(describing: error))")
        }
        XCTAssertEqual(error?.requiresLogin, true)
        XCTAssertEqual(manager.state(), .signedOut(reason: .refreshTokenRejected))
        XCTAssertTrue(storage.snapshot.isEmpty, "the rejected session is cleared")
        assertShowsNoToken(try XCTUnwrap(error), login.allTokens)
    }

    func testCallAfterRejectionThrowsNoCredentials() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        try await idp.revokeAll()
        _ = await sessionError { try await manager.credentials() }

        let error = await sessionError { try await manager.credentials() }

        guard case .NoCredentials = error else {
            return XCTFail("expected NoCredentials, got \(String(describing: error))")
        }
    }

    func testLogoutRevokesRefreshTokenAtProvider() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.logIn(manager)

        let outcome = try await manager.logout()

        XCTAssertEqual(outcome, .revoked)
        XCTAssertEqual(manager.state(), .signedOut(reason: .loggedOut))
        XCTAssertFalse(try manager.hasValidCredentials())
        let refreshToken = try XCTUnwrap(login.refreshToken())
        let error = await sessionError {
            try await AuthenticationClient(config: idp.authConfig()).renew(refreshToken: refreshToken)
        }
        guard case .LoginRequired = error else {
            return XCTFail("expected LoginRequired for a revoked refresh token, got \(String(describing: error))")
        }
    }

    func testLogoutWithoutRevocationKeepsRefreshTokenUsable() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.logIn(manager)

        let outcome = try await manager.logout(revoke: false)

        XCTAssertEqual(outcome, .notRequested)
        XCTAssertEqual(manager.state(), .signedOut(reason: .loggedOut))
        let renewed = try await AuthenticationClient(config: idp.authConfig())
            .renew(refreshToken: try XCTUnwrap(login.refreshToken()))
        XCTAssertFalse(renewed.accessToken().isEmpty)
    }

    func testLogoutWithUnreachableProviderStillSignsOut() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        try await Login.logIn(manager)
        idp.stop()

        let outcome = try await manager.logout()

        guard case .failed = outcome else {
            return XCTFail("expected a failed revocation, got \(outcome)")
        }
        XCTAssertEqual(manager.state(), .signedOut(reason: .loggedOut))
        XCTAssertFalse(try manager.hasValidCredentials())
    }
}
