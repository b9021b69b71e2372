#!/usr/bin/env bash
# The pool comparison: Ergon's Pool and one Ergon GenServer beside Pekko's routers (round-robin, smallest-mailbox,
# balancing) and one Pekko actor, in one JVM, taking turns round after round (io.ergon.bench.pool.PoolBench).
#
#   bench/pool.sh [--quick] [--busy]
#
# Work per call: 0, 20 and 200 µs of CPU spin. 16 callers; pools of 4 workers. --quick: 3 rounds after 1 warm-up
# (else 7 after 2). --busy: two CPU hogs (sh spinning, named ergon-bench-hog) run beside, stopped by pid at the end.
# Prints a Markdown table of medians; raw figures go to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
QUICK=0 BUSY=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    --busy) BUSY=1 ;;
    *) echo "usage: bench/pool.sh [--quick] [--busy]" >&2; exit 2 ;;
  esac
done
ROUNDS=7 WARMUPS=2
[ "$QUICK" = 1 ] && ROUNDS=3 WARMUPS=1
bench_build
HOG_PIDS=""
stop_hogs() { local p; for p in $HOG_PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap stop_hogs EXIT
if [ "$BUSY" = 1 ]; then
  for i in 1 2; do sh -c 'while :; do :; done' ergon-bench-hog & HOG_PIDS="$HOG_PIDS $!"; done
  echo "bench: busy, 2 CPU hogs (pid$HOG_PIDS)" >&2
fi
echo "bench: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), JDK $JAVA_HOME" >&2
"$JAVA_HOME/bin/java" -Xms2g -Xmx2g -XX:+UseParallelGC --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$BENCH_JAR" io.ergon.bench.pool.PoolBench "$ROUNDS" "$WARMUPS" 16 4 0,20,200
