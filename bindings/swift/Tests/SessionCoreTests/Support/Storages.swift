import Foundation
import SessionCore

/// In-memory storage whose writes can be made to fail, as a full disk or a Keychain
/// error would.
final class FailingWriteStorage: SecureStorage, @unchecked Sendable {
    let backing = InMemorySecureStorage()
    private let lock = NSLock()
    private var failWrites = false

    /// Makes every later write fail with `StorageError.Failed`, or succeed again.
    func setFailWrites(_ fail: Bool) {
        lock.lock()
        failWrites = fail
        lock.unlock()
    }

    func read(key: String) throws -> Data? {
        try backing.read(key: key)
    }

    func write(key: String, value: Data) throws {
        lock.lock()
        let fail = failWrites
        lock.unlock()
        if fail {
            throw StorageError.Failed(message: "disk full (injected by the test)")
        }
        try backing.write(key: key, value: value)
    }

    func delete(key: String) throws {
        try backing.delete(key: key)
    }
}

/// Storage that reports itself unavailable, as a Keychain does before the first
/// unlock after a restart.
final class LockedStorage: SecureStorage, @unchecked Sendable {
    func read(key: String) throws -> Data? {
        throw StorageError.Unavailable(message: "device locked (injected by the test)")
    }

    func write(key: String, value: Data) throws {
        throw StorageError.Unavailable(message: "device locked (injected by the test)")
    }

    func delete(key: String) throws {
        throw StorageError.Unavailable(message: "device locked (injected by the test)")
    }
}

/// A `SessionListener` that records every state it receives.
final class RecordingListener: SessionListener, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [SessionState] = []

    var states: [SessionState] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func onStateChanged(state: SessionState) {
        lock.lock()
        recorded.append(state)
        lock.unlock()
    }

    /// Waits until `count` states arrived, or `timeout` passed, and returns them.
    func waitForStates(count: Int, timeout: Duration = .seconds(5)) async -> [SessionState] {
        let deadline = ContinuousClock.now + timeout
        while states.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return states
    }
}
