#!/bin/bash
# bench-event.sh: the goals of filestorm-server's event model, side by
# side in one run. A benchmark, not a test: nothing here runs in make
# check; make bench runs it.
#
#   tests/bench-event.sh [--build DIR] [--pairs N] [--clients N] [--idle N]
#                        [--seconds S]
#
# Servers: event mode with one worker per core, thread mode with a pool
# of --clients threads, and nginx (worker_processes one per core, sendfile
# on) when nginx is installed (apt-get install nginx-light; not a build
# dependency). Roots on /dev/shm. Each measurement is repeated --pairs
# times (default 5), the servers taking turns within each round, and each
# figure is given as the median [min-max] of its rounds; a ratio is taken
# within each round, then summarized the same way.
#
#   connect   --clients (default 50) clients of tests/bench-connect, each
#             opening a connection per request for --seconds (default 5):
#             LIST to filestorm, a 100-byte file with "Connection: close"
#             to nginx. The same load generator for both, so that the
#             ratio is about the servers. Connections per second, and the
#             server's CPU time (utime + stime from /proc) per connection.
#   get       filestorm-pool --operation download, --clients clients, a
#             10 MiB file, for --seconds: base64 (GET) and raw (GETRAW)
#             aggregate throughput, event against thread mode.
#   idle      the event server with --idle (default 10000) connections
#             held open by tests/bench-connect hold, sending nothing: its
#             resident memory (VmRSS) with them, and the base64 GET's
#             throughput with them against the same without, in the same
#             round. The shell raises its open-file limit to the hard
#             limit first (the holder needs one descriptor per
#             connection; the server raises its own).
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$here/.." && pwd)
pairs=5
clients=50
idle=10000
secs=5

usage () { echo "usage: $0 [--build DIR] [--pairs N] [--clients N] [--idle N] [--seconds S]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(cd "$2" && pwd) || exit 2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    *) usage ;;
  esac
done
case "$pairs$clients$idle$secs" in *[!0-9]*) usage ;; esac
connect=$build/tests/bench-connect
[ -x "$connect" ] || { echo "bench-event.sh: build $connect first (make tests/bench-connect)" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((idle + 100)) ]; then
  echo "bench-event.sh: the open-file limit ($(ulimit -n)) is below --idle $idle + 100" >&2
  exit 2
fi

shm=${BENCH_TMP:-/dev/shm}
work=$(mktemp -d "$shm/filestorm-bench-event-XXXXXX") || exit 1
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
tck=$(getconf CLK_TCK)
cores=$(nproc)

cpu_of () { # pid -> CPU seconds of the process (all its threads)
  awk -v t="$tck" '{ sub(/.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"
}
rss_of () { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }  # KiB
summary () { # numbers on stdin -> "median [min-max]"
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.4g [%.4g-%.4g]", m, v[1], v[NR] }'
}

# start MODE POOL -> sets srv_pid, srv_port
start () {
  local dir="$work/$1"
  mkdir -p "$dir/root"
  "$build/src/filestorm-server" --mode "$1" --pool "$2" --port 0 --port-file "$dir/port" \
    --root "$dir/root" --idle-timeout 3600 >"$dir/log" 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  srv_port=$(cat "$dir/port" 2>/dev/null) || { echo "bench-event.sh: $1 server did not start" >&2; exit 1; }
  # The download file in place, outside the measurements.
  "$build/src/filestorm-pool" --port "$srv_port" --volume 10 >/dev/null || exit 1
}
start event "$cores"; ev_pid=$srv_pid ev_port=$srv_port
start thread "$clients"; th_pid=$srv_pid th_port=$srv_port

ng_port=
if command -v nginx >/dev/null; then
  nd="$work/nginx"
  mkdir -p "$nd/root" "$nd/tmp"
  chmod 755 "$work" "$nd" "$nd/root"   # nginx's workers run as nobody
  head -c 100 /dev/urandom >"$nd/root/small.bin"
  ng_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$nd/nginx.conf" <<EOF
worker_processes $cores;
daemon off;
master_process on;
pid $nd/nginx.pid;
error_log $nd/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $nd/tmp; proxy_temp_path $nd/tmp; fastcgi_temp_path $nd/tmp;
  uwsgi_temp_path $nd/tmp; scgi_temp_path $nd/tmp;
  server { listen 127.0.0.1:$ng_port; root $nd/root; }
}
EOF
  nginx -c "$nd/nginx.conf" -p "$nd" &
  ng_pid=$!
  pids+=("$ng_pid")
  sleep 1
else
  echo "bench-event.sh: nginx not installed: no nginx figures (apt-get install nginx-light)" >&2
fi

# CPU of nginx: the master and its workers.
nginx_cpu () {
  local total=0 p
  for p in $ng_pid $(pgrep -P "$ng_pid"); do total=$(echo "$total $(cpu_of "$p")" | awk '{ print $1 + $2 }'); done
  echo "$total"
}

