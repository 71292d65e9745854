#!/usr/bin/env bash
# `claimscan scan` against a Scrapy spider doing comparable work, on the same loopback sites,
# in the same run, interleaved.
#
#   ./scripts/bench-scrapy.sh [--sites N] [--runs R] [--seed S] [--no-build] [--keep]
#
# The sites are scripts/bench-crawl.sh's (bench/crawl/gen-sites.py: 50 pages a site, 10–40 KB,
# ~20% GBK, a few promise pages, robots.txt disallowing /admin/ and /search), served by a
# private nginx on 127.0.0.2–(N+1) (scripts/lib/loopback-sites.sh). Each round runs
#   claimscan scan --allow-private-network --delay 0 --concurrency 32 --max-pages 200
#                  --max-depth 4 --quiet --json --db FRESH_DB     (fresh database and WARC each run)
#   bench/scrapy/agency_spider.py   (CONCURRENT_REQUESTS 32, CONCURRENT_REQUESTS_PER_DOMAIN 1,
#                  DOWNLOAD_DELAY 0, ROBOTSTXT_OBEY True, DEPTH_LIMIT 4, 200 pages per site;
#                  visible text + OpenCC + NFKC + pyahocorasick over the bundled plain phrases)
# each under /usr/bin/time -v, after one unmeasured warm-up of each; prints per run pages,
# wall seconds, pages/s, peak RSS, CPU, and the medians and ratios claimscan/Scrapy.
# Default: 100 sites (5,100 pages), 3 rounds. Everything stays on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022
sites=100
runs=3
seed=20240501
build=1
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sites) sites=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "bench-scrapy: unknown argument $1" >&2; exit 2 ;;
    esac
done

. scripts/lib/loopback-sites.sh
ls_tools
./scripts/setup.sh
if [ "$build" = 1 ]; then swift build -c release --static-swift-stdlib --product claimscan >&2; fi
bin=$PWD/.build/release/claimscan
vpy=$(./scripts/bench-peers-setup.sh | tail -1)

work=$(mktemp -d -t claimscan-bench-scrapy-XXXXXX)
cleanup() {
    ls_stop
    if [ "$keep" = 1 ]; then echo "bench-scrapy: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== fixtures (seed $seed)"
ls_start "$work" "$sites" "$seed"
ls_csv "$sites" "$work/agencies.csv"
ls_urls "$sites" >"$work/urls.txt"
python3 bench/python/plain-phrases.py lexicons >"$work/phrases.txt"
echo "peers: $("$vpy" -c 'import importlib.metadata as m; print(", ".join("%s %s" % (p, m.version(p)) for p in ("scrapy", "twisted", "selectolax", "opencc", "pyahocorasick")))'); $("$vpy" --version)"
echo "claimscan: $bin ($(git rev-parse --short HEAD))"
hz=$(getconf CLK_TCK)

results=$work/results.tsv
: >"$results"
record() {  # TOOL LABEL PAGES ERRORS MATCHES WALL_US WORKER_TICKS BUSY_TICKS
    python3 - "$@" "$work/time.txt" "$hz" >>"$results" <<'PY'
import re, sys
tool, label, pages, errors, matches, wall_us, wticks, busy, tfile, hz = sys.argv[1:11]
t = open(tfile).read()
num = lambda k: float(re.search(re.escape(k) + r":\s*([\d.]+)", t).group(1))
wall, hz = int(wall_us) / 1e6, int(hz)
cpu = num("User time (seconds)") + num("System time (seconds)")
other = max(0.0, int(busy) / hz - cpu - int(wticks) / hz)
print("\t".join(map(str, [tool, label, pages, errors, matches, "%.3f" % wall, "%.1f" % (int(pages) / wall),
      int(num("Maximum resident set size (kbytes)")), "%.2f" % cpu, "%.2f" % (int(wticks) / hz), "%.2f" % other])))
PY
    tail -1 "$results" | awk -F'\t' '{printf "%-10s %-8s %6d %6d %8d %8.2f %9.1f %9.1f %8.2f %8.2f %8.2f%s\n",
        $1, $2, $3, $4, $5, $6, $7, $8/1024, $9, $10, $11, ($11 > 0.2 ? " *" : "")}'
}
run_cs() {  # LABEL
    local dir=$work/cs-$1 status=0 t0 t1 w0 w1 b0 b1
    mkdir -p "$dir"
    "$bin" agencies import "$work/agencies.csv" --db "$dir/claimscan.db" >/dev/null
    ls_wait_idle
    b0=$(ls_busy_ticks); w0=$(ls_worker_ticks); t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/time.txt" "$bin" scan --allow-private-network --delay 0 --concurrency 32 \
        --max-pages 200 --max-depth 4 --quiet --json --db "$dir/claimscan.db" >"$dir/summary.json" 2>"$dir/stderr.txt" || status=$?
    t1=$(date +%s%N); w1=$(ls_worker_ticks); b1=$(ls_busy_ticks)
    [ "$status" -le 1 ] || { echo "bench-scrapy: scan exited $status" >&2; cat "$dir/stderr.txt" >&2; exit 3; }
    read -r pages errors findings < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["pages"], s["errors"], s["findings"])' "$dir/summary.json")
    record claimscan "$1" "$pages" "$errors" "$findings" $(( (t1 - t0) / 1000 )) $((w1 - w0)) $((b1 - b0))
    rm -rf "$dir"
}
run_sp() {  # LABEL
    local out=$work/scrapy-$1.json status=0 t0 t1 w0 w1 b0 b1
    ls_wait_idle
    b0=$(ls_busy_ticks); w0=$(ls_worker_ticks); t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/time.txt" "$vpy" bench/scrapy/agency_spider.py --urls "$work/urls.txt" \
        --phrases "$work/phrases.txt" --out "$out" --max-pages 200 --max-depth 4 --concurrency 32 \
        >"$work/scrapy-stdout.txt" 2>"$work/scrapy-stderr.txt" || status=$?
    t1=$(date +%s%N); w1=$(ls_worker_ticks); b1=$(ls_busy_ticks)
    [ "$status" -eq 0 ] && [ -s "$out" ] || { echo "bench-scrapy: spider exited $status" >&2; tail -30 "$work/scrapy-stderr.txt" >&2; exit 3; }
    read -r pages errors matches < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["pages"], s["errors"], s["matches"])' "$out")
    record scrapy "$1" "$pages" "$errors" "$matches" $(( (t1 - t0) / 1000 )) $((w1 - w0)) $((b1 - b0))
}

