# Shared steps of the Android sample's scripts: source this file from the
# repository root after scripts/kotlin-common.sh. It builds what the sample's
# plain-Kotlin logic needs on a desktop JVM and compiles it once.

SAMPLE_LOGIC_DIR=android-sample/logic
SAMPLE_BUILD_DIR=$TARGET_DIR/android-sample
SAMPLE_BINDINGS_DIR=$SAMPLE_BUILD_DIR/bindings
SAMPLE_JAR=$SAMPLE_BUILD_DIR/android-sample-logic.jar
DEMO_MAIN_CLASS=dev.sessioncore.sample.desktop.DesktopDemoKt

# Installs the toolchain, builds the core's cdylib and the dev identity
# provider, generates the JVM bindings and compiles the logic, the desktop
# demo and the JUnit tests into SAMPLE_JAR with one `kotlinc -Werror` run.
# The compile is skipped when SAMPLE_JAR was built from the same sources.
android_sample_build() {
    kotlin_install
    echo "android-sample: building the core and the dev identity provider" >&2
    cargo build --quiet --locked -p session-core -p dev-idp
    android_sample_generate

    local sources stamp_file stamp
    mapfile -t sources < <(
        find "$SAMPLE_BINDINGS_DIR" bindings/kotlin/src/main -name '*.kt'
        find "$SAMPLE_LOGIC_DIR/src/main" "$SAMPLE_LOGIC_DIR/src/desktop" "$SAMPLE_LOGIC_DIR/src/jvmTest" -name '*.kt'
    )
    stamp_file=$SAMPLE_JAR.sources-sha256
    stamp=$( (
        "$KOTLINC" -version 2>&1 | tail -n 1
        sha256sum "${sources[@]}" | sort -k 2
    ) | sha256sum | cut -d ' ' -f 1)
    if [[ -f $SAMPLE_JAR && -f $stamp_file && $(cat "$stamp_file") == "$stamp" ]]; then
        echo "android-sample: $SAMPLE_JAR is up to date" >&2
        return
    fi
    rm -f "$SAMPLE_JAR" "$stamp_file"
    echo "android-sample: compiling ${#sources[@]} files with kotlinc -Werror" >&2
    "$KOTLINC" -Werror -jvm-target 17 \
        -cp "$JNA_JAR:$COROUTINES_JAR:$JUNIT_CONSOLE_JAR" \
        -d "$SAMPLE_JAR" "${sources[@]}"
    echo "$stamp" >"$stamp_file"
}

# Generates the JVM bindings into SAMPLE_BINDINGS_DIR, keeping the folder (and
# so the compiled jar) untouched when the generated code did not change.
android_sample_generate() {
    local fresh=$SAMPLE_BUILD_DIR/bindings.new
    mkdir -p "$SAMPLE_BUILD_DIR"
    kotlin_generate "$fresh"
    if [[ -d $SAMPLE_BINDINGS_DIR ]] && diff -r -q "$fresh" "$SAMPLE_BINDINGS_DIR" >/dev/null; then
        rm -rf "$fresh"
    else
        rm -rf "$SAMPLE_BINDINGS_DIR"
        mv "$fresh" "$SAMPLE_BINDINGS_DIR"
    fi
}

# Prints the class path that runs SAMPLE_JAR.
android_sample_class_path() {
    echo "$SAMPLE_JAR:$KOTLIN_STDLIB_JAR:$COROUTINES_JAR:$JNA_JAR"
}

# Runs the desktop demo; its output goes to standard output.
android_sample_run_demo() {
    java -Djna.library.path="$TARGET_DIR/debug" \
        -Dsessioncore.devIdp="$TARGET_DIR/debug/dev-idp" \
        -cp "$(android_sample_class_path)" "$DEMO_MAIN_CLASS"
}
