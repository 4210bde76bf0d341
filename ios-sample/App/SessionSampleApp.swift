import SessionCore
import SessionSample
import SwiftUI

/// The sample app: reads `Auth0.plist`, keeps the session in the Keychain, and shows the
/// login or profile screen of `SessionModel`.
@main
@MainActor
struct SessionSampleApp: App {
    @State private var launch = AppLaunch.make()

    var body: some Scene {
        WindowGroup {
            switch launch {
            case let .ready(session):
                RootView(session: session)
            case let .misconfigured(message):
                SetupErrorView(message: message)
            }
        }
    }
}

/// The outcome of reading the app's settings at launch.
enum AppLaunch {
    case ready(SessionViewModel)
    case misconfigured(String)

    @MainActor
    static func make() -> AppLaunch {
        let bundleIdentifier = Bundle.main.bundleIdentifier ?? "dev.sessioncore.sample"
        guard let url = Bundle.main.url(forResource: "Auth0", withExtension: "plist") else {
            return .misconfigured("Auth0.plist is missing from the app bundle. Add it with ClientId and Domain.")
        }
        do {
            let settings = try SampleSettings(plist: Data(contentsOf: url), bundleIdentifier: bundleIdentifier)
            let model = try SessionModel(
                settings: settings,
                storage: KeychainStorage(service: bundleIdentifier),
                browser: WebAuthenticationBrowser()
            )
            return .ready(SessionViewModel(model: model))
        } catch let error as SessionError {
            return .misconfigured("Auth0.plist is not valid for SessionCore: \(error)")
        } catch {
            return .misconfigured("Auth0.plist could not be read: \(error)")
        }
    }
}

/// Shown instead of the app when `Auth0.plist` is missing or wrong.
struct SetupErrorView: View {
    let message: String

    var body: some View {
        ContentUnavailableView("The app is not set up", systemImage: "gearshape.2", description: Text(message))
    }
}
