import SessionCore
import XCTest

final class VersionTests: XCTestCase {
    func testVersionIsNotEmpty() {
        XCTAssertFalse(version().isEmpty)
    }
}
