#!/bin/sh
# pool-mpi.sh: filestorm-pool-mpi under mpirun -n 4 --oversubscribe against
# a real filestorm-server on loopback: the split of the clients, the merge
# of counts, bytes and latency histograms, a rank that cannot reach the
# server, and bad usage. Prints TAP (exit status 1 if a test failed);
# every test SKIPs, saying why, when MPI was not built (configure
# --with-mpi). debian/tests/mpi runs it against the installed programs.
#
# Every mpirun runs under timeout(1), the server is killed by the EXIT
# trap, and all traffic goes to 127.0.0.1.

set -u

srv=${FILESTORM_SERVER:-$(dirname "$0")/../src/filestorm-server}
client=${FILESTORM_CLIENT:-$(dirname "$0")/../src/filestorm-client}
mpi_pool=${FILESTORM_POOL_MPI:-$(dirname "$0")/../src/filestorm-pool-mpi}
built=${FILESTORM_WITH_MPI:-unknown}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-mpi-XXXXXX") || exit 99
srv_pid=""

cleanup () {
  [ -n "$srv_pid" ] && kill -TERM "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

srcdir=${FILESTORM_SRCDIR:-$(dirname "$0")/..}
. "$srcdir/tests/tap.sh"
# expect NAME COMMAND...: ok when the command succeeds, else not ok with
# the last run's standard error.
expect () {
  name=$1
  shift
  if "$@"; then
    ok "$name"
  else
    not_ok "$name"
    echo "# $(tr '\n' '|' <"$tmp/err" | cut -c1-400)"
  fi
}

tests="split-merge split-merge-p50 split-merge-rss merge-buckets uneven-split open-loop-split process-clients \
process-clients-rss server-counted idle-rank0 rank-fails \
rank-fails-bounded usage-once usage-rank0-late usage-one-rank too-few-clients loopback-only stress-launcher stress-launcher-json \
stress-launcher-report stress-launcher-fails loopback-several-hosts"
skip_all () {
  for t in $tests; do
    n=$((n + 1))
    echo "ok $n - $t # SKIP $1"
  done
  echo "1..$n"
  exit 0
}

if [ ! -x "$mpi_pool" ]; then
  # CI sets FILESTORM_REQUIRE_MPI=1: there, skipping would hide a build
  # that lost MPI.
  if [ "$built" = yes ] || [ "${FILESTORM_REQUIRE_MPI:-0}" = 1 ]; then
    echo "1..1"
    echo "not ok 1 - filestorm-pool-mpi was not built ($mpi_pool; configure found MPI: $built)"
    exit 1
  fi
  skip_all "filestorm-pool-mpi not built (configure --with-mpi; Debian: libopenmpi-dev)"
fi
command -v mpirun >/dev/null 2>&1 || skip_all "mpirun not found (Debian: openmpi-bin)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found (to read the JSON)"

# Under the sanitizer build (ASAN_OPTIONS set), Open MPI's own leaks are
# suppressed (see tests/lsan-mpi.supp); ours are still reported.
if [ -n "${ASAN_OPTIONS:-}" ]; then
  ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
  LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$srcdir/tests/lsan-mpi.supp:print_suppressions=0"
  export ASAN_OPTIONS LSAN_OPTIONS
fi

# mpirun refuses to run as root unless told.
run_as=""
[ "$(id -u)" = 0 ] && run_as="--allow-run-as-root"
# mpi RANKS ARGS...: runs filestorm-pool-mpi on RANKS ranks (60 s at most),
# setting rc, with its output in $tmp/out and $tmp/err.
mpi () {
  ranks=$1
  shift
  timeout 60 mpirun $run_as --oversubscribe -n "$ranks" "$mpi_pool" "$@" \
    >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
}
# json EXPR: a Python expression over j, the JSON in $tmp/out, printed.
json () {
  python3 -c "import json, sys; j = json.load(open(sys.argv[1])); print($1)" "$tmp/out"
}

mkdir "$tmp/root"
"$srv" --port 0 --port-file "$tmp/port" --root "$tmp/root" --pool 8 \
  >"$tmp/srv.out" 2>"$tmp/srv.err" &
srv_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
  sleep 0.1
  i=$((i + 1))
done
port=$(cat "$tmp/port" 2>/dev/null)
if [ -z "$port" ]; then
  echo "Bail out! filestorm-server did not start: $(cat "$tmp/srv.err")"
  exit 1
fi
size=1048576

# 1. 4 ranks x 5 clients download a verified file: 20 successes, 20 files'
# bytes, a merged histogram of 20 operations whose p50 lies between the
# ranks' own (to the histogram's 1/128: the ranks' are clamped to their own
# extremes).
mpi 4 --port "$port" --clients-per-rank 5 --volume 1 --json
expect split-merge test "$rc" = 0 -a "$(json "(j['ranks'], j['client_pool'], j['success'], \
j['fail'], j['bytes'], j['latency_ms']['count'], j['verified'], \
[r['client_pool'] for r in j['per_rank']], [r['rank'] for r in j['per_rank']])")" \
  = "(4, 20, 20, 0, $((20 * size)), 20, True, [5, 5, 5, 5], [0, 1, 2, 3])"
p50s="[r['latency_p50_ms'] for r in j['per_rank']]"
expect split-merge-p50 test "$(json "min($p50s) * 0.99 <= j['latency_ms']['p50'] <= max($p50s) * 1.01 \
and sum(r['success'] for r in j['per_rank']) == 20")" = True
# The load generator's memory is its largest rank's; client threads have
# no processes of their own.
expect split-merge-rss test "$(json "(j['peak_rss_kib'] == max(r['peak_rss_kib'] for r in j['per_rank']) \
and j['peak_rss_kib'] > 0, j['client_peak_rss_kib'])")" = "(True, 0)"

# The histograms are merged bucket by bucket: 400 short LISTs over 4 ranks
# share buckets, and the merged histogram's count (of its buckets) is the
# operation count.
mpi 4 --port "$port" --clients-per-rank 2 --repeat 50 --operation list --json
expect merge-buckets test "$rc" = 0 -a "$(json "(j['success'], j['latency_ms']['count'])")" \
  = "(400, 400)"

# 2. --client-pool 10 over 4 ranks: 3, 3, 2, 2.
mpi 4 --port "$port" --client-pool 10 --volume 1 --json
expect uneven-split test "$rc" = 0 -a "$(json "([r['client_pool'] for r in j['per_rank']], \
[r['success'] for r in j['per_rank']], j['success'], j['client_pool'])")" \
  = "([3, 3, 2, 2], [3, 3, 2, 2], 10, 10)"

# 2b. --rate 500 over the same split: 150, 150, 100 and 100 a second,
# in proportion to the clients; the merged counts and histograms hold
# all 500 (corrected: every one due; uncorrected: every one sent).
mpi 4 --port "$port" --client-pool 10 --operation list --rate 500 --duration 1 --json
expect open-loop-split test "$rc" = 0 -a "$(json "(j['rate'], j['open_loop']['due'], \
[r['success'] for r in j['per_rank']], j['latency_ms']['count'], \
j['open_loop']['uncorrected_latency_ms']['count'] + j['open_loop']['unsent'])")" \
  = "(500.0, 500, [150, 150, 100, 100], 500, 500)"

# 3. Client processes forked on every rank, repeated operations.
mpi 4 --port "$port" --clients-per-rank 2 --repeat 3 --mode process --volume 1 --json
expect process-clients test "$rc" = 0 -a "$(json "(j['mode'], j['success'], j['fail'], \
j['bytes'], j['latency_ms']['count'])")" = "('process', 24, 0, $((24 * size)), 24)"
expect process-clients-rss test "$(json "0 < j['client_peak_rss_kib'] \
<= max(r['peak_rss_kib'] for r in j['per_rank']) and j['peak_rss_kib'] > 0")" = True

# 4. The server's own count: every rank's connections reached it.
stats () { "$client" --port "$port" stats | python3 -c "import json, sys; print(json.load(sys.stdin)['requests'])"; }
b0=$(stats); b1=$(stats)
mpi 4 --port "$port" --clients-per-rank 3 --volume 1 --json
a=$(stats)
expected=$(json "j['success'] + j['setup_connections']")
expect server-counted test "$rc" = 0 -a "$((a - b1 - (b1 - b0)))" = "$expected" -a "$expected" -ge 16

# 4a. --idle-connections 3 is the job's, held by rank 0 alone: the
# server counts 3 connections more than the same job without (not 3 a
# rank), and the JSON says so.
conns () { "$client" --port "$port" stats | python3 -c "import json, sys; print(json.load(sys.stdin)['connections'])"; }
b0=$(conns)
mpi 2 --port "$port" --clients-per-rank 1 --operation list --json
b1=$(conns)
mpi 2 --port "$port" --clients-per-rank 1 --operation list --idle-connections 3 --json
a=$(conns)
expect idle-rank0 test "$rc" = 0 -a "$((a - b1 - (b1 - b0)))" = 3 \
  -a "$(json "(j['idle_connections'], j['success'])")" = "(3, 2)"

# 4b. A steady state by time: the ranks share the window; the warm-up's
# operations reached the server but count in no merged figure, and the
# operations per second are the merged successes over the common window.
b0=$(stats); b1=$(stats)
mpi 2 --port "$port" --clients-per-rank 2 --operation list --duration 0.5 --warmup 0.3 --json
a=$(stats)
expect duration-merge test "$rc" = 0 -a "$(json "(j['success'] == sum(r['success'] for r in j['per_rank']) \
== j['latency_ms']['count'] == j['operations'] > 4, j['warmup_operations'] > 0, \
0.5 <= j['window_s'] < 5, abs(j['ops_per_s'] - j['success'] / j['window_s']) < 1e-6 * j['ops_per_s'], \
j['success'] + j['warmup_operations'] + j['setup_connections'])")" \
  = "(True, True, True, True, $((a - b1 - (b1 - b0))))"

# 5. Rank 2 is sent to a port nobody listens on: every rank stops, with
# one line naming rank 2, exit 3, quickly (no rank waits at a barrier).
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start=$(date +%s)
mpi 4 --port "$port" --client-pool 8 --volume 1 --test-rank-port "2:$closed"
took=$(( $(date +%s) - start ))
expect rank-fails test "$rc" = 3 -a "$(grep -c '^filestorm-pool-mpi: rank 2 (.*): .*connect' "$tmp/err")" = 1 \
  -a ! -s "$tmp/out"
expect rank-fails-bounded test "$took" -lt 30 -a "$rc" != 124

# 6. Bad usage: one line, from rank 0 only, exit 2.
mpi 4 --port "$port" --client-pool 4 --clients-per-rank 1
expect usage-once test "$rc" = 2 -a "$(grep -c '^filestorm-pool-mpi: ' "$tmp/err")" = 1 \
  -a "$(grep -c 'exclude each other' "$tmp/err")" = 1
# The same when rank 0 starts a second late: the other ranks must not
# exit before it has printed (mpirun kills the job at the first non-zero
# exit).
timeout 60 mpirun $run_as --oversubscribe -n 4 sh -c \
  '[ "$OMPI_COMM_WORLD_RANK" = 0 ] && sleep 1; exec "$0" "$@"' "$mpi_pool" \
  --port "$port" --client-pool 4 --clients-per-rank 1 >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
expect usage-rank0-late test "$rc" = 2 -a "$(grep -c 'exclude each other' "$tmp/err")" = 1
# One rank refuses its options while the other would run (mpirun's
# "a : b" gives ranks their own): neither waits for the other, the job
# exits 2, and rank 0 names the rank that refused.
timeout 60 mpirun $run_as --oversubscribe -n 1 "$mpi_pool" --port "$port" --client-pool 2 \
  : -n 1 "$mpi_pool" --bogus-option >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
expect usage-one-rank test "$rc" = 2 \
  -a "$(grep -c '^filestorm-pool-mpi: rank 1 (.*): Unknown option --bogus-option (try --help)$' "$tmp/err")" = 1
mpi 4 --port "$port" --client-pool 3
expect too-few-clients test "$rc" = 2 -a "$(grep -c '^filestorm-pool-mpi: --client-pool 3 is fewer than the 4 ranks' "$tmp/err")" = 1

# 7. Loopback only, unless --allow-remote: refused before any connection.
mpi 2 --port "$port" --host 192.0.2.1
expect loopback-only test "$rc" = 2 -a "$(grep -c 'not a loopback address' "$tmp/err")" = 1

# filestorm-stress --launcher: each scenario's pool through mpirun, the
# ranks in the results and the report.
stress=${FILESTORM_STRESS:-$(dirname "$0")/../src/filestorm-stress}
stress=$(cd "$(dirname "$stress")" && pwd)/$(basename "$stress")  # it runs in its own directory
mkdir "$tmp/stress"
(cd "$tmp/stress" && timeout 300 "$stress" --quick --mode thread,process --operation download \
  --volume 10 --client-pool 5 --server-pool 5 \
  --launcher "mpirun $run_as --oversubscribe -n {ranks}" --ranks 2 >"$tmp/out" 2>"$tmp/err")
rc=$?
csv=$(ls "$tmp"/stress/results/orchestrator_results_*.csv 2>/dev/null | head -n 1)
json_file=$(ls "$tmp"/stress/results/orchestrator_results_*.json 2>/dev/null | head -n 1)
expect stress-launcher test "$rc" = 0 -a -n "$csv" \
  -a "$(tail -n +2 "$csv" | awk -F, '{ print $20, $(NF - 4) }' | sort -u)" = "true 2"
cp "$json_file" "$tmp/out" 2>/dev/null
expect stress-launcher-json test "$(json "(j['run']['launcher'].endswith('-n {ranks}'), \
j['run']['ranks'], [s['ranks'] for s in j['scenarios']])")" = "(True, 2, [2, 2])"
# Each rank's clients run the client mode (thread), whatever the server's.
expect stress-launcher-client-mode test "$(json "sorted(set((s['mode'], s['client_mode'], \
r['pool_mode']) for s in j['scenarios'] for r in s['runs']))")" \
  = "[('process', 'thread', 'thread'), ('thread', 'thread', 'thread')]"
# --quick's duration and warm-up reach filestorm-pool-mpi: every run of 5
# clients made more than 5 operations in 0.08 s, and some in the warm-up.
expect stress-launcher-duration test "$(json "sorted(set((r['duration_s'], r['warmup_s'], \
r['operations'] > 5, r['warmup_operations'] > 0) for s in j['scenarios'] for r in s['runs']))")" \
  = "[(0.08, 0.02, True, True)]"
expect stress-launcher-report sh -c 'grep -q "load generator</th><td>filestorm-pool-mpi over 2 ranks, started by: mpirun" "$1" \
  && test "$(grep -c "<td class=\"n\">5 <span class=\"ranks\">over 2 ranks</span></td>" "$1")" -ge 2' sh \
  "$(ls "$tmp"/stress/results/report_*/index.html | head -n 1)"

# A pool that fails under the launcher (an unknown FILESTORM_BASE64 is
# its exit 2): the row's error is the pool's one line, not mpirun's
# banners around it, and the row still says 2 ranks.
mkdir "$tmp/stress-fails"
(cd "$tmp/stress-fails" && timeout 300 "$stress" --quick --mode thread --operation download \
  --volume 10 --client-pool 5 --server-pool 5 --no-report --max-fail 1 \
  --launcher "mpirun $run_as --oversubscribe -n {ranks} env FILESTORM_BASE64=bogus" --ranks 2 \
  >"$tmp/out" 2>"$tmp/err")
rc=$?
csv=$(ls "$tmp"/stress-fails/results/orchestrator_results_*.csv 2>/dev/null | head -n 1)
expect stress-launcher-fails test "$rc" = 0 -a -n "$csv" -a "$(python3 -c '
import csv, sys
head, *rows = list(csv.reader(open(sys.argv[1])))
e = head.index("error")
print(len(rows), [(r[e].startswith("run 1: the pool failed (exit status 2): filestorm-pool-mpi: "
                                   "FILESTORM_BASE64:") and "\n" not in r[e], r[head.index("ranks")]) for r in rows])' \
  "$csv")" = "1 [(True, '2')]"

# 8. Ranks on two hosts (two UTS namespaces, as root) and a loopback
# --host: a different server on each host, refused by rank 0, even with
# --allow-remote.
if [ "$(id -u)" = 0 ] && unshare -u true 2>/dev/null; then
  timeout 60 mpirun $run_as --oversubscribe -n 2 \
    unshare -u sh -c 'hostname "fs-mpi-host$OMPI_COMM_WORLD_RANK" && exec "$0" "$@"' \
    "$mpi_pool" --port "$port" --client-pool 2 --volume 1 --allow-remote \
    >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  expect loopback-several-hosts test "$rc" = 2 -a "$(grep -c '^filestorm-pool-mpi: rank 0 (fs-mpi-host0): the ranks run on several hosts (fs-mpi-host0, fs-mpi-host1)' "$tmp/err")" = 1
else
  skip "loopback-several-hosts: needs root and unshare -u (a host name per rank)"
fi

echo "1..$n"
exit "$failed"
