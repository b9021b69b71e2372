#!/usr/bin/env bash
# I/O as processes beside Erlang's gen_tcp: the same echo server ({active, once}, an acceptor pool of 4, a process per
# connection) as Ergon's TcpServer (io.ergon.io.bench.EchoServerMain) and as an escript (bench/io/echo_server.escript),
# under the same load (io.ergon.io.bench.EchoLoad, a JVM beside the server on the same cores):
#   - memory per idle connection: 10,000 connections held open, each echoed once; the server's own accounting
#     (Ergon: heap in use after a full GC; Erlang: erlang:memory(total) after a GC of every process) and its RSS,
#     before and after, divided by 10,000;
#   - echo round trips/s: 200 connections, one 64-byte message in flight on each, 5 s after 1 s of warm-up;
#   - accept rate: 4 client threads that connect, echo one byte and close, 5 s after 1 s of warm-up;
#   - the server's CPU time (user + system, from /proc) per round trip and per accepted connection, over all those
#     runs made: less swayed than the rates by other work on the machine, which takes cores but not CPU time.
#
#   bench/io.sh [--quick] [--busy]
#
# --quick: 1 round (else 3; medians are printed). --busy: two CPU hogs (sh spinning) run beside, stopped by pid.
# Prints a Markdown table; raw figures go to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ROUNDS=3 BUSY=0 HELD=10000
for a in "$@"; do
  case "$a" in
    --quick) ROUNDS=1 ;;
    --busy) BUSY=1 ;;
    *) echo "usage: bench/io.sh [--quick] [--busy]" >&2; exit 2 ;;
  esac
