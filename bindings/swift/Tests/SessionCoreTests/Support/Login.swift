import Foundation
import SessionCore

/// Plays the browser's part of a login at the dev IdP, whose `/authorize` approves the
/// test user at once and redirects to the app with `code`, `state` and `iss`.
enum Login {
    /// Opens the authorize URL of `request` and returns the redirect to the app.
    static func redirect(for request: AuthorizationRequest) async throws -> URL {
        guard let authorizeURL = URL(string: request.url()) else {
            throw TestSetupError("the core built an authorize URL that Foundation cannot parse")
        }
        let response = try await HTTP.get(authorizeURL)
        guard (300..<400).contains(response.status), let location = response.location(relativeTo: authorizeURL) else {
            throw TestSetupError("GET /authorize returned status \(response.status) without a redirect")
        }
        TokenLog.recordCode(location)
        return location
    }

    /// Logs in through `manager` and stores the credentials.
    @discardableResult
    static func logIn(_ manager: SessionManager) async throws -> Credentials {
        let request = try await manager.authenticationClient().authorize()
        return try await manager.completeLogin(request: request, redirectURL: redirect(for: request)).recorded()
    }

    /// Logs in with a separate client and returns the credentials unsaved, so that a
    /// test can store them as it needs (for example already expired).
    static func credentials(config: AuthConfig) async throws -> Credentials {
        let client = try AuthenticationClient(config: config)
        let request = try await client.authorize()
        return try await client.exchangeCode(request: request, redirectUrl: redirect(for: request).absoluteString).recorded()
    }
}

extension Credentials {
    /// Returns the same tokens, with an access token that has already expired.
    func expiringNow() throws -> Credentials {
        try Credentials(
            accessToken: accessToken(),
            tokenType: tokenType(),
            idToken: idToken(),
            refreshToken: refreshToken(),
            expiresIn: .zero,
            scope: scope()
        )
    }

    /// Every token these credentials carry.
    var allTokens: [String] {
        _ = recorded()
        return [accessToken(), idToken(), refreshToken()].compactMap { $0 }
    }
}

/// Reads the claims of a JWT without checking it; the core does the checking.
func jwtClaims(_ token: String) throws -> [String: Any] {
    let segments = token.split(separator: ".")
    guard segments.count == 3 else {
        throw TestSetupError("a JWT has three segments, this one has \(segments.count)")
    }
    var base64 = segments[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    guard let data = Data(base64Encoded: base64),
          let claims = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    else {
        throw TestSetupError("the JWT payload is not base64url JSON")
    }
    return claims
}
