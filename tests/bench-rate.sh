#!/bin/bash
# bench-rate.sh: how well filestorm-pool keeps to a schedule (--rate). A
# benchmark, not a test: nothing here runs in make check.
#
#   tests/bench-rate.sh [--build DIR] [--runs N] [--duration S]
#
# 1. Accuracy: LIST over 8 kept connections against filestorm-server
#    (thread mode, pool 8, an empty root on tmpfs) at 2,000 operations a
#    second, below the server's capacity: the achieved rate against the
#    offered one, and the schedule lag (send less due time), p50 and p99,
#    for --runs runs (default 5) of --duration seconds (default 10) after
#    a second of warm-up.
# 2. The pool's own ceiling: the same at rising rates over 50
#    connections, 3 s each, to the first rate at which it no longer
#    achieves 99% of what it offered or its lag p99 passes 1 ms. The
#    server answers LIST of an empty directory at once; on 2 cores it
#    shares them with the pool, so the ceiling is that of the pair, the
#    pool's CPU share said beside it.
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$here/.." && pwd)
runs=5
duration=10
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "bench-rate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
server=$build/src/filestorm-server
pool=$build/src/filestorm-pool
work=$(mktemp -d /dev/shm/fs-bench-rate.XXXXXX 2>/dev/null || mktemp -d)
srv_pid=
trap '[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; rm -rf "$work"' EXIT

mkdir "$work/root"
"$server" --mode thread --pool 50 --port 0 --port-file "$work/port" --root "$work/root" \
  >/dev/null 2>&1 &
srv_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

# fields JSON: offered achieved lag_p50 lag_p99 late pool_cpu_s
fields () {
  python3 -c '
import json, sys
j = json.load(open(sys.argv[1])); o = j["open_loop"]
print("%.1f %.1f %.3f %.3f %d" % (o["offered_ops_per_s"], o["achieved_ops_per_s"],
      o["schedule_lag_ms"]["p50"], o["schedule_lag_ms"]["p99"], o["late"]))' "$1"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(uname -r)"
echo
echo "1. accuracy: list, 8 kept connections, 2000 ops/s, ${duration} s after 1 s, $runs runs"
printf '%-5s %10s %10s %8s %10s %10s %6s\n' run offered achieved error lag_p50_ms lag_p99_ms late
for r in $(seq "$runs"); do
  "$pool" --port "$port" --operation list --client-pool 8 --rate 2000 --duration "$duration" \
    --warmup 1 --json >"$work/acc.json" || exit 1
  read -r off ach p50 p99 late <<<"$(fields "$work/acc.json")"
  printf '%-5s %10s %10s %7.2f%% %10s %10s %6s\n' "$r" "$off" "$ach" \
    "$(python3 -c "print(abs($ach / $off - 1) * 100)")" "$p50" "$p99" "$late"
done
echo
echo "2. ceiling: list, 50 kept connections, 3 s after 0.5 s per rate"
printf '%8s %10s %10s %10s %10s %8s %10s\n' rate offered achieved lag_p50_ms lag_p99_ms late pool_cpu
for rate in 5000 10000 20000 40000 80000 160000; do
  /usr/bin/time -f '%U %S' -o "$work/time" "$pool" --port "$port" --operation list \
    --client-pool 50 --rate "$rate" --duration 3 --warmup 0.5 --json >"$work/c.json" || exit 1
  read -r off ach p50 p99 late <<<"$(fields "$work/c.json")"
  cpu=$(awk '{ printf "%.0f%%", ($1 + $2) / 3.5 * 100 }' "$work/time")
  printf '%8s %10s %10s %10s %10s %8s %10s\n' "$rate" "$off" "$ach" "$p50" "$p99" "$late" "$cpu"
  if [ "$(python3 -c "print($ach < 0.99 * $off or $p99 > 1)")" = True ]; then
    echo "ceiling: below $rate ops/s (achieved $ach, lag p99 $p99 ms)"
    break
  fi
done