done
command -v escript >/dev/null || { echo "bench: escript (erlang) not found" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"  # each side holds 10,000 sockets: the hard limit must be above that
(cd "$ROOT" && mvn -o -q -B -pl ergon-io -am test-compile && mvn -o -q -B -pl ergon-io dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/ergon-io/target/bench-classpath.txt" -Dmdep.includeScope=test) >&2
# this checkout's ergon-core classes, not a jar another build installed
CP="$ROOT/ergon-io/target/test-classes:$ROOT/ergon-io/target/classes:$ROOT/ergon-core/target/classes:$(tr ':' '\n' \
  < "$ROOT/ergon-io/target/bench-classpath.txt" | grep -v '/ergon-core/' | paste -sd:)"
JAVA="$JAVA_HOME/bin/java"
LOAD=("$JAVA" -Xmx2g -cp "$CP" io.ergon.io.bench.EchoLoad)

PIDS=""
cleanup() { local p; for p in $PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
if [ "$BUSY" = 1 ]; then
  for i in 1 2; do sh -c 'while :; do :; done' & PIDS="$PIDS $!"; done
  echo "bench: busy, 2 CPU hogs (pid$PIDS)" >&2
fi
echo "bench: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), JDK $JAVA_HOME, $(erl -noshell -eval 'io:format("OTP ~s", [erlang:system_info(otp_release)]), halt().')" >&2

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

TICK=$(getconf CLK_TCK)
# cpu_us PID: the process's CPU time so far, in microseconds
cpu_us() { awk -v t="$TICK" '{printf "%d", ($14 + $15) * 1000000 / t}' "/proc/$1/stat"; }

# run_server NAME: starts the server as a coprocess, measures, stops it; sets MEM_<NAME>, RSS_<NAME>, ECHO_<NAME>,
# ACCEPT_<NAME>, ECHOCPU_<NAME>, ACCEPTCPU_<NAME>
run_server() {
  local name=$1 port line mem0 rss0 mem1 rss1 fifo holder echo_runs="" accept_runs="" r c0
  local echo_cpu=0 echo_ops=0 accept_cpu=0 accept_ops=0
  if [ "$name" = ergon ]; then
    # -Xmn24m: a young generation sized to what an echo server allocates; G1's own sizing lets eden grow up to 60%
    # of the heap, and every page eden ever touched stays in the RSS, which then counts garbage, not connections
    coproc SRV { exec "$JAVA" -Xms256m -Xmx2g -Xmn24m --add-opens java.base/java.lang=ALL-UNNAMED -cp "$CP" \
      io.ergon.io.bench.EchoServerMain 4; }
  else
    coproc SRV { exec escript "$ROOT/bench/io/echo_server.escript" 4; }
  fi
  local srv_pid=$SRV_PID
  PIDS="$PIDS $srv_pid"
  read -r line <&"${SRV[0]}"; port=${line#port }
  echo mem >&"${SRV[1]}"; read -r line <&"${SRV[0]}"; set -- $line; mem0=$2 rss0=$3
  fifo=$(mktemp -u); mkfifo "$fifo"
  "${LOAD[@]}" hold "$port" "$HELD" < "$fifo" > "$fifo.out" & holder=$!
  PIDS="$PIDS $holder"
  exec 7>"$fifo"
  for _ in $(seq 1 600); do grep -q held "$fifo.out" 2>/dev/null && break; sleep 0.5; done
  grep -q "held $HELD" "$fifo.out" || { echo "bench: $name did not hold $HELD connections" >&2; exit 1; }
  echo mem >&"${SRV[1]}"; read -r line <&"${SRV[0]}"; set -- $line; mem1=$2 rss1=$3
  echo "bench: $name $HELD held: own accounting $mem0 -> $mem1 B, RSS $rss0 -> $rss1 B, processes $4" >&2
  exec 7>&-; wait "$holder" || true; rm -f "$fifo" "$fifo.out"
  eval "MEM_$name=$(( (mem1 - mem0) / HELD ))"; eval "RSS_$name=$(( (rss1 - rss0) / HELD ))"
  for r in $(seq 1 "$ROUNDS"); do
    c0=$(cpu_us "$srv_pid")
    line=$("${LOAD[@]}" echo "$port" 200 5 64); echo "bench: $name round $r $line" >&2; set -- $line
    echo_runs="$echo_runs $2"; echo_ops=$((echo_ops + $3)); echo_cpu=$((echo_cpu + $(cpu_us "$srv_pid") - c0))
    c0=$(cpu_us "$srv_pid")
    line=$("${LOAD[@]}" accept "$port" 4 5); echo "bench: $name round $r $line" >&2; set -- $line
    accept_runs="$accept_runs $2"; accept_ops=$((accept_ops + $3)); accept_cpu=$((accept_cpu + $(cpu_us "$srv_pid") - c0))
  done
  eval "ECHO_$name=$(echo "$echo_runs" | median)"; eval "ACCEPT_$name=$(echo "$accept_runs" | median)"
  eval "ECHOCPU_$name=$(awk -v c="$echo_cpu" -v n="$echo_ops" 'BEGIN {printf "%.1f", c / n}')"
  eval "ACCEPTCPU_$name=$(awk -v c="$accept_cpu" -v n="$accept_ops" 'BEGIN {printf "%.1f", c / n}')"
  echo "bench: $name server CPU: ${echo_cpu} us over $echo_ops round trips, ${accept_cpu} us over $accept_ops connections" >&2
  echo quit >&"${SRV[1]}"; wait "$srv_pid" 2>/dev/null || true
}

run_server ergon
run_server erlang
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mode=quiet; [ "$BUSY" = 1 ] && mode="busy (2 CPU hogs)"
echo
echo "| $mode, medians of $ROUNDS | Ergon | Erlang/OTP | Ergon / Erlang |"
echo "|---|---|---|---|"
echo "| memory per idle connection, own accounting (B) | $MEM_ergon | $MEM_erlang | $(ratio "$MEM_ergon" "$MEM_erlang") |"
echo "| memory per idle connection, RSS (B) | $RSS_ergon | $RSS_erlang | $(ratio "$RSS_ergon" "$RSS_erlang") |"
echo "| echo round trips/s, 200 connections, 64 B | $ECHO_ergon | $ECHO_erlang | $(ratio "$ECHO_ergon" "$ECHO_erlang") |"
echo "| accepts/s, 4 clients connect-echo-close | $ACCEPT_ergon | $ACCEPT_erlang | $(ratio "$ACCEPT_ergon" "$ACCEPT_erlang") |"
echo "| server CPU per round trip (us) | $ECHOCPU_ergon | $ECHOCPU_erlang | $(ratio "$ECHOCPU_ergon" "$ECHOCPU_erlang") |"
echo "| server CPU per accepted connection (us) | $ACCEPTCPU_ergon | $ACCEPTCPU_erlang | $(ratio "$ACCEPTCPU_ergon" "$ACCEPTCPU_erlang") |"
