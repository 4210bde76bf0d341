#!/usr/bin/env bash
# Runs every test of SessionCore: lint, the Rust suites (unit, integration,
# fault cases, stress, dev identity provider, real OpenID provider) with a
# scan of their logs for tokens, a short fuzzing run, then the Kotlin library and
# the Android sample's logic on the JVM, and the Swift package and the iOS
# sample's logic in a Debian trixie root, each against the same providers.
# Installs what the tests need on a fresh Debian machine and skips what is
# already there. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "installing the Node.js packages of the real OpenID provider"
scripts/install-node-deps.sh

step "checking format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "checking the real OpenID provider's setup on its own"
(cd tools/oidc-provider && npm test)

step "running the Rust tests with trace logging, then scanning the log for every token they handled"
scripts/secrets-scan.sh run --workspace --locked

step "fuzzing the parsers of untrusted input, 30 s per target"
scripts/fuzz.sh 30

step "running the Kotlin suite (JUnit on the JVM)"
scripts/test-kotlin.sh

step "running the Android sample's logic tests and desktop demo (JUnit on the JVM)"
scripts/test-android-sample.sh

step "running the Swift suite (XCTest in a Debian trixie root)"
scripts/test-swift.sh

step "running the iOS sample's logic tests (XCTest in the same root)"
scripts/test-ios-sample.sh
