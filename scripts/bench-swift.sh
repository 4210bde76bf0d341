#!/usr/bin/env bash
# Runs the Swift bindings benchmark (bindings/swift/Sources/SessionCoreBenchmark)
# against a release build of the core, in the trixie root that provision-swift.sh
# makes. Prints per-call times and resident memory; see bindings/swift/README.md.
set -euo pipefail
repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo_dir/scripts/swift-common.sh"
cd "$repo_dir"

swift_require_root
bash "$repo_dir/scripts/provision-swift.sh"

swift_log "building the core (cargo, release and debug)"
cargo build --quiet --release -p session-core
# The release profile strips symbols, and with them the interface metadata that
# the generator reads, so the bindings come from the debug build of the same code.
cargo build --quiet -p session-core
target_dir="$(swift_cargo_target_dir)"
bash bindings/swift/scripts/generate-bindings.sh "$target_dir/debug/libsession_core.so"

swift_lock_root
trap swift_unmount_all EXIT
trap 'exit 130' INT TERM
swift_mount_project "$repo_dir" "$target_dir"

library_dir="$SWIFT_CARGO_TARGET_MOUNT/release"
swift_log "building and running the benchmark (swift, release)"
swift_chroot bash -c 'cd "$1" && shift && exec swift run -c release "$@" SessionCoreBenchmark' bash \
    "$SWIFT_PROJECT_MOUNT/bindings/swift" \
    -Xlinker -L"$library_dir" -Xlinker -rpath -Xlinker "$library_dir"
