#!/usr/bin/env bash
# Builds the core and generates its Kotlin bindings into a folder, for a
# build outside this repository's scripts such as an Android library module.
#
#   scripts/kotlin-generate.sh [--android] [OUT_DIR]
#
# OUT_DIR defaults to target/bindings/kotlin and is replaced. --android
# generates code that uses Android's cleaner; it compiles only with the
# Android SDK and AndroidX annotations.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/kotlin-common.sh

flavour=jvm
if [[ ${1:-} == --android ]]; then
    flavour=android
    shift
fi
out_dir=${1:-$GENERATED_DIR}

cargo build --quiet --locked -p session-core
kotlin_generate "$out_dir" "$flavour"
