# Sourced by ./ergon and ./run-tests: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is a JDK >= 21, then the newest JDK >= 21 under /usr/lib/jvm.
# Exits with a clear message when there is none.

ERGON_MIN_JAVA=21

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing if $1 is not a JDK.
ergon_jdk_version() {
  local home="$1" v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  [ "$v" = "1" ] && v=8
  echo "$v"
}

ergon_find_jdk() {
  local v best="" best_v=0 dir
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(ergon_jdk_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$ERGON_MIN_JAVA" ]; then
      echo "$JAVA_HOME"; return 0
    fi
  fi
  for dir in /usr/lib/jvm/*; do
    [ -d "$dir" ] || continue
    [ -L "$dir" ] && continue
    v=$(ergon_jdk_version "$dir")
    if [ -n "$v" ] && [ "$v" -ge "$ERGON_MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then
      best="$dir"; best_v="$v"
    fi
  done
  [ -n "$best" ] && echo "$best"
  return 0
}

ERGON_JDK=$(ergon_find_jdk)
if [ -z "$ERGON_JDK" ]; then
  echo "error: Ergon needs a JDK $ERGON_MIN_JAVA or newer, and none was found." >&2
  echo "       Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*." >&2
  echo "       Install one (e.g. apt-get install openjdk-21-jdk-headless) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$ERGON_JDK"
export PATH="$JAVA_HOME/bin:$PATH"

# Maven builds Ergon; say so clearly when it is missing.
if ! command -v mvn >/dev/null 2>&1; then
  echo "error: Ergon builds with Maven 3.8+, and 'mvn' is not on the PATH (Debian: apt-get install maven)." >&2
  exit 1
fi
