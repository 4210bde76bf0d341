import Foundation
import SessionCore
import XCTest

/// No text form of a value that carries tokens may show a token: apps print them in
/// logs and crash reports.
final class RedactionTests: XCTestCase {
    func testCredentialsDescriptionShowsNoToken() async throws {
        let idp = try startDevIdp()
        let credentials = try await Login.credentials(config: idp.authConfig())

        assertShowsNoToken(credentials, credentials.allTokens)
        XCTAssertEqual(credentials.allTokens.count, 3)
    }

    func testCredentialsDescriptionShowsTokenType() throws {
        let credentials = try Credentials(accessToken: "secret-access-value", refreshToken: "secret-refresh-value",
                                          expiresIn: .seconds(60))

        XCTAssertTrue(credentials.description.contains("Bearer"))
        assertShowsNoToken(credentials, credentials.allTokens)
    }

    func testStorageFailedErrorShowsNoToken() throws {
        let credentials = try Credentials(accessToken: "secret-access-value", refreshToken: "secret-refresh-value",
                                          expiresIn: .seconds(60))
        let error = SessionError.StorageFailed(credentials: credentials, message: "disk full")

        assertShowsNoToken(error, credentials.allTokens)
    }

    func testErrorsFromProviderShowNoToken() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        let failures = [
            (400, #"{"error": "invalid_scope", "error_description": "scope not allowed"}"#),
            (401, #"{"error": "invalid_client", "error_description": "unknown client"}"#),
            (500, "<html><body>Internal Server Error</body></html>"),
        ]
        var errors: [SessionError] = []
        for (status, body) in failures {
            try await idp.injectResponse(status: status, body: body)
            if let error = await sessionError({ try await manager.credentials() }) {
                errors.append(error)
            }
        }

        XCTAssertEqual(errors.count, failures.count)
        for error in errors {
            assertShowsNoToken(error, login.allTokens)
        }
    }
}
