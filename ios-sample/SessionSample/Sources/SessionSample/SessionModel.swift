import Foundation
import SessionCore

/// The sample's screen model: turns the buttons of the login and profile screens into
/// calls on a `SessionManager` and exposes what the screens show.
///
/// Screens, in `state.screen`:
/// - `starting` becomes `login` when nothing is stored, `profile` when a session is
///   stored, and `storageLocked` when the Keychain cannot be read yet.
/// - `login` becomes `profile` after `logIn()`.
/// - `profile` stays `profile` after a renewal or a failure that keeps the session
///   (no network, a server error, a locked Keychain), and becomes `login` after
///   `logOut()` or when the provider ends the session (login required).
/// - `storageLocked` is left through `start()` once the device is unlocked.
///
/// Each action runs to its end before the next one starts. A button pressed meanwhile
/// is ignored, so the app disables the buttons while `state.isWorking` is true.
///
/// The app's SwiftUI layer republishes `state` through `onChange`. The model itself is
/// not `@Observable`: on Linux, Swift 6.0.3's `libswiftObservation.so` does not link
/// (an undefined `swift::threading::fatal`, swiftlang/swift#75670, fixed in Swift 6.2),
/// and the model must build there for its tests.
@MainActor
public final class SessionModel {
    /// The contents of the screens.
    public private(set) var state: ScreenState {
        didSet {
            if state != oldValue {
                onChange?(state)
            }
        }
    }

    /// Called on the main actor with the new state after every change.
    public var onChange: ((ScreenState) -> Void)?

    private let manager: SessionManager
    private let browser: BrowserLogin
    private let clock: WallClock
    private let callbackScheme: String
    private let minTimeToLive: Duration
    // Kept to tell whether "Get credentials" renewed, by comparing access tokens; never
    // shown or logged.
    private var lastCredentials: Credentials?

    /// Creates a model over `manager`.
    ///
    /// - Parameters:
    ///   - manager: The session manager, over the app's storage.
    ///   - redirectURI: The redirect URI of the manager's configuration, whose scheme
    ///     the browser waits for.
    ///   - browser: Shows the provider's login page.
    ///   - clock: The time the countdowns count against.
    ///   - minTimeToLive: How long the tokens that "Get credentials" returns must stay
    ///     valid; shorter-lived ones are renewed first.
    public init(
        manager: SessionManager,
        redirectURI: String,
        browser: BrowserLogin,
        clock: WallClock = SystemClock(),
        minTimeToLive: Duration = .seconds(60)
    ) {
        self.manager = manager
        self.browser = browser
        self.clock = clock
        self.callbackScheme = URL(string: redirectURI)?.scheme ?? redirectURI
        self.minTimeToLive = minTimeToLive
        self.state = ScreenState(now: clock.now())
    }

    /// Creates a model with a new session manager for `settings` over `storage`.
    ///
    /// - Throws: `SessionError.Configuration` when the settings are invalid, such as a
    ///   plain `http` domain that is not a loopback address.
    public convenience init(
        settings: SampleSettings,
        storage: SecureStorage,
        browser: BrowserLogin,
        clock: WallClock = SystemClock(),
        minTimeToLive: Duration = .seconds(60)
    ) throws {
        let manager = try SessionManager(config: settings.authConfig(), storage: storage)
        self.init(
            manager: manager,
            redirectURI: settings.redirectURI,
            browser: browser,
            clock: clock,
            minTimeToLive: minTimeToLive
        )
    }

    /// Reads the clock again, so that the countdowns move. The app calls it every
    /// second while the profile screen is visible.
    public func tick() {
        state.now = clock.now()
    }

    /// Clears the notice, for example when the user dismisses it.
    public func dismissNotice() {
        state.notice = nil
    }

    // MARK: Actions

    /// Shows the stored session at launch, renewing its tokens when they expire within
    /// the minimum time to live. Also the "Try again" of the locked-Keychain screen.
    public func start() async {
        await perform { [self] in
            do {
                guard try manager.hasValidCredentials() else {
                    state.screen = .login
                    return
                }
                do {
                    let credentials = try await manager.credentials(minTimeToLive: minTimeToLive, requireIdToken: true)
                    try showProfile(credentials)
                } catch let error as SessionError where !error.endsSession && !error.isStorageUnavailable {
                    // The session is intact but its tokens could not be renewed now: show
                    // the user with unknown lifetimes, and let "Get credentials" retry.
                    try showProfile(nil)
                    throw error
                }
            } catch let error as SessionError where error.isStorageUnavailable {
                state.screen = .storageLocked
                state.notice = .error(error.userMessage)
            }
        }
    }

    /// Logs in: opens the provider's login page with the core's authorize URL (PKCE,
    /// state and nonce), then exchanges the redirect through the core and stores the
    /// credentials.
    public func logIn() async {
        await perform { [self] in
            let request = try await manager.authenticationClient().authorize()
            guard let url = URL(string: request.url()) else {
                throw SessionError.Configuration(message: "the authorize URL is not a valid URL")
            }
            let redirect = try await browser.logIn(at: url, callbackScheme: callbackScheme)
            let credentials = try await manager.completeLogin(request: request, redirectURL: redirect)
            try showProfile(credentials)
        }
    }

