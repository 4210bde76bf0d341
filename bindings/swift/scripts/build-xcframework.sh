#!/usr/bin/env bash
# Builds SessionCoreFFI.xcframework beside Package.swift: the core as static
# libraries for iOS devices (arm64) and the iOS simulator (arm64 and x86_64 merged
# into one library), with the generated header and module map. Package.swift uses
# the XCFramework in place of the system library target once it exists.
#
# Runs on macOS only, with Xcode and rustup. It cannot run on Linux, where the
# project's tests run, so keep it this short.
set -euo pipefail

if [ "$(uname -s)" != Darwin ]; then
    echo "build-xcframework.sh: needs macOS with Xcode (xcodebuild, lipo)" >&2
    exit 1
fi

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_dir="$(cd "$package_dir/../.." && pwd)"
cd "$repo_dir"
export IPHONEOS_DEPLOYMENT_TARGET=16.0

device=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "$device" "${simulators[@]}"
for target in "$device" "${simulators[@]}"; do
    cargo build --release -p session-core --target "$target"
done
# The generator reads the interface metadata from a library built for this Mac,
# in debug mode because the release profile strips that metadata.
cargo build -p session-core

target_dir="$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bash "$package_dir/scripts/generate-bindings.sh" "$target_dir/debug/libsession_core.dylib"

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
mkdir -p "$work_dir/headers" "$work_dir/simulator"
cp "$package_dir/Sources/SessionCoreFFI/SessionCoreFFI.h" "$work_dir/headers/"
# SwiftPM links an XCFramework's library itself; the `link` line is for source builds.
grep -v 'link "session_core"' "$package_dir/Sources/SessionCoreFFI/module.modulemap" \
    >"$work_dir/headers/module.modulemap"

lipo -create \
    "$target_dir/aarch64-apple-ios-sim/release/libsession_core.a" \
    "$target_dir/x86_64-apple-ios/release/libsession_core.a" \
    -output "$work_dir/simulator/libsession_core.a"

rm -rf "$package_dir/SessionCoreFFI.xcframework"
xcodebuild -create-xcframework \
    -library "$target_dir/$device/release/libsession_core.a" -headers "$work_dir/headers" \
    -library "$work_dir/simulator/libsession_core.a" -headers "$work_dir/headers" \
    -output "$package_dir/SessionCoreFFI.xcframework"
echo "build-xcframework.sh: wrote $package_dir/SessionCoreFFI.xcframework"
