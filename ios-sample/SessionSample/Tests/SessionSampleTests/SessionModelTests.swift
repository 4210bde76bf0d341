import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class SessionModelTests: XCTestCase {
    @MainActor
    func testOnChangeReportsWorkingThenProfile() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp)
        await model.start()
        var states: [ScreenState] = []
        model.onChange = { states.append($0) }

        await model.logIn()

        XCTAssertEqual(states.first?.isWorking, true)
        XCTAssertEqual(states.first?.screen, .login)
        XCTAssertEqual(states.last?.isWorking, false)
        XCTAssertNotNil(states.last?.profile)
        XCTAssertEqual(states.last, model.state)
    }

    @MainActor
    func testButtonPressedWhileWorkingIsIgnored() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)
        try await idp.configure(["latency_ms": 500])

        let renewal = Task { await model.renewWithRefreshToken() }
        while !model.state.isWorking {
            await Task.yield()
        }
        await model.renewWithRefreshToken()
        await renewal.value

        let stats = try await idp.stats()
        XCTAssertEqual(stats.refreshTokenGrants, 1)
        XCTAssertFalse(model.state.isWorking)
    }

    @MainActor
    func testNoNoticeEverShowsAToken() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "30"])
        let storage = InMemorySecureStorage()
        let model = try await loggedInModel(idp, storage: storage)
        var notices: [String] = []
        model.onChange = { state in
            if let notice = state.notice {
                notices.append(notice.text)
            }
        }
        let reader = try SessionManager(config: idp.settings.authConfig(), storage: storage)
        let credentials = try await reader.credentials(minTimeToLive: .zero)
        let tokens = [credentials.accessToken(), credentials.idToken(), credentials.refreshToken()].compactMap { $0 }

        await model.renewIdToken()
        await model.renewWithRefreshToken()
        await model.getCredentials()
        try await idp.injectFault(["endpoint": "token", "status": 400, "body": ["error": "invalid_scope"]])
        await model.renewWithRefreshToken()
        try await idp.revokeAll()
        await model.renewWithRefreshToken()
        await model.logOut()

        XCTAssertEqual(tokens.count, 3)
        XCTAssertGreaterThanOrEqual(notices.count, 5)
        for (index, token) in tokens.enumerated() {
            XCTAssertFalse(notices.contains { $0.contains(token) }, "token \(index) appears in a notice")
        }
    }

    @MainActor
    func testDismissNoticeClearsIt() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)
        await model.getCredentials()
        XCTAssertNotNil(model.state.notice)

        model.dismissNotice()

        XCTAssertNil(model.state.notice)
    }

    @MainActor
    func testRejectedRenewalKeepsSessionWithMessage() async throws {
        let idp = try startDevIdp()
        let model = try await loggedInModel(idp)
        try await idp.injectFault(["endpoint": "token", "status": 400, "body": ["error": "invalid_scope"]])

        await model.renewWithRefreshToken()

        XCTAssertNotNil(model.state.profile)
        XCTAssertEqual(model.state.notice?.text, SessionError.Rejected(status: 400, error: "invalid_scope", message: "").userMessage)
    }
}
