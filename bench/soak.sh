#!/usr/bin/env bash
# Issue 19's soak and chaos run (io.ergon.testing.soak.Soak, in ergon-core-tests' test sources): two Erlang/OTP nodes and
# two Ergon nodes (each in a process of its own) exchange numbered messages and make links and monitors for N
# minutes under random faults, one at a time: kill -9 and restart, SIGSTOP/SIGCONT, partitions (link down) and tbf
# rate limits in network namespaces, and latency/jitter, stalls, bandwidth limits and resets through a fault proxy
# in front of each node. It prints a line per fault and a final report (duration, faults by kind, messages checked,
# links and monitors fired, supervised restarts, threads/fds/heap of the Ergon JVMs, violations) and exits 1 if
# anything was violated.
#
#   bench/soak.sh [--minutes M] [--seed S] [--no-netns] [--report FILE]
#
# Defaults: 10 minutes, a random seed (printed: --seed repeats the same faults in the same order). Without root (or
# with --no-netns) the nodes run on loopback and partitions and tbf are skipped (the report says so). Needs erl and
# epmd (erlang-nox); namespaces need root and iproute2. Every process it starts is stopped by its pid, and the
# namespaces are removed at the end. `bench/soak.sh --minutes 1` is the short check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
for tool in erl epmd; do
  command -v "$tool" >/dev/null || { echo "soak: '$tool' not found: install Erlang/OTP (erlang-nox)" >&2; exit 1; }
done
cd "$ROOT"
echo "soak: building ergon-core and its tests (JDK $JAVA_HOME)" >&2
CP_FILE="$ROOT/ergon-core-tests/target/soak-classpath.txt"
# one reactor build: the sibling modules (ergon-core, ergon-testkit) resolve to their freshly built classes
mvn -B -q -ntp -pl ergon-core-tests -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test
CP="$ROOT/ergon-core-tests/target/test-classes:$(cat "$CP_FILE")"
exec java -Xmx256m -cp "$CP" io.ergon.testing.soak.Soak "$@"
