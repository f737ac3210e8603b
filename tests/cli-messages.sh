#!/bin/sh
# cli-messages.sh: what filestorm-server, filestorm-client and
# filestorm-pool say on a bad option or FILESTORM_BASE64 value (one line
# that names the option), what every program says of an unknown option
# (try --help, and the option meant when one is near), and
# that they follow the user's locale for it (GLib's "[OPTION…]" in a
# UTF-8 locale, not "[OPTION?]"). Prints TAP.
#
# Nothing here should start a server or connect anywhere: every run is
# bad usage, under timeout(1), with --port 0 and a scratch root for the
# server in case it wrongly starts.

set -u

srcdir=$(dirname "$0")/..
srv=${FILESTORM_SERVER:-$srcdir/src/filestorm-server}
cli=${FILESTORM_CLIENT:-$srcdir/src/filestorm-client}
pool=${FILESTORM_POOL:-$srcdir/src/filestorm-pool}
stress=${FILESTORM_STRESS:-$srcdir/src/filestorm-stress}
report=${FILESTORM_REPORT:-$srcdir/src/filestorm-report}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-msg-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1))
  failed=1
  echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "# $line"; done
}
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
show () { tr '\n' '|' <"$1" | cut -c1-300; }

# usage NAME PROGRAM OPTION [WANT] -- ARGS...: PROGRAM ARGS exits 2 with
# exactly one line on stderr, "NAME: ...", that names OPTION (and is WANT
# exactly, when given) and nothing on stdout.
usage () {
  name=$1 prog=$2 option=$3 want=
  shift 3
  if [ "$1" != "--" ]; then want=$1; shift; fi
  shift
  timeout 10 "$prog" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  line=$(head -n 1 "$tmp/err")
  desc="$name $*: exit 2, one line naming $option"
  if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] \
     && case $line in "$name: "*"$option"*) true ;; *) false ;; esac \
     && { [ -z "$want" ] || [ "$line" = "$want" ]; }; then
    ok "$desc"
  else
    not_ok "$desc" "exit status $rc, want 2" "stderr: $(show "$tmp/err")" \
      "stdout: $(show "$tmp/out")" ${want:+"want: $want"}
  fi
}

s="--port 0 --root $tmp/root"
# shellcheck disable=SC2086 # $s is split on purpose
{
  usage filestorm-server "$srv" --mode \
    "filestorm-server: --mode: invalid mode 'threads' (expected thread, process or event)" -- \
    $s --mode threads
  usage filestorm-server "$srv" --pool -- $s --pool 0
  usage filestorm-server "$srv" --pool -- $s --pool many
  usage filestorm-server "$srv" --port -- --root "$tmp/root" --port 70000
  usage filestorm-server "$srv" --base-port -- --root "$tmp/root" --base-port x
  usage filestorm-server "$srv" --host -- $s --host ''
  usage filestorm-server "$srv" --root -- --port 0 --root ''
  usage filestorm-server "$srv" --port-file -- $s --port-file ''
  usage filestorm-server "$srv" --max-upload -- $s --max-upload 0
  usage filestorm-server "$srv" --max-upload -- $s --max-upload lots
  usage filestorm-server "$srv" --min-rate -- $s --min-rate slow
  usage filestorm-server "$srv" --idle-timeout -- $s --idle-timeout -1
  usage filestorm-server "$srv" --request-timeout -- $s --request-timeout x
  usage filestorm-server "$srv" --grace -- $s --grace 9999
}

# The same setting from a configuration file names the file, group and key.
printf '[server]\nmode=threads\n' >"$tmp/bad.conf"
usage filestorm-server "$srv" "mode" \
  "filestorm-server: $tmp/bad.conf: [server] mode: invalid mode 'threads' (expected thread, process or event)" \
  -- --port 0 --root "$tmp/root" --config "$tmp/bad.conf"

usage filestorm-pool "$pool" --mode \
  "filestorm-pool: --mode: invalid mode 'threads' (expected thread or process)" -- \
  --mode threads
usage filestorm-pool "$pool" --operation \
  "filestorm-pool: --operation: invalid operation 'copy' (expected list, download, get or upload)" \
  -- --operation copy
usage filestorm-pool "$pool" --volume -- --volume ten
usage filestorm-pool "$pool" --volume -- --volume 0
usage filestorm-pool "$pool" --client-pool -- --client-pool 0
usage filestorm-pool "$pool" --repeat -- --repeat 0
usage filestorm-pool "$pool" --port -- --port 0
usage filestorm-pool "$pool" --timeout -- --timeout 0

usage filestorm-client "$cli" --port -- --port 70000 list
usage filestorm-client "$cli" --port -- --port x list
usage filestorm-client "$cli" --timeout -- --timeout -1 list
usage filestorm-client "$cli" --output -- --output f list
usage filestorm-client "$cli" --name -- --name f list

