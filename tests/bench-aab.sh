#!/bin/sh
# bench-aab.sh: the verdict's false-call rate (A/A) and detection rate (A/B),
# measured over many seeds (issue 27 §3). Not part of make check: it takes
# minutes per seed. Needs python3 to read the JSON.
#
#   tests/bench-aab.sh [--seeds N] [--first S] [--only aa|ab] BUILD WORKDIR [STRESS OPTIONS...]
#
# A/A: filestorm-server in thread mode started for both labels, over
# --operation download,list --volume 10 --client-pool 1,5,50
# --server-pool 5,50 (12 speed comparisons a seed); every clear call is
# false. A/B: a wrapper gives the "process" label --pool 1 and the
# "thread" label --pool {pool}, at 50 clients and server pool 50 on a
# 10 MiB download; every call that is not clear for thread is a miss.
# STRESS OPTIONS (for example --duration 1 --warmup 0.3 --runs 3) go to
# both. Prints a line per seed, then the rates.
set -eu
seeds=20 first=1 only=
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --first) first=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) break ;;
  esac
done
build=$(cd "$1" && pwd) work=$2
shift 2
stress=$build/src/filestorm-stress server=$build/src/filestorm-server
mkdir -p "$work"
cat > "$work/ab-server" <<EOF
#!/bin/sh
if [ "\$1" = process ]; then pool=1; else pool=\$2; fi
exec "$server" --mode thread --pool "\$pool" --host 127.0.0.1 --port "\$3" --root "\$4"
EOF
chmod +x "$work/ab-server"

# calls DIR: "CALL WINNER RATIO" per speed comparison of the run in DIR.
calls () {
  python3 - "$1" <<'PY'
import glob, json, sys
path = sorted(glob.glob(sys.argv[1] + "/orchestrator_results_*.json"))[-1]
for pair in json.load(open(path))["verdict"]["pairs"]:
    s = pair["speed"]
    print(s["call"].replace(" ", "-"), s.get("winner"), "%.3f" % s["ratio"])
PY
}

s=$first
last=$((first + seeds - 1))
while [ "$s" -le "$last" ]; do
  if [ "$only" != ab ]; then
    start=$(date +%s)
    "$stress" --no-report --seed "$s" --results-dir "$work/aa-$s" --operation download,list \
      --volume 10 --client-pool 1,5,50 --server-pool 5,50 "$@" --server-command \
      "$server --mode thread --pool {pool} --host {host} --port {port} --root {root}" \
      > "$work/aa-$s.out" 2>&1 || echo "seed $s: A/A run failed (see $work/aa-$s.out)"
    calls "$work/aa-$s" > "$work/aa-$s.calls"
    echo "seed $s A/A: $(grep -c '^clear' "$work/aa-$s.calls") clear of $(wc -l < "$work/aa-$s.calls") ($(( $(date +%s) - start )) s)"
  fi
  if [ "$only" != aa ]; then
    start=$(date +%s)
    "$stress" --no-report --seed "$s" --results-dir "$work/ab-$s" --operation download \
      --volume 10 --client-pool 50 --server-pool 50 "$@" \
      --server-command "$work/ab-server {mode} {pool} {port} {root}" \
      > "$work/ab-$s.out" 2>&1 || echo "seed $s: A/B run failed (see $work/ab-$s.out)"
    calls "$work/ab-$s" > "$work/ab-$s.calls"
    echo "seed $s A/B: $(cat "$work/ab-$s.calls") ($(( $(date +%s) - start )) s)"
  fi
  s=$((s + 1))
done

cat "$work"/aa-*.calls 2>/dev/null > "$work/aa.all" || true
cat "$work"/ab-*.calls 2>/dev/null > "$work/ab.all" || true
if [ -s "$work/aa.all" ]; then
  echo "A/A: $(grep -c '^clear' "$work/aa.all") clear of $(wc -l < "$work/aa.all") speed comparisons (all false)"
fi
if [ -s "$work/ab.all" ]; then
  echo "A/B: $(grep -c '^clear thread ' "$work/ab.all") of $(wc -l < "$work/ab.all") seeds called clear for thread (pool {pool} against pool 1); ratios: $(awk '{print $3}' "$work/ab.all" | sort -n | tr '\n' ' ')"
fi
