import Foundation
import SessionCore

/// The sample's login settings: the client id and the provider, read from a property
/// list with the keys that Auth0.swift reads from `Auth0.plist`.
///
/// Keys: `ClientId` (required), and exactly one of `Domain` (an Auth0 tenant such as
/// `example.us.auth0.com`, or a base URL) or `Issuer` (any OpenID Connect provider,
/// found by discovery). Optional: `Audience`, and `RedirectURI`, which defaults to the
/// address Auth0.swift registers, `{bundle id}://{domain}/ios/{bundle id}/callback`.
public struct SampleSettings: Equatable, Sendable {
    public var clientId: String
    public var domain: String?
    public var issuer: String?
    public var audience: String?
    public var redirectURI: String

    public init(clientId: String, domain: String? = nil, issuer: String? = nil, audience: String? = nil, redirectURI: String) {
        self.clientId = clientId
        self.domain = domain
        self.issuer = issuer
        self.audience = audience
        self.redirectURI = redirectURI
    }

    /// Reads the settings from the contents of a property list such as `Auth0.plist`.
    ///
    /// - Parameters:
    ///   - plist: The property list, XML or binary.
    ///   - bundleIdentifier: The app's bundle id, used for the default redirect URI.
    /// - Throws: `SampleSettingsError` naming the key that is missing or wrong.
    public init(plist: Data, bundleIdentifier: String) throws {
        let root: Any
        do {
            root = try PropertyListSerialization.propertyList(from: plist, format: nil)
        } catch {
            throw SampleSettingsError("the settings file is not a valid property list")
        }
        guard let values = root as? [String: Any] else {
            throw SampleSettingsError("the settings file must contain a dictionary at its top level")
        }
        func string(_ key: String) throws -> String? {
            guard let value = values[key] else {
                return nil
            }
            guard let text = value as? String else {
                throw SampleSettingsError("\(key) must be a string")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }

        guard let clientId = try string("ClientId") else {
            throw SampleSettingsError("ClientId is missing: set it to the client id of the app at the provider")
        }
        let domain = try string("Domain")
        let issuer = try string("Issuer")
        switch (domain, issuer) {
        case (nil, nil):
            throw SampleSettingsError("Domain is missing: set Domain (an Auth0 tenant) or Issuer (any OpenID Connect provider)")
        case (.some, .some):
            throw SampleSettingsError("Domain and Issuer are both set: keep only one of them")
        default:
            break
        }
        let redirectURI = try string("RedirectURI")
            ?? SampleSettings.defaultRedirectURI(domain: domain, bundleIdentifier: bundleIdentifier)
        self.init(
            clientId: clientId,
            domain: domain,
            issuer: issuer,
            audience: try string("Audience"),
            redirectURI: redirectURI
        )
    }

    /// The scheme of the redirect URI, which the browser session waits for.
    public var callbackScheme: String? {
        URL(string: redirectURI)?.scheme
    }

    /// Returns the core's configuration for these settings. It keeps the core's default
    /// scope, which includes `offline_access` so that a refresh token is issued.
    public func authConfig() -> AuthConfig {
        AuthConfig(domain: domain, issuer: issuer, clientId: clientId, audience: audience, redirectUri: redirectURI)
    }

    /// Builds the redirect URI that Auth0.swift uses with a custom scheme. Schemes are
    /// case-insensitive and browsers return them in lower case, so it is lowered here.
    static func defaultRedirectURI(domain: String?, bundleIdentifier: String) -> String {
        let scheme = bundleIdentifier.lowercased()
        guard let domain else {
            return "\(scheme)://callback"
        }
        var host = domain
        if let url = URL(string: domain), let urlHost = url.host {
            host = url.port.map { "\(urlHost):\($0)" } ?? urlHost
        }
        return "\(scheme)://\(host)/ios/\(bundleIdentifier)/callback"
    }
}

/// A problem in the sample's settings file, with the key and the fix.
public struct SampleSettingsError: Error, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
