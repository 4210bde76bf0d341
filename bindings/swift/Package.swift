// swift-tools-version:5.9
import Foundation
import PackageDescription

// `SessionCoreFFI` is the C module of the Rust core: the header and module map that
// `scripts/generate-bindings.sh` writes from the core's library. Two ways to link it:
//
// - Source builds (Linux, and macOS while developing): a system library target whose
//   module map links `libsession_core`. Pass the folder cargo built it in with
//   `-Xlinker -L<folder>`, as `scripts/test-swift.sh` at the repository root does.
// - Apple apps: `scripts/build-xcframework.sh` (macOS only) writes
//   `SessionCoreFFI.xcframework` beside this file, with static libraries for iOS
//   devices and simulators. When that folder exists the package uses it instead.
let packageDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let xcframeworkPath = packageDirectory.appendingPathComponent("SessionCoreFFI.xcframework").path
let useXCFramework = FileManager.default.fileExists(atPath: xcframeworkPath)

let ffiTarget: Target = useXCFramework
    ? .binaryTarget(name: "SessionCoreFFI", path: "SessionCoreFFI.xcframework")
    : .systemLibrary(name: "SessionCoreFFI", path: "Sources/SessionCoreFFI")

let package = Package(
    name: "SessionCore",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "SessionCore", targets: ["SessionCore"]),
    ],
    targets: [
        ffiTarget,
        // The generated Swift (in `Generated/`, never committed) and the idiomatic layer.
        .target(name: "SessionCore", dependencies: ["SessionCoreFFI"]),
        .executableTarget(name: "SessionCoreBenchmark", dependencies: ["SessionCore"]),
        .testTarget(name: "SessionCoreTests", dependencies: ["SessionCore"]),
    ]
)
