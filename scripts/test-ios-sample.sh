#!/usr/bin/env bash
# Builds the iOS sample's logic (ios-sample/SessionSample, everything but the SwiftUI
# screens) and runs its XCTest suite against the dev identity provider, in the Debian
# trixie root that provision-swift.sh makes on first use.
#
# usage: scripts/test-ios-sample.sh [ARGUMENTS FOR swift test...]
#   for example: scripts/test-ios-sample.sh --filter LogoutTests
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ios-sample-common.sh"
ios_sample_swift test --disable-swift-testing "$@"
