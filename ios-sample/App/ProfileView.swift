import SessionSample
import SwiftUI

/// The profile screen: the user, the time left on each token, and the tutorial's buttons.
struct ProfileView: View {
    let session: SessionViewModel
    let profile: Profile

    var body: some View {
        List {
            Section {
                HStack(spacing: 16) {
                    AsyncImage(url: profile.pictureURL) { image in
                        image.resizable().scaledToFill()
                    } placeholder: {
                        Image(systemName: "person.crop.circle.fill").resizable().foregroundStyle(.secondary)
                    }
                    .frame(width: 64, height: 64)
                    .clipShape(Circle())
                    VStack(alignment: .leading) {
                        Text(profile.name).font(.headline)
                        if let email = profile.email {
                            Text(email).foregroundStyle(.secondary)
                        }
                    }
                }
            }
            Section("Time left") {
                LabeledContent("Access token", value: session.state.accessTokenCountdown.text)
                LabeledContent("id_token", value: session.state.idTokenCountdown.text)
            }
            .monospacedDigit()
            Section {
                Button("Renew id token") { Task { await session.model.renewIdToken() } }
                Button("Renew with refresh token") { Task { await session.model.renewWithRefreshToken() } }
                Button("Get credentials") { Task { await session.model.getCredentials() } }
                Button("Log out", role: .destructive) { Task { await session.model.logOut() } }
            }
            .disabled(session.state.isWorking)
        }
        // Moves the countdowns once a second while this screen is visible.
        .task {
            while !Task.isCancelled {
                session.model.tick()
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
