#if canImport(Security)
import Foundation
import Security

/// `SecureStorage` in the Keychain, for iOS and macOS apps.
///
/// Each key is a generic password item of `service`, readable after the first unlock
/// following a restart and never copied to another device or a backup restored
/// elsewhere (`kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`), so that renewals
/// can run in the background.
public final class KeychainStorage: SecureStorage, @unchecked Sendable {
    private let service: String
    private let accessGroup: String?

    /// Creates storage for the items of `service`, such as the app's bundle id.
    /// Pass `accessGroup` to share the items with an app extension.
    public init(service: String, accessGroup: String? = nil) {
        self.service = service
        self.accessGroup = accessGroup
    }

    public func read(key: String) throws -> Data? {
        var query = baseQuery(key: key)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: AnyObject?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            return result as? Data
        case errSecItemNotFound:
            return nil
        default:
            throw storageError(status, action: "read")
        }
    }

    public func write(key: String, value: Data) throws {
        let attributes: [String: Any] = [
            kSecValueData as String: value,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        let updateStatus = SecItemUpdate(baseQuery(key: key) as CFDictionary, attributes as CFDictionary)
        if updateStatus == errSecSuccess {
            return
        }
        guard updateStatus == errSecItemNotFound else {
            throw storageError(updateStatus, action: "update")
        }
        let query = baseQuery(key: key).merging(attributes) { _, new in new }
        let addStatus = SecItemAdd(query as CFDictionary, nil)
        guard addStatus == errSecSuccess else {
            throw storageError(addStatus, action: "add")
        }
    }

    public func delete(key: String) throws {
        let status = SecItemDelete(baseQuery(key: key) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw storageError(status, action: "delete")
        }
    }

    private func baseQuery(key: String) -> [String: Any] {
        var query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: key,
        ]
        if let accessGroup {
            query[kSecAttrAccessGroup as String] = accessGroup
        }
        return query
    }

    // Before the first unlock the Keychain returns `errSecInteractionNotAllowed`.
    // The item is still there, so the core must not treat it as signed out.
    private func storageError(_ status: OSStatus, action: String) -> StorageError {
        let message = "Keychain \(action) failed with OSStatus \(status)"
        if status == errSecInteractionNotAllowed {
            return .Unavailable(message: message)
        }
        return .Failed(message: message)
    }
}
#endif
