import Foundation
import SessionCore

extension SessionError {
    /// A sentence for the person using the app: what happened and what they can do.
    /// It names no token; the core's own messages are for logs and bug reports.
    public var userMessage: String {
        switch self {
        case .NoCredentials:
            return "You are signed out. Log in to continue."
        case .NoRefreshToken:
            return "This session cannot be renewed because the login server gave no refresh token. Log in again."
        case .LoginRequired:
            return "Your session has ended. Log in again."
        case .LoggedOut:
            return "You logged out while this was running. Log in again to continue."
        case .Network:
            return "The login server cannot be reached. Check your connection and try again."
        case let .Server(status, _, retryAfterSeconds):
            if let retryAfterSeconds, retryAfterSeconds > 0 {
                return "The login server is having trouble (HTTP \(status)). Try again in \(retryAfterSeconds) seconds."
            }
            return "The login server is having trouble (HTTP \(status)). Try again later."
        case let .Rejected(_, error, _):
            return "The login server rejected the request (\(error)). You are still signed in; if this keeps happening, contact the app's support."
        case .InvalidResponse:
            return "The login server sent a response the app cannot read. You are still signed in; try again later."
        case .InvalidIdToken:
            return "The login server sent an identity token that failed verification, so it was not used. Try again later."
        case .ClockSkew:
            return "This device's clock is wrong. Set the date and time automatically in Settings, then try again."
        case .AuthorizationFailed:
            return "The login did not complete. Try again."
        case .StorageUnavailable:
            return "Your session is stored safely but cannot be read until this device is unlocked. Unlock it and try again."
        case .StorageFailed:
            return "Your session could not be saved on this device. You stay signed in until the app closes."
        case .Configuration:
            return "The app's login settings do not match the login server, or the server does not offer this feature. Check the app's Auth0.plist."
        case let .MinTtlTooLarge(minTtlSeconds, lifetimeSeconds):
            return "The login server issues tokens valid for \(lifetimeSeconds) seconds, but the app asks for at least \(minTtlSeconds). Lower the app's minimum time to live."
        }
    }
}
