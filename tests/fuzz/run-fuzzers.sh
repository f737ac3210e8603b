#!/bin/sh
# run-fuzzers.sh BUILDDIR [SECONDS]: runs every libFuzzer target built in
# BUILDDIR/tests/fuzz (./configure --enable-fuzzing CC=clang && make) for
# SECONDS seconds each (default 20), starting from a copy of its seed
# corpus in tests/fuzz/corpus. Stops at the first target that finds a
# crash, a leak, an input slower than 10 s or one using more than 2 GiB;
# the input is kept under BUILDDIR/fuzz-findings and printed in base64.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
secs=${2:-20}
findings="$build/fuzz-findings"
work=$(mktemp -d "${TMPDIR:-/tmp}/filestorm-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$findings"

for t in tokenizer base64 frame matrix server-config results session; do
  bin="$build/tests/fuzz/fuzz-$t"
  [ -x "$bin" ] || { echo "run-fuzzers.sh: $bin is not built" >&2; exit 2; }
  mkdir "$work/$t"
  cp "$here/corpus/$t"/* "$work/$t/"
  set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/$t-"
  [ -f "$here/$t.dict" ] && set -- "$@" -dict="$here/$t.dict"
  # The frame scanner's and the results reader's input may nest as deep
  # as it likes: room for the 100,000-level seeds, which overflow
  # json-glib's stack without the depth bounds.
  case $t in frame|results) set -- "$@" -max_len=300000 ;; esac
  echo "==> fuzz-$t for ${secs}s"
  if ! "$bin" "$@" "$work/$t" >"$work/$t.log" 2>&1; then
    tail -n 60 "$work/$t.log"
    for f in "$findings/$t"-*; do
      [ -f "$f" ] || continue
      echo "input $f (base64):"
      base64 "$f"
    done
    echo "run-fuzzers.sh: fuzz-$t found a problem" >&2
    exit 1
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$work/$t.log" || true
done
echo "run-fuzzers.sh: every target ran ${secs}s without a finding"
