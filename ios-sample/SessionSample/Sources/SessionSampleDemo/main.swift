import DevIdpHarness
import Foundation
import SessionCore
import SessionSample

// Plays the session tutorial through the sample's screen model against a local dev IdP,
// printing the screen after each button, as the app would show it. Exits 1 when a
// screen is not the one the tutorial expects. Start it with
// scripts/run-ios-sample-demo.sh.

/// The screen that a step expects the model to show.
enum Expected {
    case login
    case profile
    case storageLocked

    func matches(_ screen: Screen) -> Bool {
        switch (self, screen) {
        case (.login, .login), (.profile, .profile), (.storageLocked, .storageLocked):
            return true
        default:
            return false
        }
    }
}

@MainActor
final class Demo {
    private var failures: [String] = []
    private var stepNumber = 0

    /// Runs `action`, prints the screen, and records a failure when it is not `expected`.
    func step(_ title: String, _ model: SessionModel, expect expected: Expected, _ action: () async throws -> Void) async rethrows {
        stepNumber += 1
        print("\n\(stepNumber). \(title)")
        try await action()
        print(render(model))
        if !expected.matches(model.state.screen) {
            failures.append("step \(stepNumber) (\(title)) expected the \(expected) screen")
            print("   !! expected the \(expected) screen")
        }
    }

    func check(_ condition: Bool, _ description: String) {
        if !condition {
            failures.append(description)
            print("   !! \(description)")
        }
    }

    var succeeded: Bool {
        if !failures.isEmpty {
            print("\nThe demo failed: \(failures.joined(separator: "; "))")
        }
        return failures.isEmpty
    }

    private func render(_ model: SessionModel) -> String {
        var lines: [String] = []
        switch model.state.screen {
        case .starting:
            lines.append("   [starting]")
        case .login:
            lines.append("   [login]  buttons: Log in")
        case .storageLocked:
            lines.append("   [keychain locked]  buttons: Try again")
        case let .profile(profile):
            lines.append("   [profile]  \(profile.name) <\(profile.email ?? "no email")>")
            lines.append("   picture: \(profile.pictureURL?.absoluteString ?? "none")")
            lines.append("   access token expires in \(model.state.accessTokenCountdown.text), id_token in \(model.state.idTokenCountdown.text)")
            lines.append("   buttons: Renew id token | Renew with refresh token | Get credentials | Log out")
        }
        if let notice = model.state.notice {
            lines.append("   \(notice.kind == .error ? "error" : "note"): \(notice.text)")
        }
        return lines.joined(separator: "\n")
    }
}

@MainActor
func runDemo() async throws -> Bool {
    let idp = try DevIdpServer.start(["--access-token-lifetime", "120", "--id-token-lifetime", "300"])
    defer { idp.stop() }
    print("dev IdP at \(idp.baseURL.absoluteString); access tokens live 2 minutes, id_tokens 5")
    let storage = LockableStorage()
    let demo = Demo()
    var model = try SessionModel(settings: idp.settings, storage: storage, browser: ScriptedBrowser())

    await demo.step("Launch the app with nothing stored", model, expect: .login) {
        await model.start()
    }
    await demo.step("Log in (authorize URL, redirect, code exchange through the core)", model, expect: .profile) {
        await model.logIn()
    }
    await demo.step("Wait a second: the countdowns move", model, expect: .profile) {
        try? await Task.sleep(for: .milliseconds(1100))
        model.tick()
    }
    await demo.step("Renew id token (delegation with the id_token)", model, expect: .profile) {
        await model.renewIdToken()
    }
    await demo.step("Renew with refresh token", model, expect: .profile) {
        await model.renewWithRefreshToken()
    }
    await demo.step("Get credentials (still valid, so no renewal)", model, expect: .profile) {
        await model.getCredentials()
    }
    try await idp.injectFault(["endpoint": "token", "status": 503, "headers": ["Retry-After": "5"]])
    await demo.step("Renew with refresh token while the provider fails with 503", model, expect: .profile) {
        await model.renewWithRefreshToken()
    }
    demo.check(model.state.notice?.kind == .error, "the 503 was not reported to the user")

    storage.isLocked = true
    model = try SessionModel(settings: idp.settings, storage: storage, browser: ScriptedBrowser())
    await demo.step("Relaunch before the first unlock (Keychain locked)", model, expect: .storageLocked) {
        await model.start()
    }
    storage.isLocked = false
    await demo.step("Unlock the device and press Try again", model, expect: .profile) {
        await model.start()
    }
    try await idp.revokeAll()
    await demo.step("The provider revokes the session; Renew with refresh token", model, expect: .login) {
        await model.renewWithRefreshToken()
    }
    await demo.step("Log in again", model, expect: .profile) {
        await model.logIn()
    }
    await demo.step("Log out (revoke and clear)", model, expect: .login) {
        await model.logOut()
    }
    let stats = try await idp.stats()
    demo.check(stats.activeRefreshTokens == 0, "a refresh token is still active after logout")
    print(
        "\nRequests at the provider: code exchanges \(stats.authorizationCodeGrants), refresh grants "
            + "\(stats.refreshTokenGrants), delegations \(stats.delegationRequests), revocations \(stats.revocationRequests)"
    )
    return demo.succeeded
}

do {
    let succeeded = try await runDemo()
    exit(succeeded ? 0 : 1)
} catch {
    print("The demo could not run: \(error)")
    exit(1)
}
