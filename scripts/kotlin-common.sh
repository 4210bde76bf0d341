# Shared steps of the Kotlin scripts: source this file from the repository root.
# It defines the paths below and the functions that install the toolchain,
# build the core and generate the Kotlin bindings.

TARGET_DIR=${CARGO_TARGET_DIR:-target}
GENERATED_DIR=$TARGET_DIR/bindings/kotlin
KOTLIN_BUILD_DIR=$TARGET_DIR/kotlin
JNA_JAR=/usr/share/java/jna.jar
JUNIT_CONSOLE_JAR=/usr/share/java/junit-platform-console-standalone.jar

# Installs what is missing and sets KOTLIN_HOME, KOTLINC and the jars of the
# Kotlin runtime that compiled code needs.
kotlin_install() {
    KOTLIN_HOME=$(scripts/install-kotlin.sh </dev/null | tail -n 1)
    KOTLINC=$KOTLIN_HOME/bin/kotlinc
    KOTLIN_STDLIB_JAR=$KOTLIN_HOME/lib/kotlin-stdlib.jar
    COROUTINES_JAR=$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar
}

# Generates the Kotlin bindings of the core's debug cdylib into GENERATED_DIR,
# replacing any earlier output. The cdylib must be built first.
kotlin_generate() {
    rm -rf "$GENERATED_DIR"
    echo "kotlin: generating bindings into $GENERATED_DIR" >&2
    cargo run --quiet -p uniffi-bindgen -- generate \
        --library "$TARGET_DIR/debug/libsession_core.so" \
        --config bindings/kotlin/uniffi.toml \
        --language kotlin --out-dir "$GENERATED_DIR" --no-format
}

# Prints the Kotlin sources of the generated bindings and of the hand-written
# library, one a line.
kotlin_library_sources() {
    find "$GENERATED_DIR" bindings/kotlin/src/main -name '*.kt' | sort
}
