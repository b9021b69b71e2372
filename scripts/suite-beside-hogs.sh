#!/usr/bin/env bash
# Runs the whole test suite N times in a row beside two CPU-bound processes (the hogs of bench/run.sh --busy), as a
# loaded production machine would run it, and prints one line per run: passed or failed, its wall time, and the tests
# that failed. The reports of a failed run are kept under target/suite-beside-hogs/run-K/ for a look afterwards.
#
#   scripts/suite-beside-hogs.sh [N]     (N = 5 by default)
#
# Exits 0 only if every run passed. The hogs are started here and stopped by pid, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
RUNS="${1:-5}"
case "$RUNS" in ''|*[!0-9]*) echo "usage: scripts/suite-beside-hogs.sh [N]" >&2; exit 2 ;; esac
OUT="$ROOT/target/suite-beside-hogs"
rm -rf "$OUT" && mkdir -p "$OUT"

HOGS=""
stop_hogs() { local p; for p in $HOGS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap stop_hogs EXIT
for _ in 1 2; do
  sh -c 'while :; do :; done' &
  HOGS="$HOGS $!"
done

cd "$ROOT"
mvn -B -ntp -q -DskipTests install >"$OUT/build.log" 2>&1 || { echo "the build failed: $OUT/build.log" >&2; exit 1; }
failed_runs=0
for run in $(seq 1 "$RUNS"); do
  log="$OUT/run-$run.log"
  start=$(date +%s)
  if mvn -B -ntp verify >"$log" 2>&1; then
    status=passed
  else
    status=FAILED
    failed_runs=$((failed_runs + 1))
    mkdir -p "$OUT/run-$run"
    # the reports of the classes that failed, with their output
    grep -l -E '<(failure|error)[ >]' "$ROOT"/*/target/surefire-reports/TEST-*.xml 2>/dev/null \
      | xargs -r cp -t "$OUT/run-$run/" || true
  fi
  failures=$(grep -E '^\[ERROR\]   [A-Za-z]' "$log" | sed 's/^\[ERROR\]   //' | cut -c1-160 | paste -sd ';' - || true)
  echo "run $run/$RUNS: $status in $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)${failures:+: $failures}"
done
echo "$((RUNS - failed_runs)) of $RUNS runs passed beside two CPU hogs (logs: $OUT)"
[ "$failed_runs" -eq 0 ]