res=$work/results   # "round what value"
: >"$res"
note () { echo "$1 $2 $3" >>"$res"; echo "  round $1: $2 $3" >&2; }

# connect NAME PORT CPUFUNC REQUEST
measure_connect () {
  local name=$1 port=$2 cpuf=$3 req=$4 before after out n s
  before=$($cpuf)
  out=$("$connect" connect "$port" "$clients" "$secs" "$req") || {
    echo "bench-event.sh: $name: $out" >&2; exit 1; }
  after=$($cpuf)
  n=$(echo "$out" | awk '{ print $2 }'); s=$(echo "$out" | awk '{ print $6 }')
  note "$r" "connect-rate-$name" "$(echo "$n $s" | awk '{ printf "%.0f", $1 / $2 }')"
  note "$r" "connect-cpu-$name" "$(echo "$before $after $n" | awk '{ printf "%.2f", ($2 - $1) / $3 * 1e6 }')"
}

# get MODE PORT TRANSFER -> aggregate MB/s
get_rate () {
  "$build/src/filestorm-pool" --port "$2" --operation download --volume 10 --transfer "$3" \
    --client-pool "$clients" --duration "$secs" --no-prepare --json >"$work/pool.json" \
    2>"$work/pool.err" || { echo "bench-event.sh: pool: $(head -c 300 "$work/pool.err")" >&2; exit 1; }
  grep -o '"aggregate_Bps":[0-9.e+-]*' "$work/pool.json" | cut -d: -f2 | awk '{ printf "%.1f", $1 / 1e6 }'
}

echo "bench-event.sh: $pairs rounds, $clients clients, $secs s each, $idle idle connections, $cores cores" >&2
for r in $(seq "$pairs"); do
  measure_connect event "$ev_port" "cpu_of $ev_pid" 'LIST\n'
  measure_connect thread "$th_port" "cpu_of $th_pid" 'LIST\n'
  [ -n "$ng_port" ] && measure_connect nginx "$ng_port" nginx_cpu \
    'GET /small.bin HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n'
  for t in base64 raw; do
    note "$r" "get-$t-event" "$(get_rate event "$ev_port" "$t")"
    note "$r" "get-$t-thread" "$(get_rate thread "$th_port" "$t")"
  done
  note "$r" "idle-get-without" "$(get_rate event "$ev_port" base64)"
  "$connect" hold "$ev_port" "$idle" 100000 >"$work/hold.out" 2>&1 &
  hold=$!
  pids+=("$hold")
  for _ in $(seq 600); do [ -s "$work/hold.out" ] && break; sleep 0.1; done
  grep -q "^held $idle\$" "$work/hold.out" || { echo "bench-event.sh: hold: $(cat "$work/hold.out")" >&2; exit 1; }
  note "$r" "idle-rss-held-kib" "$(rss_of "$ev_pid")"
  note "$r" "idle-get-with" "$(get_rate event "$ev_port" base64)"
  note "$r" "idle-rss-after-get-kib" "$(rss_of "$ev_pid")"
  kill "$hold"; wait "$hold" 2>/dev/null
done

fig () { awk -v w="$1" '$2 == w { print $3 }' "$res" | summary; }
ratio () { # A B -> per-round A/B summarized
  awk -v a="$1" -v b="$2" '$2 == a { x[$1] = $3 } $2 == b { y[$1] = $3 }
    END { for (k in x) if (k in y && y[k] > 0) print x[k] / y[k] }' "$res" | summary
}

cpu=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
echo "CPU: $cpu ($cores cores); $(uname -sr); median [min-max] of $pairs rounds"
echo "connect ($clients clients, a connection per request, $secs s):"
for s in event thread nginx; do
  [ "$s" = nginx ] && [ -z "$ng_port" ] && continue
  echo "  $s: $(fig "connect-rate-$s") connections/s, server CPU $(fig "connect-cpu-$s") us/connection"
done
if [ -n "$ng_port" ]; then
  echo "  event/nginx: connections/s $(ratio connect-rate-event connect-rate-nginx)x (goal >= 1.0)," \
       "CPU per connection $(ratio connect-cpu-event connect-cpu-nginx)x (goal <= 1.2)"
fi
echo "get ($clients clients, 10 MiB, $secs s), aggregate MB/s:"
for t in base64 raw; do
  echo "  $t: event $(fig "get-$t-event"), thread $(fig "get-$t-thread");" \
       "event/thread $(ratio "get-$t-event" "get-$t-thread")x (goal >= 1.0)"
done
echo "idle ($idle connections held open, event mode, pool $cores):"
echo "  server RSS with them: $(fig idle-rss-held-kib) KiB; after a GET run beside them: $(fig idle-rss-after-get-kib) KiB (goal <= 65536)"
echo "  base64 GET with them $(fig idle-get-with) MB/s, without $(fig idle-get-without);" \
     "with/without $(ratio idle-get-with idle-get-without)x (goal >= 0.9)"
