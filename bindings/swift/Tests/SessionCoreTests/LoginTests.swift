import Foundation
import SessionCore
import XCTest

final class LoginTests: XCTestCase {
    func testAuthorizeURLCarriesPkceStateAndNonce() async throws {
        let idp = try startDevIdp()
        let client = try AuthenticationClient(config: idp.authConfig())

        let request = try await client.authorize()

        let url = try XCTUnwrap(URLComponents(string: request.url()))
        let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        XCTAssertEqual(url.path, "/authorize")
        XCTAssertEqual(query["response_type"], "code")
        XCTAssertEqual(query["client_id"], DevIdp.clientId)
        XCTAssertEqual(query["redirect_uri"], DevIdp.redirectURI)
        XCTAssertEqual(query["code_challenge_method"], "S256")
        XCTAssertFalse(query["code_challenge", default: ""].isEmpty)
        XCTAssertFalse(query["nonce", default: ""].isEmpty)
        XCTAssertEqual(query["state"], request.state())
    }

    func testAuthorizeTwiceUsesFreshState() async throws {
        let idp = try startDevIdp()
        let client = try AuthenticationClient(config: idp.authConfig())

        let first = try await client.authorize()
        let second = try await client.authorize()

        XCTAssertNotEqual(first.state(), second.state())
    }

    func testCodeExchangeReturnsEveryToken() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "600"])

        let credentials = try await Login.credentials(config: idp.authConfig())

        XCTAssertFalse(credentials.accessToken().isEmpty)
        XCTAssertEqual(credentials.tokenType().lowercased(), "bearer")
        XCTAssertNotNil(credentials.refreshToken(), "the default scope asks for offline_access")
        let idToken = try XCTUnwrap(credentials.idToken())
        XCTAssertEqual(try jwtClaims(idToken)["aud"] as? String, DevIdp.clientId)
        XCTAssertEqual(credentials.accessTokenTimeToLive(), 600, accuracy: 5)
        let authorizationCodeRequests = try await idp.authorizationCodeRequests()
        XCTAssertEqual(authorizationCodeRequests, 1)
    }

    func testCompletedLoginIsStoredAndSignsIn() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let manager = try makeManager(idp, storage: storage)

        let credentials = try await Login.logIn(manager)

        XCTAssertEqual(manager.state(), .signedIn)
        XCTAssertFalse(storage.snapshot.isEmpty)
        XCTAssertTrue(try manager.hasValidCredentials())
        let stored = try await manager.credentials().recorded()
        XCTAssertEqual(stored.accessToken(), credentials.accessToken())
    }

    func testUserProfileIsReadFromStoredIdToken() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let credentials = try await Login.logIn(manager)

        let profile = try XCTUnwrap(try manager.userProfile())

        let claims = try jwtClaims(try XCTUnwrap(credentials.idToken()))
        XCTAssertEqual(profile.sub, claims["sub"] as? String)
        XCTAssertFalse(profile.sub.isEmpty)
    }

    func testUserInfoReturnsSameSubjectAsIdToken() async throws {
        let idp = try startDevIdp()
        let config = idp.authConfig()
        let credentials = try await Login.credentials(config: config)

        let profile = try await AuthenticationClient(config: config).userInfo(accessToken: credentials.accessToken())

        let claims = try jwtClaims(try XCTUnwrap(credentials.idToken()))
        XCTAssertEqual(profile.sub, claims["sub"] as? String)
    }

    func testErrorRedirectFailsWithAuthorizationFailed() async throws {
        let idp = try startDevIdp()
        let client = try AuthenticationClient(config: idp.authConfig())
        let request = try await client.authorize()
        let redirect = "\(DevIdp.redirectURI)?error=access_denied&error_description=denied&state=\(request.state())"

        let error = await sessionError { try await client.exchangeCode(request: request, redirectUrl: redirect) }

        guard case .AuthorizationFailed = error else {
            return XCTFail("expected AuthorizationFailed, got \(String(describing: error))")
        }
    }

    func testRedirectWithOtherStateFailsWithAuthorizationFailed() async throws {
        let idp = try startDevIdp()
        let client = try AuthenticationClient(config: idp.authConfig())
        let request = try await client.authorize()
        let redirectURL = try await Login.redirect(for: request)
        var redirect = try XCTUnwrap(URLComponents(url: redirectURL, resolvingAgainstBaseURL: false))
        redirect.queryItems = redirect.queryItems?.map { item in
            item.name == "state" ? URLQueryItem(name: "state", value: "forged-state") : item
        }

        let error = await sessionError {
            try await client.exchangeCode(request: request, redirectUrl: try XCTUnwrap(redirect.string))
        }

        guard case .AuthorizationFailed = error else {
            return XCTFail("expected AuthorizationFailed, got \(String(describing: error))")
        }
        let authorizationCodeRequests = try await idp.authorizationCodeRequests()
        XCTAssertEqual(authorizationCodeRequests, 0, "a forged state must stop the exchange before the token request")
    }
}
