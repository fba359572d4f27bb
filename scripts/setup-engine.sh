#!/usr/bin/env bash
# Makes the Pulumi engine available to this project: the `pulumi` CLI, the dynamic-provider plugin
# (pulumi-resource-pulumi-nodejs) and the Node policy-pack analyzer, in a cache outside the repository.
#
# Why built from source: these machines reach the Go module proxy but no Pulumi download site, so the CLI is
# compiled from github.com/pulumi/pulumi/pkg/v3 (about 3 minutes on 2 cores, once; the cache is reused).
#
# Versions, pinned on purpose:
#   - CLI v3.248.0 matches @pulumi/pulumi 3.248.0, the newest SDK that runs on Node 20 (3.249+ needs Node 22).
#   - pulumi-language-nodejs would be built from the same commit (a88168d865b7), but the Go module proxy
#     here refuses that module ("403 Forbidden: This module version is not available"), for every version.
#     So Node programs run through the Automation API's inline programs (the SDK serves the language runtime
#     in-process; only the `pulumi` binary is needed), and Node policy packs through the CLI's documented
#     fallback plugin `pulumi-analyzer-policy-nodejs`, a shim that runs @pulumi/pulumi's own run-policy-pack.
#     When a `pulumi-language-nodejs` is on PATH (an official install), the plain CLI works on this project too.
#
# Prints what it does; fails loudly (set -e), never skips silently. Writes the bin directory to
# .pulumi-engine so npm scripts and tests find it.
set -euo pipefail

PULUMI_VERSION="v3.248.0"
# Non-local replace of pkg/go.mod at this version, repeated because replace directives of dependencies are ignored.
CLIPBOARD_REPLACE="github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"
LANGUAGE_HOST_MODULE="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@a88168d865b7"

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_root="${ORG_ROLES_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/auth0-org-member-roles/pulumi-${PULUMI_VERSION}}"
bin="$cache_root/bin"
mkdir -p "$bin"

log() { echo "[setup-engine] $*"; }

version_of() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

# 1. The CLI: an installed one at the pinned minor, else the cached build, else build it.
if [ -x "$bin/pulumi" ] && [ "$(version_of "$bin/pulumi")" = "$PULUMI_VERSION" ]; then
  log "pulumi $PULUMI_VERSION: cached at $bin/pulumi"
elif command -v pulumi >/dev/null 2>&1 && [[ "$(version_of "$(command -v pulumi)")" == v3.248.* ]]; then
  log "pulumi $(version_of "$(command -v pulumi)"): using the installed $(command -v pulumi)"
  ln -sf "$(command -v pulumi)" "$bin/pulumi"
else
  command -v go >/dev/null 2>&1 || { echo "[setup-engine] ERROR: go is required to build the Pulumi CLI (none on PATH)" >&2; exit 1; }
  log "building pulumi $PULUMI_VERSION from the Go module proxy into $cache_root (takes a few minutes, once)"
  build="$cache_root/build"
  mkdir -p "$build"
  cat > "$build/go.mod" <<GOMOD
module orgroles.local/pulumi-build

go 1.25.11

require (
	github.com/pulumi/pulumi/pkg/v3 ${PULUMI_VERSION}
	github.com/pulumi/pulumi/sdk/v3 ${PULUMI_VERSION}
)

replace github.com/atotto/clipboard => ${CLIPBOARD_REPLACE}
GOMOD
  cat > "$build/tools.go" <<'GOSRC'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GOSRC
  (cd "$build" && go mod tidy && CGO_ENABLED=0 go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  [ "$(version_of "$bin/pulumi")" = "$PULUMI_VERSION" ] || { echo "[setup-engine] ERROR: built pulumi does not report $PULUMI_VERSION" >&2; exit 1; }
  log "built $bin/pulumi ($(version_of "$bin/pulumi"))"
fi

# 2. The Node language host: use one if installed; otherwise say why there is none.
if command -v pulumi-language-nodejs >/dev/null 2>&1; then
  log "pulumi-language-nodejs: using $(command -v pulumi-language-nodejs)"
  ln -sf "$(command -v pulumi-language-nodejs)" "$bin/pulumi-language-nodejs"
elif (cd "$cache_root" && GOFLAGS=-mod=mod go mod download -json "$LANGUAGE_HOST_MODULE" >/dev/null 2>&1); then
  log "NOTE: $LANGUAGE_HOST_MODULE is now served; building it is not wired up yet (see README)"
else
  log "pulumi-language-nodejs: not buildable here (go mod download $LANGUAGE_HOST_MODULE is refused by the proxy);"
  log "  programs run through the Automation API (inline), policy packs through pulumi-analyzer-policy-nodejs"
fi

# 3. Plugins next to the binary, where the CLI looks first.
node_modules="$project_root/node_modules/@pulumi/pulumi"
[ -f "$node_modules/package.json" ] || { echo "[setup-engine] ERROR: run npm ci first (no @pulumi/pulumi in node_modules)" >&2; exit 1; }
sdk_version="$(node -p "require('$node_modules/package.json').version")"
[[ "v$sdk_version" == v3.248.* ]] || { echo "[setup-engine] ERROR: @pulumi/pulumi $sdk_version does not match the CLI $PULUMI_VERSION" >&2; exit 1; }
install -m 0755 "$node_modules/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
install -m 0755 "$project_root/scripts/pulumi-analyzer-policy-nodejs" "$bin/pulumi-analyzer-policy-nodejs"
log "plugins: pulumi-resource-pulumi-nodejs (from @pulumi/pulumi $sdk_version), pulumi-analyzer-policy-nodejs (shim)"

echo "$bin" > "$project_root/.pulumi-engine"
log "ready: $bin (recorded in .pulumi-engine)"
