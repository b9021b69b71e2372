#!/usr/bin/env bash
# The ETF benchmark: Ergon's codec against JInterface (Debian's erlang-jinterface) on the same message mix.
# Finds or installs OtpErlang.jar, installs it into the local Maven repository as org.erlang.otp:jinterface,
# builds ergon-bench (-Pbench) and prints the table. Settings: BENCH_ITERATIONS (10), BENCH_WARMUPS (5),
# BENCH_SECONDS (1), BENCH_FORKS (1).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_build
exec "$JAVA_HOME/bin/java" -Dbench.iterations="${BENCH_ITERATIONS:-10}" -Dbench.warmups="${BENCH_WARMUPS:-5}" \
    -Dbench.seconds="${BENCH_SECONDS:-1}" -Dbench.forks="${BENCH_FORKS:-1}" \
    -cp "$BENCH_JAR" io.ergon.bench.etf.EtfBenchmarkReport
