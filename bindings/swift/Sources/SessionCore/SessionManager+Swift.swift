import Foundation

/// Swift spellings of the manager's calls: `Duration` for times to live, default
/// arguments, and an `AsyncStream` of states.
///
/// The generated `async` methods keep running when the calling task is cancelled: the
/// core finishes a renewal it started and stores its result, so that a rotated refresh
/// token is never lost. They return or throw as usual once it is done.
extension SessionManager {
    /// Returns credentials that stay valid for at least `minTimeToLive`, renewing them
    /// with the refresh token when needed. Concurrent callers share one renewal.
    ///
    /// - Parameters:
    ///   - minTimeToLive: How long the access token (and the id_token, with
    ///     `requireIdToken`) must stay valid; rounded up to whole seconds.
    ///   - requireIdToken: Set when the caller uses the id_token, so that an expiring
    ///     id_token also triggers a renewal.
    ///   - scope: When set, forces a renewal that narrows the scope.
    ///   - parameters: When not empty, forces a renewal with these extra parameters.
    /// - Returns: Credentials valid for at least `minTimeToLive`.
    /// - Throws: `SessionError`: `.NoCredentials` and `.LoginRequired` mean the user
    ///   must log in; `.Network` and `.Server` are worth retrying later.
    public func credentials(
        minTimeToLive: Duration = .zero,
        requireIdToken: Bool = false,
        scope: String? = nil,
        parameters: [String: String] = [:]
    ) async throws -> Credentials {
        let ttlSeconds = minTimeToLive.wholeSecondsRoundedUp
        // The synchronous check serves valid credentials without the cost of
        // an async call across the FFI; only a renewal takes the async path.
        if scope == nil, parameters.isEmpty,
            let current = try currentCredentials(
                minTtlSeconds: ttlSeconds, requireIdToken: requireIdToken)
        {
            return current
        }
        return try await credentials(
            minTtlSeconds: ttlSeconds,
            requireIdToken: requireIdToken,
            scope: scope,
            parameters: parameters
        )
    }

    /// Tells whether the stored credentials can be used for at least `minTimeToLive`
    /// without the network, or can be renewed. Reads storage; never renews.
    ///
    /// - Throws: `SessionError.StorageUnavailable` when storage cannot be read now.
    public func hasValidCredentials(minTimeToLive: Duration = .zero) throws -> Bool {
        try hasValidCredentials(minTtlSeconds: minTimeToLive.wholeSecondsRoundedUp)
    }

    /// Logs out: clears the stored credentials, then revokes the refresh token at the
    /// provider unless `revoke` is false.
    ///
    /// - Returns: What became of the revocation; the local logout happened either way.
    /// - Throws: `SessionError.StorageUnavailable` or `.StorageFailed` when the stored
    ///   record could not be deleted. The session is signed out in memory either way.
    @discardableResult
    public func logout() async throws -> RevocationOutcome {
        try await logout(revoke: true)
    }

    /// Finishes a login started with `authenticationClient().authorize(parameters:)`:
    /// exchanges the redirect for credentials and stores them.
    ///
    /// - Parameters:
    ///   - request: The request whose authorize URL the browser opened.
    ///   - redirectURL: The URL the browser was sent back to, with `code` and `state`.
    /// - Returns: The stored credentials.
    /// - Throws: `SessionError.AuthorizationFailed` for an error redirect or a state
    ///   that does not match; `.StorageFailed` when the credentials could not be stored
    ///   (they are in the error and kept in memory).
    @discardableResult
    public func completeLogin(request: AuthorizationRequest, redirectURL: URL) async throws -> Credentials {
        let credentials = try await authenticationClient().exchangeCode(
            request: request,
            redirectUrl: redirectURL.absoluteString
        )
        try saveCredentials(credentials: credentials)
        return credentials
    }

    /// A stream of state changes, starting with the current state.
    ///
    /// Every stream of one manager shares a single listener, which this method sets
    /// on first use. Do not also call `setListener(listener:)` on the same manager:
    /// that replaces the shared listener and finishes the open streams; a later call
    /// sets a new shared listener.
    public func stateUpdates() -> AsyncStream<SessionState> {
        SessionStateBroadcaster.attached(to: self).subscribe()
    }
}

extension AuthenticationClient {
    /// Starts a login by authorization code with PKCE, with no extra parameters.
    ///
    /// - Returns: The request, whose `url()` the app opens in a browser.
    /// - Throws: `SessionError.Configuration` or `.Network` when discovery fails.
    public func authorize() async throws -> AuthorizationRequest {
        try await authorize(parameters: [:])
    }

    /// Renews with the refresh token grant, without narrowing the scope.
    public func renew(refreshToken: String) async throws -> Credentials {
        try await renew(refreshToken: refreshToken, scope: nil, parameters: [:])
    }
}

extension Duration {
    /// Whole seconds, rounded up so that a time to live is never shortened; zero for
    /// negative durations.
    var wholeSecondsRoundedUp: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 {
            return 0
        }
        return UInt64(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}
