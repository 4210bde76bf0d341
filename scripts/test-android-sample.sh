#!/usr/bin/env bash
# Tests the Android sample's plain-Kotlin logic on a desktop JVM. Compiles it
# with the Kotlin library, the desktop demo and the JUnit tests in one kotlinc
# run with warnings as errors. Runs the tests against the dev identity
# provider, then runs the desktop demo, which must exit 0. The Android layer
# (Compose screens, Custom Tab, Android Keystore) needs the Android SDK and is
# not built here. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/kotlin-common.sh
source scripts/android-sample-common.sh

android_sample_build

JUNIT_LOG=$SAMPLE_BUILD_DIR/junit.log
status=0
java -Djna.library.path="$TARGET_DIR/debug" \
    -Dsessioncore.devIdp="$TARGET_DIR/debug/dev-idp" \
    -jar "$JUNIT_CONSOLE_JAR" \
    --class-path "$(android_sample_class_path):$JUNIT_CONSOLE_JAR" \
    --scan-class-path "$SAMPLE_JAR" \
    --fail-if-no-tests --disable-banner --disable-ansi-colors --details=tree \
    2>&1 | tee "$JUNIT_LOG" || status=$?

# The JUnit console ends with a table of counts; the two that matter are
# repeated on one plain line for CI logs.
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful.*/\1/p' "$JUNIT_LOG")
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed.*/\1/p' "$JUNIT_LOG")
echo "android-sample: ${passed:-0} passed, ${failed:-0} failed"

echo "android-sample: running the desktop demo" >&2
demo_status=0
android_sample_run_demo || demo_status=$?
echo "android-sample: the desktop demo exited with $demo_status"

[[ $status -eq 0 && $demo_status -eq 0 ]]
