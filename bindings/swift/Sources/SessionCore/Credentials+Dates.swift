import Foundation

extension Credentials {
    /// Creates credentials from tokens that the app obtained itself, with the access
    /// token's lifetime as a `Duration` counted from now (rounded up to whole seconds).
    ///
    /// - Throws: `SessionError.InvalidIdToken` when `idToken` is not a readable JWT.
    public convenience init(
        accessToken: String,
        tokenType: String = "Bearer",
        idToken: String? = nil,
        refreshToken: String? = nil,
        expiresIn: Duration,
        scope: String? = nil
    ) throws {
        try self.init(
            accessToken: accessToken,
            tokenType: tokenType,
            idToken: idToken,
            refreshToken: refreshToken,
            expiresInSeconds: expiresIn.wholeSecondsRoundedUp,
            scope: scope
        )
    }

    /// When the access token expires.
    public var expiresAtDate: Date {
        Date(timeIntervalSince1970: TimeInterval(expiresAt()))
    }

    /// When the id_token expires, when there is one.
    public var idTokenExpiresAtDate: Date? {
        idTokenExpiresAt().map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Time left before the access token expires, negative once it has; measured
    /// against `now`.
    public func accessTokenTimeToLive(now: Date = Date()) -> TimeInterval {
        expiresAtDate.timeIntervalSince(now)
    }
}

extension Delegation {
    /// Lifetime of the new id_token, from when it was received.
    public var lifetime: Duration {
        .seconds(Int64(clamping: expiresIn()))
    }
}
