import Foundation

extension SessionError {
    /// Whether the user must log in again before any credentials can be had: no
    /// credentials, no refresh token, a refresh token the provider rejected, or a
    /// logout while the call was running.
    public var requiresLogin: Bool {
        switch self {
        case .NoCredentials, .NoRefreshToken, .LoginRequired, .LoggedOut:
            return true
        default:
            return false
        }
    }

    /// Whether the same call may succeed later without any change by the app or the
    /// user: the provider or storage was unreachable or failing, and nothing was lost.
    public var isRetryable: Bool {
        switch self {
        case .Network, .Server, .StorageUnavailable:
            return true
        default:
            return false
        }
    }

    /// How long the provider asked the app to wait before trying again (HTTP 429 or
    /// 503 with `Retry-After`), when it did.
    public var retryAfter: Duration? {
        guard case let .Server(_, _, retryAfterSeconds?) = self else {
            return nil
        }
        return .seconds(Int64(clamping: retryAfterSeconds))
    }
}
