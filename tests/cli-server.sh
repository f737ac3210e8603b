#!/bin/sh
# cli-server.sh: the command line of filestorm-server: options, exit codes,
# one-line error messages, --port-file. Prints TAP.
#
# Every server started here gets --port 0 (or a port it must fail on) and a
# root in a temporary directory, and runs under timeout(1) or is killed by
# the EXIT trap, so a server that wrongly accepts bad usage cannot linger.

set -u

srv=${FILESTORM_SERVER:-$(dirname "$0")/../src/filestorm-server}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-cli-XXXXXX") || exit 99
bg_pids=""

cleanup () {
  for p in $bg_pids; do
    kill -KILL "$p" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

n=0
ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}
not_ok () {
  n=$((n + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do
    echo "# $line"
  done
}
skip () {
  n=$((n + 1))
  echo "ok $n - $1 # SKIP $2"
}
show () { # a file, for diagnostics on one line
  tr '\n' '|' <"$1" | cut -c1-300
}

# run ARGS...: runs the server to completion (20 s at most), setting rc and
# leaving its output in $tmp/out and $tmp/err.
run () {
  timeout 20 "$srv" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
}

# one_error_line: TRUE if $tmp/err is exactly one line "filestorm-server: ...".
one_error_line () {
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || return 1
  first=$(head -n 1 "$tmp/err")
  [ "$(cat "$tmp/err")" = "$first" ] || return 1
  case $first in
    "filestorm-server: "?*) return 0 ;;
    *) return 1 ;;
  esac
}

# expect_fail CODE DESCRIPTION ARGS...
expect_fail () {
  code=$1
  desc=$2
  shift 2
  run "$@"
  if [ "$rc" -eq "$code" ] && one_error_line && [ ! -s "$tmp/out" ]; then
    ok "$desc: exit $code, one line on stderr"
  else
    not_ok "$desc: exit $code, one line on stderr" \
      "args: $*" "exit status $rc, want $code" \
      "stderr: $(show "$tmp/err")" "stdout: $(show "$tmp/out")"
  fi
}

