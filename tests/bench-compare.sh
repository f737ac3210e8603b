#!/bin/bash
# bench-compare.sh: filestorm's transfer speed and costs, side by side in
# one run. A benchmark, not a test: nothing here runs in make check.
#
#   tests/bench-compare.sh [--build DIR] [--baseline DIR] [--runs N]
#                          [--clients N] [--volume MIB] [--lists N]
#
# For each server mode (thread, process) it measures, with --clients
# clients (default 50) of --volume MiB (default 10) and the server's root
# on tmpfs (/dev/shm):
#   get-base64, upload-base64   GET and UPLOAD (the classic protocol)
#   get-raw, upload-raw         GETRAW and UPLOADRAW
#   list-connect                LIST, a new connection each (--lists per
#                               client, default 100)
# the aggregate throughput, the server's CPU time (its processes' utime +
# stime from /proc) and the pool's (bash's time, children included), and
# for LIST the server's CPU time per connection. Each figure is the median
# of --runs runs (default 3), the runs of all builds interleaved.
#
# --baseline DIR adds the same measurements of another build tree (say,
# the previous commit's), for A/B ratios; a build without GETRAW skips the
# raw workloads. When nginx and wrk are installed (apt-get install
# nginx-light wrk; not a build dependency), nginx serves the same file
# (sendfile on) to wrk with the same connection count: its raw GET and its
# CPU time per "Connection: close" request of a small file.
#
# On GET it also runs tests/bench-get (make tests/bench-get; make bench
# builds it), N clients that receive the same file and throw it away
# unchecked: the row "discard" is the CPU floor of any client, the cost
# of receiving the bytes at all, beside the pool's.
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$here/.." && pwd)
baseline=
runs=3
clients=50
volume=10
lists=100

usage () { echo "usage: $0 [--build DIR] [--baseline DIR] [--runs N] [--clients N] [--volume MIB] [--lists N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(cd "$2" && pwd) || exit 2; shift 2 ;;
    --baseline) baseline=$(cd "$2" && pwd) || exit 2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --volume) volume=$2; shift 2 ;;
    --lists) lists=$2; shift 2 ;;
    *) usage ;;
  esac
done
case "$runs$clients$volume$lists" in *[!0-9]*) usage ;; esac

shm=${BENCH_TMP:-/dev/shm}
work=$(mktemp -d "$shm/filestorm-bench-XXXXXX") || exit 1
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
tck=$(getconf CLK_TCK)

