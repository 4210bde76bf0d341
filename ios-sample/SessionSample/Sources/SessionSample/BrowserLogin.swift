import Foundation

/// The browser's part of a login: shows the provider's login page and returns where the
/// provider redirected back to. The app implements it with `ASWebAuthenticationSession`;
/// the demo and the tests with a scripted HTTP client.
public protocol BrowserLogin: Sendable {
    /// Opens `url` and waits for the redirect to a URL with scheme `callbackScheme`.
    ///
    /// - Returns: The full redirect URL, with the `code` and `state` parameters.
    /// - Throws: `LoginCancelled` when the user closed the page; any other error when
    ///   the page could not be shown.
    func logIn(at url: URL, callbackScheme: String) async throws -> URL
}

/// The user closed the login page before finishing.
public struct LoginCancelled: Error, Equatable {
    public init() {}
}
