#!/bin/sh
# bench-verdict.sh: the verdict's consistency, measured. Runs the same
# subset of the matrix twice for each pair of seeds given, and counts the
# pairs that both runs call clear, and those they call clear in opposite
# directions (which must never happen). Not part of make check: it takes
# minutes and its figures depend on the machine. Needs python3 to read
# the JSON.
#
#   tests/bench-verdict.sh STRESS WORKDIR 'SEED_A SEED_B' ... -- SUBSET OPTIONS
#
# for example
#
#   tests/bench-verdict.sh src/filestorm-stress /tmp/bv '1 2' '3 4' '5 6' -- \
#     --operation download --volume 10,50
set -eu
stress=$1 work=$2
shift 2
pairs=
while [ $# -gt 0 ] && [ "$1" != -- ]; do pairs="$pairs $(echo "$1" | tr ' ' :)"; shift; done
[ "${1:-}" = -- ] && shift
mkdir -p "$work"
for p in $pairs; do
  a=${p%%:*} b=${p#*:}
  for s in $a $b; do
    start=$(date +%s)
    "$stress" "$@" --seed "$s" --results-dir "$work/seed-$s" > "$work/seed-$s.out" 2>&1 || true
    echo "seed $s: $(( $(date +%s) - start )) s, $(grep -E '^(PASS|FAIL)' "$work/seed-$s.out")"
  done
  python3 - "$work/seed-$a" "$work/seed-$b" "$a" "$b" <<'PY'
import glob, json, sys
def load(d):
    doc = json.load(open(glob.glob(d + "/*.json")[0]))
    return {(p["operation"], p["volume"], p["client_pool"], p["server_pool"]): p
            for p in doc["verdict"]["pairs"]}, doc["verdict"]["answer"]
x, cx = load(sys.argv[1]); y, cy = load(sys.argv[2])
both = opposite = clear_x = clear_y = 0
for k in x:
    for what in ("speed", "cpu", "memory"):
        a, b = x[k][what], y[k][what]
        ca, cb = a["call"] == "clear", b["call"] == "clear"
        clear_x += what == "speed" and ca
        clear_y += what == "speed" and cb
        if ca and cb:
            both += what == "speed"
            if a["winner"] != b["winner"]:
                opposite += 1
                print("  OPPOSITE %s %s: %s %sx vs %s %sx" % (what, k, a["winner"],
                      a["ratio"] or "inf", b["winner"], b["ratio"] or "inf"))
print("seeds %s/%s: %d pairs; speed clear %d / %d, clear in both %d; opposite clear calls "
      "(speed, cpu, memory): %d" % (sys.argv[3], sys.argv[4], len(x), clear_x, clear_y, both,
                                     opposite))
for line in cx: print("  %s: %s" % (sys.argv[3], line))
for line in cy: print("  %s: %s" % (sys.argv[4], line))
PY
done
