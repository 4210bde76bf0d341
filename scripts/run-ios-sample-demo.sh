#!/usr/bin/env bash
# Plays the session tutorial through the iOS sample's screen model against a local dev
# identity provider and prints each screen. Exits 0 when every screen is the expected
# one. Runs in the Debian trixie root that provision-swift.sh makes on first use.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ios-sample-common.sh"
ios_sample_swift run SessionSampleDemo
