#!/bin/sh
# pool-rate.sh: filestorm-pool's open loop (--rate) and kept connections
# (--keep-alive), against the real filestorm-server and against
# tests/timed-server.py, a LIST server with a known service time that can
# stall once. Prints TAP.
#
# The coordinated-omission case is wrk2's demonstration: one connection,
# 200 operations a second for 5 s, a server that answers in about 1 ms
# but stalls once for 1 s. About 200 operations are due inside the stall:
# timed from when they were due (corrected), the p99 shows the stall;
# timed from their send (uncorrected), only the one in flight waited.
#
# Every run is on loopback, bounded by timeout(1) and by its --duration.

set -u

srcdir=$(dirname "$0")/..
srv=${FILESTORM_SERVER:-$srcdir/src/filestorm-server}
cli=${FILESTORM_CLIENT:-$srcdir/src/filestorm-client}
pool=${FILESTORM_POOL:-$srcdir/src/filestorm-pool}
timed=$srcdir/tests/timed-server.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-rate-XXXXXX") || exit 99
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

. "$srcdir/tests/tap.sh"
show () { tr '\n' '|' <"$1" | cut -c1-400; }
fail () { desc=$1; shift; not_ok "$desc"; for line in "$@"; do echo "# $line"; done; }

# json FILE EXPRESSION: evaluates a Python expression on the JSON in FILE
# (bound to j) and prints it.
json () {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$1" "$2"
}

# wait_port FILE: waits up to 10 s for a port file; prints the port.
wait_port () {
  i=0
  while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  cat "$1" 2>/dev/null
}

# --- bad input: one line on stderr, exit 2, nothing run.
usage () {
  desc="filestorm-pool $*: exit 2, one line naming $1"
  timeout 10 "$pool" --port 9 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] \
     && grep -q -- "${1%%=*}" "$tmp/err"; then
    ok "$desc"
  else
    fail "$desc" "exit status $rc" "stderr: $(show "$tmp/err")"
  fi
}
usage --rate 0 --duration 1
usage --rate -5 --duration 1
usage --rate fast --duration 1
usage --rate 10000001 --duration 1
usage --rate nan --duration 1
usage --rate 100 --repeat 3
usage --rate 100
usage --arrival burst --rate 100 --duration 1
usage --arrival poisson --duration 1
usage --rate 10000000 --duration 86400

# --- against filestorm-server
"$srv" --port 0 --port-file "$tmp/srv.port" --root "$tmp/root" --pool 4 \
  >"$tmp/srv.out" 2>&1 &
pids="$pids $!"
port=$(wait_port "$tmp/srv.port")
if [ -z "$port" ]; then
  fail "filestorm-server starts" "$(show "$tmp/srv.out")"
  exit 1
fi

# connections SERVER-PORT: the server's count of connections so far.
connections () {
  timeout 10 "$cli" --port "$1" stats >"$tmp/stats" 2>&1 && json "$tmp/stats" "j['connections']"
}

# --keep-alive: 3 clients of 10 operations make 3 connections, not 30
# (the pool's STATS and ours make two more).
before=$(connections "$port")
timeout 60 "$pool" --port "$port" --operation list --client-pool 3 --repeat 10 --keep-alive \
  >"$tmp/keep.out" 2>&1
rc=$?
after=$(connections "$port")
check "--keep-alive: 30 operations on 3 connections (exit $rc, $before -> $after)" \
  '[ "$rc" -eq 0 ] && [ $((after - before)) -eq 5 ]'
grep -q "Client pool size: *3, one kept connection each" "$tmp/keep.out" \
  && ok "--keep-alive: the summary says so" || fail "--keep-alive: the summary says so" \
  "$(show "$tmp/keep.out")"

# --rate in process clients: 400 uniform operations due in 1 s, every one
# counted once (done, or never sent), each client on one connection.
before=$(connections "$port")
timeout 60 "$pool" --port "$port" --mode process --operation list --client-pool 3 \
  --rate 400 --duration 1 --warmup 0.25 --json >"$tmp/rate.json" 2>"$tmp/rate.err"
rc=$?
after=$(connections "$port")
if [ "$rc" -eq 0 ] && [ "$(json "$tmp/rate.json" "j['open_loop']['due']")" = 400 ] \
   && [ "$(json "$tmp/rate.json" \
       "j['success'] + j['fail'] + j['open_loop']['unsent'] == 400 and j['fail'] == 0")" = True ] \
   && [ "$(json "$tmp/rate.json" \
       "j['rate'] == 400 and j['keep_alive'] and j['open_loop']['arrival'] == 'uniform'")" = True ] \
   && [ $((after - before)) -le 5 ]; then
  ok "--rate 400 for 1 s in process clients: 400 due, each counted once, 3 connections"
