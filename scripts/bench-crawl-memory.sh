#!/usr/bin/env bash
# Where a crawl's memory goes: runs the 100-site loopback crawl of bench-scrapy.sh once with
# `claimscan scan` and samples /proc/PID/smaps whenever the resident set reaches a new high;
# prints the peak (as /usr/bin/time -v saw it) and the resident kB per mapping at the sample.
# Run by hand; everything stays on loopback.
#
#   ./scripts/bench-crawl-memory.sh [--sites N] [--no-build] [--code] [BIN]
# --code: also which of the binary's code is resident at the high, by module
# (scripts/lib/resident-code.py: /proc/PID/pagemap and `nm`).
set -euo pipefail
cd "$(dirname "$0")/.."
sites=100
build=1
code=0
bin=./.build/release/claimscan
while [ $# -gt 0 ]; do
    case "$1" in
        --sites) sites=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --code) code=1; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        -*) echo "bench-crawl-memory: unknown argument $1" >&2; exit 2 ;;
        *) bin=$1; build=0; shift ;;
    esac
done
. scripts/lib/loopback-sites.sh
ls_tools
./scripts/setup.sh >/dev/null
if [ "$build" = 1 ]; then swift build -c release --static-swift-stdlib --product claimscan >&2; fi
work=$(mktemp -d)
cleanup() { ls_stop; if [ -n "${KEEP_SMAPS:-}" ] && [ -f "$work/smaps.txt" ]; then cp "$work/smaps.txt" "$KEEP_SMAPS" || true; fi; rm -rf "$work"; }
trap cleanup EXIT
ls_start "$work" "$sites" 20240501 >/dev/null
ls_csv "$sites" "$work/agencies.csv"
"$bin" agencies import "$work/agencies.csv" --db "$work/c.db" >/dev/null
/usr/bin/time -v -o "$work/time.txt" "$bin" scan --allow-private-network --delay 0 --concurrency 32 \
    --max-pages 200 --max-depth 4 --quiet --json --db "$work/c.db" >"$work/summary.json" 2>"$work/stderr.txt" &
timer=$!
pid=""
while [ -z "$pid" ] && kill -0 "$timer" 2>/dev/null; do pid=$(pgrep -P "$timer" || true); sleep 0.01; done
best=0
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    if [ "${rss:-0}" -gt "$best" ]; then
        best=$rss
        cp "/proc/$pid/smaps" "$work/smaps.txt" 2>/dev/null || true
        grep -E "^(RssAnon|RssFile|Threads)" "/proc/$pid/status" >"$work/status.txt" 2>/dev/null || true
        if [ "$code" = 1 ]; then python3 scripts/lib/resident-code.py snapshot "$pid" "$work/pages.txt" 2>/dev/null || true; fi
    fi
    sleep 0.05
done
status=0
wait "$timer" || status=$?
[ "$status" -le 1 ] || { echo "bench-crawl-memory: scan exited $status" >&2; cat "$work/stderr.txt" >&2; exit 3; }
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("pages", s["pages"], "errors", s["errors"], "findings", s["findings"])' "$work/summary.json"
echo "peak RSS (time -v): $(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$work/time.txt") kB; sampled high: $best kB"
cat "$work/status.txt"
echo "resident kB per mapping at the sampled high (over 300 kB; unnamed: anonymous mappings, thread arenas and stacks):"
awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "" ? "(anonymous)" : $6)} /^Rss:/ {rss[name] += $2}
     END {for (n in rss) if (rss[n] > 300) printf "  %8d  %s\n", rss[n], n}' "$work/smaps.txt" | sort -rn
if [ "$code" = 1 ] && [ -s "$work/pages.txt" ]; then
    echo "resident code of the binary at the sampled high, by mapping and module (64 KB fault-around included):"
    python3 scripts/lib/resident-code.py report "$bin" "$work/pages.txt"
fi
