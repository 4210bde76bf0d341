#!/usr/bin/env bash
# Searches test logs for every token the tests handled. Any hit fails the run.
#
# Usage:
#   scripts/secrets-scan.sh [run] [CARGO_TEST_ARGS...]
#       Runs `cargo test CARGO_TEST_ARGS` (default `--workspace`, the whole
#       Rust suite) with RUST_LOG=trace, the log written to a file, then
#       scans that log. The test harness appends every
#       token it issues or receives to a token file (see
#       core/tests/common/secrets.rs). Files go to target/secrets-scan/.
#   scripts/secrets-scan.sh scan TOKENS_FILE LOG_FILE...
#       Scans LOG_FILEs for the tokens in TOKENS_FILE, one token a line
#       (UTF-8). Other suites (Kotlin, Swift) write these two files from
#       their own harness and call this mode.
#
# A hit is reported by file, line and a SHA-256 prefix of the token, never
# the token itself. Tokens shorter than 12 characters are skipped, because
# they match by chance.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
min_length=12

hash_prefix() {
    printf '%s' "$1" | sha256sum | cut -c1-12
}

# scan TOKENS_FILE LOG_FILE...: prints each hit and returns 1 if there is one.
scan() {
    local tokens=$1
    shift
    local patterns
    patterns=$(mktemp)
    awk -v min="$min_length" 'length($0) >= min' "$tokens" | sort -u >"$patterns"
    local count
    count=$(wc -l <"$patterns")
    if [ "$count" -eq 0 ]; then
        echo "secrets-scan: $tokens lists no token; the scan would prove nothing" >&2
        rm -f "$patterns"
        return 2
    fi
    for log in "$@"; do
        if [ ! -s "$log" ]; then
            echo "secrets-scan: the log $log is missing or empty; the scan would prove nothing" >&2
            rm -f "$patterns"
            return 2
        fi
    done

    # The scanner must find a token that is there: plant one and look.
    local canary canary_log
    canary="canary-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    canary_log=$(mktemp)
    printf 'INFO something happened token=%s\n' "$canary" >"$canary_log"
    if ! printf '%s\n' "$canary" | grep -F -q -f - "$canary_log"; then
        echo "secrets-scan: the scanner missed a planted token; grep -F is broken" >&2
        rm -f "$patterns" "$canary_log"
        return 2
    fi
    rm -f "$canary_log"

    local hits=0
    for log in "$@"; do
        while IFS= read -r hit; do
            local line=${hit%%:*}
            local token=${hit#*:}
            echo "LEAK $log:$line token sha256:$(hash_prefix "$token") (${#token} characters)"
            hits=$((hits + 1))
        done < <(grep -F -n -o -a -f "$patterns" "$log" || true)
    done
    local lines
    lines=$(cat "$@" | wc -l)
    rm -f "$patterns"
    if [ "$hits" -gt 0 ]; then
        echo "secrets-scan: $hits token occurrences in $lines log lines; FAILED" >&2
        return 1
    fi
    echo "secrets-scan: $count tokens, $lines log lines in $# file(s): no token found"
}

mode=${1:-run}
case "$mode" in
    scan)
        shift
        if [ $# -lt 2 ]; then
            echo "usage: scripts/secrets-scan.sh scan TOKENS_FILE LOG_FILE..." >&2
            exit 2
        fi
        scan "$@"
        ;;
    run | -*)
        if [ "$mode" = run ]; then shift; fi
        out="$root/target/secrets-scan"
        rm -rf "$out"
        mkdir -p "$out"
        export SESSIONCORE_TRACE_FILE="$out/rust-trace.log"
        export SESSIONCORE_TOKENS_FILE="$out/rust-tokens.txt"
        export RUST_LOG=trace
        status=0
        if [ $# -eq 0 ]; then
            set -- --workspace
        fi
        (cd "$root" && cargo test "$@") || status=$?
        scan_status=0
        scan "$SESSIONCORE_TOKENS_FILE" "$SESSIONCORE_TRACE_FILE" || scan_status=$?
        if [ "$status" -ne 0 ]; then
            echo "secrets-scan: the test suite failed (exit $status)" >&2
            exit "$status"
        fi
        exit "$scan_status"
        ;;
    *)
        echo "usage: scripts/secrets-scan.sh [run] [CARGO_TEST_ARGS...] | scan TOKENS_FILE LOG_FILE..." >&2
        exit 2
        ;;
esac
