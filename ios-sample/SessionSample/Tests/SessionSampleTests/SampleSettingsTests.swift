import Foundation
import SessionSample
import XCTest

final class SampleSettingsTests: XCTestCase {
    private func plist(_ values: [String: Any]) throws -> Data {
        try PropertyListSerialization.data(fromPropertyList: values, format: .xml, options: 0)
    }

    func testAuth0KeysAreRead() throws {
        let settings = try SampleSettings(
            plist: plist(["ClientId": "abc123", "Domain": "example.us.auth0.com"]),
            bundleIdentifier: "com.example.Sample"
        )

        XCTAssertEqual(settings.clientId, "abc123")
        XCTAssertEqual(settings.domain, "example.us.auth0.com")
        XCTAssertNil(settings.issuer)
        XCTAssertEqual(settings.redirectURI, "com.example.sample://example.us.auth0.com/ios/com.example.Sample/callback")
        XCTAssertEqual(settings.callbackScheme, "com.example.sample")
    }

    func testDomainURLKeepsPortInRedirect() throws {
        let settings = try SampleSettings(
            plist: plist(["ClientId": "dev-client", "Domain": "http://127.0.0.1:4000"]),
            bundleIdentifier: "dev.sessioncore.sample"
        )

        XCTAssertEqual(settings.redirectURI, "dev.sessioncore.sample://127.0.0.1:4000/ios/dev.sessioncore.sample/callback")
        XCTAssertEqual(settings.authConfig().domain, "http://127.0.0.1:4000")
    }

    func testIssuerAudienceAndRedirectURIAreRead() throws {
        let settings = try SampleSettings(
            plist: plist([
                "ClientId": "client",
                "Issuer": "https://login.example.com/",
                "Audience": "https://api.example.com",
                "RedirectURI": "com.example.app:/oauth",
            ]),
            bundleIdentifier: "com.example.app"
        )

        let config = settings.authConfig()
        XCTAssertNil(config.domain)
        XCTAssertEqual(config.issuer, "https://login.example.com/")
        XCTAssertEqual(config.audience, "https://api.example.com")
        XCTAssertEqual(config.redirectUri, "com.example.app:/oauth")
        XCTAssertTrue(config.scope.contains("offline_access"))
    }

    func testMissingClientIdIsRejectedByName() throws {
        XCTAssertThrowsError(try SampleSettings(plist: plist(["Domain": "example.us.auth0.com"]), bundleIdentifier: "a.b")) { error in
            XCTAssertTrue("\(error)".hasPrefix("ClientId is missing"), "\(error)")
        }
    }

    func testBlankClientIdIsRejected() throws {
        XCTAssertThrowsError(try SampleSettings(plist: plist(["ClientId": "  ", "Domain": "x.auth0.com"]), bundleIdentifier: "a.b")) { error in
            XCTAssertTrue("\(error)".hasPrefix("ClientId is missing"), "\(error)")
        }
    }

    func testNeitherDomainNorIssuerIsRejected() throws {
        XCTAssertThrowsError(try SampleSettings(plist: plist(["ClientId": "c"]), bundleIdentifier: "a.b")) { error in
            XCTAssertTrue("\(error)".hasPrefix("Domain is missing"), "\(error)")
        }
    }

    func testBothDomainAndIssuerAreRejected() throws {
        let data = try plist(["ClientId": "c", "Domain": "x.auth0.com", "Issuer": "https://x.auth0.com/"])
        XCTAssertThrowsError(try SampleSettings(plist: data, bundleIdentifier: "a.b")) { error in
            XCTAssertTrue("\(error)".hasPrefix("Domain and Issuer are both set"), "\(error)")
        }
    }

    func testNonStringValueIsRejectedByKey() throws {
        XCTAssertThrowsError(try SampleSettings(plist: plist(["ClientId": 42, "Domain": "x.auth0.com"]), bundleIdentifier: "a.b")) { error in
            XCTAssertEqual("\(error)", "ClientId must be a string")
        }
    }

    func testFileThatIsNotAPropertyListIsRejected() {
        XCTAssertThrowsError(try SampleSettings(plist: Data("not a plist".utf8), bundleIdentifier: "a.b")) { error in
            XCTAssertEqual("\(error)", "the settings file is not a valid property list")
        }
    }

    func testCommittedAuth0PlistPointsAtLocalDevIdp() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("App/Auth0.plist")
        let settings = try SampleSettings(plist: Data(contentsOf: url), bundleIdentifier: "dev.sessioncore.sample")

        XCTAssertEqual(settings.clientId, "dev-client")
        XCTAssertEqual(settings.domain, "http://127.0.0.1:4000")
    }
}
