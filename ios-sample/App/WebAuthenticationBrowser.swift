import AuthenticationServices
import SessionSample
import UIKit

/// Shows the provider's login page in an `ASWebAuthenticationSession`, which shares
/// cookies with Safari so that a user already signed in there is not asked again.
@MainActor
final class WebAuthenticationBrowser: NSObject, BrowserLogin, ASWebAuthenticationPresentationContextProviding {
    // Kept until the login finishes; the system does not retain the session for us.
    private var session: ASWebAuthenticationSession?

    func logIn(at url: URL, callbackScheme: String) async throws -> URL {
        defer { session = nil }
        return try await withCheckedThrowingContinuation { continuation in
            let session = ASWebAuthenticationSession(url: url, callbackURLScheme: callbackScheme) { callbackURL, error in
                if let callbackURL {
                    continuation.resume(returning: callbackURL)
                } else if let error = error as? ASWebAuthenticationSessionError, error.code == .canceledLogin {
                    continuation.resume(throwing: LoginCancelled())
                } else {
                    continuation.resume(throwing: error ?? LoginCancelled())
                }
            }
            session.presentationContextProvider = self
            self.session = session
            if !session.start() {
                continuation.resume(throwing: LoginPageUnavailable())
            }
        }
    }

    nonisolated func presentationAnchor(for session: ASWebAuthenticationSession) -> ASPresentationAnchor {
        MainActor.assumeIsolated {
            let windows = UIApplication.shared.connectedScenes
                .compactMap { $0 as? UIWindowScene }
                .flatMap(\.windows)
            return windows.first(where: \.isKeyWindow) ?? windows.first ?? ASPresentationAnchor()
        }
    }
}

/// `ASWebAuthenticationSession` refused to start, for example while another login runs.
struct LoginPageUnavailable: Error {}
