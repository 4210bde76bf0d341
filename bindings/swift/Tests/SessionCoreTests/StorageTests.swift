import Foundation
import SessionCore
import XCTest

/// Storage implemented in Swift and called by the core through `SecureStorage`.
final class StorageTests: XCTestCase {
    func testSwiftStorageKeepsSessionForNextManager() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        let login = try await Login.logIn(makeManager(idp, storage: storage))

        let manager = try makeManager(idp, storage: storage)

        XCTAssertEqual(manager.state(), .signedIn)
        let credentials = try await manager.credentials().recorded()
        XCTAssertEqual(credentials.accessToken(), login.accessToken())
        XCTAssertEqual(credentials.refreshToken(), login.refreshToken())
    }

    func testSessionIsStoredAsOneRecord() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        try await Login.logIn(makeManager(idp, storage: storage))

        XCTAssertEqual(storage.snapshot.count, 1, "one record per session")
    }

    func testFileStorageKeepsSessionForNextManager() async throws {
        let idp = try startDevIdp()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sessioncore-tests-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let login = try await Login.logIn(makeManager(idp, storage: fileStorage(directory: directory.path)))

        let manager = try makeManager(idp, storage: fileStorage(directory: directory.path))

        let credentials = try await manager.credentials().recorded()
        XCTAssertEqual(credentials.accessToken(), login.accessToken())
    }

    func testCoreMemoryStorageKeepsSessionWithinManager() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp, storage: memoryStorage())
        let login = try await Login.logIn(manager)

        let credentials = try await manager.credentials().recorded()

        XCTAssertEqual(credentials.accessToken(), login.accessToken())
    }

    func testFailedWriteAtSaveThrowsStorageFailed() async throws {
        let idp = try startDevIdp()
        let storage = FailingWriteStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.credentials(config: idp.authConfig())
        storage.setFailWrites(true)

        let error = await sessionError { try manager.saveCredentials(credentials: login) }

        guard case .StorageFailed = error else {
            return XCTFail("expected StorageFailed, got \(String(describing: error))")
        }
        XCTAssertTrue(storage.backing.snapshot.isEmpty)
    }

    func testFailedWriteAfterRenewalReturnsNewCredentialsAndKeepsOldRecord() async throws {
        let idp = try startDevIdp(["--rotation", "on"])
        let storage = FailingWriteStorage()
        let manager = try makeManager(idp, storage: storage)
        let login = try await Login.credentials(config: idp.authConfig())
        try manager.saveCredentials(credentials: login.expiringNow())
        let recordBeforeRenewal = storage.backing.snapshot
        storage.setFailWrites(true)

        let error = await sessionError { try await manager.credentials() }

        guard case let .StorageFailed(renewed?, _) = error else {
            return XCTFail("expected StorageFailed with credentials, got \(String(describing: error))")
        }
        XCTAssertNotEqual(renewed.accessToken(), login.accessToken())
        XCTAssertEqual(storage.backing.snapshot, recordBeforeRenewal, "a failed write never clears the record")
        let fromMemory = try await manager.credentials().recorded()
        XCTAssertEqual(fromMemory.accessToken(), renewed.accessToken(), "the manager keeps them for this process")
        let refreshTokenRequests = try await idp.refreshTokenRequests()
        XCTAssertEqual(refreshTokenRequests, 1)
    }

    func testUnavailableStorageThrowsStorageUnavailable() async throws {
        let manager = try makeOfflineManager(storage: LockedStorage())

        let error = await sessionError { try await manager.credentials() }

        guard case .StorageUnavailable = error else {
            return XCTFail("expected StorageUnavailable, got \(String(describing: error))")
        }
        XCTAssertEqual(error?.isRetryable, true)
        XCTAssertEqual(error?.requiresLogin, false, "a locked Keychain is not a signed-out user")
    }

    func testUnreadableRecordIsRemovedAndSignsOut() async throws {
        let idp = try startDevIdp()
        let storage = InMemorySecureStorage()
        try await Login.logIn(makeManager(idp, storage: storage))
        let key = try XCTUnwrap(storage.snapshot.keys.first)
        try storage.write(key: key, value: Data("{\"version\": 1, \"trunc".utf8))

        let manager = try makeManager(idp, storage: storage)

        XCTAssertEqual(manager.state(), .signedOut(reason: .unreadableRecord))
        XCTAssertNil(storage.snapshot[key], "the unreadable record is removed")
        let error = await sessionError { try await manager.credentials() }
        guard case .NoCredentials = error else {
            return XCTFail("expected NoCredentials, got \(String(describing: error))")
        }
    }
}
