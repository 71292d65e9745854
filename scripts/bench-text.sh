#!/usr/bin/env bash
# claimscan's text pipeline against the Python reference pipeline, same pages, same machine,
# same run, interleaved.
#
#   ./scripts/bench-text.sh [--pages N] [--runs R] [--seed S] [--no-build] [--keep] [--no-model]
#
# With the bundled lexicon the promise model (lexicons/promise.model) runs after the rules;
# --no-model measures the rules alone. The generated 100/1,000/2,000-pattern lexicons hold no
# model (rules only).
#
# 1. generates N agency pages (bench/corpus/gen-corpus.py; default 400 ≈ 40 MB, 20–300 KB
#    each, ~20% GBK, a few percent with promises, some disguised) and lexicons of 100, 1,000
#    and 2,000 pattern lines (the bundled rules + generated extra.rules; `lexicon test` is run
#    on each);
# 2. builds claimscan (release) and the Python peers' venv (scripts/bench-peers-setup.sh);
# 3. R rounds (≥ 5), each: `claimscan bench --repeat 1 FILES…` then
#    `bench/python/reference.py DIR --phrases PLAIN` (the bundled rules' plain phrases), both
#    under /usr/bin/time -v; then claimscan with the 100/1,000/2,000-pattern lexicons (and the
#    Python reference with each lexicon's plain phrases), and both tools at N/2 and 2N pages;
# 4. prints per tool the medians — pipeline MB/s and pages/s (files already in memory, as
#    both tools time them), whole-command wall time and MB/s (start-up, lexicon compilation
#    and file reading included), peak RSS — and the ratios claimscan/Python.
# Both pipelines run on one core. Everything is local; nothing is fetched but PyPI (venv).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=400
runs=5
seed=20241126
build=1
keep=0
model=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-model) model=(--no-model); shift ;;
        --pages) pages=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "bench-text: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ "$runs" -ge 1 ] || { echo "bench-text: --runs must be ≥ 1" >&2; exit 2; }
[ "$runs" -ge 5 ] || echo "bench-text: note: fewer than 5 rounds; medians are rough" >&2

. scripts/lib/loopback-sites.sh
ls_tools
./scripts/setup.sh
if [ "$build" = 1 ]; then swift build -c release --static-swift-stdlib --product claimscan >&2; fi
bin=$PWD/.build/release/claimscan
vpy=$(./scripts/bench-peers-setup.sh | tail -1)