# CPU seconds of process $1 and of its children (the process mode's
# workers), from /proc.
tree_cpu () {
  local root=$1 total=0 line rest pid
  for f in /proc/[0-9]*/stat; do
    read -r line <"$f" 2>/dev/null || continue
    pid=${line%% *}
    rest=${line##*) }
    # shellcheck disable=SC2086 # split into fields on purpose
    set -- $rest
    if [ "$pid" = "$root" ] || [ "$2" = "$root" ]; then
      total=$((total + ${12} + ${13}))
    fi
  done
  echo "$total $tck" | awk '{ printf "%.3f", $1 / $2 }'
}

median () { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# start_server BUILD MODE NAME: starts a server, sets $srv_pid and $srv_port.
start_server () {
  local dir="$work/$3"
  mkdir -p "$dir/root"
  rm -f "$dir/port"
  "$1/src/filestorm-server" --mode "$2" --pool "$clients" --port 0 --port-file "$dir/port" \
    --root "$dir/root" >"$dir/log" 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  srv_port=$(cat "$dir/port" 2>/dev/null) || { echo "bench-compare.sh: $1's server did not start" >&2; exit 1; }
}

stop_server () { kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; }

# measure BUILD SERVER_PID PORT POOL_ARGS...: one pool run; prints
# "aggregate_MBps server_cpu_s pool_cpu_s operations".
measure () {
  local b=$1 sp=$2 port=$3 before after out t
  shift 3
  before=$(tree_cpu "$sp")
  TIMEFORMAT='%U %S'
  { t=$( { time "$b/src/filestorm-pool" --port "$port" --client-pool "$clients" --json "$@" \
             >"$work/pool.json" 2>"$work/pool.err"; } 2>&1 ); } || {
    echo "bench-compare.sh: pool failed: $(head -c 300 "$work/pool.err")" >&2; exit 1; }
  after=$(tree_cpu "$sp")
  out=$(cat "$work/pool.json")
  agg=$(printf '%s' "$out" | grep -o '"aggregate_Bps":[0-9.e+-]*' | cut -d: -f2)
  ok=$(printf '%s' "$out" | grep -o '"success":[0-9]*' | head -n 1 | cut -d: -f2)
  # LIST moves no content: no aggregate.
  agg=${agg:-0}
  echo "$agg $before $after $t $ok" | awk '{ printf "%.1f %.3f %.3f %d\n", $1 / 1e6, $3 - $2, $4 + $5, $6 }'
}

# Results: one line per measurement, "build mode workload agg srv pool ops".
results="$work/results"
: >"$results"

builds=("new:$build")
[ -n "$baseline" ] && builds+=("base:$baseline")
workloads="get-base64 upload-base64 get-raw upload-raw list-connect"

echo "bench-compare.sh: $runs runs, $clients clients, $volume MiB, roots on $shm" >&2
for mode in thread process; do
  for entry in "${builds[@]}"; do
    name=${entry%%:*} b=${entry#*:}
    start_server "$b" "$mode" "$name-$mode"
    eval "port_${name}=$srv_port pid_${name}=$srv_pid"
    # The download file in place, outside the measurements.
    "$b/src/filestorm-pool" --port "$srv_port" --client-pool 1 --volume "$volume" >/dev/null 2>&1
  done
  for r in $(seq "$runs"); do
    for w in $workloads; do
      for entry in "${builds[@]}"; do
        name=${entry%%:*} b=${entry#*:}
        eval "port=\$port_${name} pid=\$pid_${name}"
        case $w in
          get-base64) set -- --operation download --volume "$volume" ;;
          upload-base64) set -- --operation upload --volume "$volume" ;;
          get-raw) set -- --operation download --volume "$volume" --transfer raw ;;
          upload-raw) set -- --operation upload --volume "$volume" --transfer raw ;;
          list-connect) set -- --operation list --repeat "$lists" ;;
        esac
        case $w in *-raw) "$b/src/filestorm-pool" --help | grep -q -- --transfer || continue ;; esac
        line=$(measure "$b" "$pid" "$port" "$@") || exit 1
        echo "$name $mode $w $line" >>"$results"
        echo "  run $r $name $mode $w: $line" >&2
      done
      # The floor of any client: tests/bench-get receives and discards.
      case $w in get-base64|get-raw) ;; *) continue ;; esac
      [ -x "$build/tests/bench-get" ] || continue
      eval "port=\$port_new pid=\$pid_new"
      before=$(tree_cpu "$pid")
      out=$("$build/tests/bench-get" 127.0.0.1 "$port" "file_${volume}mb.bin" "$clients" \
              $([ "$w" = get-raw ] && echo raw)) || {
        echo "bench-compare.sh: bench-get failed: $out" >&2; exit 1; }
      after=$(tree_cpu "$pid")
      # "clients N ok N bytes B wall_s W cpu_s C". B counts the wire's
      # bytes (base64, frames), not content: no MB/s to compare.
      line=$(echo "$out $before $after" | awk '{ printf "0 %.3f %.3f %d\n", $12 - $11, $10, $4 }')
      echo "discard $mode $w $line" >>"$results"
      echo "  run $r discard $mode $w: $line" >&2
    done
  done
  for entry in "${builds[@]}"; do
    name=${entry%%:*}
    eval "kill \$pid_${name}; wait \$pid_${name}" 2>/dev/null
  done
done

# ---------------------------------------------------------------- nginx + wrk
nginx_lines=
if command -v nginx >/dev/null && command -v wrk >/dev/null; then
  nd="$work/nginx"
  mkdir -p "$nd/root" "$nd/tmp"
  # nginx's workers run as nobody.
  chmod 755 "$work" "$nd" "$nd/root"
  head -c $((volume * 1024 * 1024)) /dev/urandom >"$nd/root/file.bin"
  head -c 100 /dev/urandom >"$nd/root/small.bin"
  nport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$nd/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $nd/nginx.pid;
