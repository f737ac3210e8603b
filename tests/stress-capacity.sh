#!/bin/sh
# stress-capacity.sh: filestorm-stress --slo against tests/timed-server.py,
# a LIST server of known capacity: {pool} workers of 5 ms each, so about
# 200 operations a second per worker (Python's own overhead makes it 180
# to 190 here). A search under p99<=50ms with uniform arrivals lands
# within 15% of that; with two workers, of twice that; with Poisson
# arrivals, lower (queues form before the capacity). Then bad input.
# Every server listens on 127.0.0.1; every run is bounded by timeout(1)
# and by the search's most steps. Prints TAP.
set -u
stress=${FILESTORM_STRESS:?FILESTORM_STRESS is not set}
srcdir=${FILESTORM_SRCDIR:-.}
# Absolute: the server command runs in its own root.
timed="$(cd "$srcdir" && pwd)/tests/timed-server.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/fs-capacity.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$srcdir/tests/tap.sh"

if ! command -v python3 >/dev/null 2>&1; then
  echo "1..0 # SKIP python3 not found (the test server is a Python script)"
  exit 0
fi

# run NAME MODES WORKERS RUNS ARGS...: a search of list with 4 connections
# against the timed server with WORKERS workers ({pool}), from a matrix
# whose [run] sets the objective (slo=); sets status, and json to the
# results' JSON.
run () {
  name=$1 modes=$2 workers=$3 runs=$4
  shift 4
  mkdir -p "$work/$name/tmp"
  printf '[matrix]\nmodes=%s\noperations=list\nvolumes=1\nclient_pools=4\nserver_pools=%s\n[run]\nduration=0.5\nwarmup=0.1\nruns=%s\nslo=p99<=50ms\n' \
    "$modes" "$workers" "$runs" >"$work/$name/matrix.conf"
  TMPDIR=$work/$name/tmp timeout 300 "$stress" --no-report --results-dir "$work/$name/results" \
    --server-command "python3 $timed --port {port} --workers {pool} --service-ms 5 --stop-after 280" \
    --matrix "$work/$name/matrix.conf" --slo-start 50 "$@" >"$work/$name/out" 2>"$work/$name/err"
  status=$?
  json=$(ls "$work/$name"/results/orchestrator_results_*.json 2>/dev/null | head -n 1)
}
# value EXPRESSION: a Python expression over j, the results of the last
# run, printed.
value () {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "${json:-/dev/null}" "$1" 2>/dev/null
}
# within X LOW HIGH
within () { python3 -c "import sys; print($2 <= float(sys.argv[1]) <= $3)" "${1:-nan}"; }
show () { sed 's/^/# /' "$work/$1/out" | tail -n 8; sed 's/^/# /' "$work/$1/err" | head -n 3; }

# 1. One worker, uniform arrivals: a capacity of about 200 (within 15%).
run one thread 1 1
cap=$(value "j['scenarios'][0]['median']['capacity_ops_per_s']")
check "one worker: exit 0 (got $status)" '[ "$status" -eq 0 ]'
check "one worker: capacity $cap ops/s is 200 within 15%" \
  '[ "$(within "$cap" 170 230)" = True ]' || show one
check "one worker: every step in the JSON, the last the confirmation at the capacity" \
  '[ "$(value "[s[\"offered\"] for s in j[\"scenarios\"][0][\"runs\"][0][\"search\"][\"steps\"]][-1] == j[\"scenarios\"][0][\"median\"][\"capacity_ops_per_s\"] and j[\"scenarios\"][0][\"runs\"][0][\"search\"][\"confirmed\"] and len(j[\"scenarios\"][0][\"runs\"][0][\"search\"][\"steps\"]) >= 5 and any(not s[\"met\"] for s in j[\"scenarios\"][0][\"runs\"][0][\"search\"][\"steps\"])")" = True ]'
check "one worker: the objective in the results" \
  '[ "$(value "j[\"run\"][\"matrix\"][\"slo\"]")" = "p99<=50ms,errors<=0%" ]'
check "one worker: the length is estimated before the search" \
  'grep -q "^capacity search under p99 ≤ 50 ms, from 50 ops/s, uniform arrivals: each of the 1 x 1 runs takes 10 to 18 steps" "$work/one/out"'
check "one worker: the CSV has the capacity" \
  '[ "$(head -n 1 "$work"/one/results/*.csv | tr , "\n" | grep -c "^capacity_ops_per_s")" = 3 ]'

# 2. Two workers, under both labels (one server twice: A/A): about 400
# each, and the answer names both capacities.
run two "thread;process" 2 2
check "two workers: exit 0 (got $status)" '[ "$status" -eq 0 ]'
for k in 0 1; do
  c=$(value "j['scenarios'][$k]['median']['capacity_ops_per_s']")
  check "two workers, $(value "j['scenarios'][$k]['mode']"): capacity $c ops/s is 400 within 15%" \
    '[ "$(within "$c" 340 460)" = True ]' || show two
done
check "two workers: the answer names each model's capacity" \
  'grep -q "list, 4 clients, at p99 ≤ 50 ms: thread pool 2 sustains [0-9]* ops/s, process pool 2 [0-9]* (" "$work/two/out"' \
  || show two

# 3. Poisson arrivals: queues form below the capacity, so the search
# lands lower than with uniform ones. Steps of 1 s: at 0.5 s, 1 search in
# 10 met the objective at the full 200 by the luck of a short Poisson
# count (10 searches of 1 s here: 141 to 168). Both searches bisect the
# same lattice of rates from --slo-start, so a Poisson search may land on
# the very rate of the uniform one (183.4 and 183.4 in one package build
# of issue 30): a tie, not higher.
run poisson thread 1 1 --arrival poisson --duration 1
pcap=$(value "j['scenarios'][0]['median']['capacity_ops_per_s']")
check "poisson: exit 0 (got $status), capacity $pcap not above uniform's $cap" \
  '[ "$status" -eq 0 ] && [ "$(python3 -c "print(0 < ${pcap:-0} <= ${cap:-0})")" = True ]' \
  || show poisson

# 4. Bad input: one line, exit 2, nothing run.
usage () {
  want=${want:-}
  desc="filestorm-stress $*: exit 2, one line naming $1"
  timeout 30 "$stress" --no-report --results-dir "$work/bad" "$@" >"$work/bad.out" 2>"$work/bad.err"
  rc=$?
  if [ "$rc" -eq 2 ] && [ "$(wc -l <"$work/bad.err")" -eq 1 ] && grep -q -- "${want:-$1}" "$work/bad.err" \
     && [ ! -d "$work/bad" ]; then
    ok "$desc"
  else
    not_ok "$desc"
    echo "# exit $rc: $(head -c 300 "$work/bad.err")"
  fi
}
usage --slo 'p99<50ms' --quick
usage --slo 'p95<=50ms' --quick
usage --slo 'errors<=1%' --quick
usage --slo 'p99<=50ms' --repeat 3
usage --slo-start 10 --quick
usage --slo-start 0 --slo 'p99<=50ms' --quick
usage --arrival poisson --quick
usage --arrival bursty --slo 'p99<=50ms' --quick
printf '[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=1\nserver_pools=1\n[run]\nduration=1\nslo=p99<=fast\n' \
  >"$work/bad.conf"
want="bad.conf: \[run\] slo: 'p99<=fast'" usage --matrix "$work/bad.conf"

echo "1..$n"
exit $failed
