#!/usr/bin/env bash
# Cooperating scan workers on PostgreSQL: how well N workers share one scan.
#
#   ./scripts/bench-workers.sh [--runs N] [--sites N] [--pages N] [--workers "1 3"]
#                              [--concurrency N] [--delay S] [--seed N] [--no-build] [--bin PATH] [--keep]
#
# Defaults: 120 sites × 20 pages (--max-pages 20), each worker `--concurrency 4 --delay 0.2`,
# 1 worker vs 3 workers, 3 runs each (fresh database each run), medians.
# Starts a throw-away PostgreSQL (scripts/pg-cluster.sh) and the loopback nginx fixture sites
# of scripts/bench-crawl.sh (scripts/lib/loopback-sites.sh: site N on 127.0.0.(N+2)); starts
# the workers of a run together with the same command
#   claimscan scan --db postgres://… --allow-private-network --concurrency 4 --delay 0.2
#                  --max-pages 20 --max-depth 4 --quiet --json
# and reports the wall time until the last worker exits, the speed-up over one worker, and
# for each worker the share of its wall time spent waiting on the database (time inside the
# store's calls, all threads, as the worker reports it in $CLAIMSCAN_WORKER_REPORT).
# The work is bound by the politeness delay, not the CPU: this measures how well the work is
# shared. Targets (issue): 3 workers ≥ 2.5× as fast as 1; no worker waits on the database
# more than 10% of its time. Everything stays on loopback; nginx and PostgreSQL stop on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

runs=3; sites=120; pages=20; workers="1 3"; concurrency=4; delay=0.2; seed=20240501
build=1; bin=""; keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --sites) sites=$2; shift 2 ;;
        --pages) pages=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        --concurrency) concurrency=$2; shift 2 ;;
        --delay) delay=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --bin) bin=$(realpath "$2"); build=0; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "bench-workers: unknown argument $1" >&2; exit 2 ;;
    esac
done

. scripts/lib/loopback-sites.sh
ls_tools
./scripts/setup.sh
if [ "$build" = 1 ]; then swift build -c release --product claimscan >&2; fi
[ -n "$bin" ] || bin=$PWD/.build/release/claimscan

work=$(mktemp -d -t claimscan-bench-workers-XXXXXX)
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/claimscan-pg.XXXXXX")   # not inside $work: the postgres user must reach it
cleanup() {
    ls_stop
    ./scripts/pg-cluster.sh stop "$pgdir" || true
    if [ "$keep" = 1 ]; then echo "bench-workers: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

./scripts/pg-cluster.sh start "$pgdir"
eval "$(./scripts/pg-cluster.sh env "$pgdir")"
server=${CLAIMSCAN_TEST_POSTGRES%/postgres}
psql_bin=$(ls -1d /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
pg_port=$(cat "$pgdir/port")
echo "== fixtures (seed $seed)"
ls_start "$work" "$sites" "$seed" || exit 3
ls_csv "$sites" "$work/agencies.csv"

results=$work/results.tsv
: >"$results"
run_once() {  # N_WORKERS RUN
    local n=$1 r=$2 db="bench_${1}_${2}" dir=$work/run-$1-$2 i t0 t1 status=0
    mkdir -p "$dir"
    "$psql_bin" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
    "$bin" agencies import "$work/agencies.csv" --db "$server/$db" >/dev/null
    local pids=()
    t0=$(date +%s%N)
    for i in $(seq "$n"); do
        CLAIMSCAN_WORKER_REPORT=$dir/worker$i.json "$bin" scan --db "$server/$db" --evidence "$dir/evidence$i" \
            --allow-private-network --concurrency "$concurrency" --delay "$delay" --max-pages "$pages" --max-depth 4 \
            --quiet --json >"$dir/summary$i.json" 2>"$dir/stderr$i.txt" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || status=$?; done
    t1=$(date +%s%N)
    if [ "$status" -gt 1 ]; then echo "bench-workers: a worker exited $status" >&2; cat "$dir"/stderr*.txt >&2; exit 3; fi
    python3 - "$dir" "$n" "$r" "$(( (t1 - t0) / 1000 ))" >>"$results" <<'PY'
import glob, json, sys
d, n, r, wall = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) / 1e6
summary = json.load(open(d + "/summary1.json"))
reports = [json.load(open(f)) for f in sorted(glob.glob(d + "/worker*.json"))]
shares = [w["databaseSeconds"] / w["seconds"] for w in reports]
print("\t".join(map(str, [n, r, "%.2f" % wall, summary["pages"], summary["new_cases"], summary["sites"],
      "%.4f" % max(shares), " ".join("%d" % w["pages"] for w in reports),
      " ".join("%.2f/%.1f" % (w["databaseSeconds"], w["seconds"]) for w in reports)])))
PY
    tail -1 "$results" | awk -F'\t' '{printf "%7d %4d %8.2f %6d %6d %6d %8.1f%%   %s   %s\n", $1, $2, $3, $4, $5, $6, $7 * 100, $8, $9}'
    "$psql_bin" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
    rm -rf "$dir"
}

echo
echo "== $runs runs each of $workers worker(s): $sites sites × $pages pages, each worker --concurrency $concurrency --delay $delay"
printf '%7s %4s %8s %6s %6s %6s %9s   %s   %s\n' workers run wall_s pages cases sites max_db% "pages per worker" "db_s/wall_s per worker"
for r in $(seq "$runs"); do
    for n in $workers; do run_once "$n" "$r"; done
done

echo
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for row in rows: by.setdefault(int(row[0]), []).append(row)
print("== summary (medians)")
med = {}
for n, rs in sorted(by.items()):
    med[n] = statistics.median(float(x[2]) for x in rs)
    worst = max(float(x[6]) for x in rs)
    print("   %d worker%s: %.2f s wall (runs: %s), pages %s; worst database wait share %.1f%%"
          % (n, "" if n == 1 else "s", med[n], ", ".join(x[2] for x in rs), "/".join(sorted({x[3] for x in rs})), worst * 100))
if 1 in med:
    for n in sorted(med):
        if n > 1: print("   speed-up %d workers over 1: %.2fx" % (n, med[1] / med[n]))
if 1 in med and 3 in med:
    worst = max(float(x[6]) for x in rows)
    ok = med[1] / med[3] >= 2.5 and worst <= 0.10
    print("   targets (3 workers >= 2.5x; database wait <= 10%% of every worker's time): %s" % ("met" if ok else "NOT met"))
PY
