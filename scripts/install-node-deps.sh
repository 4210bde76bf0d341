#!/usr/bin/env bash
# Installs the Node.js packages of tools/oidc-provider (the OpenID Connect
# provider that the tests start) exactly as its package-lock.json pins them.
# Skips the install when node_modules is already newer than the lockfile.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package_dir="$repo_root/tools/oidc-provider"
lockfile="$package_dir/package-lock.json"
# npm writes this file at the end of every install, so its time is the time
# of the last complete install.
installed_marker="$package_dir/node_modules/.package-lock.json"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "install-node-deps: node and npm are missing; install Node.js 18 or 20 (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi

if [[ -f "$installed_marker" && ! "$lockfile" -nt "$installed_marker" ]]; then
    echo "install-node-deps: tools/oidc-provider/node_modules is up to date with package-lock.json; skipping"
    exit 0
fi

echo "install-node-deps: running npm ci in tools/oidc-provider (node $(node --version), npm $(npm --version))"
cd "$package_dir"
npm ci --no-audit --no-fund --no-progress
echo "install-node-deps: done"