    /// "Renew id token": gets a new id_token through the legacy `/delegation` endpoint,
    /// with the id_token while it is valid and with the refresh token after.
    public func renewIdToken() async {
        await perform { [self] in
            let credentials = try await manager.renewIdToken()
            try showProfile(credentials)
            state.notice = .info("Got a new id_token through delegation; it expires in \(state.idTokenCountdown.text).")
        }
    }

    /// "Renew with refresh token": renews the tokens with the refresh token grant even
    /// when they are still valid.
    public func renewWithRefreshToken() async {
        await perform { [self] in
            let credentials = try await manager.renew()
            try showProfile(credentials)
            state.notice = .info("Renewed the tokens with the refresh token; the access token expires in \(state.accessTokenCountdown.text).")
        }
    }

    /// "Get credentials": returns the stored tokens while they outlive the minimum time
    /// to live, and renews them first otherwise, as an app does before each API call.
    public func getCredentials() async {
        await perform { [self] in
            let previousAccessToken = lastCredentials?.accessToken()
            let credentials = try await manager.credentials(minTimeToLive: minTimeToLive, requireIdToken: true)
            try showProfile(credentials)
            if credentials.accessToken() == previousAccessToken {
                state.notice = .info("The stored tokens are still valid, so they were used as they are.")
            } else {
                state.notice = .info("The tokens were about to expire, so they were renewed; the access token expires in \(state.accessTokenCountdown.text).")
            }
        }
    }

    /// "Log out": clears the stored session, revokes the refresh token at the provider,
    /// and goes back to the login screen, whether or not the revocation succeeded.
    public func logOut() async {
        await perform { [self] in
            lastCredentials = nil
            let outcome: RevocationOutcome
            do {
                outcome = try await manager.logout()
            } catch let error as SessionError {
                // The core signed out in memory; only deleting the stored copy failed.
                state.screen = .login
                state.notice = .error("You are logged out, but the session stored on this device could not be deleted. \(error.userMessage)")
                return
            }
            state.screen = .login
            switch outcome {
            case .revoked, .noRefreshToken, .notRequested:
                state.notice = .info("You are logged out.")
            case .failed:
                state.notice = .error("You are logged out on this device, but the login server could not be told, so the session stays valid there until it expires.")
            }
        }
    }

    // MARK: Helpers

    private func perform(_ action: () async throws -> Void) async {
        guard !state.isWorking else {
            return
        }
        state.isWorking = true
        state.notice = nil
        defer {
            state.isWorking = false
            state.now = clock.now()
        }
        do {
            try await action()
        } catch {
            show(error)
        }
    }

    private func show(_ error: Error) {
        switch error {
        case let error as SessionError:
            if error.endsSession {
                lastCredentials = nil
                state.screen = .login
            } else if let kept = error.renewedCredentials, case var .profile(profile) = state.screen {
                // Renewed but not stored: the tokens are good for this process. The
                // profile is not read again, because storage is what failed.
                lastCredentials = kept
                profile.accessTokenExpiresAt = kept.expiresAtDate
                profile.idTokenExpiresAt = kept.idTokenExpiresAtDate
                state.screen = .profile(profile)
            }
            state.notice = .error(error.userMessage)
        case is LoginCancelled:
            state.notice = .info("The login was cancelled.")
        default:
            // The core throws only `SessionError`, so anything else came from the browser.
            state.notice = .error("The login page could not be shown. Try again.")
        }
    }

    /// Shows the profile of the stored id_token, with the lifetimes of `credentials`
    /// (unknown when nil).
    private func showProfile(_ credentials: Credentials?) throws {
        if let credentials {
            lastCredentials = credentials
        }
        let user = try manager.userProfile()
        state.now = clock.now()
        state.screen = .profile(
            Profile(
                name: user.map(Self.displayName) ?? "Signed-in user",
                email: user?.email,
                pictureURL: user?.picture.flatMap(URL.init(string:)),
                accessTokenExpiresAt: credentials?.expiresAtDate,
                idTokenExpiresAt: credentials?.idTokenExpiresAtDate
            )
        )
    }

    private static func displayName(_ user: UserProfile) -> String {
        user.name ?? user.nickname ?? user.email ?? user.sub
    }
}

extension SessionError {
    /// Whether no user is signed in any more, so the login screen is next. Unlike
    /// `requiresLogin`, a missing refresh token keeps the profile: the tokens in hand
    /// still work until they expire.
    var endsSession: Bool {
        switch self {
        case .NoCredentials, .LoginRequired, .LoggedOut:
            return true
        default:
            return false
        }
    }

    /// Whether storage could not be read or written for now, as with a locked Keychain.
    var isStorageUnavailable: Bool {
        if case .StorageUnavailable = self {
            return true
        }
        return false
    }

    /// The credentials that a renewal produced but storage could not keep; they are
    /// valid for this process.
    var renewedCredentials: Credentials? {
        switch self {
        case let .StorageUnavailable(credentials, _), let .StorageFailed(credentials, _):
            return credentials
        default:
            return nil
        }
    }
}
