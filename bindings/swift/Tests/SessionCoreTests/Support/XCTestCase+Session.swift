import Foundation
import SessionCore
import XCTest

extension XCTestCase {
    /// Starts a dev IdP for this test and stops it when the test ends.
    func startDevIdp(_ flags: [String] = []) throws -> DevIdp {
        let idp = try DevIdp.start(flags)
        addTeardownBlock { idp.stop() }
        return idp
    }

    /// Creates a manager for `idp` over `storage`.
    func makeManager(_ idp: DevIdp, storage: SecureStorage = InMemorySecureStorage()) throws -> SessionManager {
        try SessionManager(config: idp.authConfig(), storage: storage)
    }

    /// Creates a manager whose provider is never reached, for calls that only read
    /// storage.
    func makeOfflineManager(storage: SecureStorage = InMemorySecureStorage()) throws -> SessionManager {
        let config = AuthConfig(domain: "http://127.0.0.1:9", clientId: DevIdp.clientId, redirectUri: DevIdp.redirectURI)
        return try SessionManager(config: config, storage: storage)
    }

    /// Runs `body` and returns the `SessionError` it throws, failing the test when it
    /// returns or throws anything else.
    func sessionError<T>(
        file: StaticString = #filePath,
        line: UInt = #line,
        _ body: () async throws -> T
    ) async -> SessionError? {
        do {
            let value = try await body()
            XCTFail("expected a SessionError, got \(value)", file: file, line: line)
        } catch let error as SessionError {
            // The log shows what a caller would see, and the secrets scan then
            // checks that this text carries no token.
            print("caught: \(String(describing: error))")
            return error
        } catch {
            XCTFail("expected a SessionError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// Asserts that no text form of `value` contains any of `tokens`.
    func assertShowsNoToken(
        _ value: Any,
        _ tokens: [String],
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertFalse(tokens.isEmpty, "no tokens to look for", file: file, line: line)
        var texts = [
            ("String(describing:)", String(describing: value)),
            ("String(reflecting:)", String(reflecting: value)),
        ]
        if let error = value as? Error {
            texts.append(("localizedDescription", error.localizedDescription))
        }
        if let error = value as? LocalizedError, let description = error.errorDescription {
            texts.append(("errorDescription", description))
        }
        for (form, text) in texts {
            for (index, token) in tokens.enumerated() {
                // The message names the form and the token's position, never the text,
                // so that a failure does not print the token either.
                XCTAssertFalse(text.contains(token), "token \(index) appears in \(form)", file: file, line: line)
            }
        }
    }
}
