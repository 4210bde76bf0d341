import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class RenewIdTokenTests: XCTestCase {
    @MainActor
    func testRenewUsesDelegation() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "120", "--id-token-lifetime", "300"])
        let model = try await loggedInModel(idp)
        try await idp.configure(["id_token_lifetime": 900])

        await model.renewIdToken()

        XCTAssertEqual(model.state.profile?.name, "Ada Lovelace")
        assertRemaining(model.state.idTokenCountdown, near: 900)
        assertRemaining(model.state.accessTokenCountdown, near: 120)
        XCTAssertEqual(model.state.notice?.kind, .info)
        let stats = try await idp.stats()
        XCTAssertEqual(stats.delegationRequests, 1)
        XCTAssertEqual(stats.refreshTokenGrants, 0)
    }

    @MainActor
    func testMissingDelegationKeepsProfile() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)
        try await idp.injectFault(["endpoint": "delegation", "status": 404, "body": "Not Found"])

        await model.renewIdToken()

        XCTAssertEqual(model.state.profile?.name, "Ada Lovelace")
        XCTAssertEqual(model.state.notice?.kind, .error)
        XCTAssertEqual(model.state.notice?.text, SessionError.Configuration(message: "").userMessage)
    }

    @MainActor
    func testProviderDownKeepsProfile() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)
        idp.stop()

        await model.renewIdToken()

        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice?.text, SessionError.Network(message: "").userMessage)
    }
}
