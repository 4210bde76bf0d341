# Shared by the Swift scripts: where the trixie root lives, and how to mount
# into it and always unmount again. Sourced, not run.

SWIFT_ROOT="${SESSIONCORE_SWIFT_ROOT:-${SESSIONCORE_CACHE:-/var/cache/sessioncore}/swift-trixie}"
# Written last by a successful provisioning, so a root that was cut short
# (network drop, killed run) is made again instead of half-trusted.
SWIFT_READY_MARKER="$SWIFT_ROOT/.sessioncore-swift-ready"
# Inside the root, the repository is mounted here.
SWIFT_PROJECT_MOUNT=/project

swift_log() {
    printf '[swift %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

swift_require_root() {
    if [ "$(id -u)" -ne 0 ]; then
        swift_log "must run as root: debootstrap, mount and chroot need it"
        exit 1
    fi
}

# Mount points we made, innermost last, so teardown can go in reverse.
SWIFT_MOUNTS=()

swift_mount() {
    # usage: swift_mount bind|proc SOURCE TARGET_INSIDE_ROOT
    local kind="$1" source="$2" target="$SWIFT_ROOT$3"
    mkdir -p "$target"
    if mountpoint -q "$target"; then
        # Left over from a run that was killed before its trap ran.
        umount -l "$target"
    fi
    case "$kind" in
        bind) mount --bind "$source" "$target" ;;
        proc) mount -t proc proc "$target" ;;
    esac
    SWIFT_MOUNTS+=("$target")
}

swift_unmount_all() {
    local i
    for ((i = ${#SWIFT_MOUNTS[@]} - 1; i >= 0; i--)); do
        umount "${SWIFT_MOUNTS[i]}" 2>/dev/null || umount -l "${SWIFT_MOUNTS[i]}" 2>/dev/null || true
    done
    SWIFT_MOUNTS=()
}

# Unmounts anything still mounted below the root, by any run. Called before a
# half-made root is deleted, so that rm never walks into a bind mount.
swift_unmount_everything_below_root() {
    local target
    awk -v root="$SWIFT_ROOT/" 'index($2, root) == 1 { print $2 }' /proc/self/mounts \
        | sort -r | while read -r target; do
            umount -l "$target" || true
        done
}

swift_mount_system() {
    swift_mount proc proc /proc
    swift_mount bind /dev /dev
    # DNS inside the root follows the host's, which can change between runs.
    cp -f /etc/resolv.conf "$SWIFT_ROOT/etc/resolv.conf" 2>/dev/null || true
}

# Serializes the scripts that use the root: two runs would unmount each other's
# mounts, and two provisionings would write the same root.
swift_lock_root() {
    mkdir -p "$(dirname "$SWIFT_ROOT")"
    exec 9>"$SWIFT_ROOT.lock"
    if ! flock -n 9; then
        swift_log "waiting for another run that uses $SWIFT_ROOT"
        flock 9
    fi
}

# Prints cargo's target folder, which CARGO_TARGET_DIR or a config may move.
swift_cargo_target_dir() {
    cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# usage: swift_chroot COMMAND...  runs COMMAND inside the root with a clean
# environment; COMMAND may start with NAME=VALUE words to set variables.
swift_chroot() {
    chroot "$SWIFT_ROOT" /usr/bin/env -i \
        HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive CI="${CI:-}" \
        "$@" </dev/null
}

# usage: swift_mount_project REPO_DIR CARGO_TARGET_DIR
# Mounts what the package build needs into the root; the caller's EXIT trap must
# call swift_unmount_all.
SWIFT_CARGO_TARGET_MOUNT=/cargo-target
swift_mount_project() {
    swift_mount_system
    swift_mount bind "$1" "$SWIFT_PROJECT_MOUNT"
    swift_mount bind "$2" "$SWIFT_CARGO_TARGET_MOUNT"
}
