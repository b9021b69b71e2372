#!/usr/bin/env bash
# The ETF benchmark: Ergon's codec against JInterface (Debian's erlang-jinterface) on the same message mix.
# Finds or installs OtpErlang.jar, installs it into the local Maven repository as org.erlang.otp:jinterface,
# builds ergon-bench (-Pbench) and prints the table. Settings: BENCH_ITERATIONS (10), BENCH_WARMUPS (5),
# BENCH_SECONDS (1), BENCH_FORKS (1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"

find_jar() {
  local j
  for j in "${OTP_ERLANG_JAR:-}" /usr/share/java/OtpErlang.jar /usr/lib/erlang/lib/jinterface-*/priv/OtpErlang.jar; do
    [ -n "$j" ] && [ -f "$j" ] && { echo "$j"; return 0; }
  done
  return 1
}
JAR=$(find_jar || true)
if [ -z "$JAR" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing erlang-jinterface for OtpErlang.jar" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq erlang-jinterface >/dev/null
    JAR=$(find_jar)
  else
    echo "bench: OtpErlang.jar not found; install erlang-jinterface or set OTP_ERLANG_JAR" >&2
    exit 1
  fi
fi
VERSION=$(echo "$JAR" | sed -n 's/.*jinterface-\([0-9.]*\)\/.*/\1/p')
VERSION=${VERSION:-1.13.1}
echo "bench: JInterface $VERSION from $JAR; JDK $JAVA_HOME" >&2
cd "$ROOT"
mvn -B -q -ntp install:install-file -Dfile="$JAR" -DgroupId=org.erlang.otp -DartifactId=jinterface \
    -Dversion="$VERSION" -Dpackaging=jar
mvn -B -q -ntp -Pbench -Djinterface.version="$VERSION" -DskipTests -pl ergon-bench -am package
exec "$JAVA_HOME/bin/java" -Dbench.iterations="${BENCH_ITERATIONS:-10}" -Dbench.warmups="${BENCH_WARMUPS:-5}" \
    -Dbench.seconds="${BENCH_SECONDS:-1}" -Dbench.forks="${BENCH_FORKS:-1}" \
    -cp ergon-bench/target/ergon-bench.jar io.ergon.bench.etf.EtfBenchmarkReport
