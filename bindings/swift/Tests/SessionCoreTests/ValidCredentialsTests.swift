import Foundation
import SessionCore
import XCTest

/// `hasValidCredentials` and `canRenew` read storage only, so no provider runs here.
final class ValidCredentialsTests: XCTestCase {
    func testEmptyStorageHasNoValidCredentials() throws {
        let manager = try makeOfflineManager()

        XCTAssertFalse(try manager.hasValidCredentials())
        XCTAssertFalse(try manager.canRenew())
        XCTAssertEqual(manager.state(), .signedOut(reason: .noCredentials))
    }

    func testFreshAccessTokenIsValid() throws {
        let manager = try makeOfflineManager()
        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(3600)))

        XCTAssertTrue(try manager.hasValidCredentials(minTimeToLive: .seconds(60)))
    }

    func testAccessTokenShorterThanMinTimeToLiveIsNotValidWithoutRefreshToken() throws {
        let manager = try makeOfflineManager()
        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(60)))

        XCTAssertFalse(try manager.hasValidCredentials(minTimeToLive: .seconds(120)))
        XCTAssertFalse(try manager.canRenew())
    }

    func testExpiredAccessTokenWithRefreshTokenCountsAsValid() throws {
        let manager = try makeOfflineManager()
        let credentials = try Credentials(accessToken: "access-a", refreshToken: "refresh-a", expiresIn: .zero)
        try manager.saveCredentials(credentials: credentials)

        XCTAssertTrue(try manager.hasValidCredentials(), "a refresh token can renew the session")
        XCTAssertTrue(try manager.canRenew())
    }

    func testSavedCredentialsSurviveNewManagerOverSameStorage() async throws {
        let storage = InMemorySecureStorage()
        try makeOfflineManager(storage: storage)
            .saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(3600)))

        let manager = try makeOfflineManager(storage: storage)

        XCTAssertEqual(manager.state(), .signedIn)
        let credentials = try await manager.credentials(minTimeToLive: .seconds(60))
        XCTAssertEqual(credentials.accessToken(), "access-a")
    }

    func testDurationInitializerRoundsLifetimeUp() throws {
        let before = Date()
        let credentials = try Credentials(accessToken: "access-a", expiresIn: .milliseconds(90_500))

        let lifetime = credentials.expiresAtDate.timeIntervalSince(before)
        XCTAssertGreaterThanOrEqual(lifetime, 90, "90.5 s rounds up to 91 s, never down")
        XCTAssertLessThanOrEqual(lifetime, 92)
        XCTAssertEqual(credentials.tokenType(), "Bearer")
        XCTAssertNil(credentials.idTokenExpiresAtDate)
    }
}