# A command's wrong number of arguments shows the command's usage.
usage filestorm-client "$cli" "get NAME" \
  "filestorm-client: usage: filestorm-client get NAME [-o FILE] (try --help)" -- get
usage filestorm-client "$cli" "upload PATH" \
  "filestorm-client: usage: filestorm-client upload PATH [--name NAME] (try --help)" -- upload
usage filestorm-client "$cli" "delete NAME" \
  "filestorm-client: usage: filestorm-client delete NAME (try --help)" -- delete a b
usage filestorm-client "$cli" "list" \
  "filestorm-client: usage: filestorm-client list (try --help)" -- list x

# An unknown option: every program says to try --help, and names the
# option meant when one is near (a usual other name, a typo, a prefix).
usage filestorm-server "$srv" --threads \
  "filestorm-server: Unknown option --threads; did you mean --pool? (try --help)" -- \
  --port 0 --root "$tmp/root" --threads 10
usage filestorm-server "$srv" --xyzzy "filestorm-server: Unknown option --xyzzy (try --help)" \
  -- --port 0 --root "$tmp/root" --xyzzy
usage filestorm-pool "$pool" --clients \
  "filestorm-pool: Unknown option --clients; did you mean --client-pool? (try --help)" -- \
  --clients 5
usage filestorm-pool "$pool" --vol \
  "filestorm-pool: Unknown option --vol=5; did you mean --volume? (try --help)" -- --vol=5
usage filestorm-client "$cli" --prot \
  "filestorm-client: Unknown option --prot; did you mean --port? (try --help)" -- \
  --prot 7000 list
usage filestorm-stress "$stress" --threads \
  "filestorm-stress: Unknown option --threads; did you mean --server-pool? (try --help)" -- \
  --results-dir "$tmp/results" --threads 4
usage filestorm-stress "$stress" --quik \
  "filestorm-stress: Unknown option --quik; did you mean --quick? (try --help)" -- \
  --results-dir "$tmp/results" --quik
usage filestorm-report "$report" --lable \
  "filestorm-report: Unknown option --lable; did you mean --label? (try --help)" -- \
  --lable x "$tmp/none.json"
usage filestorm-report "$report" --colour "filestorm-report: Unknown option --colour (try --help)" \
  -- --colour "$tmp/none.json"

# A volume that is not a number says the unit and gives an example.
usage filestorm-pool "$pool" --volume \
  "filestorm-pool: --volume 10MB: not a number of MiB; give one such as 10 or 0.5" -- \
  --volume 10MB
usage filestorm-stress "$stress" --volume \
  "filestorm-stress: --volume 10MiB: not a number of MiB (KiB with --quick), such as 10" -- \
  --results-dir "$tmp/results" --volume 10MiB

# Idle connections need a run of a set length to bound the wait.
usage filestorm-stress "$stress" --repeat \
  "filestorm-stress: idle connections need runs of a set length (--duration, or [run] duration=), not --repeat" -- \
  --results-dir "$tmp/results" --idle-connections 0,5 --repeat 3

# FILESTORM_BASE64 naming no implementation is bad usage too, said once.
export FILESTORM_BASE64=avx3
usage filestorm-server "$srv" FILESTORM_BASE64 -- --port 0 --root "$tmp/root"
usage filestorm-pool "$pool" FILESTORM_BASE64 -- --port 1
usage filestorm-client "$cli" FILESTORM_BASE64 -- list
unset FILESTORM_BASE64

# The locale: GLib writes "[OPTION…]" with a real ellipsis in a UTF-8
# locale once the program has called setlocale(), "[OPTION?]" without.
utf8=
for l in C.UTF-8 C.utf8 en_US.UTF-8; do
  if [ "$(LC_ALL=$l locale charmap 2>/dev/null)" = UTF-8 ]; then utf8=$l; break; fi
done
for prog in "$srv" "$cli" "$pool"; do
  name=$(basename "$prog")
  if [ -z "$utf8" ]; then
    skip "$name --help in a UTF-8 locale" "no UTF-8 locale installed"
    continue
  fi
  LANG=$utf8 LC_ALL=$utf8 timeout 10 "$prog" --help >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  if [ "$rc" -eq 0 ] && grep -q "\[OPTION…\]" "$tmp/out" && [ ! -s "$tmp/err" ]; then
    ok "$name --help in $utf8 says [OPTION…]"
  else
    not_ok "$name --help in $utf8 says [OPTION…]" "exit status $rc" \
      "stdout: $(show "$tmp/out")" "stderr: $(show "$tmp/err")"
  fi
done

echo "1..$n"
exit $failed
