#!/usr/bin/env bash
# Makes headless Chromium available for the test that opens the access report's HTML page
# (test/e2e/report-html.test.ts): Debian's `chromium` package at /usr/bin/chromium, or the browser $CHROMIUM names.
# Idempotent and fast when present (one `--version`); installs with apt-get when missing and this runs as root
# (CI machines and these containers); otherwise stops with what to run. Never skips silently.
set -euo pipefail

log() { echo "[setup-chromium] $*"; }
fail() {
  echo "[setup-chromium] ERROR: $*" >&2
  exit 1
}

binary="${CHROMIUM:-/usr/bin/chromium}"
works() { "$binary" --headless --no-sandbox --version >/dev/null 2>&1; }

if [ -x "$binary" ] && works; then
  log "ready: $("$binary" --version 2>/dev/null)"
  exit 0
fi
[ -n "${CHROMIUM:-}" ] && fail "CHROMIUM=$CHROMIUM does not run (\`$CHROMIUM --version\` failed): point it at a working Chromium or unset it"

command -v apt-get >/dev/null 2>&1 ||
  fail "no chromium at $binary and no apt-get to install it: install Chromium and set CHROMIUM to its path"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "no chromium at $binary; install it as root: apt-get install -y chromium"
  sudo="sudo -n"
fi
log "installing Debian's chromium (once; a few minutes)"
# A fresh machine's package lists may be empty or stale: refreshed once if the first try fails.
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium; then
  $sudo apt-get update || fail "apt-get update failed (network, or no permission): install chromium by hand"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium ||
    fail "apt-get install chromium failed (message above): install it by hand, or set CHROMIUM to a Chromium"
fi
works || fail "chromium installed at $binary but \`chromium --headless --version\` fails"
log "ready: $("$binary" --version 2>/dev/null)"
