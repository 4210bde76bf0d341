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
    private let server: ServerProcess

    /// Starts the server with the given command-line flags, such as
    /// `["--rotation", "on", "--access-token-lifetime", "60"]`, and waits for its URL.
    static func start(_ flags: [String] = []) throws -> DevIdp {
        let path = try requiredEnvironment("SESSIONCORE_DEV_IDP")
        // `--exit-on-stdin-close` lets `ServerProcess` stop it by closing stdin.
        let server = try ServerProcess(
            executable: path,
            arguments: ["--port", "0", "--exit-on-stdin-close"] + flags
        )
        return DevIdp(server: server)
    }

    private init(server: ServerProcess) {
        self.server = server
        self.baseURL = server.url
    }

    /// The issuer of its tokens: the base URL with a trailing slash.
    var issuer: String { baseURL.absoluteString + "/" }

    /// Stops the server and waits for it to exit.
    func stop() {
        server.stop()
    }

    /// Returns a configuration for a client of this server in the Auth0 shape, which
    /// has the `/delegation` endpoint.
    func authConfig(clientId: String = DevIdp.clientId) -> AuthConfig {
        AuthConfig(domain: baseURL.absoluteString, clientId: clientId, redirectUri: DevIdp.redirectURI)
    }

    static let clientId = "dev-client"
    static let redirectURI = "dev.sessioncore.tests://callback"

    // MARK: Control endpoints

    /// Fetches the server's request counters from `GET /_dev/stats`.
    func stats() async throws -> [String: Any] {
        let (data, status) = try await HTTP.send(url(for: "/_dev/stats"))
        guard status == 200, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSetupError("GET /_dev/stats returned status \(status)")
        }
        return object
    }

    /// Returns the number of refresh token grants that reached `/oauth/token`.
    func refreshTokenRequests() async throws -> Int {
        try await tokenRequests(grantType: "refresh_token")
    }

    /// Returns the number of authorization code grants that reached `/oauth/token`.
    func authorizationCodeRequests() async throws -> Int {
        try await tokenRequests(grantType: "authorization_code")
    }

    private func tokenRequests(grantType: String) async throws -> Int {
        let stats = try await stats()
        guard let byGrantType = stats["token_requests"] as? [String: Any] else {
            throw TestSetupError("GET /_dev/stats has no token_requests object")
        }
        return byGrantType[grantType] as? Int ?? 0
    }

    /// Tells whether the server would accept `refreshToken` now, from
    /// `POST /_dev/introspect`.
    func isActive(refreshToken: String) async throws -> Bool {
        let body = try JSONSerialization.data(withJSONObject: ["token": refreshToken])
        let (data, status) = try await HTTP.send(url(for: "/_dev/introspect"), method: "POST", json: body)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSetupError("POST /_dev/introspect returned status \(status)")
        }
        return object["active"] as? Bool == true && object["kind"] as? String == "refresh_token"
    }

    /// Changes settings at run time with `POST /_dev/config`, such as `["latency_ms": 500]`.
    func configure(_ settings: [String: Any]) async throws {
        try await post("/_dev/config", settings)
    }

    /// Makes the next `count` requests of `endpoint` (`token`, `delegation`, `revoke` or
    /// `userinfo`) get this response instead of being handled, with `POST /_dev/fail`.
    func injectResponse(
        endpoint: String = "token",
        status: Int,
        headers: [String: String] = [:],
        body: String? = nil,
        count: Int = 1
    ) async throws {
        var fault: [String: Any] = ["endpoint": endpoint, "status": status, "headers": headers, "count": count]
        if let body {
            fault["body"] = body
        }
        try await post("/_dev/fail", fault)
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
