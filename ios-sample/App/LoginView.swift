import SessionSample
import SwiftUI

/// The login screen: one button that opens the provider's login page.
struct LoginView: View {
    let session: SessionViewModel

    var body: some View {
        ContentUnavailableView {
            Label("Signed out", systemImage: "person.crop.circle.badge.questionmark")
        } description: {
            Text("Log in with your account. SessionCore keeps you signed in and renews your tokens.")
        } actions: {
            Button("Log in") { Task { await session.model.logIn() } }
                .buttonStyle(.borderedProminent)
                .disabled(session.state.isWorking)
        }
    }
}