work=$(mktemp -d -t claimscan-bench-text-XXXXXX)
cleanup() { if [ "$keep" = 1 ]; then echo "bench-text: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

half=$((pages / 2)); double=$((pages * 2))
echo "== corpus (seed $seed)"
python3 bench/corpus/gen-corpus.py --pages "$double" --seed "$seed" --out "$work/corpus-$double"
# Page i depends only on (seed, i): the smaller corpora are prefixes of the largest.
for n in "$pages" "$half"; do
    mkdir -p "$work/corpus-$n"
    for ((i = 0; i < n; i++)); do ln "$work/corpus-$double/$(printf 'p%06d.html' "$i")" "$work/corpus-$n/"; done
done
echo "== lexicons"
python3 bench/python/plain-phrases.py lexicons >"$work/phrases-bundled.txt"
for n in 100 1000 2000; do
    python3 bench/corpus/gen-corpus.py --lexicon-patterns "$n" --seed "$seed" --lexicon-out "$work/lex-$n" >/dev/null
    python3 bench/python/plain-phrases.py "$work/lex-$n" >"$work/phrases-$n.txt"
    lits=$("$bin" lexicon list --lexicon "$work/lex-$n" | tail -1)
    pat=$("$bin" lexicon list --lexicon "$work/lex-$n" --json | python3 -c '
import json, sys
print(sum(len(json.loads(l).get("patterns", [])) for l in sys.stdin if l.strip()))')
    if "$bin" lexicon test --lexicon "$work/lex-$n" >"$work/lextest-$n.txt" 2>&1; then t=passes; else t="FAILS (see $work/lextest-$n.txt)"; keep=1; fi
    echo "lexicon $n: $pat pattern lines, $(wc -l <"$work/phrases-$n.txt") plain phrases; $lits; lexicon test $t"
done
echo "bundled lexicon: $(wc -l <"$work/phrases-bundled.txt") plain phrases for the Python reference"
echo "peers: $("$vpy" -c 'import importlib.metadata as m; print(", ".join("%s %s" % (p, m.version(p)) for p in ("selectolax", "opencc", "pyahocorasick")))'); $("$vpy" --version)"
echo "claimscan: $bin ($(git rev-parse --short HEAD))"

results=$work/results.tsv
: >"$results"
run_cs() {  # LABEL N LEXICON
    local label=$1 n=$2 lex=$3 out=$work/out.txt
    local files=("$work/corpus-$n"/*.html)
    ls_wait_idle
    b0=$(ls_busy_ticks)
    /usr/bin/time -v -o "$work/time.txt" "$bin" bench --repeat 1 --lexicon "$lex" ${model[@]+"${model[@]}"} "${files[@]}" >"$out" 2>&1 \
        || { echo "bench-text: claimscan bench failed:" >&2; cat "$out" >&2; exit 3; }
    b1=$(ls_busy_ticks); cp "$out" "$work/last-claimscan.txt"
    python3 - claimscan "$label" "$n" "$out" "$work/time.txt" $((b1 - b0)) >>"$results" <<'PY'
import os, re, sys
tool, label, n, out, tfile = sys.argv[1:6]
o, t = open(out).read(), open(tfile).read()
num = lambda k: re.search(re.escape(k) + r":\s*([\d.:]+)", t).group(1)
wall = num("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
m = re.search(r"(\d+) pages, ([\d.]+) MB, (\d+) findings", o)
tot = re.search(r"^total\s+([\d.]+) ms", o, re.M)
print("\t".join(map(str, [tool, label, n, float(m.group(2)), m.group(3), float(tot.group(1)) / 1000, wall,
      num("Maximum resident set size (kbytes)"), num("User time (seconds)"), num("System time (seconds)"),
      "%.2f" % max(0.0, int(sys.argv[6]) / os.sysconf("SC_CLK_TCK") - float(num("User time (seconds)")) - float(num("System time (seconds)")))])))
PY
}
run_py() {  # LABEL N PHRASES
    local label=$1 n=$2 phrases=$3 out=$work/out.txt
    ls_wait_idle
    b0=$(ls_busy_ticks)
    /usr/bin/time -v -o "$work/time.txt" "$vpy" bench/python/reference.py "$work/corpus-$n" --phrases "$phrases" \
        --quiet --json >"$out" 2>&1 || { echo "bench-text: reference.py failed:" >&2; cat "$out" >&2; exit 3; }
    b1=$(ls_busy_ticks); cp "$out" "$work/last-python.txt"
    python3 - python "$label" "$n" "$out" "$work/time.txt" $((b1 - b0)) >>"$results" <<'PY'
import json, os, re, sys
tool, label, n, out, tfile = sys.argv[1:6]
d, t = json.loads(open(out).read().strip().splitlines()[-1]), open(tfile).read()
num = lambda k: re.search(re.escape(k) + r":\s*([\d.:]+)", t).group(1)
wall = num("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
print("\t".join(map(str, [tool, label, n, d["bytes"] / 1e6, d["matches"], d["total_s"], wall,
      num("Maximum resident set size (kbytes)"), num("User time (seconds)"), num("System time (seconds)"),
      "%.2f" % max(0.0, int(sys.argv[6]) / os.sysconf("SC_CLK_TCK") - float(num("User time (seconds)")) - float(num("System time (seconds)")))])))
PY
}
show() { tail -1 "$results" | awk -F'\t' '{printf "%-10s %-12s %6d %8.1f %9d %10.3f %8.2f %9.1f %9.1f %8.1f %9.1f %8.2f%s\n",
    $1, $2, $3, $4, $5, $6, $7, $4/$6, $3/$6, $4/$7, $8/1024, $11, ($11 > 0.2 ? " *" : "")}'; }
header() { printf '%-10s %-12s %6s %8s %9s %10s %8s %9s %9s %8s %9s %8s\n' tool run pages MB findings pipeline_s wall_s \
    pipe_MB/s pipe_pg/s wall_MB/s rss_MiB other_s; }

echo
echo "== $runs interleaved rounds at $pages pages, bundled lexicon (findings: claimscan findings / Python phrase matches)"
header
run_cs warmup "$pages" lexicons >/dev/null; run_py warmup "$pages" "$work/phrases-bundled.txt" >/dev/null
: >"$results"
for r in $(seq "$runs"); do
    run_cs "main$r" "$pages" lexicons; show
    run_py "main$r" "$pages" "$work/phrases-bundled.txt"; show
done
echo "stages, last round: claimscan (claimscan bench)"
grep -E "^(start-up|decode|extract|normalize|total)" "$work/last-claimscan.txt" | sed 's/^/    /'
echo "stages, last round: Python (reference.py)"
"$vpy" bench/python/reference.py "$work/corpus-$pages" --phrases "$work/phrases-bundled.txt" --quiet --json | tail -1 | python3 -c '
import json, sys
d = json.load(sys.stdin); mb = d["bytes"] / 1e6
print("    set-up (OpenCC, automaton) %.1f ms" % (d["setup_s"] * 1000))
for k, v in list(d["stages_s"].items()) + [("total", d["total_s"])]:
    print("    %-28s%9.1f ms  %8.1f MB/s" % (k, v * 1000, mb / v))'
echo "   (other_s: CPU seconds used by other processes on the machine during the run; > 0.2 marked *)"
echo
echo "== lexicon size ($pages pages; one run each, interleaved)"
header
for n in 100 1000 2000; do
    run_cs "lex$n" "$pages" "$work/lex-$n"; show
    run_py "lex$n" "$pages" "$work/phrases-$n.txt"; show
done
echo
echo "== corpus size (bundled lexicon; one run each)"
header
for n in "$half" "$double"; do
    run_cs "size$n" "$n" lexicons; show
    run_py "size$n" "$n" "$work/phrases-bundled.txt"; show
done

echo
python3 - "$results" "$pages" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
pages = int(sys.argv[2])
def sel(tool, prefix): return [r for r in rows if r[0] == tool and r[1].startswith(prefix)]
def med(rs, f): return statistics.median(f(r) for r in rs)
pipe_mbs = lambda r: float(r[3]) / float(r[5]); pipe_pgs = lambda r: int(r[2]) / float(r[5])
wall_mbs = lambda r: float(r[3]) / float(r[6]); wall_pgs = lambda r: int(r[2]) / float(r[6])
rss = lambda r: float(r[7]) / 1024
cs, py = sel("claimscan", "main"), sel("python", "main")
print("== summary: %d rounds at %d pages (%.1f MB), medians" % (len(cs), pages, float(cs[0][3])))
print("%-34s %12s %12s %10s" % ("", "claimscan", "Python", "ratio c/P"))
for name, f in [("pipeline MB/s (in memory)", pipe_mbs), ("pipeline pages/s", pipe_pgs),
                ("whole command MB/s (wall)", wall_mbs), ("whole command pages/s", wall_pgs)]:
    a, b = med(cs, f), med(py, f)
    print("%-34s %12.1f %12.1f %9.2fx" % (name, a, b, a / b))
a, b = med(cs, rss), med(py, rss)
print("%-34s %12.1f %12.1f %9.2fx" % ("peak RSS MiB", a, b, a / b))
a, b = med(cs, lambda r: float(r[6])), med(py, lambda r: float(r[6]))
print("%-34s %12.2f %12.2f %9.2fx" % ("wall seconds", a, b, a / b))
print("   (ranges: claimscan pipeline %.1f–%.1f MB/s, Python %.1f–%.1f MB/s)"
      % (min(map(pipe_mbs, cs)), max(map(pipe_mbs, cs)), min(map(pipe_mbs, py)), max(map(pipe_mbs, py))))
print("   findings: claimscan %s findings; Python %s phrase matches" % (cs[0][4], py[0][4]))
busy = [r for r in cs + py if float(r[10]) > 0.2]
if busy:
    print("   %d of %d runs shared the machine with other processes (other_s > 0.2 s, marked *)" % (len(busy), len(cs + py)))
print()
print("lexicon size (%d pages):      claimscan pipeline / wall        Python pipeline / wall" % pages)
for n in ("100", "1000", "2000"):
    c, p = sel("claimscan", "lex" + n)[0], sel("python", "lex" + n)[0]
    print("  %5s pattern lines         %7.1f MB/s / %6.2f s        %7.1f MB/s / %6.2f s   ratio %.2fx (pipeline)"
          % (n, pipe_mbs(c), float(c[6]), pipe_mbs(p), float(p[6]), pipe_mbs(c) / pipe_mbs(p)))
print()
print("corpus size (bundled lexicon):  pipeline seconds per MB (flat = linear)")
for tool in ("claimscan", "python"):
    pts = sorted([(int(r[2]), float(r[3]), float(r[5]), rss(r)) for r in sel(tool, "size")]
                 + [(int(r[2]), float(r[3]), med(sel(tool, "main"), lambda x: float(x[5])), med(sel(tool, "main"), rss))
                    for r in sel(tool, "main")[:1]])
    print("  %-10s " % tool + ",  ".join("%d pages %.1f MB: %.2f s (%.1f ms/MB, RSS %.0f MiB)"
                                         % (n, mb, s, 1000 * s / mb, m) for n, mb, s, m in pts))
PY
