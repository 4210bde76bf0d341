import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SessionCore

/// The workspace's dev identity provider (`tools/dev-idp`), run as a child process on a
/// free loopback port for one test. `scripts/test-swift.sh` builds it and passes its
/// path in `SESSIONCORE_DEV_IDP`.
final class DevIdp {
    /// The server's base URL, such as `http://127.0.0.1:41234`, without a trailing slash.
    let baseURL: URL
    private let process: Process

    private init(baseURL: URL, process: Process) {
        self.baseURL = baseURL
        self.process = process
    }

    /// Starts the server with the given command-line flags, such as
    /// `["--rotation", "on", "--access-token-lifetime", "60"]`, and waits for its URL.
    static func start(_ flags: [String] = []) throws -> DevIdp {
        guard let path = ProcessInfo.processInfo.environment["SESSIONCORE_DEV_IDP"] else {
            throw TestSetupError("SESSIONCORE_DEV_IDP is not set: run the suite with scripts/test-swift.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--port", "0"] + flags
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let reader = output.fileHandleForReading
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty {
                process.terminate()
                throw TestSetupError("dev-idp at \(path) exited before printing its URL")
            }
            firstLine.append(chunk)
        }
        // The server may print more; a full pipe would block it.
        DispatchQueue.global().async {
            _ = reader.readDataToEndOfFile()
        }
        let text = String(decoding: firstLine, as: UTF8.self)
        let urlText = text.split(separator: "\n", omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: urlText), url.scheme == "http" else {
            process.terminate()
            throw TestSetupError("dev-idp printed \(urlText) instead of its URL")
        }
        return DevIdp(baseURL: url, process: process)
    }

    /// The issuer of its tokens: the base URL with a trailing slash.
    var issuer: String { baseURL.absoluteString + "/" }

    /// Stops the server and waits for it to exit.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }

    /// A configuration for a client of this server in the Auth0 shape, which has the
    /// `/delegation` endpoint.
    func authConfig(clientId: String = DevIdp.clientId) -> AuthConfig {
        AuthConfig(domain: baseURL.absoluteString, clientId: clientId, redirectUri: DevIdp.redirectURI)
    }

    static let clientId = "dev-client"
    static let redirectURI = "dev.sessioncore.tests://callback"

    // MARK: Control endpoints

    /// The server's request counters from `GET /_dev/stats`.
    func stats() async throws -> [String: Any] {
        let (data, status) = try await HTTP.send(url(for: "/_dev/stats"))
        guard status == 200, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSetupError("GET /_dev/stats returned status \(status)")
        }
        return object
    }

    /// The number of refresh token grants that reached `/oauth/token`.
    func refreshTokenRequests() async throws -> Int {
        try await counter(DevIdp.refreshTokenRequestsCounter)
    }

    /// The number of authorization code grants that reached `/oauth/token`.
    func authorizationCodeRequests() async throws -> Int {
        try await counter(DevIdp.authorizationCodeRequestsCounter)
    }

    static let refreshTokenRequestsCounter = "refresh_token_grants"
    static let authorizationCodeRequestsCounter = "authorization_code_grants"

    private func counter(_ name: String) async throws -> Int {
        let stats = try await stats()
        guard let value = stats[name] as? Int else {
            throw TestSetupError("GET /_dev/stats has no counter \(name): \(stats.keys.sorted())")
        }
        return value
    }

    /// Changes settings at run time with `POST /_dev/config`, such as `["latency_ms": 500]`.
    func configure(_ settings: [String: Any]) async throws {
        try await post("/_dev/config", settings)
    }

    /// Makes the next matching requests fail with `POST /_dev/fail`.
    func injectFailure(_ failure: [String: Any]) async throws {
        try await post("/_dev/fail", failure)
    }

    /// Revokes every refresh token the server issued, as an administrator would.
    func revokeAll() async throws {
        try await post("/_dev/revoke-all", [:])
    }

    private func post(_ path: String, _ body: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: body)
        let (_, status) = try await HTTP.send(url(for: path), method: "POST", json: data)
        guard (200..<300).contains(status) else {
            throw TestSetupError("POST \(path) returned status \(status)")
        }
    }

    private func url(for path: String) -> URL {
        baseURL.appendingPathComponent(String(path.dropFirst()))
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) {
        self.description = description
    }
}
