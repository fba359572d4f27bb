#!/usr/bin/env bash
# Makes the Pulumi engine available to this checkout: the `pulumi` CLI, the dynamic-provider plugin
# (pulumi-resource-pulumi-nodejs) and the Node policy-pack analyzer, in a cache outside the repository.
#
# Which version: the CLI matches the @pulumi/pulumi installed in this checkout's node_modules (3.248.0 from the
# lock file on Node 20; the Node 22 leg, scripts/test-node22.sh, installs the newest SDK in its own directory and
# so gets the newest CLI). Each version has its own directory under the cache root:
#   ${ORG_ROLES_ENGINE_CACHE:-~/.cache/auth0-org-member-roles}/pulumi-vX.Y.Z/bin
#
# Why built from source: these machines reach the Go module proxy but no Pulumi download site, so the CLI is
# compiled from github.com/pulumi/pulumi/pkg/v3 at that version (about 3 minutes on 2 cores, once per version;
# the cache is reused). A version the proxy does not serve fails here with the proxy's own error.
#
# pulumi-language-nodejs cannot be built: the Go module proxy refuses its module
# (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3: "403 Forbidden: This module version is not
# available", for every version). So Node programs run through the Automation API's inline programs (the SDK
# serves the language runtime in-process; only the `pulumi` binary is needed), and Node policy packs through the
# CLI's documented fallback plugin `pulumi-analyzer-policy-nodejs`, a shim that runs @pulumi/pulumi's own
# run-policy-pack. When a `pulumi-language-nodejs` is on PATH (an official install), the plain CLI works too.
#
# Prints what it does; fails loudly (set -e), never skips silently. Writes the bin directory to
# .pulumi-engine so npm scripts and tests find it.
set -euo pipefail

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { echo "[setup-engine] $*"; }
fail() {
  echo "[setup-engine] ERROR: $*" >&2
  exit 1
}
version_of() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

# 0. The SDK in node_modules decides the CLI version.
sdk_dir="$project_root/node_modules/@pulumi/pulumi"
[ -f "$sdk_dir/package.json" ] || fail "run npm ci first (no @pulumi/pulumi in $project_root/node_modules)"
sdk_version="$(node -p "require('$sdk_dir/package.json').version")"
PULUMI_VERSION="v$sdk_version"
PULUMI_MINOR="${PULUMI_VERSION%.*}"
LANGUAGE_HOST_MODULE="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@latest"

cache_base="${ORG_ROLES_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/auth0-org-member-roles}"
cache_root="$cache_base/pulumi-${PULUMI_VERSION}"
bin="$cache_root/bin"
mkdir -p "$bin"

# Builds the CLI from the Go module proxy. The replace directives of pkg/go.mod that point to other modules
# (not to ../sdk) are repeated here, because Go ignores the replace directives of dependencies.
build_cli() {
  command -v go >/dev/null 2>&1 || fail "go is required to build the Pulumi CLI (none on PATH)"
  log "building pulumi $PULUMI_VERSION from the Go module proxy into $cache_root (takes a few minutes, once)"
  local build="$cache_root/build"
  rm -rf "$build"
  mkdir -p "$build"
  local info
  info="$(cd "$build" && go mod download -json "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" || true)"
  local pkg_gomod
  pkg_gomod="$(node -e 'const i=JSON.parse(require("fs").readFileSync(0,"utf8")); if (i.Error) { console.error(i.Error); process.exit(1) } console.log(i.GoMod)' <<<"$info")" ||
    fail "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION cannot be had from the Go module proxy (error above)"
  local go_version replaces
  go_version="$(go mod edit -json "$pkg_gomod" | node -p 'JSON.parse(require("fs").readFileSync(0,"utf8")).Go')"
  replaces="$(go mod edit -json "$pkg_gomod" | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of m.Replace ?? []) if (r.New.Version) console.log(`${r.Old.Path}=${r.New.Path}@${r.New.Version}`);')"
  cat >"$build/go.mod" <<GOMOD
module orgroles.local/pulumi-build

go ${go_version}

require (
	github.com/pulumi/pulumi/pkg/v3 ${PULUMI_VERSION}
	github.com/pulumi/pulumi/sdk/v3 ${PULUMI_VERSION}
)
GOMOD
  local r
  for r in $replaces; do
    log "  replace $r (as pkg/go.mod does)"
    (cd "$build" && go mod edit -replace "$r")
  done
  cat >"$build/tools.go" <<'GOSRC'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GOSRC
  (cd "$build" && go mod tidy && CGO_ENABLED=0 go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  [ "$(version_of "$bin/pulumi")" = "$PULUMI_VERSION" ] || fail "built pulumi does not report $PULUMI_VERSION"
  log "built $bin/pulumi ($(version_of "$bin/pulumi"))"
}

# 1. The CLI: the cached build, else an installed one at the same minor, else build it.
if [ -x "$bin/pulumi" ] && [ "$(version_of "$bin/pulumi")" = "$PULUMI_VERSION" ]; then
  log "pulumi $PULUMI_VERSION: cached at $bin/pulumi"
elif command -v pulumi >/dev/null 2>&1 && [[ "$(version_of "$(command -v pulumi)")" == "$PULUMI_MINOR".* ]]; then
  log "pulumi $(version_of "$(command -v pulumi)"): using the installed $(command -v pulumi)"
  ln -sf "$(command -v pulumi)" "$bin/pulumi"
else
  build_cli
fi

# 2. The Node language host: use one if installed; otherwise say why there is none.
if command -v pulumi-language-nodejs >/dev/null 2>&1; then
  log "pulumi-language-nodejs: using $(command -v pulumi-language-nodejs)"
  ln -sf "$(command -v pulumi-language-nodejs)" "$bin/pulumi-language-nodejs"
elif (cd "$cache_root" && GOFLAGS=-mod=mod go mod download -json "$LANGUAGE_HOST_MODULE" >/dev/null 2>&1); then
  log "NOTE: $LANGUAGE_HOST_MODULE is now served; building it is not wired up yet (see CONTRIBUTING.md, "The engine here")"
else
  log "pulumi-language-nodejs: not buildable here (go mod download $LANGUAGE_HOST_MODULE is refused by the proxy);"
  log "  programs run through the Automation API (inline)"
  # The CLI's fallback for policy packs without a language host, pulumi-analyzer-policy-<runtime>, is in
  # pkg/resource/plugin/analyzer_plugin.go up to v3.260.0 and gone in v3.274.0 (3.261 to 3.273 are not served).
  if [ "${PULUMI_MINOR#v3.}" -le 260 ]; then
    log "  policy packs through pulumi-analyzer-policy-nodejs"
  else
    log "  NOTE: Node policy packs cannot run with this CLI here: it runs them only through pulumi-language-nodejs"
  fi
fi

# 3. Plugins next to the binary, where the CLI looks first. Both resolve @pulumi/pulumi from the directory they
# run in (the program's, the policy pack's), so a consumer project's plugins run its own SDK.
install -m 0755 "$sdk_dir/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
install -m 0755 "$project_root/scripts/pulumi-analyzer-policy-nodejs" "$bin/pulumi-analyzer-policy-nodejs"
log "plugins: pulumi-resource-pulumi-nodejs (from @pulumi/pulumi $sdk_version), pulumi-analyzer-policy-nodejs (shim)"

echo "$bin" >"$project_root/.pulumi-engine"
log "ready: $bin (recorded in .pulumi-engine)"
