#!/bin/bash
# browser-check.sh REPORT_DIR OUT_DIR
# Renders a filestorm-report directory in headless Debian chromium and checks
#  1. a full-page screenshot (OUT_DIR/report.png) is not blank (ImageMagick);
#  2. every inline chart <svg> is laid out (>= MIN_PX wide and high), and there are
#     as many of them as REPORT_DIR/charts/*.svg files (a measuring <script> is
#     injected into a copy of the report under OUT_DIR/page; the report itself
#     is left untouched).
# Exit 0 on success, 1 on a failed check, 2 on bad usage.
# Chromium's stderr (dbus noise etc.) goes to OUT_DIR/chromium.log.
set -euo pipefail

MIN_COLOURS=${MIN_COLOURS:-64}      # distinct colours in the screenshot
MIN_STDDEV=${MIN_STDDEV:-0.02}      # normalised (0..1) standard deviation
TIMEOUT=${TIMEOUT:-120}             # seconds per chromium call
MIN_PX=${MIN_PX:-10}                # smaller than this = collapsed (the CSS
                                    # border alone makes a 0-wide svg 2 px)

usage() { echo "usage: $0 REPORT_DIR OUT_DIR" >&2; exit 2; }
die() { echo "browser-check: $*" >&2; exit 1; }

[ $# -eq 2 ] || usage
[ -f "$1/index.html" ] || { echo "browser-check: no index.html in '$1'" >&2; usage; }
REPORT=$(cd "$1" && pwd)
mkdir -p "$2"
OUT=$(cd "$2" && pwd)

CHROMIUM=
for c in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
  [ -n "$c" ] && [ -x "$c" ] && { CHROMIUM=$c; break; }
done
[ -n "$CHROMIUM" ] || die "chromium not found (apt-get install chromium)"
command -v identify >/dev/null || die "ImageMagick identify not found (apt-get install imagemagick)"

LOG=$OUT/chromium.log
: >"$LOG"
# file:// URL for an absolute path (only spaces and % need escaping in practice)
url() { printf 'file://%s' "$(printf '%s' "$1" | sed 's/%/%25/g; s/ /%20/g')"; }
# One bounded headless chromium run with a fresh profile; stderr to the log.
chrome() {
  local profile
  profile=$(mktemp -d "$OUT/profile.XXXXXX")
  echo "+ chromium $*" >>"$LOG"
  local rc=0
  timeout -k 10 "$TIMEOUT" "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --hide-scrollbars --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" 2>>"$LOG" || rc=$?
  rm -rf "$profile"
  return "$rc"
}

# --- 1. screenshot, not blank -------------------------------------------------
rm -f "$OUT/report.png"
chrome --window-size=1400,3000 --screenshot="$OUT/report.png" \
  "$(url "$REPORT/index.html")" >/dev/null \
  || die "chromium screenshot failed or timed out (see $LOG)"
[ -s "$OUT/report.png" ] || die "chromium wrote no screenshot (see $LOG)"
read -r size colours stddev < <(identify -format '%wx%h %k %[fx:standard_deviation]\n' \
  "$OUT/report.png" | head -n1) || die "identify could not read $OUT/report.png"
echo "screenshot: $OUT/report.png ${size} colours=$colours stddev=$stddev"
[ "$colours" -gt "$MIN_COLOURS" ] \
  || die "screenshot looks blank: $colours colours (need > $MIN_COLOURS)"
awk -v s="$stddev" -v m="$MIN_STDDEV" 'BEGIN { exit !(s > m) }' \
  || die "screenshot looks blank: stddev $stddev (need > $MIN_STDDEV)"

# --- 2. layout of the inline charts -------------------------------------------
rm -rf "$OUT/page"
cp -R "$REPORT" "$OUT/page"
# On load, measure top-level <svg>s and <figure>s, then replace the body with
# a <pre id="layout"> holding one line per element plus a final "done" line.
INJ='<script>
window.addEventListener("load", function () {
  var s = document.querySelectorAll("svg:not(svg svg)"), f = document.querySelectorAll("figure"), o = [];
  function dim(e) { var r = e.getBoundingClientRect();
    return "width=" + Math.round(r.width) + " height=" + Math.round(r.height); }
  for (var i = 0; i < s.length; i++) o.push("svg " + (i + 1) + " " + dim(s[i]));
  for (var j = 0; j < f.length; j++) o.push("figure " + (f[j].id || j + 1) + " " + dim(f[j]));
  o.push("layout-done svg=" + s.length + " figure=" + f.length);
  var p = document.createElement("pre"); p.id = "layout"; p.textContent = o.join("\n");
  document.body.replaceChildren(p);
});
</script>'
INJ=$INJ awk '!d && i = index($0, "</body>") {
    print substr($0, 1, i - 1) ENVIRON["INJ"] substr($0, i); d = 1; next }
  { print } END { if (!d) print ENVIRON["INJ"] }' \
  "$REPORT/index.html" >"$OUT/page/index.html"
chrome --window-size=1400,3000 --virtual-time-budget=5000 --dump-dom \
  "$(url "$OUT/page/index.html")" >"$OUT/layout.html" \
  || die "chromium --dump-dom failed or timed out (see $LOG)"
sed -n '/<pre id="layout">/,/<\/pre>/{s/<[^>]*>//g;p}' "$OUT/layout.html" >"$OUT/layout.txt"
grep -q '^layout-done ' "$OUT/layout.txt" \
  || die "measuring script did not run (see $OUT/layout.html, $LOG)"

shopt -s nullglob
files=("$REPORT"/charts/*.svg)
nsvg=$(grep -c '^svg ' "$OUT/layout.txt" || true)
nfig=$(grep -c '^figure ' "$OUT/layout.txt" || true)
sed 's/^/  /' "$OUT/layout.txt"
[ "$nsvg" -gt 0 ] || die "no <svg> elements in the rendered page"
bad=$(awk -v m="$MIN_PX" '/^(svg|figure) / { split($3, w, "="); split($4, h, "=");
  if (w[2] + 0 < m || h[2] + 0 < m) printf "%s%s %s (%sx%s)", (n++ ? ", " : ""), $1, $2, w[2], h[2] }' \
  "$OUT/layout.txt")
[ -z "$bad" ] || die "zero-sized/collapsed element(s) (< $MIN_PX px): $bad"
[ "$nsvg" -eq "${#files[@]}" ] \
  || die "$nsvg <svg> elements in the page but ${#files[@]} charts/*.svg files"

echo "browser-check: OK: screenshot ${size}, $colours colours, stddev $stddev;" \
  "$nsvg inline SVG charts (= charts/*.svg), $nfig figures, all at least ${MIN_PX}x${MIN_PX} px"
