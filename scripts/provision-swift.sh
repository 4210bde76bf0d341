#!/usr/bin/env bash
# Provisions Debian's Swift 6 toolchain in a Debian trixie root file system,
# since bookworm packages no Swift. Kept outside the clone and reused: the
# first run downloads about 470 MB and fills about 3 GB.
#
# Where: $SESSIONCORE_SWIFT_ROOT, else $SESSIONCORE_CACHE/swift-trixie,
# else /var/cache/sessioncore/swift-trixie.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/swift-common.sh"

swift_require_root
swift_lock_root

# What the root needs: Swift, the C and C++ headers that its compiler reads, and
# Node.js for the tests that start the npm `oidc-provider` and log in there.
packages=(swiftlang libc6-dev libstdc++-14-dev nodejs)

# The marker lists the packages installed, so a root made before a package was
# added gets that package instead of being made again.
if [ -f "$SWIFT_READY_MARKER" ]; then
    if [ "$(sed -n 's/^packages: //p' "$SWIFT_READY_MARKER")" = "${packages[*]}" ]; then
        swift_log "Swift root ready at $SWIFT_ROOT ($(head -n 1 "$SWIFT_READY_MARKER"))"
        exit 0
    fi
    swift_log "adding packages to the Swift root at $SWIFT_ROOT: ${packages[*]}"
    trap swift_unmount_all EXIT
    swift_mount_system
    swift_chroot apt-get update -q
    swift_chroot apt-get install -y -q --no-install-recommends "${packages[@]}"
    swift_chroot apt-get clean
    swift_unmount_all
    printf '%s\npackages: %s\n' "$(head -n 1 "$SWIFT_READY_MARKER")" "${packages[*]}" >"$SWIFT_READY_MARKER"
    exit 0
fi

started=$(date +%s)
trap swift_unmount_all EXIT
trap 'exit 130' INT TERM

if ! command -v debootstrap >/dev/null; then
    swift_log "installing debootstrap on the host"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap </dev/null
fi

if [ -e "$SWIFT_ROOT" ]; then
    swift_log "removing an unfinished Swift root at $SWIFT_ROOT"
    swift_unmount_everything_below_root
    rm -rf --one-file-system "$SWIFT_ROOT"
fi
mkdir -p "$(dirname "$SWIFT_ROOT")"

swift_log "making a Debian trixie root at $SWIFT_ROOT (debootstrap, about 30 s)"
debootstrap --variant=minbase trixie "$SWIFT_ROOT" http://deb.debian.org/debian </dev/null

swift_mount_system
swift_log "installing ${packages[*]} in the root (about 470 MB)"
swift_chroot apt-get update -q
swift_chroot apt-get install -y -q --no-install-recommends "${packages[@]}"
swift_chroot apt-get clean
version=$(swift_chroot swift --version 2>&1 | head -n 1)
swift_log "installed: $version"
swift_unmount_all

printf '%s\npackages: %s\n' "$version" "${packages[*]}" >"$SWIFT_READY_MARKER"
swift_log "Swift root provisioned in $(($(date +%s) - started)) s"
