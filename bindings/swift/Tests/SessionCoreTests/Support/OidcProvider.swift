import Foundation
import SessionCore

/// The npm package `oidc-provider`, an OpenID Certified provider, started by
/// `tools/oidc-provider/server.mjs` on a free loopback port for one test. Node.js
/// runs inside the Swift root; `scripts/test-swift.sh` installs the package and
/// passes its folder in `SESSIONCORE_OIDC_PROVIDER_DIR`.
final class OidcProvider {
    /// The issuer URL, without a trailing slash.
    let issuer: String
    private let server: ServerProcess
    private let directory: String

    static let clientId = "sessioncore-test"
    static let redirectURI = "dev.sessioncore.test://callback"

    /// Starts the provider, with extra settings such as `["OIDC_ACCESS_TOKEN_TTL": "60"]`.
    static func start(environment: [String: String] = [:]) throws -> OidcProvider {
        let directory = try requiredEnvironment("SESSIONCORE_OIDC_PROVIDER_DIR")
        let server = try ServerProcess(
            executable: "/usr/bin/env",
            arguments: ["node", "\(directory)/server.mjs"],
            environment: environment
        )
        return OidcProvider(server: server, directory: directory)
    }

    private init(server: ServerProcess, directory: String) {
        self.server = server
        self.directory = directory
        self.issuer = server.url.absoluteString
    }

    func stop() {
        server.stop()
    }

    /// A configuration that finds the endpoints by discovery.
    var authConfig: AuthConfig {
        AuthConfig(issuer: issuer, clientId: OidcProvider.clientId, redirectUri: OidcProvider.redirectURI)
    }

    /// Logs the test user in at `authorizeURL` through the provider's development
    /// login and consent pages, with `complete-login.mjs`, and returns the redirect
    /// to the app.
    func completeLogin(authorizeURL: String) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", "\(directory)/complete-login.mjs", authorizeURL]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard process.waitForExit(within: .seconds(30)) else {
            process.terminate()
            throw TestSetupError("complete-login.mjs did not exit within 30 s")
        }
        guard process.terminationStatus == 0 else {
            throw TestSetupError("complete-login.mjs exited with status \(process.terminationStatus)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: text) else {
            throw TestSetupError("complete-login.mjs printed no URL")
        }
        TokenLog.recordCode(url)
        return url
    }
}
