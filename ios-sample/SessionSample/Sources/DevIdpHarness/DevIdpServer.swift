import Foundation
import SessionSample

/// The workspace's dev identity provider (`tools/dev-idp`), run as a child process on a
/// free loopback port. Its path comes from `SESSIONCORE_DEV_IDP`, which
/// `scripts/test-ios-sample.sh` and `scripts/run-ios-sample-demo.sh` set.
public final class DevIdpServer {
    /// The base URL, such as `http://127.0.0.1:41234`, without a trailing slash.
    public let baseURL: URL
    private let process: Process
    // Held open so that the server, started with --exit-on-stdin-close, also stops
    // when this process dies without stopping it.
    private let stdinPipe: Pipe

    /// The client id the server accepts.
    public static let clientId = "dev-client"
    /// The redirect URI the sample registers; the server accepts any.
    public static let redirectURI = "dev.sessioncore.sample://127.0.0.1/ios/dev.sessioncore.sample/callback"

    private init(baseURL: URL, process: Process, stdinPipe: Pipe) {
        self.baseURL = baseURL
        self.process = process
        self.stdinPipe = stdinPipe
    }

    /// Starts the server with command-line `flags`, such as
    /// `["--access-token-lifetime", "120"]`, and waits for it to print its URL.
    public static func start(_ flags: [String] = []) throws -> DevIdpServer {
        guard let path = ProcessInfo.processInfo.environment["SESSIONCORE_DEV_IDP"] else {
            throw HarnessError("SESSIONCORE_DEV_IDP is not set: run scripts/test-ios-sample.sh, or set it to target/debug/dev-idp")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--port", "0", "--exit-on-stdin-close"] + flags
        var environment = ProcessInfo.processInfo.environment
        environment["RUST_LOG"] = environment["RUST_LOG"] ?? "warn"
        process.environment = environment
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()

        let reader = output.fileHandleForReading
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty {
                process.terminate()
                throw HarnessError("dev-idp at \(path) exited before printing its URL")
            }
            firstLine.append(chunk)
        }
        // Drains anything printed later, so that a full pipe never blocks the server.
        DispatchQueue.global().async {
            _ = reader.readDataToEndOfFile()
        }
        let line = String(decoding: firstLine, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: line), url.scheme == "http" else {
            process.terminate()
            throw HarnessError("dev-idp printed \(line) instead of its URL")
        }
        return DevIdpServer(baseURL: url, process: process, stdinPipe: input)
    }

    /// Stops the server and waits for it to exit; its URL then refuses connections,
    /// as a provider that is down does.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }

    /// Settings for the sample against this server, in the Auth0 shape, which has the
    /// `/delegation` endpoint.
    public var settings: SampleSettings {
        SampleSettings(clientId: DevIdpServer.clientId, domain: baseURL.absoluteString, redirectURI: DevIdpServer.redirectURI)
    }

    // MARK: Controls

    /// Returns the request counters, from `GET /_dev/stats`.
    public func stats() async throws -> DevIdpStats {
        let response = try await LoopbackHTTP.send(url("_dev/stats"))
        guard response.status == 200 else {
            throw HarnessError("GET /_dev/stats returned status \(response.status)")
        }
        return try JSONDecoder().decode(DevIdpStats.self, from: response.body)
    }

    /// Changes settings while running, such as `["access_token_lifetime": 3600]`.
    public func configure(_ settings: [String: Any]) async throws {
        try await post("_dev/config", settings)
    }

    /// Queues a fault, such as `["endpoint": "token", "status": 503]`.
    public func injectFault(_ fault: [String: Any]) async throws {
        try await post("_dev/fail", fault)
    }

    /// Revokes every grant, as an administrator would; every refresh token stops working.
    public func revokeAll() async throws {
        try await post("_dev/revoke-all", [:])
    }

    private func post(_ path: String, _ body: [String: Any]) async throws {
        let json = try JSONSerialization.data(withJSONObject: body)
        let response = try await LoopbackHTTP.send(url(path), method: "POST", json: json)
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body, as: UTF8.self)
            throw HarnessError("POST /\(path) returned status \(response.status): \(text)")
        }
    }

    private func url(_ path: String) -> URL {
        baseURL.appendingPathComponent(path)
    }
}

/// Requests the dev IdP received, by endpoint, from `GET /_dev/stats`.
public struct DevIdpStats: Decodable, Equatable {
    public let authorizeRequests: Int
    /// `/oauth/token` requests by `grant_type`.
    public let tokenRequests: [String: Int]
    public let delegationRequests: Int
    public let revocationRequests: Int
    /// Refresh tokens the server would accept now.
    public let activeRefreshTokens: Int

    public var refreshTokenGrants: Int { tokenRequests["refresh_token"] ?? 0 }
    public var authorizationCodeGrants: Int { tokenRequests["authorization_code"] ?? 0 }

    enum CodingKeys: String, CodingKey {
        case authorizeRequests = "authorize_requests"
        case tokenRequests = "token_requests"
        case delegationRequests = "delegation_requests"
        case revocationRequests = "revocation_requests"
        case activeRefreshTokens = "active_refresh_tokens"
    }
}
