#!/usr/bin/env bash
# Runs the cargo-fuzz targets of core/fuzz, each for a bounded time, starting
# from the committed seed corpora in core/fuzz/seeds.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
#   SECONDS_PER_TARGET  fuzzing time of each target; default 30, so the three
#                       targets take about 90 s after the build. For a longer
#                       search use, for example, 1800.
#   TARGET              token_response, jwt or record; default all three.
#
# Inputs that libFuzzer finds go to a temporary corpus, so the seeds stay as
# committed. A crash fails the run and leaves its input in
# core/fuzz/artifacts/TARGET/; replay it with
#   cd core/fuzz && cargo +nightly fuzz run TARGET artifacts/TARGET/crash-...
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
if [ $# -gt 0 ]; then shift; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(token_response jwt record)
fi
case "$seconds" in
    '' | *[!0-9]*)
        echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number, got '$seconds'" >&2
        exit 2
        ;;
esac

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

cd "$root/core/fuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Without a target name, `fuzz build` builds every target at once.
cargo +nightly fuzz build

summary=()
for target in "${targets[@]}"; do
    mkdir -p "$work/$target"
    log="$work/$target.log"
    echo "fuzz.sh: fuzzing $target for $seconds s"
    status=0
    cargo +nightly fuzz run "$target" "$work/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$log" >&2
        if grep -q 'Test unit written to' "$log"; then
            echo "fuzz.sh: $target found a failing input; see core/fuzz/artifacts/$target/" >&2
        else
            echo "fuzz.sh: $target failed before fuzzing (exit $status); see the output above" >&2
        fi
        exit 1
    fi
    summary+=("$target: ${runs:-no run count}s, no crash")
done

echo "fuzz.sh: summary"
printf '  %s\n' "${summary[@]}"
