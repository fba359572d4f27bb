#!/usr/bin/env bash
# actionlint on the shipped workflow: it checks what action-validator's schema cannot (expressions, the
# contexts each key may read, step outputs, runner labels). A Go program, so it comes from the Go module
# proxy at a fixed version, built once into Go's bin directory.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.12
bin="$(go env GOBIN)"
bin="${bin:-$(go env GOPATH)/bin}/actionlint"
if [ "$("$bin" -version 2>/dev/null | head -n1)" != "$version" ]; then
  go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
"$bin" .github/workflows/member-roles.yml