error_log $nd/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $nd/tmp; proxy_temp_path $nd/tmp; fastcgi_temp_path $nd/tmp;
  uwsgi_temp_path $nd/tmp; scgi_temp_path $nd/tmp;
  server { listen 127.0.0.1:$nport; root $nd/root; }
}
EOF
  nginx -c "$nd/nginx.conf" -p "$nd" &
  npid=$!
  pids+=("$npid")
  sleep 1
  for r in $(seq "$runs"); do
    for w in get-raw list-connect; do
      before=$(tree_cpu "$npid")
      if [ "$w" = get-raw ]; then
        out=$(wrk -t 2 -c "$clients" -d 5s "http://127.0.0.1:$nport/file.bin" 2>&1)
      else
        out=$(wrk -t 2 -c "$clients" -d 5s -H 'Connection: close' "http://127.0.0.1:$nport/small.bin" 2>&1)
      fi
      after=$(tree_cpu "$npid")
      # "N requests in T s, X MB read"
      line=$(printf '%s\n' "$out" | awk -v b="$before" -v a="$after" '
        / requests in / {
          n = $1; t = $4; sub(/s,$/, "", t); x = $5; u = x; sub(/[0-9.]+/, "", x); sub(/[A-Z]+$/, "", u)
          m = (x == "GB") ? 1024 * 1024 * 1024 : (x == "MB") ? 1024 * 1024 : (x == "KB") ? 1024 : 1
          printf "%.1f %.3f 0 %d\n", u * m / t / 1e6, a - b, n
        }')
      if [ -z "$line" ] || printf '%s\n' "$out" | grep -q 'Non-2xx'; then
        echo "bench-compare.sh: wrk: $out" >&2
        exit 1
      fi
      echo "nginx nginx $w $line" >>"$results"
      echo "  run $r nginx $w: $line" >&2
    done
  done
  kill "$npid"
else
  echo "bench-compare.sh: nginx or wrk not installed: no nginx figures (apt-get install nginx-light wrk)" >&2
fi

# ---------------------------------------------------------------- report
cpu=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
flags=$(grep -m 1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(ssse3|sse4_2|avx|avx2|avx512f|avx512bw|avx512vbmi)$' | tr '\n' ' ')
echo "CPU: $cpu ($(nproc) cores); SIMD: $flags"
echo "base64: ${FILESTORM_BASE64:-auto} ($("$build/tests/bench-base64" 1 2>/dev/null | sed -n 's/^default: //p'))"
echo "clients $clients, volume $volume MiB, roots on $shm, median of $runs runs"
printf '%-6s %-8s %-14s %10s %9s %9s %9s\n' build mode workload "MB/s" "srv CPU" "pool CPU" "pool/srv"
fig () { # build mode workload column -> median
  awk -v b="$1" -v m="$2" -v w="$3" -v c="$4" '$1 == b && $2 == m && $3 == w { print $c }' "$results" | median
}
for mode in thread process nginx; do
  for entry in "${builds[@]}" "discard:" "nginx:"; do
    name=${entry%%:*}
    [ "$mode" = nginx ] && [ "$name" != nginx ] && continue
    [ "$mode" != nginx ] && [ "$name" = nginx ] && continue
    for w in $workloads; do
      agg=$(fig "$name" "$mode" "$w" 4)
      [ "$agg" = nan ] && continue
      [ "$name" = discard ] && agg=-
      srv=$(fig "$name" "$mode" "$w" 5)
      pool=$(fig "$name" "$mode" "$w" 6)
      ops=$(fig "$name" "$mode" "$w" 7)
      if [ "$w" = list-connect ]; then
        per=$(echo "$srv $ops" | awk '{ printf "%.1f us/conn", $1 / $2 * 1e6 }')
        printf '%-6s %-8s %-14s %10s %9s %9s %9s  %s (%s connections)\n' "$name" "$mode" "$w" - "$srv" "$pool" - "$per" "$ops"
      else
        ratio=$(echo "$pool $srv" | awk '{ printf ($2 > 0 ? "%.2f" : "-"), $1 / $2 }')
        printf '%-6s %-8s %-14s %10s %9s %9s %9s\n' "$name" "$mode" "$w" "$agg" "$srv" "$pool" "$ratio"
      fi
    done
  done
done

echo
echo "Ratios:"
for mode in thread process; do
  if [ -n "$baseline" ]; then
    for w in get-base64 upload-base64; do
      echo "$(fig new "$mode" "$w" 4) $(fig base "$mode" "$w" 4)" |
        awk -v m="$mode" -v w="$w" '{ printf "  %-8s %-14s new/base throughput %.2fx\n", m, w, $1 / $2 }'
    done
  fi
  for w in get-base64 get-raw; do
    [ "$(fig discard "$mode" "$w" 6)" = nan ] && continue
    echo "$(fig new "$mode" "$w" 6) $(fig discard "$mode" "$w" 6)" |
      awk -v m="$mode" -v w="$w" '{ printf "  %-8s %-14s pool CPU / CPU of a discarding client %.2fx\n", m, w, $1 / $2 }'
  done
  if grep -q '^nginx ' "$results"; then
    echo "$(fig new "$mode" get-raw 4) $(fig nginx nginx get-raw 4)" |
      awk -v m="$mode" '{ printf "  %-8s get-raw        filestorm/nginx throughput %.2fx\n", m, $1 / $2 }'
    echo "$(fig new "$mode" list-connect 5) $(fig new "$mode" list-connect 7) $(fig nginx nginx list-connect 5) $(fig nginx nginx list-connect 7)" |
      awk -v m="$mode" '{ printf "  %-8s list-connect   server CPU per connection, filestorm/nginx %.2fx\n", m, ($1 / $2) / ($3 / $4) }'
  fi
done
