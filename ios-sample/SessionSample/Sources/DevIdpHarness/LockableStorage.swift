import Foundation
import SessionCore

/// Storage in memory that can be locked, as the Keychain is between a restart and the
/// first unlock: while locked, every call fails with `StorageError.Unavailable` and the
/// stored values stay as they are.
public final class LockableStorage: SecureStorage, @unchecked Sendable {
    /// The values, readable by tests even while locked.
    public let backing = InMemorySecureStorage()
    private let lock = NSLock()
    private var locked = false

    public init() {}

    /// Whether calls fail as with a locked Keychain.
    public var isLocked: Bool {
        get {
            lock.lock()
            defer { lock.unlock() }
            return locked
        }
        set {
            lock.lock()
            locked = newValue
            lock.unlock()
        }
    }

    public func read(key: String) throws -> Data? {
        try checkUnlocked()
        return try backing.read(key: key)
    }

    public func write(key: String, value: Data) throws {
        try checkUnlocked()
        try backing.write(key: key, value: value)
    }

    public func delete(key: String) throws {
        try checkUnlocked()
        try backing.delete(key: key)
    }

    private func checkUnlocked() throws {
        if isLocked {
            throw StorageError.Unavailable(message: "the device is locked (simulated)")
        }
    }
}
