import Foundation
import SessionCore
import SessionSample
import XCTest

final class UserMessageTests: XCTestCase {
    /// Every case, with core messages that a user must never see.
    private let errors: [SessionError] = [
        .NoCredentials,
        .NoRefreshToken,
        .LoginRequired(message: "CORE-DETAIL invalid_grant"),
        .Network(message: "CORE-DETAIL connection refused"),
        .Server(status: 502, message: "CORE-DETAIL html", retryAfterSeconds: nil),
        .Rejected(status: 400, error: "invalid_scope", message: "CORE-DETAIL scope"),
        .InvalidResponse(message: "CORE-DETAIL json"),
        .InvalidIdToken(message: "CORE-DETAIL signature"),
        .ClockSkew(message: "CORE-DETAIL iat"),
        .AuthorizationFailed(message: "CORE-DETAIL state"),
        .StorageUnavailable(credentials: nil, message: "CORE-DETAIL locked"),
        .StorageFailed(credentials: nil, message: "CORE-DETAIL disk"),
        .Configuration(message: "CORE-DETAIL http"),
        .MinTtlTooLarge(minTtlSeconds: 300, lifetimeSeconds: 120),
        .LoggedOut,
    ]

    func testEveryErrorHasItsOwnSentence() {
        let messages = errors.map(\.userMessage)
        XCTAssertEqual(Set(messages).count, errors.count, "two errors share a message")
        for message in messages {
            XCTAssertTrue(message.hasSuffix("."), "not a sentence: \(message)")
        }
    }

    func testMessagesLeaveOutTheCoresTechnicalDetail() {
        for error in errors {
            XCTAssertFalse(error.userMessage.contains("CORE-DETAIL"), "\(error.userMessage)")
        }
    }

    func testServerErrorSaysWhenToRetry() {
        let error = SessionError.Server(status: 429, message: "", retryAfterSeconds: 30)
        XCTAssertEqual(error.userMessage, "The login server is having trouble (HTTP 429). Try again in 30 seconds.")
    }

    func testStorageUnavailableDoesNotSaySignedOut() {
        let message = SessionError.StorageUnavailable(credentials: nil, message: "").userMessage
        XCTAssertFalse(message.lowercased().contains("signed out"))
        XCTAssertFalse(message.lowercased().contains("log in"))
    }
}
