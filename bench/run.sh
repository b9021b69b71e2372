#!/usr/bin/env bash
# The side-by-side benchmark suite: the same workloads on Ergon, Apache Pekko (classic actors, default dispatcher)
# and Erlang/OTP (this machine's erl, default flags), on this machine, in one run; prints one Markdown table of
# medians, spreads and Ergon's ratios, with the machine, the date and the flags.
#
#   bench/run.sh [--quick] [--busy] [--only LIST]
#
# --quick        fewer runs (3 measured after 1 warm-up, ETF 5 JMH iterations): a few minutes. Without it: 7 measured
#                runs after 2 warm-ups (cross-node: 5 after 1), ETF 10 iterations after 5 warm-ups.
# --busy         every workload runs with two CPU hogs beside it, the same for each system: two processes started
#                before the first workload and stopped (by pid) after the last, each `sh -c 'while :; do :; done'`
#                (POSIX sh spinning on a builtin: one core each, no dependency) at this script's priority, named
#                ergon-bench-hog ($0) so that `pgrep -f ergon-bench-hog` finds them. The results directory ends in
#                -busy, and the table says busy.
# --only LIST    a comma-separated subset of: pingpong,pairs,stream1,stream4,call1,call100,spawn,idle,xnode,etf
# IDLE_SECONDS   the idle row's measuring window (default 60; after 5 s to settle).
# BENCH_JVM_FLAGS  the JVM flags of every JVM (Ergon's and Pekko's alike); default below.
#
# Every local workload runs in its own JVM (or escript VM) per system, one system after another, workload by
# workload. Cross-node: an epmd this script starts on a free loopback port (killed by pid at the end), and for
# each pairing a server node (registered sink and echo server) and a client node, both on 127.0.0.1.
# Idle: a node with 10,000 idle processes and one idle connection to a second node of its kind (Ergon: JVM,
# Erlang: beam; the second one in an OS process of its own), Pekko left out; this script reads the measured
# process's CPU time (utime + stime, /proc/PID/stat) before and after the window, the same way for both.
# Results land in bench/results/<date>/ (results.txt: raw per-run figures; table.md; log.txt).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

QUICK=0
BUSY=0
ALL="pingpong,pairs,stream1,stream4,call1,call100,spawn,idle,xnode,etf"
ONLY="$ALL"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --busy) BUSY=1 ;;
    --only) shift; ONLY="$1" ;;
    *) echo "usage: bench/run.sh [--quick] [--busy] [--only LIST]" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  RUNS=3 WARMUPS=1 XRUNS=3 XWARMUPS=1 ETF_ITERATIONS=5 ETF_WARMUPS=3
else
  RUNS=7 WARMUPS=2 XRUNS=5 XWARMUPS=1 ETF_ITERATIONS=10 ETF_WARMUPS=5
fi
XMESSAGES=1000000 XCALLS=100000 XLINKS=100000
# --add-opens lets Ergon run its workers on carrier threads of its own (Pekko ignores it). AlwaysPreTouch maps the
# whole heap before main: on these virtual machines the first touch of a fresh heap page is slow, and without it a
# JVM's first ~1 GB of allocation ran at a third of its later speed (GenServer calls: 320k/s for ~5 s, then 960k/s
# from the first young GC on), so the figures measured the host's page faults rather than the workload.
# jdk.pollerMode=1 is what README recommends for distributed nodes (platform-thread socket pollers that wake a
# connection's reader directly): Ergon-Ergon calls 8.2-8.5k/s with it, 6.3-6.7k/s without (2026-12-02).
JVM_FLAGS="${BENCH_JVM_FLAGS:--Xms4g -Xmx4g -XX:+UseParallelGC -XX:+AlwaysPreTouch -Xss512k --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.pollerMode=1}"
# The idle row's node goes without AlwaysPreTouch: touching a 4 GB heap goes on costing CPU time well after the
# node is up (3.6% of a core over a 30 s window with it, 0.17% without, the same build in one sitting), and the
# row is about a node at rest, not about its start.
IDLE_JVM_FLAGS="${JVM_FLAGS//-XX:+AlwaysPreTouch/}"
ERL_SPAWN_FLAGS="+P 2000000"
IDLE_SECONDS="${IDLE_SECONDS:-60}" IDLE_SETTLE=5 IDLE_PROCESSES=10000

