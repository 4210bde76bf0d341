import Foundation
import SessionCore
import XCTest

final class SessionStateTests: XCTestCase {
    func testListenerReceivesStatesInOrder() async throws {
        let idp = try startDevIdp()
        let manager = try makeManager(idp)
        let listener = RecordingListener()
        manager.setListener(listener: listener)
        let login = try await Login.credentials(config: idp.authConfig())

        try manager.saveCredentials(credentials: login.expiringNow())
        _ = try await manager.credentials()
        _ = try await manager.logout(revoke: false)

        let states = await listener.waitForStates(count: 5)
        XCTAssertEqual(states, [
            .signedOut(reason: .noCredentials),
            .signedIn,
            .renewing,
            .signedIn,
            .signedOut(reason: .loggedOut),
        ])
    }

    func testListenerGetsCurrentStateWhenSet() async throws {
        let manager = try makeOfflineManager()
        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(600)))
        let listener = RecordingListener()

        manager.setListener(listener: listener)

        let states = await listener.waitForStates(count: 1)
        XCTAssertEqual(states, [.signedIn])
    }

    func testStateStreamYieldsCurrentThenChanges() async throws {
        let manager = try makeOfflineManager()
        var states = manager.stateUpdates().makeAsyncIterator()
        let first = await states.next()

        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(600)))
        let second = await states.next()
        _ = try await manager.logout(revoke: false)
        let third = await states.next()

        XCTAssertEqual(first, .signedOut(reason: .noCredentials))
        XCTAssertEqual(second, .signedIn)
        XCTAssertEqual(third, .signedOut(reason: .loggedOut))
    }

    func testTwoStateStreamsReceiveSameStates() async throws {
        let manager = try makeOfflineManager()
        var first = manager.stateUpdates().makeAsyncIterator()
        var second = manager.stateUpdates().makeAsyncIterator()
        _ = await first.next()
        _ = await second.next()

        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(600)))

        let fromFirst = await first.next()
        let fromSecond = await second.next()
        XCTAssertEqual(fromFirst, .signedIn)
        XCTAssertEqual(fromSecond, .signedIn)
    }

    func testOtherListenerFinishesStateStreams() async throws {
        let manager = try makeOfflineManager()
        var firstStream = manager.stateUpdates().makeAsyncIterator()
        // Once one stream has a state, the core has delivered the current state.
        _ = await firstStream.next()
        let states = manager.stateUpdates()
        let reader = Task {
            var received: [SessionState] = []
            for await state in states {
                received.append(state)
            }
            return received
        }

        manager.setListener(listener: RecordingListener())

        // A stream that never ends would hang this test, so it gets five seconds.
        let watchdog = Task { () -> Bool in
            do {
                try await Task.sleep(for: .seconds(5))
            } catch {
                return false
            }
            reader.cancel()
            return true
        }
        let received = await reader.value
        watchdog.cancel()
        let timedOut = await watchdog.value
        XCTAssertFalse(timedOut, "the stream did not finish within 5 s of the listener being replaced")
        XCTAssertEqual(received, [.signedOut(reason: .noCredentials)])
    }

    func testStreamAfterOtherListenerGetsStatesAgain() async throws {
        let manager = try makeOfflineManager()
        _ = manager.stateUpdates()
        manager.setListener(listener: RecordingListener())
        var stream = manager.stateUpdates().makeAsyncIterator()
        _ = await stream.next()

        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(600)))

        let next = await stream.next()
        XCTAssertEqual(next, .signedIn)
    }

    func testStreamOpenedLaterStartsWithLatestState() async throws {
        let manager = try makeOfflineManager()
        var early = manager.stateUpdates().makeAsyncIterator()
        _ = await early.next()
        try manager.saveCredentials(credentials: Credentials(accessToken: "access-a", expiresIn: .seconds(600)))
        _ = await early.next()

        var late = manager.stateUpdates().makeAsyncIterator()

        let first = await late.next()
        XCTAssertEqual(first, .signedIn)
    }
}
