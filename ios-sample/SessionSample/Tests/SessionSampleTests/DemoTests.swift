import Foundation
import XCTest

/// A run of the command-line demo, as `scripts/run-ios-sample-demo.sh` starts it, so that
/// the suite also proves that the whole tutorial plays through.
final class DemoTests: XCTestCase {
    func testDemoPlaysTutorialAndExitsZero() throws {
        // SwiftPM puts the demo beside the test bundle, and builds it before the tests.
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0])
        let demo = testBundle.deletingLastPathComponent().appendingPathComponent("SessionSampleDemo")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: demo.path), "no demo at \(demo.path)")
        let process = Process()
        process.executableURL = demo
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice

        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("[login]  buttons: Log in"), text)
        XCTAssertTrue(text.contains("[profile]  Ada Lovelace <ada@example.com>"), text)
        XCTAssertTrue(text.contains("[keychain locked]  buttons: Try again"), text)
        XCTAssertTrue(text.contains("error: Your session has ended. Log in again."), text)
        XCTAssertFalse(text.contains("!!"), text)
    }
}
