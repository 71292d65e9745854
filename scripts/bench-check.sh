#!/usr/bin/env bash
# Measures `claimscan check` on a large local page and the text pipeline
# stage by stage. Run by hand; prints medians. Not part of the tests.
#   ./scripts/bench-check.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
./scripts/setup.sh
swift build -c release --static-swift-stdlib --product claimscan >&2
bin=./.build/release/claimscan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A ~9 MB UTF-8 page: the real portal pages (UTF-8 copies) and the demo agency page, repeated.
python3 - "$work/large.html" <<'PY'
import sys
parts = [open(p, encoding="utf-8").read() for p in
         ["fixtures/pages/med66.com.html", "fixtures/pages/zikao365.com.html"]]
parts.append(open("fixtures/demo/agency-hongda.gbk.html", "rb").read().decode("gb18030").replace("gb2312", "utf-8"))
body = "".join(parts)
out = ['<html><head><meta charset="utf-8"><title>large page</title></head><body>']
size = 0
while size < 9_000_000:
    out.append(body); size += len(body.encode("utf-8"))
out.append("</body></html>")
open(sys.argv[1], "w", encoding="utf-8").write("".join(out))
PY
# A single ordinary page (~200 KB, GBK) for the start-up-included wall time.
python3 - "$work/page.html" <<'PY'
import sys
b = open("fixtures/pages/med66.com.gbk.html", "rb").read()
open(sys.argv[1], "wb").write(b + b[b.find(b"<body"):])
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_runs() {
    for _ in $(seq "$runs"); do
        start=$(date +%s%N); "$@" >/dev/null || true; end=$(date +%s%N)
        echo $(( (end - start) / 1000000 ))
    done | median
}
large_bytes=$(stat -c %s "$work/large.html")
page_bytes=$(stat -c %s "$work/page.html")
large_ms=$(time_runs "$bin" check --max-body-bytes 20000000 "$work/large.html")
page_ms=$(time_runs "$bin" check "$work/page.html")
echo "check, large page: $large_bytes bytes, median ${large_ms} ms wall over $runs runs → $(python3 -c "print(round($large_bytes/1e6/($large_ms/1000),1))") MB/s (start-up and lexicon compilation included)"
echo "check, one page:   $page_bytes bytes, median ${page_ms} ms wall over $runs runs (start-up and lexicon compilation included)"
echo
echo "text pipeline by stage (claimscan bench, in-process, medians):"
"$bin" bench --repeat "$runs" "$work/large.html"
"$bin" bench --repeat "$runs" fixtures/pages/*.html fixtures/demo/*.html
