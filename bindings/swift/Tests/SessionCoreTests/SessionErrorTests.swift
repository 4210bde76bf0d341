import Foundation
import SessionCore
import XCTest

/// Each `SessionError` case that a caller can meet, caught by case as an app would.
/// `AuthorizationFailed` is in `LoginTests`, `LoginRequired` in `RevocationTests`, and
/// `StorageFailed` and `StorageUnavailable` in `StorageTests`.
final class SessionErrorTests: XCTestCase {
    func testEmptyStorageThrowsNoCredentials() async throws {
        let manager = try makeOfflineManager()

        do {
            _ = try await manager.credentials()
            XCTFail("expected NoCredentials")
        } catch let error as SessionError {
            print("caught: \(String(describing: error))")
            guard case .NoCredentials = error else {
                return XCTFail("expected NoCredentials, got \(String(describing: error))")
            }
        }
    }

    func testMissingRefreshTokenThrowsNoRefreshToken() async throws {
        let manager = try makeOfflineManager()
        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .zero))

        let error = await sessionError { try await manager.credentials() }

        guard case .NoRefreshToken = error else {
            return XCTFail("expected NoRefreshToken, got \(String(describing: error))")
        }
        XCTAssertEqual(error?.requiresLogin, true)
    }

    func testUnreachableProviderThrowsNetworkAndKeepsSession() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        idp.stop()

        let error = await sessionError { try await manager.credentials() }

        guard case .Network = error else {
            return XCTFail("expected Network, got \(String(describing: error))")
        }
        XCTAssertEqual(error?.isRetryable, true)
        XCTAssertTrue(try manager.canRenew(), "a network failure keeps the refresh token")
        XCTAssertEqual(manager.state(), .signedIn)
        assertShowsNoToken(try XCTUnwrap(error), login.allTokens)
    }

    func testServerErrorThrowsServerAndKeepsSession() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        try await idp.injectResponse(status: 503)

        let error = await sessionError { try await manager.credentials() }

        guard case let .Server(status, _, _) = error else {
            return XCTFail("expected Server, got \(String(describing: error))")
        }
        XCTAssertEqual(status, 503)
        XCTAssertEqual(error?.isRetryable, true)
        XCTAssertTrue(try manager.canRenew())
        assertShowsNoToken(try XCTUnwrap(error), login.allTokens)
        let renewed = try await manager.credentials().recorded()
        XCTAssertNotEqual(renewed.accessToken(), login.accessToken(), "the kept refresh token still works")
    }

    func testTooManyRequestsCarriesRetryAfter() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        try await idp.injectResponse(status: 429, headers: ["Retry-After": "30"])

        let error = await sessionError { try await manager.credentials() }

        guard case let .Server(status, _, retryAfterSeconds) = error else {
            return XCTFail("expected Server, got \(String(describing: error))")
        }
        XCTAssertEqual(status, 429)
        XCTAssertEqual(retryAfterSeconds, 30)
        XCTAssertEqual(error?.retryAfter, .seconds(30))
    }

    func testRejectedScopeThrowsRejectedAndKeepsSession() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        try await idp.injectResponse(
            status: 400,
            body: #"{"error": "invalid_scope", "error_description": "scope not allowed"}"#
        )

        let error = await sessionError { try await manager.credentials() }

        guard case let .Rejected(status, oauthError, _) = error else {
            return XCTFail("expected Rejected, got \(String(describing: error))")
        }
        XCTAssertEqual(status, 400)
        XCTAssertEqual(oauthError, "invalid_scope")
        XCTAssertEqual(error?.requiresLogin, false)
        XCTAssertTrue(try manager.canRenew())
    }

    func testUnreadableTokenResponseThrowsInvalidResponse() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        try await idp.injectResponse(status: 200, body: #"{"token_type": 42"#)

        let error = await sessionError { try await manager.credentials() }

        guard case .InvalidResponse = error else {
            return XCTFail("expected InvalidResponse, got \(String(describing: error))")
        }
        XCTAssertTrue(try manager.canRenew())
    }

    func testMalformedIdTokenThrowsInvalidIdToken() {
        do {
            _ = try Credentials(accessToken: "access-a", idToken: "not-a-jwt", expiresIn: .seconds(60))
            XCTFail("expected InvalidIdToken")
        } catch let error as SessionError {
            print("caught: \(String(describing: error))")
            // The app passed something that is not a JWT.
            guard case .InvalidIdToken = error else {
                return XCTFail("expected InvalidIdToken, got \(String(describing: error))")
            }
        } catch {
            XCTFail("expected InvalidIdToken, got \(error)")
        }
    }

    func testTamperedIdTokenSignatureThrowsInvalidIdToken() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        let idToken = try XCTUnwrap(login.idToken())
        try await idp.injectResponse(status: 200, body: tokenResponse(idToken: tamperedSignature(idToken)))

        let error = await sessionError { try await manager.credentials() }

        guard case .InvalidIdToken = error else {
            return XCTFail("expected InvalidIdToken, got \(String(describing: error))")
        }
        XCTAssertEqual(try manager.canRenew(), true, "the stored refresh token is kept")
        assertShowsNoToken(try XCTUnwrap(error), login.allTokens)
    }

    func testExpiredIdTokenBeyondLeewayThrowsClockSkew() async throws {
        let idp = try startDevIdp(["--id-token-lifetime", "1"])
        var config = idp.authConfig()
        config.leeway = .zero
        let manager = try SessionManager(config: config, storage: InMemorySecureStorage())
        let login = try await Login.credentials(config: config)
        try manager.saveCredentials(credentials: login.expiringNow())
        // A correctly signed id_token whose `exp` is now two seconds in the past,
        // as a device clock running ahead of the provider's would see it.
        try await Task.sleep(for: .seconds(3))
        try await idp.injectResponse(status: 200, body: tokenResponse(idToken: try XCTUnwrap(login.idToken())))

        let error = await sessionError { try await manager.credentials(requireIdToken: true) }

        guard case .ClockSkew = error else {
            return XCTFail("expected ClockSkew, got \(String(describing: error))")
        }
        XCTAssertEqual(try manager.canRenew(), true, "the refresh token is kept")
    }

    func testMissingDelegationEndpointThrowsConfiguration() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        try await Login.logIn(manager)
        try await idp.injectResponse(endpoint: "delegation", status: 404)

        let error = await sessionError { try await manager.renewIdToken() }

        guard case .Configuration = error else {
            return XCTFail("expected Configuration, got \(String(describing: error))")
        }
        XCTAssertEqual(manager.state(), .signedIn, "a missing endpoint keeps the session")
    }

    func testPlainHttpOffLoopbackThrowsConfiguration() {
        let config = AuthConfig(domain: "http://example.com", clientId: DevIdp.clientId, redirectUri: DevIdp.redirectURI)

        XCTAssertThrowsError(try SessionManager(config: config, storage: InMemorySecureStorage())) { error in
            print("caught: \(String(describing: error))")
            guard case SessionError.Configuration = error else {
                return XCTFail("expected Configuration, got \(error)")
            }
        }
    }

    func testConfigWithoutDomainOrIssuerThrowsConfiguration() {
        let config = AuthConfig(clientId: DevIdp.clientId, redirectUri: DevIdp.redirectURI)

        XCTAssertThrowsError(try AuthenticationClient(config: config)) { error in
            print("caught: \(String(describing: error))")
            guard case SessionError.Configuration = error else {
                return XCTFail("expected Configuration, got \(error)")
            }
        }
    }

    func testMinTtlBeyondLifetimeThrowsMinTtlTooLarge() async throws {
        let idp = try startDevIdp(["--access-token-lifetime", "60"])
        let manager = try makeManager(idp)
        try await Login.logIn(manager)

        let error = await sessionError { try await manager.credentials(minTimeToLive: .seconds(3600)) }

        guard case let .MinTtlTooLarge(minTtlSeconds, lifetimeSeconds) = error else {
            return XCTFail("expected MinTtlTooLarge, got \(String(describing: error))")
        }
        XCTAssertEqual(minTtlSeconds, 3600)
        XCTAssertLessThanOrEqual(lifetimeSeconds, 60)
    }

    func testLogoutDuringRenewalThrowsLoggedOut() async throws {
        let idp = try startDevIdp(["--latency-ms", "1500"])
        let storage = InMemorySecureStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())

        let renewal = Task { try await manager.credentials() }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await manager.logout(revoke: false)
        let error = await sessionError { try await renewal.value }

        guard case .LoggedOut = error else {
            return XCTFail("expected LoggedOut, got \(String(describing: error))")
        }
        XCTAssertTrue(storage.snapshot.isEmpty, "a renewal that ends after logout is discarded")
        XCTAssertEqual(manager.state(), .signedOut(reason: .loggedOut))
    }

    /// Builds a token response as the provider would send it, with this id_token.
    private func tokenResponse(idToken: String) -> String {
        let body: [String: Any] = [
            "access_token": "injected-access-token",
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": idToken,
        ]
        let data = try! JSONSerialization.data(withJSONObject: body)
        return String(decoding: data, as: UTF8.self)
    }

    /// Returns the same JWT with one character of its signature changed.
    private func tamperedSignature(_ jwt: String) -> String {
        var characters = Array(jwt)
        let index = characters.count - 2
        characters[index] = characters[index] == "A" ? "B" : "A"
        return String(characters)
    }
}
