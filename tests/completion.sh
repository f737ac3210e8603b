#!/bin/sh
# completion.sh: the bash completion script offers, for every command,
# exactly the long options its --help lists, and completes the values of
# --mode. Prints TAP (exit status 1 if a test failed). bash-completion
# itself is not needed: its two helpers the script calls are stood in for.
# filestorm-pool-mpi is checked when it was built.

set -u
srcdir=${FILESTORM_SRCDIR:-$(dirname "$0")/..}
script=$srcdir/data/filestorm.bash-completion
. "$srcdir/tests/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-completion-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# offered FUNCTION WORD...: what FUNCTION of the script completes when the
# command line is WORD... (the command first), one word a line.
offered () {
  bash -c '
    _init_completion () {
      cur=${COMP_WORDS[COMP_CWORD]}
      prev=${COMP_WORDS[COMP_CWORD - 1]}
      words=("${COMP_WORDS[@]}")
      cword=$COMP_CWORD
    }
    _filedir () { :; }
    . "$1" || exit 1
    fn=$2
    shift 2
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    "$fn"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@"
}

if ! command -v bash >/dev/null 2>&1; then
  skip "bash is not installed"
  echo "1..$n"
  exit 0
fi

for name in server client pool stress report pool-mpi; do
  var=$(echo "FILESTORM_$name" | tr 'a-z-' 'A-Z_')
  eval "bin=\${$var:-$srcdir/src/filestorm-$name}"
  fn=_filestorm_$(echo "$name" | tr - _)
  if [ "$name" = pool-mpi ] && [ "${FILESTORM_WITH_MPI:-unknown}" != yes ]; then
    skip "filestorm-$name: MPI was not built (configure --with-mpi)"
    continue
  fi
  # The options are the lines that start with one; the descriptions may
  # name others (--launcher's mentions mpirun's --hostfile).
  "$bin" --help 2>&1 | sed -n -E 's/^ +(-[a-zA-Z], )?(--[a-z][a-z-]*).*/\2/p' | sort -u \
    > "$tmp/help"
  offered "$fn" "filestorm-$name" -- | sort -u > "$tmp/offered"
  if [ -s "$tmp/help" ] && cmp -s "$tmp/help" "$tmp/offered"; then
    ok "filestorm-$name: the long options of --help, no more, no fewer"
  else
    not_ok "filestorm-$name: the long options of --help, no more, no fewer"
    diff "$tmp/help" "$tmp/offered" | sed 's/^/# /'
  fi
done

check "filestorm-server --mode completes to thread, process and event" \
  '[ "$(offered _filestorm_server filestorm-server --mode "" | tr "\n" " ")" = "thread process event " ]'
check "filestorm-pool --transfer r completes to raw" \
  '[ "$(offered _filestorm_pool filestorm-pool --transfer r)" = raw ]'

echo "1..$n"
exit $failed
