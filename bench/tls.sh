#!/usr/bin/env bash
# What TLS distribution costs: bench/run.sh's cross-node stream and call workloads (io.ergon.bench.xnode and
# bench/erlang/xnode.escript, unchanged) over plain TCP and over TLS, Ergon-Ergon and Erlang-Erlang (and, with
# --mixed, Ergon-Erlang and Erlang-Ergon over TLS), in one sitting; prints a Markdown table of medians.
#
#   bench/tls.sh [--rounds R] [--runs N] [--warmups N] [--messages N] [--calls N] [--mixed]
#
# Defaults: 2 rounds, each running every pairing over plain TCP and then over TLS (so that a change in the machine's
# load during the sitting falls on both transports), with 3 measured runs after 1 warm-up per pairing and round;
# 500,000 messages and 20,000 calls per run (the link and monitor workloads run too, 2,000 pairs, and are in
# results.txt but not in the table). The table's medians and ranges are over all rounds' runs.
# TLS: a CA and one node certificate (RSA 2048, subjectAltName localhost and 127.0.0.1) made with openssl in the
# results directory, and one Erlang ssl_dist_optfile (verify_peer both ways, fail_if_no_peer_cert, Erlang's default
# versions: TLS 1.3) that the Erlang nodes read with -proto_dist inet_tls and the Ergon nodes with
# TlsOptions.fromErlangOptFile (system property ergon.bench.tls). Each pairing: a server node and a client node on
# 127.0.0.1 with an epmd this script starts on a free port; every process it starts is stopped by its pid.
# BENCH_JAR: an ergon-bench.jar already built (-Pbench) to use as it is; otherwise bench/lib.sh builds it.
# Results land in bench/results/<date>-tls/ (results.txt, table.md, log.txt).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# table RESULTS: the Markdown table of a results file (bench/tls.sh --table FILE prints it again)
table() {
  awk -F'|' '
    function median(s,   a, n, i, j, t) {
      n = split(s, a, ",")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      lo[0] = a[1]; hi[0] = a[n]
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == "INFO" { printf "- %s: %s\n", $2, $3; next }
    $1 == "FAILED" { printf "- FAILED: %s %s\n", $2, $3; next }
    $1 == "RESULT" && ($2 == "xstream" || $2 == "xcall") {
      key = $2 "|" $3; unit[$2] = $4
      if (seen[key]++) vals[key] = vals[key] "," $5; else vals[key] = $5
    }
    END {
      for (key in vals) { med[key] = median(vals[key]); range[key] = sprintf("%.0f-%.0f", lo[0], hi[0]) }
      print ""
      print "| workload | pairing | plain TCP (median, range) | TLS (median, range) | TLS / plain |"
      print "|---|---|---|---|---|"
      for (w = 1; w <= 2; w++) {
        wl = (w == 1) ? "xstream" : "xcall"
        for (q = 1; q <= 4; q++) {
          pr = (q == 1) ? "ergon-ergon" : (q == 2) ? "erlang-erlang" : (q == 3) ? "ergon-erlang" : "erlang-ergon"
          kp = wl "|" pr "/plain"; kt = wl "|" pr "/tls"
          if (!(kp in med) && !(kt in med)) continue
          ratio = ((kp in med) && (kt in med) && med[kp] > 0) ? sprintf("%.0f%%", 100 * med[kt] / med[kp]) : "-"
          printf "| %s (%s) | %s | %s | %s | %s |\n", wl, unit[wl], pr, \
            (kp in med) ? sprintf("%.0f (%s)", med[kp], range[kp]) : "-", \
            (kt in med) ? sprintf("%.0f (%s)", med[kt], range[kt]) : "-", ratio
        }
      }
    }' "$1"
}

ROUNDS=2 RUNS=3 WARMUPS=1 MESSAGES=500000 CALLS=20000 LINKS=2000 MIXED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) shift; ROUNDS="$1" ;;
    --runs) shift; RUNS="$1" ;;
    --warmups) shift; WARMUPS="$1" ;;
    --messages) shift; MESSAGES="$1" ;;
    --calls) shift; CALLS="$1" ;;
    --mixed) MIXED=1 ;;
    --table) shift; table "$1"; exit 0 ;;
    *) echo "usage: bench/tls.sh [--rounds R] [--runs N] [--warmups N] [--messages N] [--calls N] [--mixed]" >&2
       exit 2 ;;
  esac
  shift
done
for tool in erl epmd escript openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench/tls.sh: needs $tool on the PATH" >&2; exit 1; }
done
if [ -n "${BENCH_JAR:-}" ] && [ -f "$BENCH_JAR" ]; then
  . "$ROOT/scripts/jdk.sh"
else
  . "$ROOT/bench/lib.sh"
  bench_build
fi
JAVA="$JAVA_HOME/bin/java"
# the flags of bench/run.sh's JVMs, with a smaller heap: two JVMs at once
JVM_FLAGS="${BENCH_JVM_FLAGS:--Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch -Xss512k --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.pollerMode=1}"

