import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class GetCredentialsTests: XCTestCase {
    @MainActor
    func testValidTokensUsedWithoutRequest() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)

        await model.getCredentials()

        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice, .info("The stored tokens are still valid, so they were used as they are."))
        let stats = try await idp.stats()
        XCTAssertEqual(stats.refreshTokenGrants, 0)
    }

    @MainActor
    func testShortLivedTokensAreRenewed() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "30"])
        let model = try await loggedInModel(idp, minTimeToLive: .seconds(60))
        try await idp.configure(["access_token_lifetime": 3600])

        await model.getCredentials()

        assertRemaining(model.state.accessTokenCountdown, near: 3600)
        XCTAssertEqual(model.state.notice?.kind, .info)
        XCTAssertTrue(model.state.notice?.text.hasPrefix("The tokens were about to expire, so they were renewed") ?? false)
        let stats = try await idp.stats()
        XCTAssertEqual(stats.refreshTokenGrants, 1)
    }

    @MainActor
    func testRevokedRefreshTokenGoesToLogin() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "30"])
        let model = try await loggedInModel(idp, minTimeToLive: .seconds(60))
        try await idp.revokeAll()

        await model.getCredentials()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice?.text, SessionError.LoginRequired(message: "").userMessage)
    }

    @MainActor
    func testProviderDownKeepsProfile() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "30"])
        let model = try await loggedInModel(idp, minTimeToLive: .seconds(60))
        idp.stop()

        await model.getCredentials()

        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice?.text, SessionError.Network(message: "").userMessage)
    }

    @MainActor
    func testTooLargeMinTimeToLiveIsReported() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120"])
        let model = try await loggedInModel(idp, minTimeToLive: .seconds(300))

        await model.getCredentials()

        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice?.kind, .error)
        XCTAssertTrue(model.state.notice?.text.contains("but the app asks for at least 300") ?? false, "\(String(describing: model.state.notice))")
    }

    @MainActor
    func testLaunchRenewsExpiringTokens() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "30"])
        let storage = InMemorySecureStorage()
        _ = try await loggedInModel(idp, storage: storage, minTimeToLive: .seconds(60))
        try await idp.configure(["access_token_lifetime": 3600])

        let relaunched = try makeModel(idp, storage: storage, minTimeToLive: .seconds(60))
        await relaunched.start()

        assertRemaining(relaunched.state.accessTokenCountdown, near: 3600)
        let stats = try await idp.stats()
        XCTAssertEqual(stats.refreshTokenGrants, 1)
    }

    @MainActor
    func testOfflineLaunchShowsUnknownLifetimes() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "30"])
        let storage = InMemorySecureStorage()
        _ = try await loggedInModel(idp, storage: storage, minTimeToLive: .seconds(60))
        idp.stop()

        let relaunched = try makeModel(idp, storage: storage, minTimeToLive: .seconds(60))
        await relaunched.start()

        XCTAssertEqual(relaunched.state.profile?.name, "Ada Lovelace")
        XCTAssertEqual(relaunched.state.accessTokenCountdown, .unknown)
        XCTAssertEqual(relaunched.state.notice?.text, SessionError.Network(message: "").userMessage)
    }
}
