import Foundation

/// Everything the screens show, as one value.
public struct ScreenState: Equatable, Sendable {
    public var screen: Screen = .starting
    /// The outcome of the last action, for the user; nil after a silent success.
    public var notice: Notice?
    /// Whether an action is running, so that the buttons are disabled.
    public var isWorking = false
    /// The time the countdowns are measured at.
    public var now: Date

    public init(now: Date) {
        self.now = now
    }

    /// Time left on the access token, as of `now`.
    public var accessTokenCountdown: Countdown {
        guard case let .profile(profile) = screen else {
            return .unknown
        }
        return Countdown(expiresAt: profile.accessTokenExpiresAt, now: now)
    }

    /// Time left on the id_token, as of `now`.
    public var idTokenCountdown: Countdown {
        guard case let .profile(profile) = screen else {
            return .unknown
        }
        return Countdown(expiresAt: profile.idTokenExpiresAt, now: now)
    }
}

/// The screen the app shows. The model moves between these states; see `SessionModel`.
public enum Screen: Equatable, Sendable {
    /// Reading the stored session at launch.
    case starting
    /// No user is signed in: the login button.
    case login
    /// A signed-in user, with the session's buttons.
    case profile(Profile)
    /// The Keychain cannot be read yet (a device restarted and not unlocked). The user
    /// is still signed in; the screen offers to try again.
    case storageLocked
}

/// The signed-in user and the lifetimes of the tokens held for them.
public struct Profile: Equatable, Sendable {
    public var name: String
    public var email: String?
    public var pictureURL: URL?
    /// When the access token expires; nil when it is not known (the tokens could not be
    /// read at launch).
    public var accessTokenExpiresAt: Date?
    /// When the id_token expires; nil when it is not known or there is no id_token.
    public var idTokenExpiresAt: Date?

    public init(name: String, email: String?, pictureURL: URL?, accessTokenExpiresAt: Date?, idTokenExpiresAt: Date?) {
        self.name = name
        self.email = email
        self.pictureURL = pictureURL
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.idTokenExpiresAt = idTokenExpiresAt
    }
}

/// A message for the user about the last action.
public struct Notice: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case info
        case error
    }

    public var kind: Kind
    public var text: String

    public static func info(_ text: String) -> Notice {
        Notice(kind: .info, text: text)
    }

    public static func error(_ text: String) -> Notice {
        Notice(kind: .error, text: text)
    }
}

/// Time left before a token expires, in whole seconds.
public enum Countdown: Equatable, Sendable {
    case unknown
    case remaining(seconds: Int)
    case expired

    /// Measures the time from `now` to `expiresAt`, rounded down to whole seconds.
    public init(expiresAt: Date?, now: Date) {
        guard let expiresAt else {
            self = .unknown
            return
        }
        let seconds = Int(expiresAt.timeIntervalSince(now).rounded(.down))
        self = seconds > 0 ? .remaining(seconds: seconds) : .expired
    }

    /// The time left as `h:mm:ss` or `m:ss`, or `expired` or `unknown`.
    public var text: String {
        switch self {
        case .unknown:
            return "unknown"
        case .expired:
            return "expired"
        case let .remaining(seconds):
            let hours = seconds / 3600
            let minutes = seconds / 60 % 60
            let secondsPart = seconds % 60
            if hours > 0 {
                return String(format: "%d:%02d:%02d", hours, minutes, secondsPart)
            }
            return String(format: "%d:%02d", minutes, secondsPart)
        }
    }
}
