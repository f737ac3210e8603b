#!/bin/sh
# filestorm-stress interrupted: SIGINT (and SIGTERM, and SIGKILL) in the
# middle of a run stops the running scenario and its server, keeps the
# finished rows, exits 130 (for the catchable ones) and leaves no server,
# worker or client process behind. Prints TAP.
set -u
stress=${FILESTORM_STRESS:?FILESTORM_STRESS is not set}
work=$(mktemp -d "${TMPDIR:-/tmp}/fs-intr.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# Processes whose command line mentions this test's directory: the
# servers (their roots are under it), their forked workers, the pools.
# The first character goes in brackets, so that grep does not find itself.
ours () { grep -l "[$(printf %.1s "$1")]${1#?}" /proc/[0-9]*/cmdline 2>/dev/null | wc -l; }

# rows DIR: data rows in the CSV so far.
rows () {
  f=$(ls "$1"/orchestrator_results_*.csv 2>/dev/null | head -n 1)
  [ -n "$f" ] && [ $(wc -l < "$f") -gt 1 ] && echo $(( $(wc -l < "$f") - 1 )) || echo 0
}

echo "1..9"
for sig in INT TERM KILL; do
  dir=$work/$sig
  mkdir -p "$dir/tmp"
  # Process mode with 50-client pools: each scenario takes a moment, so
  # the signal lands in the middle of one.
  TMPDIR=$dir/tmp "$stress" --quick --mode process --client-pool 50 --results-dir "$dir/results" \
    > "$dir/out" 2>&1 &
  pid=$!
  i=0
  while [ "$(rows "$dir/results")" -lt 2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  kill -"$sig" $pid
  i=0
  while kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 $pid 2>/dev/null; then
    not_ok "SIG$sig: filestorm-stress exits within 30 s"
    kill -9 $pid
  else
    ok "SIG$sig: filestorm-stress exits within 30 s"
  fi
  wait $pid
  status=$?
  pid=
  case $sig in
    KILL) check "SIGKILL: killed ($status)" '[ "$status" -eq 137 ]' ;;
    *) check "SIG$sig: exit status 130 (got $status)" '[ "$status" -eq 130 ]' ;;
  esac
  # Children die with it (PR_SET_PDEATHSIG); give them a moment.
  i=0
  while [ "$(ours "$dir/tmp")" -gt 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kept=$(rows "$dir/results")
  check "SIG$sig: no process left, $kept finished rows kept" \
    '[ "$(ours "$dir/tmp")" -eq 0 ] && [ "$kept" -ge 2 ]'
done
exit $failed
