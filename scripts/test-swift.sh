#!/usr/bin/env bash
# Builds the Swift package in bindings/swift against the core and runs its XCTest
# suite with `swift test`. Swift runs in the Debian trixie root that
# provision-swift.sh makes on first use (bookworm packages no Swift); Rust is built
# here on the host and its outputs are mounted into that root.
#
# The tests append every token and authorization code they handle to the file
# named by SESSIONCORE_TOKENS_FILE, and scripts/secrets-scan.sh then searches
# the `swift test` log for them. Exits non-zero on any failure or leak; the
# suite's own failure status wins over the scan's.
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
# Both files are in the cargo target folder, which is mounted into the root.
scan_dir="$target_dir/swift-scan"
mkdir -p "$scan_dir"
tokens_file="$scan_dir/tokens.txt"
test_log="$scan_dir/swift-test.log"
: >"$tokens_file"
swift_log "running swift test in the trixie root"
# The time limit stops a hung test long before CI's own limit of 90 minutes.
status=0
swift_chroot \
    SESSIONCORE_DEV_IDP="$library_dir/dev-idp" \
    SESSIONCORE_OIDC_PROVIDER_DIR="$SWIFT_PROJECT_MOUNT/tools/oidc-provider" \
    SESSIONCORE_TOKENS_FILE="$SWIFT_CARGO_TARGET_MOUNT/swift-scan/tokens.txt" \
    RUST_LOG="${RUST_LOG:-warn}" \
    bash -c 'cd "$1" && shift && exec timeout -s INT -k 30 1800 swift test --disable-swift-testing "$@"' bash \
    "$SWIFT_PROJECT_MOUNT/bindings/swift" \
    -Xlinker -L"$library_dir" -Xlinker -rpath -Xlinker "$library_dir" "$@" \
    2>&1 | tee "$test_log" || status=$?

scan_status=0
scripts/secrets-scan.sh scan "$tokens_file" "$test_log" || scan_status=$?
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
exit "$scan_status"
