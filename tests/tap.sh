# tests/tap.sh: TAP helpers for the shell tests, sourced by them.
# ok / not_ok / skip DESCRIPTION print one numbered result line; check
# DESCRIPTION CONDITION evals CONDITION and prints ok or not ok. The
# script exits $failed at its end: 1 once anything was not ok.
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
skip () { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
