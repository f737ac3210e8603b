#!/bin/sh
# The scenario suite: filestorm-stress --quick over the whole default
# matrix (162 scenarios, volumes in KiB), from the build tree. Every
# scenario must be there once, with no client or server failure and every
# transfer verified. Prints TAP.
set -u
stress=${FILESTORM_STRESS:?FILESTORM_STRESS is not set}
work=$(mktemp -d "${TMPDIR:-/tmp}/fs-quick.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "${FILESTORM_SRCDIR:-.}/tests/tap.sh"

echo "1..9"
# Its own TMPDIR: the servers' roots live there, so leftovers are ours.
TMPDIR=$work timeout 600 "$stress" --quick --results-dir "$work/results" \
  > "$work/out" 2> "$work/err"
status=$?
check "filestorm-stress --quick exits 0 (got $status)" '[ "$status" -eq 0 ]'
check "nothing on stderr" '[ ! -s "$work/err" ]'
sed 's/^/# /' "$work/err" | head -20

csv=$(ls "$work"/results/orchestrator_results_*.csv 2>/dev/null | head -n 1)
json=${csv%.csv}.json
check "a CSV file is written" '[ -n "$csv" ] && [ -f "$csv" ]'
check "a JSON file is written beside it" '[ -f "$json" ]'
tr -d '\r' < "${csv:-/dev/null}" > "$work/rows.csv"
# The original tool's ten, with client_mode after the mode it qualifies.
header='timestamp,mode,client_mode,server_pool,operation,volume,client_pool,avg_time_s,throughput_Bps,success,fail'
check "the header starts with the original columns, client_mode after mode" \
  '[ "$(head -n 1 "$work/rows.csv" | cut -d, -f1-11)" = "$header" ]'
rows=$(tail -n +2 "$work/rows.csv" | cut -d, -f2-7 | sort -u | wc -l)
check "162 distinct scenarios (got $rows)" '[ "$rows" -eq 162 ] && [ "$(tail -n +2 "$work/rows.csv" | wc -l)" -eq 162 ]'
# Columns: 10 success, 11 fail, 12 server_success, 13 server_fail,
# 20 verified, 24 error; 7 client_pool. --quick has a duration: every
# client makes at least one measured operation, and the server served
# those and the warm-up's (test-stress-duration checks the exact count
# run by run; these are medians, which keep the order of run values).
bad=$(tail -n +2 "$work/rows.csv" | awk -F, '$11 != 0 || $13 != 0 || $20 != "true" || $24 != "" || $10 < $7 || $12 < $10 { print }')
check "no client or server failure, every transfer verified" '[ -z "$bad" ]'
echo "$bad" | head -5 | sed 's/^/# /'
# The first character in brackets, so that grep does not find itself.
pattern="[$(printf %.1s "$work")]${work#?}"
left=$(grep -l "$pattern" /proc/[0-9]*/cmdline 2>/dev/null | wc -l)
check "no server process left behind" '[ "$left" -eq 0 ]'
# The report beside the results (charts when gnuplot is installed).
report=$(sed -n 's/^Report: *\([^ ]*index\.html\).*/\1/p' "$work/out")
check "the report's page is written (${report:-no Report: line})" \
  '[ -n "$report" ] && [ -s "$report" ] && [ "$(dirname "$(dirname "$report")")" = "$work/results" ]'
grep -E '^(PASS|FAIL|Report)' "$work/out" | sed 's/^/# /'
exit $failed