OUT="$ROOT/bench/results/$(date -u +%Y%m%d-%H%M%S)-tls"
mkdir -p "$OUT/pki"
RESULTS="$OUT/results.txt" LOG="$OUT/log.txt"
echo "bench/tls.sh: results in $OUT" >&2
info() { echo "INFO|$1|$2" >> "$RESULTS"; }
info "date" "$(date -u '+%Y-%m-%d %H:%M UTC')"
info "machine" "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; shared with other work, so figures are noisy"
info "JDK" "$("$JAVA" -version 2>&1 | sed -n 2p)"
info "JVM flags" "$JVM_FLAGS"
info "Erlang" "OTP $(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().'), ssl $(erl -noshell -eval 'application:load(ssl), {ok, V} = application:get_key(ssl, vsn), io:format("~s", [V]), halt().')"
info "workloads" "$MESSAGES messages (xstream), $CALLS calls (xcall) per run; $ROUNDS rounds of plain then TLS, each $RUNS runs after $WARMUPS warm-up; medians over all runs"

# --- the certificates and the optfile both kinds of node read
PKI="$OUT/pki"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 30 -subj "/CN=Ergon bench CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign >>"$LOG" 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$PKI/node.key" -out "$PKI/node.csr" -subj "/CN=bench node" >>"$LOG" 2>&1
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' \
  > "$PKI/ext.cnf"
openssl x509 -req -in "$PKI/node.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial -out "$PKI/node.pem" \
  -days 30 -extfile "$PKI/ext.cnf" >>"$LOG" 2>&1
OPTS="{certfile, \"$PKI/node.pem\"}, {keyfile, \"$PKI/node.key\"}, {cacertfile, \"$PKI/ca.pem\"}, {verify, verify_peer}"
printf '[{server, [%s, {fail_if_no_peer_cert, true}]},\n {client, [%s]}].\n' "$OPTS" "$OPTS" > "$PKI/dist.conf"
info "TLS" "RSA 2048 certificates, verify_peer both ways; $PKI/dist.conf"

EPMD_PID="" SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$EPMD_PID" ] && kill "$EPMD_PID" 2>/dev/null || true
}
trap cleanup EXIT
EPMD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ERL_EPMD_PORT="$EPMD_PORT"
epmd -port "$EPMD_PORT" -address 127.0.0.1 >>"$LOG" 2>&1 &
EPMD_PID=$!
for i in $(seq 50); do epmd -port "$EPMD_PORT" -names >/dev/null 2>&1 && break; sleep 0.1; done
COOKIE="tlsbench$RANDOM"

# node_cmd KIND MODE ROLE ARGS...: an Ergon or Erlang node of the cross-node benchmark, plain or TLS
node_cmd() {
  local kind="$1" mode="$2" role="$3"; shift 3
  local tls=""
  [ "$mode" = tls ] && tls="$PKI/dist.conf"
  if [ "$kind" = ergon ]; then
    local main=io.ergon.bench.xnode.XnodeServer
    [ "$role" = client ] && main=io.ergon.bench.xnode.XnodeClient
    echo "$JAVA $JVM_FLAGS -Dergon.bench.tls=$tls -cp $BENCH_JAR $main $1 $2 $EPMD_PORT ${*:3}"
  else
    echo "escript $ROOT/bench/erlang/xnode.escript $role $*"
  fi
}

# erl_flags MODE: ERL_FLAGS for an Erlang node (escript adds them to its emulator's arguments)
erl_flags() { [ "$1" = tls ] && echo "-proto_dist inet_tls -ssl_dist_optfile $PKI/dist.conf" || echo ""; }

run_pairing() {
  local pairing="$1" mode="$2" client="${1%-*}" server="${1#*-}"
  local sname="tsrv$RANDOM@localhost" cname="tcli$RANDOM@localhost" fifo="$OUT/server.in"
  echo "bench/tls.sh: $pairing over $mode" >&2
  rm -f "$fifo"; mkfifo "$fifo"
  ERL_FLAGS="$(erl_flags "$mode")" $(node_cmd "$server" "$mode" server "$sname" "$COOKIE") < "$fifo" \
    > "$OUT/server.out" 2>>"$LOG" &
  SERVER_PID=$!
  exec 9>"$fifo"
  local ready=0
  for i in $(seq 300); do grep -q '^READY' "$OUT/server.out" 2>/dev/null && { ready=1; break; }; sleep 0.1; done
  if [ "$ready" = 1 ]; then
    ERL_FLAGS="$(erl_flags "$mode")" timeout 1800 $(node_cmd "$client" "$mode" client "$cname" "$COOKIE" "$sname" \
      "$pairing/$mode" "$RUNS" "$WARMUPS" "$MESSAGES" "$CALLS" "$LINKS") 2>>"$LOG" | grep '^RESULT|' >> "$RESULTS" \
      || echo "FAILED|$pairing/$mode|client failed (see log.txt)" >> "$RESULTS"
  else
    echo "FAILED|$pairing/$mode|server did not start" >> "$RESULTS"
  fi
  exec 9>&-
  for i in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  rm -f "$fifo" "$OUT/server.out"
}

for round in $(seq "$ROUNDS"); do
  for pairing in ergon-ergon erlang-erlang; do
    for mode in plain tls; do
      run_pairing "$pairing" "$mode"
    done
  done
  if [ "$MIXED" = 1 ]; then
    run_pairing ergon-erlang tls
    run_pairing erlang-ergon tls
  fi
done
info "end" "$(date -u '+%H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# the table: medians (and the range) per workload, pairing and transport, and TLS as a share of plain
table "$RESULTS" | tee "$OUT/table.md"
