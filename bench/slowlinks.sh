#!/usr/bin/env bash
# Call and stream rates across hosts over slowed links (the README's "Across hosts" rows): two nodes on two network
# namespace hosts, over TLS with mutual authentication, Ergon-Ergon and then Erlang-Erlang, over a link with 50 ms
# each way plus up to 20 ms of jitter (the tests' FaultProxy on a third host) and over a 10 Mbit/s tbf link; a fresh
# set of hosts and nodes for every run. Prints each run and a Markdown table of medians (with the range).
#
#   bench/slowlinks.sh [ROUNDS]        (default 3; needs root, iproute2, erl, openssl)
#
# It builds ergon-core's tests (the ergon-core-tests module) and runs io.ergon.net.SlowLinkFigures on their class
# path. The namespaces, and
# every process started in them, are removed at the end of each run (and those of a crashed earlier run at the start).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
# one reactor build, so that ergon-core and ergon-testkit come from their target/classes, not a local repository
mvn -B -q -ntp -pl ergon-core-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/ergon-core-tests/target/test-classpath.txt"
exec java -cp "ergon-core-tests/target/test-classes:$(cat ergon-core-tests/target/test-classpath.txt)" \
  io.ergon.net.SlowLinkFigures "$@"
