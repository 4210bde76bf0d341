#!/usr/bin/env bash
# Builds the Swift package in bindings/swift against the core and runs its XCTest
# suite with `swift test`. Swift runs in the Debian trixie root that
# provision-swift.sh makes on first use (bookworm packages no Swift); Rust is built
# here on the host and its outputs are mounted into that root.
#
# usage: scripts/test-swift.sh [ARGUMENTS FOR swift test...]
#   for example: scripts/test-swift.sh --filter RenewalTests
set -euo pipefail
repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo_dir/scripts/swift-common.sh"
cd "$repo_dir"

swift_require_root
bash "$repo_dir/scripts/provision-swift.sh"

# The oidc-provider tests run Node.js inside the root on these packages.
"$repo_dir/scripts/install-node-deps.sh"

swift_log "building the core and the dev identity provider (cargo, debug)"
cargo build --quiet -p session-core -p dev-idp
target_dir="$(swift_cargo_target_dir)"
bash bindings/swift/scripts/generate-bindings.sh "$target_dir/debug/libsession_core.so"

swift_lock_root
trap swift_unmount_all EXIT
trap 'exit 130' INT TERM
swift_mount_project "$repo_dir" "$target_dir"

library_dir="$SWIFT_CARGO_TARGET_MOUNT/debug"
swift_log "running swift test in the trixie root"
# The time limit stops a hung test long before CI's own limit of 90 minutes.
swift_chroot \
    SESSIONCORE_DEV_IDP="$library_dir/dev-idp" \
    SESSIONCORE_OIDC_PROVIDER_DIR="$SWIFT_PROJECT_MOUNT/tools/oidc-provider" \
    RUST_LOG="${RUST_LOG:-warn}" \
    bash -c 'cd "$1" && shift && exec timeout -s INT -k 30 1800 swift test --disable-swift-testing "$@"' bash \
    "$SWIFT_PROJECT_MOUNT/bindings/swift" \
    -Xlinker -L"$library_dir" -Xlinker -rpath -Xlinker "$library_dir" "$@"
