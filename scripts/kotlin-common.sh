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

# Generates the Kotlin bindings of the core's debug cdylib into a folder
# (default GENERATED_DIR), replacing any earlier output. The cdylib must be
# built first. With `android` as second argument, the generated code uses
# Android's cleaner, which needs android.os.Build and AndroidX annotations and
# so compiles only in an Android build.
kotlin_generate() {
    local out_dir=${1:-$GENERATED_DIR} flavour=${2:-jvm}
    local config=uniffi.toml
    if [[ $flavour == android ]]; then
        config=$(mktemp --suffix=.toml)
        sed 's/^\[crates\.session_core\.bindings\.kotlin\]$/&\nandroid = true/' \
            uniffi.toml >"$config"
    fi
    rm -rf "$out_dir"
    echo "kotlin: generating $flavour bindings into $out_dir" >&2
    cargo run --quiet --locked -p uniffi-bindgen -- generate \
        --library "$TARGET_DIR/debug/libsession_core.so" \
        --config "$config" \
        --language kotlin --out-dir "$out_dir" --no-format
    [[ $flavour == jvm ]] || rm -f "$config"
}

# Prints the Kotlin sources of the generated bindings and of the hand-written
# library, one a line.
kotlin_library_sources() {
    find "$GENERATED_DIR" bindings/kotlin/src/main -name '*.kt' | sort
}
