#!/bin/sh
# cli-messages.sh: what filestorm-server, filestorm-client and
# filestorm-pool say on a bad option or FILESTORM_BASE64 value (one line
# that names the option) and
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
    "filestorm-server: --mode: invalid mode 'threads' (expected thread or process)" -- \
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
  "filestorm-server: $tmp/bad.conf: [server] mode: invalid mode 'threads' (expected thread or process)" \
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