command -v erl >/dev/null || echo "bench: erl not found; the Erlang columns stay empty" >&2
bench_build
SUFFIX=""
[ "$BUSY" = 1 ] && SUFFIX="-busy"
OUT="$ROOT/bench/results/$(date -u +%Y%m%d-%H%M%S)$SUFFIX"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
LOG="$OUT/log.txt"
JAVA="$JAVA_HOME/bin/java"
echo "bench: results in $OUT" >&2

info() { echo "INFO|$1|$2" >> "$RESULTS"; }
info "date" "$(date -u '+%Y-%m-%d %H:%M UTC')"
info "machine" "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); shared with other work, so figures are noisy"
info "JDK" "$("$JAVA" -version 2>&1 | sed -n 2p)"
info "JVM flags (Ergon and Pekko)" "$JVM_FLAGS"
info "Pekko" "pekko-actor_2.13 $(sed -n 's:.*<pekko.version>\(.*\)</pekko.version>.*:\1:p' "$ROOT/pom.xml"), classic actors, default configuration and dispatcher"
if command -v erl >/dev/null; then
  info "Erlang" "OTP $(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().') ERTS $(erl -noshell -eval 'io:format("~s", [erlang:system_info(version)]), halt().'), default flags; escripts in -mode(compile); spawn workload with $ERL_SPAWN_FLAGS (1M processes exceed the default limit)"
fi
info "runs" "local: median of $RUNS runs after $WARMUPS warm-ups, each system in its own JVM/VM per workload; cross-node: $XRUNS after $XWARMUPS; ETF: JMH, $ETF_ITERATIONS × 1 s after $ETF_WARMUPS; ±x% is half the min..max spread over the median"
info "command" "bench/run.sh$([ "$QUICK" = 1 ] && echo " --quick")$([ "$BUSY" = 1 ] && echo " --busy")$(
  [ "$ONLY" != "$ALL" ] && echo " --only $ONLY")"

EPMD_PID=""
SERVER_PID=""
IDLE_PID=""
HOG_PIDS=""
stop_hogs() {
  local p
  for p in $HOG_PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  HOG_PIDS=""
}
cleanup() {
  stop_hogs
  [ -n "$IDLE_PID" ] && kill "$IDLE_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$EPMD_PID" ] && kill "$EPMD_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --busy: the hogs start before the first workload and run through the last (stop_hogs; cleanup on errors and ^C)
if [ "$BUSY" = 1 ]; then
  for i in 1 2; do
    sh -c 'while :; do :; done' ergon-bench-hog &
    HOG_PIDS="$HOG_PIDS $!"
  done
  info "load" "busy, 2 CPU hogs (pid$HOG_PIDS), each sh -c 'while :; do :; done' at normal priority, running beside every workload of every system"
else
  info "load" "nothing added (--busy runs the workloads beside 2 CPU hogs)"
fi

wants() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# run LABEL WORKLOAD SYSTEM COMMAND...: appends the command's RESULT lines, or a FAILED line
run() {
  local workload="$1" system="$2"; shift 2
  echo "bench: $workload on $system" >&2
  if ! "$@" 2>>"$LOG" | tee -a "$LOG" | grep '^RESULT|' >> "$RESULTS"; then
    echo "FAILED|$workload|$system|exit status; see log.txt" >> "$RESULTS"
  fi
}

for w in pingpong pairs stream1 stream4 call1 call100 spawn; do
  wants "$w" || continue
  run "$w" ergon timeout 1800 "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" io.ergon.bench.workloads.Bench ergon "$w" "$RUNS" "$WARMUPS"
  case "$w" in call*)
    run "$w" ergon-callerruns timeout 1800 "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" io.ergon.bench.workloads.Bench \
      ergon-callerruns "$w" "$RUNS" "$WARMUPS"
    run "$w" ergon-threads timeout 1800 "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" io.ergon.bench.workloads.Bench \
      ergon-threads "$w" "$RUNS" "$WARMUPS" ;;
  esac
  run "$w" pekko timeout 1800 "$JAVA" $JVM_FLAGS -cp "$BENCH_JAR" io.ergon.bench.workloads.Bench pekko "$w" "$RUNS" "$WARMUPS"
  if command -v erl >/dev/null; then
    flags=""; [ "$w" = spawn ] && flags="$ERL_SPAWN_FLAGS"
    run "$w" erlang env ERL_FLAGS="$flags" timeout 1800 escript "$ROOT/bench/erlang/local.escript" "$w" "$RUNS" "$WARMUPS"
  fi