echo
echo "== $runs interleaved rounds at $sites sites × 51 URLs (matches: claimscan findings / Scrapy phrase matches)"
printf '%-10s %-8s %6s %6s %8s %8s %9s %9s %8s %8s %8s\n' tool run pages errors matches wall_s pages/s rss_MiB cpu_s nginx_s other_s
run_cs warmup >/dev/null; run_sp warmup >/dev/null
: >"$results"
for r in $(seq "$runs"); do run_cs "r$r"; run_sp "r$r"; done
echo "scrapy status counts (last run): $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["status_counts"], "robots-forbidden", s["robots_forbidden"], "responses", s["responses"])' "$work/scrapy-r$runs.json")"

echo
python3 - "$results" "$sites" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def med(tool, i): return statistics.median(float(r[i]) for r in rows if r[0] == tool)
def rng(tool, i): v = [float(r[i]) for r in rows if r[0] == tool]; return min(v), max(v)
print("== summary: %s rounds at %s sites, medians" % (sum(r[0] == "claimscan" for r in rows), sys.argv[2]))
print("%-28s %12s %12s %10s" % ("", "claimscan", "Scrapy", "ratio c/S"))
for name, i, scale in [("pages", 2, 1), ("pages/s (wall)", 6, 1), ("wall seconds", 5, 1),
                       ("peak RSS MiB", 7, 1 / 1024), ("CPU user+sys s", 8, 1), ("nginx worker CPU s", 9, 1)]:
    a, b = med("claimscan", i) * scale, med("scrapy", i) * scale
    print("%-28s %12.1f %12.1f %9.2fx" % (name, a, b, a / b if b else float("nan")))
print("   pages/s ranges: claimscan %.0f–%.0f, Scrapy %.0f–%.0f" % (rng("claimscan", 6) + rng("scrapy", 6)))
busy = [r for r in rows if float(r[10]) > 0.2]
if busy:
    print("   %d runs shared the machine with other processes (other_s > 0.2 s, marked *)" % len(busy))
PY
