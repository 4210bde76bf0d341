#!/usr/bin/env bash
# Builds the core and the dev identity provider, generates the Kotlin bindings,
# compiles them with the Kotlin library and its JUnit tests in one kotlinc run
# with warnings as errors, and runs the suite. The suite starts the dev
# identity provider and oidc-provider (tools/oidc-provider, under Node.js) on
# loopback. The tests append every token and authorization code they handle
# to the file named by SESSIONCORE_TOKENS_FILE, and scripts/secrets-scan.sh
# then searches the JUnit log for them. Exits non-zero on any failure or leak.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/kotlin-common.sh

kotlin_install
scripts/install-node-deps.sh >&2
echo "kotlin: building the core and the dev identity provider" >&2
cargo build --quiet --locked -p session-core -p dev-idp
kotlin_generate

TEST_JAR=$KOTLIN_BUILD_DIR/session-core-tests.jar
mkdir -p "$KOTLIN_BUILD_DIR"
rm -f "$TEST_JAR"
mapfile -t sources < <(kotlin_library_sources; find bindings/kotlin/src/test -name '*.kt' | sort)
echo "kotlin: compiling ${#sources[@]} files with kotlinc -Werror" >&2
"$KOTLINC" -Werror -jvm-target 17 \
    -cp "$JNA_JAR:$COROUTINES_JAR:$JUNIT_CONSOLE_JAR" \
    -d "$TEST_JAR" "${sources[@]}"

JUNIT_LOG=$KOTLIN_BUILD_DIR/junit.log
export SESSIONCORE_TOKENS_FILE=$KOTLIN_BUILD_DIR/tokens.txt
: >"$SESSIONCORE_TOKENS_FILE"
status=0
java -Djna.library.path="$TARGET_DIR/debug" \
    -Dsessioncore.devIdp="$TARGET_DIR/debug/dev-idp" \
    -Dsessioncore.oidcProviderDir=tools/oidc-provider \
    -jar "$JUNIT_CONSOLE_JAR" \
    --class-path "$TEST_JAR:$KOTLIN_STDLIB_JAR:$COROUTINES_JAR:$JNA_JAR" \
    --scan-class-path --fail-if-no-tests --disable-banner --disable-ansi-colors --details=tree \
    2>&1 | tee "$JUNIT_LOG" || status=$?

# The JUnit console ends with a table of counts. The two that matter are
# repeated on one plain line, which CI logs and readers both pick up.
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful.*/\1/p' "$JUNIT_LOG")
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed.*/\1/p' "$JUNIT_LOG")
echo "kotlin: ${passed:-0} passed, ${failed:-0} failed"

scan_status=0
scripts/secrets-scan.sh scan "$SESSIONCORE_TOKENS_FILE" "$JUNIT_LOG" || scan_status=$?
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
exit "$scan_status"
