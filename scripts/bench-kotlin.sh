#!/usr/bin/env bash
# Runs the Kotlin benchmark: the cost of credentials() on a valid session
# beside the floor of one UniFFI call, and resident memory after 1,000 and
# 100,000 calls. It measures the release build of the core. The bindings are
# generated from the debug build, because the release library is stripped of
# the metadata that uniffi-bindgen reads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/kotlin-common.sh

kotlin_install
echo "kotlin: building the core (debug for the bindings, release to measure)" >&2
cargo build --quiet --locked -p session-core
cargo build --quiet --locked --release -p session-core
kotlin_generate

BENCH_JAR=$KOTLIN_BUILD_DIR/session-core-bench.jar
mkdir -p "$KOTLIN_BUILD_DIR"
rm -f "$BENCH_JAR"
mapfile -t sources < <(kotlin_library_sources; find bindings/kotlin/src/bench -name '*.kt' | sort)
echo "kotlin: compiling ${#sources[@]} files with kotlinc -Werror" >&2
"$KOTLINC" -Werror -jvm-target 17 -cp "$JNA_JAR:$COROUTINES_JAR" -d "$BENCH_JAR" "${sources[@]}"

# A fixed, pre-touched heap keeps the Java heap's share of resident memory
# constant, so that growth between the two readings comes from elsewhere.
java -Xms128m -Xmx128m -XX:+AlwaysPreTouch \
    -Djna.library.path="$TARGET_DIR/release" \
    -cp "$BENCH_JAR:$KOTLIN_STDLIB_JAR:$COROUTINES_JAR:$JNA_JAR" \
    dev.sessioncore.bench.BenchmarkKt
