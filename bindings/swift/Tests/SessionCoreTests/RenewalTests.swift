import Foundation
import SessionCore
import XCTest

final class RenewalTests: XCTestCase {
    func testValidAccessTokenIsReturnedWithoutRenewal() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "600"])
        let manager = try makeManager(idp)
        let login = try await Login.logIn(manager)

        let credentials = try await manager.credentials(minTimeToLive: .seconds(60))

        XCTAssertEqual(credentials.accessToken(), login.accessToken())
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 0)
    }

    func testExpiredTokenRenewsWithRotation() async throws {
        let idp = try startDevIdp(["--rotation", "on"])
        let storage = InMemorySecureStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())

        let renewed = try await manager.credentials().recorded()

        XCTAssertNotEqual(renewed.accessToken(), login.accessToken())
        XCTAssertGreaterThan(renewed.accessTokenTimeToLive(), 0)
        let newRefreshToken = try XCTUnwrap(renewed.refreshToken())
        XCTAssertNotEqual(newRefreshToken, login.refreshToken(), "rotation issues a new refresh token")
        let reloaded = try await makeManager(idp, storage: storage).credentials().recorded()
        XCTAssertEqual(reloaded.refreshToken(), newRefreshToken, "the rotated refresh token is stored")
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 1)
    }

    func testRenewalWithoutRotationKeepsRefreshToken() async throws {
        let idp = try startDevIdp(["--rotation", "off"])
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())

        let renewed = try await manager.credentials().recorded()

        XCTAssertNotEqual(renewed.accessToken(), login.accessToken())
        XCTAssertEqual(renewed.refreshToken(), login.refreshToken())
    }

    func testForcedRenewalReplacesValidAccessToken() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.logIn(manager)

        let renewed = try await manager.renew().recorded()

        XCTAssertNotEqual(renewed.accessToken(), login.accessToken())
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 1)
    }

    func testHundredConcurrentCallersShareOneTokenRequest() async throws {
        // The latency keeps the first renewal in flight while the others arrive.
        let idp = try startDevIdp(["--rotation", "on", "--latency-ms", "300"])
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())

        let accessTokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<100 {
                group.addTask { try await manager.credentials().accessToken() }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }

        XCTAssertEqual(accessTokens.count, 100)
        XCTAssertEqual(Set(accessTokens).count, 1, "every caller gets the one renewed access token")
        XCTAssertNotEqual(accessTokens.first, login.accessToken())
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 1)
    }

    func testCancelledRenewalKeepsRotatedToken() async throws {
        let idp = try startDevIdp(["--rotation", "on", "--latency-ms", "1500"])
        let storage = InMemorySecureStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())

        let task = Task { try await manager.credentials() }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        // The renewal runs on, so the task ends with the renewed credentials.
        let renewed = try await task.value

        let rotatedRefreshToken = try XCTUnwrap(renewed.refreshToken())
        XCTAssertNotEqual(rotatedRefreshToken, login.refreshToken())
        let rotatedIsActive = try await idp.isActive(refreshToken: rotatedRefreshToken)
        XCTAssertTrue(rotatedIsActive)
        let originalIsActive = try await idp.isActive(refreshToken: try XCTUnwrap(login.refreshToken()))
        XCTAssertFalse(originalIsActive, "rotation retired the refresh token the session started with")
        // A manager that only has storage must renew with the rotated refresh token;
        // with the old one, the provider would reject it as reused.
        let next = try await makeManager(idp, storage: storage).renew().recorded()
        XCTAssertNotEqual(next.accessToken(), renewed.accessToken())
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 2)
    }

    func testNarrowerScopeForcesRenewalWithThatScope() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        try await Login.logIn(manager)

        let narrowed = try await manager.credentials(scope: "openid offline_access")

        XCTAssertEqual(narrowed.scope().map { Set($0.split(separator: " ")) }, ["openid", "offline_access"])
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 1)
    }
}
