import DevIdpHarness
import Foundation
import SessionCore
import SessionSample
import XCTest

final class LoginTests: XCTestCase {
    @MainActor
    func testLaunchWithNothingStoredShowsLogin() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp)

        await model.start()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertNil(model.state.notice)
    }

    @MainActor
    func testLogInShowsProfile() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp)
        await model.start()

        await model.logIn()

        let profile = try XCTUnwrap(model.state.profile)
        XCTAssertEqual(profile.name, "Ada Lovelace")
        XCTAssertEqual(profile.email, "ada@example.com")
        XCTAssertEqual(profile.pictureURL, URL(string: "https://example.com/ada.png"))
        XCTAssertNil(model.state.notice)
        let stats = try await idp.stats()
        XCTAssertEqual(stats.authorizeRequests, 1)
        XCTAssertEqual(stats.authorizationCodeGrants, 1)
    }

    @MainActor
    func testSessionSurvivesRelaunch() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        _ = try await loggedInModel(idp, storage: storage)

        let relaunched = try makeModel(idp, storage: storage)
        await relaunched.start()

        XCTAssertEqual(relaunched.state.profile?.name, "Ada Lovelace")
        let stats = try await idp.stats()
        XCTAssertEqual(stats.authorizationCodeGrants, 1, "the relaunch logged in again")
    }

    @MainActor
    func testProviderDownFailsLoginPage() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp)
        await model.start()
        idp.stop()

        await model.logIn()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice, .error("The login page could not be shown. Try again."))
    }

    @MainActor
    func testProviderDownDuringExchangeStaysOnLogin() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp, browser: StoppingBrowser(idp: idp))
        await model.start()

        await model.logIn()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice?.kind, .error)
        XCTAssertEqual(model.state.notice?.text, SessionError.Network(message: "").userMessage)
    }

    @MainActor
    func testCancelledLoginStaysOnLogin() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp, browser: CancellingBrowser())
        await model.start()

        await model.logIn()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice, .info("The login was cancelled."))
        let stats = try await idp.stats()
        XCTAssertEqual(stats.authorizationCodeGrants, 0)
    }

    @MainActor
    func testErrorRedirectShowsLoginFailed() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp, browser: ErrorRedirectBrowser())
        await model.start()

        await model.logIn()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice?.text, SessionError.AuthorizationFailed(message: "").userMessage)
    }

    @MainActor
    func testBrowserFailureShowsGenericMessage() async throws {
        let idp = try startDevIdp()
        let model = try makeModel(idp, browser: BrokenBrowser())
        await model.start()

        await model.logIn()

        XCTAssertEqual(model.state.screen, .login)
        XCTAssertEqual(model.state.notice, .error("The login page could not be shown. Try again."))
    }
}

/// A browser that comes back with the provider's error redirect, as when the user
/// denies consent.
private struct ErrorRedirectBrowser: BrowserLogin {
    func logIn(at url: URL, callbackScheme: String) async throws -> URL {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let state = components?.queryItems?.first { $0.name == "state" }?.value ?? ""
        return URL(string: "\(callbackScheme)://callback?error=access_denied&state=\(state)")!
    }
}

/// A browser that finishes the login, after which the provider goes down before the
/// app exchanges the code.
private struct StoppingBrowser: BrowserLogin, @unchecked Sendable {
    let idp: DevIdpServer

    func logIn(at url: URL, callbackScheme: String) async throws -> URL {
        let redirect = try await ScriptedBrowser().logIn(at: url, callbackScheme: callbackScheme)
        idp.stop()
        return redirect
    }
}

/// A browser that cannot show the page.
private struct BrokenBrowser: BrowserLogin {
    struct PresentationFailed: Error {}

    func logIn(at url: URL, callbackScheme: String) async throws -> URL {
        throw PresentationFailed()
    }
}
