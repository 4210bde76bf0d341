#!/usr/bin/env bash
# Installs what the Kotlin bindings need to compile and test on Debian: the
# Kotlin compiler from the npm registry at a pinned version, into a cache folder
# outside the clone, and Debian's JNA and JUnit 5 packages. Skips each one that
# is already present, and runs without a terminal (CI=true, no standard input).
#
# Progress goes to standard error. The last line on standard output is the
# compiler's folder (KOTLIN_HOME), so callers can run:
#   KOTLIN_HOME=$(scripts/install-kotlin.sh)
set -euo pipefail

KOTLIN_VERSION=2.4.20
CACHE_DIR=${SESSIONCORE_CACHE:-$HOME/.cache/sessioncore}
KOTLIN_HOME=$CACHE_DIR/kotlin-compiler-$KOTLIN_VERSION

JNA_JAR=/usr/share/java/jna.jar
JUNIT_CONSOLE_JAR=/usr/share/java/junit-platform-console-standalone.jar

log() { echo "install-kotlin: $*" >&2; }

install_kotlin_compiler() {
    if [[ -x $KOTLIN_HOME/bin/kotlinc && -f $KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar ]]; then
        log "kotlin-compiler $KOTLIN_VERSION is present in $KOTLIN_HOME"
        return
    fi
    command -v npm >/dev/null || { log "npm is missing: install Node.js 20 first"; exit 1; }
    log "installing kotlin-compiler $KOTLIN_VERSION from npm into $KOTLIN_HOME"
    local download
    download=$(mktemp -d)
    # `npm pack` fetches the package tarball without running any install
    # script; the compiler distribution sits under `package/` inside it.
    (cd "$download" && npm pack --silent --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION" >/dev/null)
    rm -rf "$KOTLIN_HOME.partial"
    mkdir -p "$KOTLIN_HOME.partial"
    tar -xzf "$download"/kotlin-compiler-*.tgz -C "$KOTLIN_HOME.partial" --strip-components=1
    rm -rf "$download"
    # npm keeps no execute bits on the compiler's shell launchers.
    chmod +x "$KOTLIN_HOME.partial"/bin/*
    rm -rf "$KOTLIN_HOME"
    mv "$KOTLIN_HOME.partial" "$KOTLIN_HOME"
    log "installed $("$KOTLIN_HOME/bin/kotlinc" -version 2>&1 | tail -n 1)"
}

install_debian_packages() {
    local missing=()
    [[ -f $JNA_JAR ]] || missing+=(libjna-java)
    [[ -f $JUNIT_CONSOLE_JAR ]] || missing+=(junit5)
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "libjna-java and junit5 are present"
        return
    fi
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    log "installing ${missing[*]} with apt-get"
    "${sudo[@]}" apt-get update -qq </dev/null >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" </dev/null >&2
}

command -v java >/dev/null || { log "java is missing: install a JDK 17 first"; exit 1; }
install_kotlin_compiler
install_debian_packages
echo "$KOTLIN_HOME"