# alive PID: the process exists and is not a zombie. One read of its
# status: the shell may reap it at any moment.
alive () {
  state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# wait_file FILE SECONDS: polls until FILE is not empty.
wait_file () {
  i=0
  while [ ! -s "$1" ] && [ "$i" -lt $(($2 * 20)) ]; do
    sleep 0.05
    i=$((i + 1))
  done
  [ -s "$1" ]
}

# start NAME ARGS...: starts a server in the background, output in
# $tmp/NAME.out/.err; sets pid.
start () {
  name=$1
  shift
  # created here, not by the background shell, so that nothing reads a
  # previous run's output
  : >"$tmp/$name.out"
  : >"$tmp/$name.err"
  "$srv" "$@" >>"$tmp/$name.out" 2>>"$tmp/$name.err" </dev/null &
  pid=$!
  bg_pids="$bg_pids $pid"
}

# stop PID SECONDS: SIGTERM, wait with a deadline (SIGKILL after it); sets
# stop_rc (124 when it had to be killed).
stop () {
  kill -TERM "$1" 2>/dev/null
  i=0
  while alive "$1" && [ "$i" -lt $(($2 * 20)) ]; do
    sleep 0.05
    i=$((i + 1))
  done
  if alive "$1"; then
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    stop_rc=124
  else
    wait "$1"
    stop_rc=$?
  fi
}

# ready_line NAME: the first line of the server's stdout once there.
ready_line () {
  wait_file "$tmp/$1.out" 10 && head -n 1 "$tmp/$1.out"
}

# ---------------------------------------------------------------- --help

run --help
missing=""
for opt in --config --mode --pool --host --port --base-port --port-file --root \
           --max-upload --idle-timeout --request-timeout --min-rate --grace --version --help; do
  grep -Eq -e "$opt([=[:space:],]|\$)" "$tmp/out" || missing="$missing $opt"
done
if [ "$rc" -eq 0 ] && [ -z "$missing" ]; then
  ok "--help exits 0 and mentions every option"
else
  not_ok "--help exits 0 and mentions every option" "exit status $rc" "missing:$missing"
fi

run -h
if [ "$rc" -eq 0 ] && grep -q -e "--pool" "$tmp/out"; then
  ok "-h is --help"
else
  not_ok "-h is --help" "exit status $rc"
fi

# ---------------------------------------------------------------- --version

run --version
first=$(head -n 1 "$tmp/out")
if [ "$rc" -eq 0 ] && printf '%s\n' "$first" | grep -Eq '^filestorm-server \(filestorm\) [0-9]+\.[0-9]+\.[0-9]+$' \
   && [ ! -s "$tmp/err" ]; then
  ok "--version prints \"filestorm-server (filestorm) VERSION\""
else
  not_ok "--version prints \"filestorm-server (filestorm) VERSION\"" "exit status $rc" "stdout: $first"
fi

# ---------------------------------------------------------------- bad usage

r="$tmp/root-unused"
expect_fail 2 "--mode bogus" --mode bogus --port 0 --root "$r"
expect_fail 2 "--mode empty" --mode "" --port 0 --root "$r"
expect_fail 2 "--pool 0" --pool 0 --port 0 --root "$r"
expect_fail 2 "--pool 1025" --pool 1025 --port 0 --root "$r"
expect_fail 2 "--pool abc" --pool abc --port 0 --root "$r"
expect_fail 2 "--pool -1" --pool -1 --port 0 --root "$r"
expect_fail 2 "--pool without a value" --port 0 --root "$r" --pool
expect_fail 2 "--port 70000" --port 70000 --root "$r"
expect_fail 2 "--port 65536" --port 65536 --root "$r"
expect_fail 2 "--port -1" --port -1 --root "$r"
expect_fail 2 "--port x" --port x --root "$r"
expect_fail 2 "--base-port 70000" --base-port 70000 --root "$r"
expect_fail 2 "--max-upload 12X" --max-upload 12X --port 0 --root "$r"
expect_fail 2 "--max-upload 1.5G" --max-upload 1.5G --port 0 --root "$r"
expect_fail 2 "--max-upload overflow" --max-upload 99999999999999T --port 0 --root "$r"
expect_fail 2 "--max-upload past the largest file" --max-upload 8388608T --port 0 --root "$r"
expect_fail 2 "--max-upload 2^63-1 bytes" --max-upload 9223372036854775807 --port 0 --root "$r"
expect_fail 2 "--idle-timeout x" --idle-timeout x --port 0 --root "$r"
expect_fail 2 "--request-timeout -1" --request-timeout -1 --port 0 --root "$r"
expect_fail 2 "--request-timeout 86401" --request-timeout 86401 --port 0 --root "$r"
expect_fail 2 "--request-timeout x" --request-timeout x --port 0 --root "$r"
expect_fail 2 "--min-rate 1.5K" --min-rate 1.5K --port 0 --root "$r"
expect_fail 2 "--min-rate -1" --min-rate -1 --port 0 --root "$r"
expect_fail 2 "--min-rate 2T" --min-rate 2T --port 0 --root "$r"
expect_fail 2 "--grace -1" --grace -1 --port 0 --root "$r"
expect_fail 2 "stray argument" --port 0 --root "$r" stray
expect_fail 2 "unknown option" --port 0 --root "$r" --bogus
if [ -e "$r" ]; then
  not_ok "bad usage creates no root" "$r exists"
else
  ok "bad usage creates no root"
fi

# ---------------------------------------------------------------- root

echo "not a directory" >"$tmp/regular"
expect_fail 4 "--root under /proc" --port 0 --root /proc/nope/x
expect_fail 4 "--root under a regular file" --port 0 --root "$tmp/regular/sub"
expect_fail 4 "--root is a regular file" --port 0 --root "$tmp/regular"

# ---------------------------------------------------------------- listen

expect_fail 3 "--host not local" --host 192.0.2.1 --port 0 --root "$tmp/r-host"

# Server A on any port, with --port-file; the defaults: thread, pool 5.
start a --port 0 --port-file "$tmp/a.port" --root "$tmp/ra"
apid=$pid
if wait_file "$tmp/a.port" 10; then
  port=$(cat "$tmp/a.port")
  size=$(wc -c <"$tmp/a.port")
  if printf '%s\n' "$port" | grep -Eq '^[1-9][0-9]{0,4}$' && [ "$port" -le 65535 ] \
     && [ "$size" -eq $((${#port} + 1)) ]; then
    ok "--port-file holds the port and a newline"
  else
    not_ok "--port-file holds the port and a newline" "content: $(show "$tmp/a.port")"
  fi
else
  port=""
  not_ok "--port-file holds the port and a newline" "no port file within 10 s" \
    "stderr: $(show "$tmp/a.err")"
fi

line=$(ready_line a)
if [ -n "$port" ] && [ "$line" = "listening on 127.0.0.1:$port (thread, pool 5)" ] \
   && [ "$(wc -l <"$tmp/a.out")" -eq 1 ]; then
  ok "ready line with the defaults matches the port file"
else
  not_ok "ready line with the defaults matches the port file" "line: $line" "port: $port"
fi
if [ -d "$tmp/ra" ]; then
  ok "--root is created"
else
  not_ok "--root is created"
fi

if [ -n "$port" ]; then
  expect_fail 3 "--port in use" --port "$port" --root "$tmp/rb"
  expect_fail 3 "--base-port in use" --base-port "$port" --root "$tmp/rb"
else
  skip "--port in use" "no port"
  skip "--base-port in use" "no port"
fi

stop "$apid" 15
if [ "$stop_rc" -eq 0 ] && [ ! -s "$tmp/a.err" ]; then
  ok "SIGTERM: exit 0, nothing on stderr"
else
  not_ok "SIGTERM: exit 0, nothing on stderr" "exit status $stop_rc" "stderr: $(show "$tmp/a.err")"
fi

# --base-port works like --port: reuse the port A just released.
if [ -n "$port" ]; then
  start c --base-port "$port" --root "$tmp/rc" --mode process --pool 2
  cpid=$pid
  line=$(ready_line c)
  if [ "$line" = "listening on 127.0.0.1:$port (process, pool 2)" ]; then
    ok "--base-port sets the port"
  else
    not_ok "--base-port sets the port" "line: $line" "stderr: $(show "$tmp/c.err")"
  fi
  stop "$cpid" 15
  if [ "$stop_rc" -eq 0 ]; then
    ok "process mode: SIGTERM exits 0"
  else
    not_ok "process mode: SIGTERM exits 0" "exit status $stop_rc" "stderr: $(show "$tmp/c.err")"
  fi
else
  skip "--base-port sets the port" "no port"
  skip "process mode: SIGTERM exits 0" "no port"
fi

# Good option values are accepted.
start d --port 0 --root "$tmp/rd" --max-upload 10MiB --idle-timeout 0 --grace 1 --pool 1024 --mode thread \
  --request-timeout 0 --min-rate 0
dpid=$pid
line=$(ready_line d)
case $line in
  "listening on 127.0.0.1:"*" (thread, pool 1024)") ok "good values accepted (--pool 1024, --max-upload 10MiB, ...)" ;;
  *) not_ok "good values accepted (--pool 1024, --max-upload 10MiB, ...)" "line: $line" "stderr: $(show "$tmp/d.err")" ;;
esac
stop "$dpid" 15

for size in 1 1K 2MB 3G 1T 5KiB 8388607T; do
  start "e$size" --port 0 --root "$tmp/re" --max-upload "$size" --pool 1
  epid=$pid
  line=$(ready_line "e$size")
  stop "$epid" 15
  case $line in
    "listening on 127.0.0.1:"*) ok "--max-upload $size accepted" ;;
    *) not_ok "--max-upload $size accepted" "line: $line" "stderr: $(show "$tmp/e$size.err")" ;;
  esac
done

# SIGINT stops like SIGTERM.
start h --port 0 --root "$tmp/rh" --mode process --pool 2
hpid=$pid
line=$(ready_line h)
kill -INT "$hpid" 2>/dev/null
i=0
while alive "$hpid" && [ "$i" -lt 300 ]; do
  sleep 0.05
  i=$((i + 1))
done
if alive "$hpid"; then
  kill -KILL "$hpid"
  wait "$hpid" 2>/dev/null
  not_ok "SIGINT: exit 0" "still running 15 s after SIGINT"
else
  wait "$hpid"
  rc=$?
  if [ "$rc" -eq 0 ] && [ -n "$line" ]; then
    ok "SIGINT: exit 0"
  else
    not_ok "SIGINT: exit 0" "exit status $rc" "line: $line" "stderr: $(show "$tmp/h.err")"
  fi
fi

# --port-file that cannot be written: exit 1, one line.
expect_code_1 () {
  run --port 0 --root "$tmp/rf" --port-file "$tmp/no-such-dir/port"
  if [ "$rc" -eq 1 ] && one_error_line; then
    ok "unwritable --port-file: exit 1, one line on stderr"
  else
    not_ok "unwritable --port-file: exit 1, one line on stderr" "exit status $rc" \
      "stderr: $(show "$tmp/err")"
  fi
}
expect_code_1

# IPv6 addresses are printed in brackets.
if grep -q ' lo$' /proc/net/if_inet6 2>/dev/null; then
  start g --host ::1 --port 0 --root "$tmp/rg" --pool 1
  gpid=$pid
  line=$(ready_line g)
  stop "$gpid" 15
  case $line in
    "listening on [::1]:"[1-9]*" (thread, pool 1)") ok "IPv6 ready line in brackets" ;;
    *) not_ok "IPv6 ready line in brackets" "line: $line" "stderr: $(show "$tmp/g.err")" ;;
  esac
