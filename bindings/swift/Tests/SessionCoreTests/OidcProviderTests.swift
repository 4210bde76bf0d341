import Foundation
import SessionCore
import XCTest

/// The session lifecycle against `oidc-provider`, a certified OpenID Connect provider
/// found by discovery, with rotation and reuse detection of refresh tokens.
final class OidcProviderTests: XCTestCase {
    func testLoginStoresVerifiedCredentials() async throws {
        let provider = try startOidcProvider()
        let manager = try SessionManager(config: provider.authConfig, storage: InMemorySecureStorage())

        let login = try await logIn(manager, at: provider)

        XCTAssertNotNil(login.refreshToken(), "offline_access with prompt=consent brings a refresh token")
        XCTAssertEqual(manager.state(), .signedIn)
        let profile = try XCTUnwrap(try manager.userProfile())
        XCTAssertEqual(profile.sub, "test-user")
        XCTAssertEqual(profile.email, "test.user@example.com")
    }

    func testUserInfoReturnsProfileOfLoggedInUser() async throws {
        let provider = try startOidcProvider()
        let manager = try SessionManager(config: provider.authConfig, storage: InMemorySecureStorage())
        let login = try await logIn(manager, at: provider)

        let profile = try await manager.authenticationClient().userInfo(accessToken: login.accessToken())

        XCTAssertEqual(profile.sub, "test-user")
        XCTAssertEqual(profile.name, "Test User")
    }

    func testRenewalStoresRotatedRefreshToken() async throws {
        let provider = try startOidcProvider()
        let storage = InMemorySecureStorage()
        let manager = try SessionManager(config: provider.authConfig, storage: storage)
        let login = try await logIn(manager, at: provider)

        let renewed = try await manager.renew().recorded()

        XCTAssertNotEqual(renewed.accessToken(), login.accessToken())
        XCTAssertNotEqual(renewed.refreshToken(), login.refreshToken())
        // The provider revokes the whole grant when a consumed refresh token comes
        // back, so a second renewal succeeds only with the stored rotated one.
        let next = try await SessionManager(config: provider.authConfig, storage: storage).renew().recorded()
        XCTAssertNotEqual(next.accessToken(), renewed.accessToken())
    }

    func testLogoutRevokesRefreshToken() async throws {
        let provider = try startOidcProvider()
        let manager = try SessionManager(config: provider.authConfig, storage: InMemorySecureStorage())
        let login = try await logIn(manager, at: provider)

        let outcome = try await manager.logout()

        XCTAssertEqual(outcome, .revoked)
        let refreshToken = try XCTUnwrap(login.refreshToken())
        let error = await sessionError {
            try await AuthenticationClient(config: provider.authConfig).renew(refreshToken: refreshToken)
        }
        guard case .LoginRequired = error else {
            return XCTFail("expected LoginRequired for a revoked refresh token, got \(String(describing: error))")
        }
    }

    func testDelegationWithoutEndpointThrowsConfiguration() async throws {
        let provider = try startOidcProvider()
        let manager = try SessionManager(config: provider.authConfig, storage: InMemorySecureStorage())
        try await logIn(manager, at: provider)

        let error = await sessionError { try await manager.renewIdToken() }

        guard case .Configuration = error else {
            return XCTFail("expected Configuration, got \(String(describing: error))")
        }
        XCTAssertEqual(manager.state(), .signedIn)
    }

    private func startOidcProvider() throws -> OidcProvider {
        let provider = try OidcProvider.start()
        addTeardownBlock { provider.stop() }
        return provider
    }

    @discardableResult
    private func logIn(_ manager: SessionManager, at provider: OidcProvider) async throws -> Credentials {
        let request = try await manager.authenticationClient().authorize(parameters: ["prompt": "consent"])
        let redirect = try provider.completeLogin(authorizeURL: request.url())
        return try await manager.completeLogin(request: request, redirectURL: redirect).recorded()
    }
}
