import Foundation
import SessionCore

/// The list of every token and authorization code the tests handle, which
/// `scripts/test-swift.sh` then searches the `swift test` log for. The script names
/// the file in the `SESSIONCORE_TOKENS_FILE` environment variable.
enum TokenLog {
    private static let path = ProcessInfo.processInfo.environment["SESSIONCORE_TOKENS_FILE"]
    private static let lock = NSLock()

    /// Appends each of `tokens` to the file, one a line.
    static func record(_ tokens: String?...) {
        // Without the variable (a run outside scripts/test-swift.sh) nothing is
        // recorded, and no scan runs either.
        guard let path else { return }
        let lines = tokens.compactMap { $0 }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return }
        let data = Data(lines.map { $0 + "\n" }.joined().utf8)
        lock.lock()
        defer { lock.unlock() }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            fatalError("SESSIONCORE_TOKENS_FILE names a file that cannot be opened for writing")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(data)
    }

    /// Appends the `code` query parameter of `redirect`, if it has one.
    static func recordCode(_ redirect: URL) {
        let items = URLComponents(url: redirect, resolvingAgainstBaseURL: true)?.queryItems ?? []
        for item in items where item.name == "code" {
            record(item.value)
        }
    }
}

extension Credentials {
    /// Records every token of these credentials in `TokenLog` and returns them unchanged.
    func recorded() -> Credentials {
        TokenLog.record(accessToken(), idToken(), refreshToken())
        return self
    }
}

extension Delegation {
    /// Records the id_token of this delegation in `TokenLog` and returns it unchanged.
    func recorded() -> Delegation {
        TokenLog.record(idToken())
        return self
    }
}
