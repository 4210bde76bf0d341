#!/usr/bin/env bash
# Plays the Android sample's flow on a desktop JVM against the dev identity
# provider and prints every screen state: login, the token countdowns, each
# profile button, a provider error, a revoked refresh token, a provider that
# is down, and logout. Builds what is missing first. Exits 0 when every step
# showed the screen it should.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/kotlin-common.sh
source scripts/android-sample-common.sh

android_sample_build
android_sample_run_demo