done

# node_cmd KIND ROLE NAME: the command line of an Ergon or Erlang node of the cross-node benchmark
node_cmd() {
  local kind="$1" role="$2"; shift 2
  if [ "$kind" = ergon ]; then
    local main=io.ergon.bench.xnode.XnodeServer
    [ "$role" = client ] && main=io.ergon.bench.xnode.XnodeClient
    local flags="$JVM_FLAGS"
    [ "$role" = idle ] && main=io.ergon.bench.xnode.IdleCost && flags="$IDLE_JVM_FLAGS"
    echo "$JAVA $flags -cp $BENCH_JAR $main $1 $2 $EPMD_PORT ${*:3}"
  else
    echo "escript $ROOT/bench/erlang/xnode.escript $role $*"
  fi
}

# start_epmd: an epmd on a free loopback port, once; sets EPMD_PORT, ERL_EPMD_PORT and COOKIE
start_epmd() {
  [ -n "$EPMD_PID" ] && return 0
  EPMD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000)))
  COOKIE="bench$RANDOM$RANDOM"
  export ERL_EPMD_PORT="$EPMD_PORT"
  epmd -port "$EPMD_PORT" -address 127.0.0.1 >>"$LOG" 2>&1 &
  EPMD_PID=$!
  for i in $(seq 50); do epmd -port "$EPMD_PORT" -names >/dev/null 2>&1 && break; sleep 0.1; done
}

