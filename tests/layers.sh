#!/bin/sh
# layers.sh: src/ is in six wings, each of which may include the headers
# of the wings below it and no others (issue 28):
#
#   wire    nothing of the others
#   server  wire
#   load    wire
#   mpi     load, wire
#   stress  load, wire
#   report  stress, load, wire
#
# The main() files, src/filestorm-*.c, may include anything. Reads every
# #include "..." of every .c and .h under src/ and names each file that
# includes a header of a wing above its own or beside it. A header is
# known by its name alone, which is why no two wings may hold the same
# name. Prints TAP (exit status 1 if a test failed).

set -u
srcdir=${FILESTORM_SRCDIR:-$(dirname "$0")/..}
. "$srcdir/tests/tap.sh"
src=$srcdir/src
wings="wire server load mpi stress report"

# below WING: the wings that WING may include besides its own.
below () {
  case $1 in
    wire) echo "" ;;
    server|load) echo "wire" ;;
    mpi|stress) echo "load wire" ;;
    report) echo "stress load wire" ;;
  esac
}

# Every header of a wing, as "NAME WING" lines.
headers=$(for h in "$src"/*/*.h; do
  [ -e "$h" ] || continue
  wing=${h%/*}
  echo "${h##*/} ${wing##*/}"
done)
if [ -z "$headers" ]; then
  not_ok "no header found under $src"
  echo "1..$n"
  exit 1
fi

twice=$(echo "$headers" | awk '{ print $1 }' | sort | uniq -d | tr '\n' ' ')
check "no two wings hold a header of the same name${twice:+ (twice: $twice)}" '[ -z "$twice" ]'

# Every file is in a wing, or a main() file (or src/resources.c, which the
# build generates there).
stray=
for f in "$src"/*.[ch] "$src"/*/*.[ch]; do
  [ -e "$f" ] || continue
  rel=${f#"$src"/}
  case $rel in
    filestorm-*.c|resources.c) ;;
    */*) case " $wings " in *" ${rel%%/*} "*) ;; *) stray="$stray src/$rel" ;; esac ;;
    *) stray="$stray src/$rel" ;;
  esac
done
check "every file of src/ but the main() files is in a wing${stray:+ (not:$stray)}" \
  '[ -z "$stray" ]'

for wing in $wings; do
  may=$(below "$wing")
  bad=0
  for f in "$src/$wing"/*.[ch]; do
    [ -e "$f" ] || continue
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
      of=$(echo "$headers" | awk -v name="${h##*/}" '$1 == name { print $2; exit }')
      # config.h (the build's) and headers outside src/ are no wing's.
      [ -n "$of" ] || continue
      case " $wing $may " in
        *" $of "*) ;;
        *) not_ok "src/$wing/${f##*/} includes $h, of $of: $wing may include ${may:-nothing of the others}"
           bad=1 ;;
      esac
    done
  done
  [ $bad = 1 ] || ok "src/$wing includes only its own headers${may:+ and those of: $may}"
done

echo "1..$n"
exit $failed
