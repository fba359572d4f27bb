#!/usr/bin/env bash
# Runs one mocha suite (or one test, with --grep) N times, optionally beside a CPU hog that keeps every core
# busy, and reports pass/fail counts and, per run, the gRPC errors the Pulumi SDK dropped silently
# (test/helpers/grpc-watch). Each failing run's log (mocha's output and those lines) is kept.
#
#   bash scripts/repeat-test.sh -n 20 --hog -- dist/test/e2e/shards.test.js
#   bash scripts/repeat-test.sh -n 5 -- dist/test/e2e/pr-summary.test.js --grep 'committed recordings'
#
# Build first (npm run build && npm run setup). Exit 0 when every run passed, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=10 hog=0 logs=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --hog) hog=1; shift ;;
    --logs) logs="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "give the mocha arguments after --, e.g. -- dist/test/e2e/shards.test.js" >&2; exit 2; }
logs="${logs:-$(mktemp -d /tmp/repeat-test-XXXX)}"
mkdir -p "$logs"
hogs=()
if [ "$hog" = 1 ]; then
  for _ in $(seq "$(nproc)"); do node -e 'for (;;) {}' & hogs+=($!); done
  echo "CPU hog: ${#hogs[@]} busy processes" >&2
fi
trap '[ ${#hogs[@]} -gt 0 ] && kill "${hogs[@]}" 2>/dev/null' EXIT
pass=0 fail=0
for i in $(seq "$runs"); do
  log="$logs/run-$i.log"
  start=$SECONDS
  npx mocha --no-config --timeout 60000 --require dist/test/helpers/grpc-watch.js "$@" >"$log" 2>&1
  code=$?
  dropped=$(grep -c '^\[grpc-watch\]' "$log")
  if [ "$code" = 0 ]; then
    pass=$((pass + 1)); rm -f "$log"; verdict=pass
  else
    fail=$((fail + 1)); verdict="FAIL (log: $log)"
  fi
  echo "run $i/$runs: $verdict in $((SECONDS - start)) s; SDK-dropped gRPC errors: $dropped" >&2
done
echo "passed $pass of $runs, failed $fail$([ "$hog" = 1 ] && echo ' (beside the CPU hog)'); logs of failures in $logs"
[ "$fail" -eq 0 ]
