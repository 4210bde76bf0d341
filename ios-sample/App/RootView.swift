import SessionSample
import SwiftUI

/// Shows the screen that the model is on, and the notice of the last action.
struct RootView: View {
    let session: SessionViewModel

    var body: some View {
        NavigationStack {
            Group {
                switch session.state.screen {
                case .starting:
                    ProgressView("Reading your session…")
                case .login:
                    LoginView(session: session)
                case let .profile(profile):
                    ProfileView(session: session, profile: profile)
                case .storageLocked:
                    KeychainLockedView(session: session)
                }
            }
            .navigationTitle("SessionCore")
            .safeAreaInset(edge: .bottom) {
                if let notice = session.state.notice {
                    NoticeBanner(notice: notice) { session.model.dismissNotice() }
                }
            }
        }
        .task { await session.model.start() }
    }
}

/// The outcome of the last action, dismissed with a tap.
struct NoticeBanner: View {
    let notice: Notice
    let dismiss: () -> Void

    var body: some View {
        Button(action: dismiss) {
            Label(notice.text, systemImage: notice.kind == .error ? "exclamationmark.triangle.fill" : "checkmark.circle.fill")
                .frame(maxWidth: .infinity, alignment: .leading)
                .padding()
                .foregroundStyle(notice.kind == .error ? Color.red : Color.primary)
                .background(.thinMaterial, in: RoundedRectangle(cornerRadius: 12))
        }
        .buttonStyle(.plain)
        .padding()
        .accessibilityHint("Dismisses the message")
    }
}

/// Shown when the Keychain cannot be read before the first unlock. The user is still
/// signed in, so this screen offers to try again rather than to log in.
struct KeychainLockedView: View {
    let session: SessionViewModel

    var body: some View {
        ContentUnavailableView {
            Label("Session locked", systemImage: "lock.fill")
        } description: {
            Text("Your session is stored in the Keychain, which opens after you unlock this device.")
        } actions: {
            Button("Try again") { Task { await session.model.start() } }
                .buttonStyle(.borderedProminent)
                .disabled(session.state.isWorking)
        }
    }
}
