import Foundation
import SessionSample

/// Plays the browser's part of a login at the dev IdP, whose `/authorize` approves its
/// test user at once: one GET of the authorize URL, and the redirect it returns.
public struct ScriptedBrowser: BrowserLogin {
    public init() {}

    public func logIn(at url: URL, callbackScheme: String) async throws -> URL {
        let response = try await LoopbackHTTP.send(url)
        guard (300..<400).contains(response.status), let location = response.location(relativeTo: url) else {
            throw HarnessError("GET /authorize returned status \(response.status) without a redirect")
        }
        guard location.scheme?.lowercased() == callbackScheme.lowercased() else {
            throw HarnessError("GET /authorize redirected to scheme \(location.scheme ?? "none"), not \(callbackScheme)")
        }
        return location
    }
}

/// A browser whose user closes the login page.
public struct CancellingBrowser: BrowserLogin {
    public init() {}

    public func logIn(at url: URL, callbackScheme: String) async throws -> URL {
        throw LoginCancelled()
    }
}