else
  skip "IPv6 ready line in brackets" "no IPv6 loopback"
fi

# --config: a [server] group with the options' names; the command line wins.
cat >"$tmp/good.conf" <<EOF2
# comments are fine
[server]
mode=process
pool=2
host=127.0.0.1
port=0
root=$tmp/rconf
max-upload=5M
idle-timeout=30
request-timeout=5
min-rate=2K
grace=3
EOF2
start h --config "$tmp/good.conf"
hpid=$pid
line=$(ready_line h)
stop "$hpid" 15
case $line in
  "listening on 127.0.0.1:"[1-9]*" (process, pool 2)")
    if [ -d "$tmp/rconf" ]; then ok "--config sets mode, pool, port and root"
    else not_ok "--config sets mode, pool, port and root" "no root $tmp/rconf"; fi ;;
  *) not_ok "--config sets mode, pool, port and root" "line: $line" "stderr: $(show "$tmp/h.err")" ;;
esac
start i --config "$tmp/good.conf" --pool 3 --mode thread
ipid=$pid
line=$(ready_line i)
stop "$ipid" 15
case $line in
  "listening on 127.0.0.1:"[1-9]*" (thread, pool 3)") ok "options given on the command line override --config" ;;
  *) not_ok "options given on the command line override --config" "line: $line" "stderr: $(show "$tmp/i.err")" ;;
