import Foundation

/// `SecureStorage` in a Swift dictionary, lost when the process ends. For tests and
/// SwiftUI previews; apps use `KeychainStorage` on Apple platforms.
///
/// Unlike the core's `memoryStorage()`, its contents can be read and changed from
/// Swift, so tests can look at or corrupt what the core stored.
public final class InMemorySecureStorage: SecureStorage, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Data]

    /// Creates storage holding `values`, empty by default.
    public init(values: [String: Data] = [:]) {
        self.values = values
    }

    /// A copy of everything stored, by key.
    public var snapshot: [String: Data] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }

    public func read(key: String) throws -> Data? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }

    public func write(key: String, value: Data) throws {
        lock.lock()
        defer { lock.unlock() }
        values[key] = value
    }

    public func delete(key: String) throws {
        lock.lock()
        defer { lock.unlock() }
        values[key] = nil
    }
}