else
  fail "--rate 400 for 1 s in process clients: 400 due, each counted once, 3 connections" \
    "exit $rc, connections $before -> $after" "$(show "$tmp/rate.json")" "$(show "$tmp/rate.err")"
fi
check "--rate: the warm-up's 100 are apart" \
  '[ "$(json "$tmp/rate.json" "j[\"warmup_operations\"]")" -ge 95 ]'
check "--rate: corrected latency (latency_ms) is at least the uncorrected" \
  '[ "$(json "$tmp/rate.json" "j[\"latency_ms\"][\"p50\"] >= j[\"open_loop\"][\"uncorrected_latency_ms\"][\"p50\"]")" = True ]'

# Poisson arrivals: 500 expected in 1 s, a count with a standard deviation
# of 22; 5 of them either side. A count of exactly 500, which a uniform
# schedule would give, happens to a Poisson one about 1 time in 55 (it
# did in one CI run of issue 30): a second run then must not give it.
for try in 1 2; do
  timeout 60 "$pool" --port "$port" --operation list --client-pool 2 --rate 500 --duration 1 \
    --arrival poisson --json >"$tmp/poisson.json" 2>"$tmp/poisson.err"
  rc=$?
  due=$(json "$tmp/poisson.json" "j['open_loop']['due']" 2>/dev/null)
  [ "${due:-0}" != 500 ] && break
done
check "--arrival poisson: $due due in 1 s at 500/s, arrival named (exit $rc)" \
  '[ "$rc" -eq 0 ] && [ "${due:-0}" -ge 390 ] && [ "$due" -le 610 ] && [ "$due" -ne 500 ] \
   && [ "$(json "$tmp/poisson.json" "j[\"open_loop\"][\"arrival\"]")" = poisson ]'

# The summary a person reads.
timeout 60 "$pool" --port "$port" --operation list --rate 100 --duration 0.5 >"$tmp/sum.out" 2>&1
for line in "Rate: *100.0 ops/s offered (uniform arrivals, 100 asked)" "Late starts: " \
            "Schedule lag (ms): *p50 " "Latency (ms), corrected: *min " "Uncorrected (ms): *min "; do
  grep -q "^$line" "$tmp/sum.out" && ok "summary: $line" \
    || fail "summary: $line" "$(show "$tmp/sum.out")"
done

# --- coordinated omission, against the timed server
python3 "$timed" --port 0 --port-file "$tmp/timed.port" --service-ms 1 \
  --stall-after 300 --stall-ms 1000 --stop-after 60 >"$tmp/timed.out" 2>&1 &
pids="$pids $!"
tport=$(wait_port "$tmp/timed.port")
timeout 60 "$pool" --port "$tport" --operation list --client-pool 1 --rate 200 --duration 5 \
  --json >"$tmp/co.json" 2>"$tmp/co.err"
rc=$?
corrected=$(json "$tmp/co.json" "j['latency_ms']['p99']" 2>/dev/null)
uncorrected=$(json "$tmp/co.json" "j['open_loop']['uncorrected_latency_ms']['p99']" 2>/dev/null)
late=$(json "$tmp/co.json" "j['open_loop']['late']" 2>/dev/null)
check "coordinated omission: 1,000 due, every one answered (exit $rc)" \
  '[ "$rc" -eq 0 ] && [ "$(json "$tmp/co.json" "j[\"open_loop\"][\"due\"]")" = 1000 ] \
   && [ "$(json "$tmp/co.json" "j[\"success\"]")" = 1000 ]'
check "coordinated omission: the corrected p99 ($corrected ms) shows the 1 s stall" \
  '[ "$(python3 -c "print(${corrected:-0} >= 500)")" = True ]'
check "coordinated omission: the uncorrected p99 ($uncorrected ms) does not" \
  '[ "$(python3 -c "print(0 < ${uncorrected:-0} < 100)")" = True ]'
# The stall's 200 at least; more while the backlog drains, as many more
# as the server is slow to catch up (on a busy machine, a few hundred).
check "coordinated omission: at least the stall's late starts ($late)" \
  '[ "${late:-0}" -ge 150 ] && [ "$late" -le 1000 ]'
check "coordinated omission: a backlog of the stall's 200 at least" \
  '[ "$(json "$tmp/co.json" "150 <= j[\"open_loop\"][\"max_backlog\"] <= 1000")" = True ]'

echo "1..$n"
exit $failed
