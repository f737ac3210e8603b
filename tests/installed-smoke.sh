#!/bin/sh
# Smoke test of the installed programs (autopkgtest and .ci/run): each one
# answers --version, a real server started on port 0 serves the client and
# the pool, filestorm-stress runs a few scenarios from any directory and
# writes their report, and filestorm-report compares two runs.
# Prints TAP; exit status 1 if anything failed.
set -u
work=$(mktemp -d "${TMPDIR:-/tmp}/fs-smoke.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
n=0
failed=0
check () {
  n=$((n + 1))
  if eval "$2" > "$work/last" 2>&1; then echo "ok $n - $1"
  else failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$work/last" | head -20; fi
}

for p in filestorm-server filestorm-client filestorm-pool filestorm-stress filestorm-report; do
  check "$p is installed and answers --version" "$p --version | grep -q '^$p (filestorm) '"
done
check "the default matrix is installed" 'test -f /usr/share/filestorm/scenarios.conf'
check "the server configuration is installed" 'test -f /etc/filestorm/server.conf'
check "the systemd unit is installed, not enabled" \
  'test -f /lib/systemd/system/filestorm-server.service && ! test -e /etc/systemd/system/multi-user.target.wants/filestorm-server.service'
check "bash completion is installed for every command" \
  'for p in server client pool stress report; do test -e /usr/share/bash-completion/completions/filestorm-$p || exit 1; done'
check "every manual page is installed" \
  'for m in man1/filestorm-server.1 man1/filestorm-client.1 man1/filestorm-pool.1 man1/filestorm-stress.1 man1/filestorm-report.1 man5/filestorm-scenarios.5 man5/filestorm-results.5 man7/filestorm-protocol.7; do test -f /usr/share/man/$m.gz || exit 1; done'
check "README and NEWS are installed under /usr/share/doc/filestorm" \
  'for d in README NEWS; do test -f /usr/share/doc/filestorm/$d.gz || test -f /usr/share/doc/filestorm/$d || exit 1; done'

filestorm-server --port 0 --port-file "$work/port" --root "$work/root" --mode process --pool 3 \
  > "$work/server.out" 2> "$work/server.err" &
pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$work/port" 2>/dev/null || echo 0)
check "the server starts and prints its ready line" \
  "grep -q '^listening on 127.0.0.1:$port (process, pool 3)\$' '$work/server.out'"
head -c 100000 /dev/urandom > "$work/payload"
check "filestorm-client upload, list, get and delete" "
  filestorm-client --port $port upload '$work/payload' --name payload.bin &&
  filestorm-client --port $port list | grep -qx payload.bin &&
  filestorm-client --port $port get payload.bin -o '$work/back' &&
  cmp '$work/payload' '$work/back' &&
  filestorm-client --port $port delete payload.bin"
check "filestorm-pool uploads and downloads, verified" "
  filestorm-pool --port $port --operation upload --volume 1 --client-pool 4 --json | grep -q '\"verified\":true' &&
  filestorm-pool --port $port --operation download --volume 1 --client-pool 4 --mode process --json | grep -q '\"verified\":true'"
check "filestorm-client stats" "filestorm-client --port $port stats | grep -q '\"mode\" : \"process\"'"
kill -TERM $pid
wait $pid
status=$?
pid=
check "the server stops on SIGTERM with status 0" "[ $status -eq 0 ]"
check "filestorm-stress --quick runs from any directory with the installed programs" "
  cd '$work' && filestorm-stress --quick --operation list --volume 10 --client-pool 5 --server-pool 5 > stress.out &&
  grep -q '^PASS: all 2 scenarios' stress.out && ls results/orchestrator_results_*.csv"
check "filestorm-stress writes the report and names it" "
  cd '$work' && grep -q '^Report: *results/report_[0-9_]*/index.html' stress.out &&
  grep -q '<table' results/report_*/index.html"
check "filestorm-report compares two runs into a new directory" "
  cd '$work' && set -- results/orchestrator_results_*.json &&
  filestorm-report -o cmp -l one -l two \"\$1\" \"\$1\" > report.out 2>&1 &&
  test -s cmp/index.html && grep -q 'two' cmp/index.html"
echo "1..$n"
exit $failed