esac
printf '[server]\npoll=2\n' >"$tmp/typo.conf"
expect_fail 2 "--config with an unknown key" --config "$tmp/typo.conf" --root "$tmp/rt"
printf '[serve]\npool=2\n' >"$tmp/group.conf"
expect_fail 2 "--config with an unknown group" --config "$tmp/group.conf" --root "$tmp/rt"
printf '[server]\npool=0\n' >"$tmp/bad.conf"
expect_fail 2 "--config with a bad value" --config "$tmp/bad.conf" --root "$tmp/rt"
printf '[server]\npool=0\n' >"$tmp/bad.conf"
run --config "$tmp/bad.conf" --pool 1 --port 0 --root "$tmp/rt" --idle-timeout x
if [ "$rc" -eq 2 ] && one_error_line && grep -q -- "--idle-timeout" "$tmp/err"; then
  ok "a bad value on the command line is reported as the option"
else
  not_ok "a bad value on the command line is reported as the option" "exit $rc" "stderr: $(show "$tmp/err")"
fi
printf '[server]\nrequest-timeout=30\\c\nmin-rate=1K\n' >"$tmp/escape.conf"
expect_fail 2 "--config with a bad escape" --config "$tmp/escape.conf" --root "$tmp/rt"
printf '[server]\nrequest-timeout=30\\L\\\n' >"$tmp/escape2.conf"
expect_fail 2 "--config with two bad escapes (one line, no GLib warning)" --config "$tmp/escape2.conf" --root "$tmp/rt"
expect_fail 2 "--config with a missing file" --config "$tmp/no-such.conf" --root "$tmp/rt"
printf 'not a key file\n' >"$tmp/junk.conf"
expect_fail 2 "--config with a file that is not a key file" --config "$tmp/junk.conf" --root "$tmp/rt"

echo "1..$n"
