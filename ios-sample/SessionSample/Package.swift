// swift-tools-version:5.9
import PackageDescription

// The sample's logic, apart from its SwiftUI screens so that it builds and is tested on
// Linux too. The Xcode app in `../project.yml` links the `SessionSample` library.
let package = Package(
    name: "SessionSample",
    // `@Observable` needs iOS 17 and macOS 14.
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "SessionSample", targets: ["SessionSample"]),
    ],
    dependencies: [
        .package(path: "../../bindings/swift"),
    ],
    targets: [
        // The screen model: user actions in, screen state out. No UI framework.
        .target(
            name: "SessionSample",
            dependencies: [.product(name: "SessionCore", package: "swift")]
        ),
        // Runs the dev identity provider and plays the browser's part of a login, for
        // the command-line demo and the tests. Not part of the app.
        .target(
            name: "DevIdpHarness",
            dependencies: ["SessionSample", .product(name: "SessionCore", package: "swift")]
        ),
        .executableTarget(
            name: "SessionSampleDemo",
            dependencies: ["SessionSample", "DevIdpHarness", .product(name: "SessionCore", package: "swift")]
        ),
        .testTarget(
            name: "SessionSampleTests",
            dependencies: ["SessionSample", "DevIdpHarness", .product(name: "SessionCore", package: "swift")]
        ),
    ]
)