# await_ready FILE: true once FILE has a READY line (up to 30 s)
await_ready() {
  for i in $(seq 300); do grep -q '^READY' "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# stop PID: waits up to 10 s for the process to end by itself, then kills it
stop() {
  for i in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# cpu_ticks PID: the process's user + system CPU time so far in clock ticks (/proc/PID/stat fields 14 and 15,
# counted after the parenthesised command name)
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }

# idle_figures SYSTEM PID: after the settling time, PID's CPU use over the window (in % of a core) and its OS
# threads, as RESULT lines; fails if PID ends meanwhile
idle_figures() {
  local c0 c1 t0 t1 threads
  sleep "$IDLE_SETTLE"
  c0=$(cpu_ticks "$2") && t0=$(date +%s%N) && sleep "$IDLE_SECONDS" && c1=$(cpu_ticks "$2") && t1=$(date +%s%N) \
    && threads=$(awk '/^Threads:/{print $2}' "/proc/$2/status" 2>/dev/null) && [ -n "$c1" ] && [ -n "$threads" ] \
    || return 1
  echo "RESULT|idle|$1|% of a core over $IDLE_SECONDS s|$(awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" \
    -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", 100 * c / hz / (ns / 1e9) }')"
  echo "RESULT|idle.threads|$1|OS threads|$threads"
}

if wants idle && command -v epmd >/dev/null; then
  start_epmd
  info "idle" "$IDLE_PROCESSES idle processes and 1 idle connection (made by a ping) to a second node of the same kind in its own OS process (not measured); CPU: utime + stime of the measured JVM (without -XX:+AlwaysPreTouch) or beam (/proc/PID/stat, in ticks of 1/$(getconf CLK_TCK) s) over one $IDLE_SECONDS s window after $IDLE_SETTLE s to settle; OS threads: /proc/PID/status at the window's end; JVM platform threads: ThreadMXBean"
  for system in ergon erlang; do
    [ "$system" = erlang ] && ! command -v erl >/dev/null && continue
    echo "bench: idle on $system" >&2
    peer="bpeer$RANDOM@localhost"
    fifo="$OUT/idle.in"
    rm -f "$fifo" "$OUT/idle.out"; mkfifo "$fifo"
    # both nodes read the fifo until we close it (the second is started after we open it: 9>&- keeps it from
    # holding our end open)
    $(node_cmd "$system" server "$peer" "$COOKIE") < "$fifo" > "$OUT/server.out" 2>>"$LOG" &
    SERVER_PID=$!
    exec 9>"$fifo"
    if await_ready "$OUT/server.out"; then
      $(node_cmd "$system" idle "bidle$RANDOM@localhost" "$COOKIE" "$peer" "$IDLE_PROCESSES") \
        < "$fifo" > "$OUT/idle.out" 2>>"$LOG" 9>&- &
      IDLE_PID=$!
      if await_ready "$OUT/idle.out"; then
        idle_figures "$system" "$IDLE_PID" >> "$RESULTS" \
          || echo "FAILED|idle|$system|the node ended during the window" >> "$RESULTS"
      else
        echo "FAILED|idle|$system|node did not start" >> "$RESULTS"
      fi
    else
      echo "FAILED|idle|$system|second node did not start" >> "$RESULTS"
    fi
    exec 9>&-
    [ -n "$IDLE_PID" ] && stop "$IDLE_PID"
    stop "$SERVER_PID"
    IDLE_PID="" SERVER_PID=""
    grep '^RESULT|' "$OUT/idle.out" >> "$RESULTS" 2>/dev/null || true
    cat "$OUT/idle.out" >> "$LOG" 2>/dev/null || true
    rm -f "$fifo" "$OUT/idle.out" "$OUT/server.out"
  done
fi

if wants xnode && command -v erl >/dev/null && command -v epmd >/dev/null; then
  start_epmd
  "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -cp "$BENCH_JAR" io.ergon.bench.report.LoopbackRtt >> "$RESULTS" 2>>"$LOG" || true
  info "cross-node" "epmd on 127.0.0.1:$EPMD_PORT; $XMESSAGES messages, $XCALLS calls, $XLINKS link/monitor pairs per run; each run in a fresh process on the client node"
  for pairing in ergon-ergon erlang-erlang ergon-erlang erlang-ergon; do
    client="${pairing%-*}" server="${pairing#*-}"
    sname="bsrv$RANDOM@localhost" cname="bcli$RANDOM@localhost"
    echo "bench: cross-node $pairing" >&2
    fifo="$OUT/server.in"
    rm -f "$fifo"; mkfifo "$fifo"
    # the server reads the fifo until we close it; sleep holds the fifo open meanwhile
    $(node_cmd "$server" server "$sname" "$COOKIE") < "$fifo" > "$OUT/server.out" 2>>"$LOG" &
    SERVER_PID=$!
    exec 9>"$fifo"
    ready=0
    for i in $(seq 300); do grep -q '^READY' "$OUT/server.out" 2>/dev/null && { ready=1; break; }; sleep 0.1; done
    if [ "$ready" = 1 ]; then
      run xnode "$pairing" timeout 1800 $(node_cmd "$client" client "$cname" "$COOKIE" "$sname" "$pairing" \
        "$XRUNS" "$XWARMUPS" "$XMESSAGES" "$XCALLS" "$XLINKS")
    else
      echo "FAILED|xnode|$pairing|server did not start" >> "$RESULTS"
    fi
    exec 9>&-
    stop "$SERVER_PID"
    SERVER_PID=""
    rm -f "$fifo"
  done
fi
if [ -n "$EPMD_PID" ]; then
  kill "$EPMD_PID" 2>/dev/null || true
  wait "$EPMD_PID" 2>/dev/null || true
  EPMD_PID=""
fi

if wants etf; then
  run etf ergon/jinterface "$JAVA" -Dbench.iterations="$ETF_ITERATIONS" -Dbench.warmups="$ETF_WARMUPS" \
    -Dbench.seconds=1 -Dbench.forks=1 -cp "$BENCH_JAR" io.ergon.bench.etf.EtfBenchmarkReport
fi
stop_hogs

"$JAVA" -cp "$BENCH_JAR" io.ergon.bench.report.Report "$RESULTS" | tee "$OUT/table.md"
