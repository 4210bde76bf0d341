import Foundation

/// The one `SessionListener` behind every `stateUpdates()` stream of a manager: it
/// remembers the latest state and hands each state to every open stream, in order.
final class SessionStateBroadcaster: SessionListener, @unchecked Sendable {
    private let lock = NSLock()
    private var latestState: SessionState?
    private var continuations: [UUID: AsyncStream<SessionState>.Continuation] = [:]

    /// Returns the broadcaster that listens to `manager`, setting it as the listener
    /// on first use.
    static func attached(to manager: SessionManager) -> SessionStateBroadcaster {
        registryLock.lock()
        defer { registryLock.unlock() }
        // An entry ends with its manager, or with its broadcaster when the app set
        // another listener and the core released this one.
        registry.removeAll { $0.manager == nil || $0.broadcaster == nil }
        if let entry = registry.first(where: { $0.manager === manager }), let broadcaster = entry.broadcaster {
            return broadcaster
        }
        let broadcaster = SessionStateBroadcaster()
        // The core calls the listener with the current state at once, so the
        // broadcaster knows it before the first stream opens.
        manager.setListener(listener: broadcaster)
        registry.append(RegistryEntry(manager: manager, broadcaster: broadcaster))
        return broadcaster
    }

    func subscribe() -> AsyncStream<SessionState> {
        AsyncStream { continuation in
            let id = UUID()
            lock.lock()
            // Yielding under the lock keeps this stream's first state ahead of any
            // later one that `onStateChanged` hands out.
            if let latestState {
                continuation.yield(latestState)
            }
            continuations[id] = continuation
            lock.unlock()
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.lock.lock()
                self.continuations[id] = nil
                self.lock.unlock()
            }
        }
    }

    func onStateChanged(state: SessionState) {
        lock.lock()
        defer { lock.unlock() }
        latestState = state
        for continuation in continuations.values {
            continuation.yield(state)
        }
    }

    deinit {
        for continuation in continuations.values {
            continuation.finish()
        }
    }

    // Weak on both sides: the manager keeps its listener alive through the core, and
    // the registry must not keep either alive.
    private struct RegistryEntry {
        weak var manager: SessionManager?
        weak var broadcaster: SessionStateBroadcaster?
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [RegistryEntry] = []
}
