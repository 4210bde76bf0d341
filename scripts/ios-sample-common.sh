# Shared by test-ios-sample.sh and run-ios-sample-demo.sh: builds the core and the dev
# identity provider on the host, then runs one `swift` command on the sample's logic
# package (ios-sample/SessionSample) in the trixie root of provision-swift.sh. Sourced,
# not run.

# usage: ios_sample_swift SWIFT_ARGUMENTS...   for example: ios_sample_swift test
ios_sample_swift() {
    local repo_dir
    repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    source "$repo_dir/scripts/swift-common.sh"
    cd "$repo_dir"

    swift_require_root
    bash "$repo_dir/scripts/provision-swift.sh"

    swift_log "building the core and the dev identity provider (cargo, debug)"
    cargo build --quiet -p session-core -p dev-idp
    local target_dir
    target_dir="$(swift_cargo_target_dir)"
    bash bindings/swift/scripts/generate-bindings.sh "$target_dir/debug/libsession_core.so"

    swift_lock_root
    trap swift_unmount_all EXIT
    trap 'exit 130' INT TERM
    swift_mount_project "$repo_dir" "$target_dir"

    local library_dir="$SWIFT_CARGO_TARGET_MOUNT/debug"
    swift_log "running swift $1 on ios-sample/SessionSample in the trixie root"
    # The time limit keeps a hung run from holding CI; SIGINT lets swift stop the
    # process it started.
    swift_chroot \
        SESSIONCORE_DEV_IDP="$library_dir/dev-idp" \
        RUST_LOG="${RUST_LOG:-warn}" \
        bash -c 'cd "$1" && shift && exec timeout -s INT -k 30 1800 swift "$@"' bash \
        "$SWIFT_PROJECT_MOUNT/ios-sample/SessionSample" \
        "$1" -Xlinker -L"$library_dir" -Xlinker -rpath -Xlinker "$library_dir" "${@:2}"
}
