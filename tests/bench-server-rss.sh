#!/bin/sh
# Benchmark, not a test: the server's peak RSS while CLIENTS concurrent
# clients each GET one SIZE_MB file, in each of the three modes.
#   make tests/bench-get && sh tests/bench-server-rss.sh [CLIENTS] [SIZE_MB]
# Prints, per mode, the wall time and the peak RSS (VmHWM) of every server
# process: the supervisor and each worker in process mode.
set -eu
clients=${1:-10}
size_mb=${2:-100}
top=$(cd "$(dirname "$0")/.." && pwd)
server=${FILESTORM_SERVER:-$top/src/filestorm-server}
bench=$top/tests/bench-get
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
mkdir "$work/root"
head -c $((size_mb * 1048576)) /dev/urandom > "$work/root/big.bin"

hwm() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }

for mode in thread process event; do
  "$server" --mode "$mode" --pool "$clients" --port 0 --port-file "$work/port" \
    --root "$work/root" > "$work/out" &
  pid=$!
  i=0
  while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  port=$(cat "$work/port")
  result=$("$bench" 127.0.0.1 "$port" big.bin "$clients")
  echo "$mode: $result"
  echo "  server pid $pid VmHWM $(hwm $pid) kB"
  total=$(hwm $pid)
  for child in $(cat /proc/$pid/task/*/children 2>/dev/null); do
    h=$(hwm "$child")
    total=$((total + h))
    echo "  worker pid $child VmHWM $h kB"
  done
  echo "  $mode total VmHWM ${total} kB"
  kill -TERM $pid
  wait $pid || true
  rm -f "$work/port"
done
