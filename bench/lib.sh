# Sourced by bench/etf.sh and bench/run.sh: finds a JDK (scripts/jdk.sh), finds or installs JInterface
# (Debian's erlang-jinterface OtpErlang.jar) into the local Maven repository, and builds ergon-bench with -Pbench.
# Leaves ROOT, JAVA_HOME and BENCH_JAR set.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"

bench_find_jar() {
  local j
  for j in "${OTP_ERLANG_JAR:-}" /usr/share/java/OtpErlang.jar /usr/lib/erlang/lib/jinterface-*/priv/OtpErlang.jar; do
    [ -n "$j" ] && [ -f "$j" ] && { echo "$j"; return 0; }
  done
  return 1
}

bench_build() {
  local jar version
  jar=$(bench_find_jar || true)
  if [ -z "$jar" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "bench: installing erlang-jinterface for OtpErlang.jar" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq erlang-jinterface >/dev/null
      jar=$(bench_find_jar)
    else
      echo "bench: OtpErlang.jar not found; install erlang-jinterface or set OTP_ERLANG_JAR" >&2
      exit 1
    fi
  fi
  version=$(echo "$jar" | sed -n 's/.*jinterface-\([0-9.]*\)\/.*/\1/p')
  version=${version:-1.13.1}
  echo "bench: JInterface $version from $jar; JDK $JAVA_HOME" >&2
  (cd "$ROOT" && mvn -B -q -ntp install:install-file -Dfile="$jar" -DgroupId=org.erlang.otp -DartifactId=jinterface \
      -Dversion="$version" -Dpackaging=jar \
    && mvn -B -q -ntp -Pbench -Djinterface.version="$version" -DskipTests -pl ergon-bench -am package)
  BENCH_JAR="$ROOT/ergon-bench/target/ergon-bench.jar"
}
