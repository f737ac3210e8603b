#!/bin/sh
# cli-address.sh: names with several addresses, end to end. filestorm-server
# --host localhost listens on each address localhost has (::1 and
# 127.0.0.1 with Debian's stock /etc/hosts), and says so line by line;
# a port in use and a closed port are each one line that says the address
# once and what to do. Prints TAP.
#
# Servers get --port 0 and a temporary root, and are killed by the EXIT
# trap; every client, pool and stress run is under timeout(1) and talks to
# loopback only.

set -u

srcdir=$(dirname "$0")/..
srv=${FILESTORM_SERVER:-$srcdir/src/filestorm-server}
cli=${FILESTORM_CLIENT:-$srcdir/src/filestorm-client}
pool=${FILESTORM_POOL:-$srcdir/src/filestorm-pool}
stress=${FILESTORM_STRESS:-$srcdir/src/filestorm-stress}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-addr-XXXXXX") || exit 99
bg_pids=""
cleanup () {
  for p in $bg_pids; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "# $line"; done
}
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
show () { tr '\n' '|' <"$1" | cut -c1-400; }

# start NAME ARGS...: a server in the background, output in $tmp/NAME.*;
# sets pid, and port once its port file is written (empty if never).
start () {
  name=$1
  shift
  "$srv" --port 0 --port-file "$tmp/$name.port" --root "$tmp/$name.root" "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
  pid=$!
  bg_pids="$bg_pids $pid"
  i=0
  while [ ! -s "$tmp/$name.port" ] && [ "$i" -lt 200 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.05
    i=$((i + 1))
  done
  port=$(cat "$tmp/$name.port" 2>/dev/null)
  # The port file comes before the lines: wait for them too.
  i=0
  while [ "$(wc -l <"$tmp/$name.out")" -lt "${want_lines:-1}" ] && [ "$i" -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
  done
}
stop () {
  kill -TERM "$1" 2>/dev/null
  timeout 20 sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.05; done' sh "$1"
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

# one_line PROGRAM FILE: FILE is exactly one line "PROGRAM: ...".
one_line () {
  [ "$(wc -l <"$2")" -eq 1 ] && case $(cat "$2") in "$1: "?*) true ;; *) false ;; esac
}
# count_of TEXT FILE: how many times TEXT occurs in FILE.
count_of () { grep -o -F -e "$1" "$2" | wc -l; }

# --------------------------------------------------------- every address

# What localhost is here, in order: ::1 and 127.0.0.1 with Debian's stock
# /etc/hosts; 127.0.0.1 alone where the hosts file says only that.
addrs=$(getent ahosts localhost 2>/dev/null | awk '$2 == "STREAM" { print $1 }')
if printf '%s\n' "$addrs" | grep -qx '::1' && printf '%s\n' "$addrs" | grep -qx '127.0.0.1' \
   && grep -q ' lo$' /proc/net/if_inet6 2>/dev/null; then
  for mode in thread process; do
    want_lines=2 start "lh-$mode" --host localhost --mode "$mode" --pool 2
    first=$(printf '%s\n' "$addrs" | head -n 1)
    second=$(printf '%s\n' "$addrs" | sed -n 2p)
    fmt () { case $1 in *:*) echo "[$1]:$port" ;; *) echo "$1:$port" ;; esac; }
    want1="listening on $(fmt "$first") ($mode, pool 2)"
    want2="also listening on $(fmt "$second")"
    if [ -n "$port" ] && [ "$(sed -n 1p "$tmp/lh-$mode.out")" = "$want1" ] \
       && [ "$(sed -n 2p "$tmp/lh-$mode.out")" = "$want2" ] \
       && [ "$(wc -l <"$tmp/lh-$mode.out")" -eq 2 ]; then
      ok "$mode: --host localhost: one line per address, the same port"
    else
      not_ok "$mode: --host localhost: one line per address, the same port" \
        "stdout: $(show "$tmp/lh-$mode.out")" "want: $want1|$want2|" \
        "stderr: $(show "$tmp/lh-$mode.err")"
    fi
    for host in 127.0.0.1 ::1 localhost; do
      # Two lists in a row: the same workers take both addresses' connections.
      if timeout 20 "$cli" --host "$host" --port "${port:-1}" list >"$tmp/c.out" 2>"$tmp/c.err" \
         && timeout 20 "$cli" --host "$host" --port "${port:-1}" list >>"$tmp/c.out" 2>>"$tmp/c.err"
      then
        ok "$mode: filestorm-client --host $host list"
      else
        not_ok "$mode: filestorm-client --host $host list" "stderr: $(show "$tmp/c.err")"
      fi
    done
    stop "$pid"
  done
