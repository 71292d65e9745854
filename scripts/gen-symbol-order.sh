#!/usr/bin/env bash
# Regenerates linker/symbol-order.txt: the functions a release claimscan executes in a
# 30-site loopback crawl (`scan`, with `agencies import`) and in `check` of a fixture page,
# one or several targets, hottest first. lld places them together at the start of .text
# (Package.swift, release builds): the kernel maps a binary's code 64 KB around each page
# fault, so scattered executed functions kept most of the code resident. Run by hand after
# larger code changes (names that no longer exist are skipped by the linker; new functions
# are simply not grouped); takes a few minutes under valgrind. Everything stays on loopback.
#
#   ./scripts/gen-symbol-order.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
[ "${1:-}" = "--no-build" ] && build=0
./scripts/setup.sh >/dev/null
. scripts/lib/loopback-sites.sh
ls_tools
command -v valgrind >/dev/null || ls_install valgrind
if [ "$build" = 1 ]; then swift build -c release --static-swift-stdlib --product claimscan >&2; fi
work=$(mktemp -d)
cleanup() { ls_stop; rm -rf "$work"; }
trap cleanup EXIT
# valgrind cannot read the toolchain's DWARF 5; the symbol table is all it needs.
cp .build/release/claimscan "$work/claimscan"
strip --strip-debug "$work/claimscan"
profile() {   # NAME ARGS…: the profile goes to WORK/cg.NAME.PID.out
    local name=$1; shift
    valgrind --tool=callgrind --demangle=no --compress-strings=no --compress-pos=no --dump-instr=no \
        --callgrind-out-file="$work/cg.$name.%p.out" "$work/claimscan" "$@" >/dev/null 2>>"$work/valgrind.log" || true
}

ls_start "$work" 30 20240501 >/dev/null
ls_csv 30 "$work/agencies.csv"
profile 1-crawl agencies import "$work/agencies.csv" --db "$work/c.db"
profile 1-crawl scan --allow-private-network --delay 0 --concurrency 32 --max-pages 200 --max-depth 4 --quiet --json --db "$work/c.db"
profile 2-check check fixtures/pages/med66.com.gbk.html
profile 2-check check --json fixtures/pages/med66.com.gbk.html fixtures/demo/agency-hongda.gbk.html
# The text pipeline benchmark (`bench`, issue 5's pipeline target) on a few generated pages.
python3 bench/corpus/gen-corpus.py --pages 20 --seed 20241126 --out "$work/pages" >/dev/null
profile 3-bench bench "$work"/pages/*.html --repeat 1

python3 - "$work/claimscan" linker/symbol-order.txt "$work"/cg.1-crawl.*.out -- "$work"/cg.2-check.*.out -- "$work"/cg.3-bench.*.out <<'PY'
# The crawl's functions first (the crawl's resident set is what the order is for), hottest
# first; then those only `check` runs, then those only `bench` runs. Mixing them spread the
# crawl's code out again; leaving `bench`'s out made its decoding ~10% slower.
import collections, os, re, sys
binary, out = sys.argv[1], sys.argv[2]
groups, current = [], []
for arg in sys.argv[3:]:
    if arg == "--": groups.append(current); current = []
    else: current.append(arg)
groups.append(current)
binary = os.path.realpath(binary)
def costs(paths):
    # Self cost per function: the line after a `calls=` line is the callee's inclusive cost.
    cost = collections.Counter()
    for path in paths:
        in_binary, fn, call = False, None, False
        for line in open(path, errors="replace"):
            if line.startswith("ob="):
                in_binary = os.path.realpath(line[3:].strip()) == binary
            elif line.startswith("fn="):
                fn = re.sub(r"'\d+$", "", line[3:].strip()) if in_binary else None   # 'N: recursion depth
                if fn: cost[fn] += 0
            elif line.startswith("calls="):
                call = True
            elif fn and line[:1].isdigit():
                parts = line.split()
                if not call and len(parts) >= 2 and parts[1].isdigit(): cost[fn] += int(parts[1])
                call = False
    return [n for n, _ in sorted(cost.items(), key=lambda kv: -kv[1]) if not n.startswith("(")]
names, seen = [], set()
for group in groups:
    for n in costs(group):
        if n not in seen: seen.add(n); names.append(n)
if not names:
    sys.exit(f"gen-symbol-order: no function of {binary} in the profiles; {out} left as it was")
open(out, "w").write("".join(n + "\n" for n in names))
print(f"{out}: {len(names)} functions from {sum(map(len, groups))} profiles")
PY
# The order file is no input SwiftPM knows of: drop the binary so that the next build links again.
rm -f "$(readlink -f .build/release)/claimscan"
echo "next: swift build -c release --static-swift-stdlib --product claimscan (links with the new order)"
