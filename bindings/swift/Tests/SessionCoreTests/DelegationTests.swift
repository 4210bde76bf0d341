import Foundation
import SessionCore
import XCTest

/// The legacy Auth0 `/delegation` endpoint, which returns a new id_token either for a
/// still-valid id_token or for the refresh token.
final class DelegationTests: XCTestCase {
    func testDelegationWithIdTokenReturnsIdTokenForSameUser() async throws {
        let idp = try startDevIdp()
        let config = idp.authConfig()
        let credentials = try await Login.credentials(config: config)
        let idToken = try XCTUnwrap(credentials.idToken())

        let delegation = try await AuthenticationClient(config: config).delegationWithIdToken(idToken: idToken).recorded()

        XCTAssertEqual(delegation.tokenType().lowercased(), "bearer")
        XCTAssertGreaterThan(delegation.expiresIn(), 0)
        XCTAssertEqual(delegation.lifetime, .seconds(Int64(delegation.expiresIn())))
        XCTAssertEqual(try jwtClaims(delegation.idToken())["sub"] as? String, try jwtClaims(idToken)["sub"] as? String)
        XCTAssertEqual(try jwtClaims(delegation.idToken())["aud"] as? String, DevIdp.clientId)
    }

    func testDelegationWithRefreshTokenReturnsIdTokenForSameUser() async throws {
        let idp = try startDevIdp()
        let config = idp.authConfig()
        let credentials = try await Login.credentials(config: config)
        let refreshToken = try XCTUnwrap(credentials.refreshToken())

        let delegation = try await AuthenticationClient(config: config)
            .delegationWithRefreshToken(refreshToken: refreshToken).recorded()

        let idToken = try XCTUnwrap(credentials.idToken())
        XCTAssertGreaterThan(delegation.expiresIn(), 0)
        XCTAssertEqual(try jwtClaims(delegation.idToken())["sub"] as? String, try jwtClaims(idToken)["sub"] as? String)
    }

    func testRenewIdTokenStoresNewIdTokenAndKeepsAccessToken() async throws {
        let idp = try startDevIdp(["--id-token-lifetime", "600"])
        let storage = InMemorySecureStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.logIn(manager)
        // Token times have whole-second precision; a new id_token issued in the
        // same second could be identical to the first.
        try await Task.sleep(for: .milliseconds(1100))

        let renewed = try await manager.renewIdToken().recorded()

        XCTAssertNotEqual(renewed.idToken(), login.idToken())
        XCTAssertEqual(renewed.accessToken(), login.accessToken())
        let reloaded = try await makeManager(idp, storage: storage).credentials().recorded()
        XCTAssertEqual(reloaded.idToken(), renewed.idToken(), "the new id_token is stored")
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 0, "a valid id_token is renewed through /delegation")
    }

    func testDelegationDescriptionShowsNoToken() async throws {
        let idp = try startDevIdp()
        let config = idp.authConfig()
        let credentials = try await Login.credentials(config: config)

        let delegation = try await AuthenticationClient(config: config)
            .delegationWithIdToken(idToken: try XCTUnwrap(credentials.idToken())).recorded()

        assertShowsNoToken(delegation, [delegation.idToken()] + credentials.allTokens)
        XCTAssertFalse(delegation.description.isEmpty)
    }
}