else
  skip "--host localhost listens on ::1 and 127.0.0.1" \
    "localhost is only '$(echo $addrs)' here (the stock Debian /etc/hosts gives ::1 too)"
fi

# A server on 127.0.0.1 only, and the tools given localhost: whatever
# localhost's first address is, they find the one that accepts.
want_lines=1 start v4 --host 127.0.0.1
v4pid=$pid v4port=$port
if timeout 20 "$cli" --host localhost --port "${v4port:-1}" list >"$tmp/c.out" 2>"$tmp/c.err"; then
  ok "filestorm-client --host localhost reaches a server on 127.0.0.1"
else
  not_ok "filestorm-client --host localhost reaches a server on 127.0.0.1" \
    "stderr: $(show "$tmp/c.err")"
fi
if timeout 60 "$pool" --host localhost --port "${v4port:-1}" --client-pool 2 --mode process \
     --operation list --repeat 2 >"$tmp/p.out" 2>"$tmp/p.err"; then
  ok "filestorm-pool --host localhost reaches a server on 127.0.0.1"
else
  not_ok "filestorm-pool --host localhost reaches a server on 127.0.0.1" \
    "stderr: $(show "$tmp/p.err")"
fi
if timeout 120 "$stress" --target "localhost:${v4port:-1}" --quick --operation list \
     --client-pool 1 --no-report -o "$tmp/results" >"$tmp/s.out" 2>"$tmp/s.err"; then
  ok "filestorm-stress --target localhost:PORT reaches a server on 127.0.0.1"
else
  not_ok "filestorm-stress --target localhost:PORT reaches a server on 127.0.0.1" \
    "stderr: $(show "$tmp/s.err")"
fi

# says_once NAME EXIT WHERE TEXT DESC ARGS...: ARGS fails with exit status
# EXIT and one line "NAME: ..." that names WHERE once and holds TEXT.
says_once () {
  name=$1 code=$2 where=$3 text=$4 desc=$5
  shift 5
  timeout 30 "$@" >"$tmp/x.out" 2>"$tmp/x.err" </dev/null
  rc=$?
  if [ "$rc" -eq "$code" ] && one_line "$name" "$tmp/x.err" \
     && [ "$(count_of "$where" "$tmp/x.err")" -eq 1 ] && grep -q -F -e "$text" "$tmp/x.err"; then
    ok "$desc"
  else
    not_ok "$desc" "exit status $rc" "stderr: $(show "$tmp/x.err")"
  fi
}

# ----------------------------------------------------------- port in use

says_once filestorm-server 3 "127.0.0.1:$v4port" "--port 0" \
  "a port in use: exit 3, one line, the address once, suggests --port 0" \
  "$srv" --host 127.0.0.1 --port "${v4port:-1}" --root "$tmp/in-use"
stop "$v4pid"

# ----------------------------------------------------------- closed port

# The port of the server just stopped: nothing listens there now.
closed=127.0.0.1:$v4port
question="is a filestorm-server listening there?"
says_once filestorm-client 3 "$closed" "$question" \
  "filestorm-client to a closed port: exit 3, the address once, asks" \
  "$cli" --host 127.0.0.1 --port "$v4port" list
says_once filestorm-pool 3 "$closed" "$question" \
  "filestorm-pool to a closed port: exit 3, the address once, asks" \
  "$pool" --host 127.0.0.1 --port "$v4port" --operation list
says_once filestorm-stress 3 "$closed" "$question" \
  "filestorm-stress --target to a closed port: exit 3, the address once, asks" \
  "$stress" --target "$closed" --quick --no-report -o "$tmp/results-closed"

echo "1..$n"
