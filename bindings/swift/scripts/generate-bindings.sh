#!/usr/bin/env bash
# Generates the Swift bindings of the core into this package with the workspace's own
# uniffi-bindgen, from an already built library.
#
# usage: generate-bindings.sh [LIBRARY]
#   LIBRARY  the core's shared library, by default <cargo target>/debug/libsession_core.so
#            (libsession_core.dylib on macOS). Build it first: cargo build -p session-core
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_dir="$(cd "$package_dir/../.." && pwd)"
cd "$repo_dir"

target_dir="$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
case "$(uname -s)" in
    Darwin) library_file=libsession_core.dylib ;;
    *) library_file=libsession_core.so ;;
esac
library="${1:-$target_dir/debug/$library_file}"
if [ ! -f "$library" ]; then
    echo "generate-bindings: $library not found; build it with: cargo build -p session-core" >&2
    exit 1
fi

out_dir="$(mktemp -d)"
trap 'rm -rf "$out_dir"' EXIT
cargo run --quiet -p uniffi-bindgen -- generate --library "$library" --config uniffi.toml \
    --language swift --out-dir "$out_dir" --no-format

# Copies only when the content changed, so that SwiftPM does not recompile a
# 3,700-line file whose text is the same.
install_if_changed() {
    mkdir -p "$(dirname "$2")"
    if ! cmp -s "$1" "$2"; then
        cp "$1" "$2"
        echo "generate-bindings: updated ${2#"$package_dir"/}"
    fi
}

# SwiftPM reads a system library's module map from `module.modulemap`, and the
# generated one does not say which library to link.
sed 's|^\( *\)header "SessionCoreFFI.h"|&\n\1link "session_core"|' \
    "$out_dir/SessionCoreFFI.modulemap" >"$out_dir/module.modulemap"
grep -q 'link "session_core"' "$out_dir/module.modulemap" || {
    echo "generate-bindings: the generated module map changed shape; cannot add the link line" >&2
    exit 1
}

install_if_changed "$out_dir/SessionCore.swift" "$package_dir/Sources/SessionCore/Generated/SessionCore.swift"
install_if_changed "$out_dir/SessionCoreFFI.h" "$package_dir/Sources/SessionCoreFFI/SessionCoreFFI.h"
install_if_changed "$out_dir/module.modulemap" "$package_dir/Sources/SessionCoreFFI/module.modulemap"
