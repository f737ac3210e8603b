#!/bin/sh
# circles.sh: no two files of src/ call each other (issue 28). Reads, with
# nm, the symbols that each object of the wings (src/*/*.o in the build
# tree) defines and uses, and names every pair of objects in which each
# uses a symbol that the other defines: such a pair is one module in two
# files, or a layer calling back up. Prints TAP (exit status 1 if a test
# failed); skips when nm or the objects are not there.

set -u
srcdir=${FILESTORM_SRCDIR:-$(dirname "$0")/..}
. "$srcdir/tests/tap.sh"
# The build tree's src/: where the programs under test were built.
builddir=$(dirname "${FILESTORM_SERVER:-./src/filestorm-server}")

objects=$(ls "$builddir"/*/*.o 2>/dev/null)
if ! command -v nm >/dev/null 2>&1 || [ -z "$objects" ]; then
  skip "no nm, or no object under $builddir/*/"
  echo "1..$n"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-circles-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

for o in $objects; do
  name=${o#"$builddir"/}
  nm -g --defined-only "$o" | awk -v o="$name" 'NF == 3 { print $3, o }' >> "$tmp/defines"
  nm -u "$o" | awk -v o="$name" '{ print $2, o }' >> "$tmp/uses"
done
# "user definer" for every symbol one object takes from another.
awk 'NR == FNR { def[$1] = $2; next }
     ($1 in def) && def[$1] != $2 { print $2, def[$1] }' "$tmp/defines" "$tmp/uses" \
  | sort -u > "$tmp/calls"
awk '{ call[$1 " " $2] = 1 }
     END { for (k in call) { split (k, p, " ");
                             if ((p[2] " " p[1]) in call && p[1] < p[2]) print p[1], p[2] } }' \
  "$tmp/calls" | sort > "$tmp/circles"

check "the $(echo "$objects" | wc -l) objects of src/'s wings take $(wc -l < "$tmp/calls") calls from one another, none both ways" \
  '[ ! -s "$tmp/circles" ]'
while read -r a b; do
  echo "# $a and $b call each other:"
  awk -v a="$a" -v b="$b" 'NR == FNR { if (($2 == a || $2 == b)) def[$1] = $2; next }
       ($1 in def) && (($2 == a && def[$1] == b) || ($2 == b && def[$1] == a)) {
         print "#   " $2 " uses " $1 " of " def[$1] }' "$tmp/defines" "$tmp/uses"
done < "$tmp/circles"

echo "1..$n"
exit $failed
