#!/usr/bin/env bash
# Matching cost of the detection features (issue 3) against the foundation's
# plain phrase matching, on the same pages, in one run. Run by hand.
#   ./scripts/bench-matching.sh [RUNS] [--foundation]
# "plain" = the bundled rules reduced to what the foundation matcher did: their
# single-term phrases only (no gapped terms, tokens, exclusions, guards, negation
# or mention cues). "full" = the bundled lexicon. Both see pinyin spellings and
# the noise-skipping skeleton, which the matcher always builds.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=9
foundation=0
for arg in "$@"; do
    case "$arg" in
        --foundation) foundation=1 ;;
        [0-9]*) runs=$arg ;;
        *) echo "bench-matching: unknown argument $arg" >&2; exit 2 ;;
    esac
done
./scripts/setup.sh
swift build -c release --static-swift-stdlib --product claimscan >&2
bin=./.build/release/claimscan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/plain"
python3 - "$work/plain/plain.rules" <<'PY'
import glob, re, sys
out = []
for path in sorted(glob.glob("lexicons/*.rules")):
    rule = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"\s*\[rule (.+)\]\s*$", line)
        if m:
            rule = {"id": m.group(1), "fields": [], "patterns": []}
            out.append(rule)
            continue
        if line.strip().startswith("["):
            rule = None
            continue
        if rule is None or "=" not in line or line.strip().startswith("#"):
            continue
        key, value = [x.strip() for x in line.split("=", 1)]
        if key in ("category", "severity", "basis", "description"):
            rule["fields"].append((key, value))
        elif key == "pattern" and "~" not in value and "<" not in value:
            rule["patterns"].append(value)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for r in out:
        if not r["patterns"]:
            continue
        f.write(f"[rule {r['id']}]\n")
        for k, v in r["fields"]:
            f.write(f"{k} = {v}\n")
        for p in r["patterns"]:
            f.write(f"pattern = {p}\n")
        f.write("match = 占位\nnomatch = 占位\n\n")
PY
# --foundation: also the foundation's own binary and lexicon (commit 6a3f00b, the end of the
# foundation issue, before the detection work), built from a git worktree under
# .build-foundation/ (the first time takes a few minutes).
kinds="plain full"
if [ "$foundation" = 1 ]; then
    fsrc=.build-foundation/src
    if [ ! -d "$fsrc" ]; then git worktree add --detach "$fsrc" 6a3f00b >&2; fi
    (cd "$fsrc" && swift build -c release --product claimscan >&2)
    kinds="foundation plain full"
fi
pages=(fixtures/pages/*.html fixtures/demo/*.html)
for round in 1 2 3; do
    for kind in $kinds; do
        b=$bin
        case $kind in
            plain) lex="$work/plain" ;;
            full) lex=lexicons ;;
            foundation) lex=$fsrc/lexicons; b=$fsrc/.build/release/claimscan ;;
        esac
        echo "== $kind (round $round)"
        "$b" bench --lexicon "$lex" --repeat "$runs" "${pages[@]}" | grep -E "lexicon:|normalize|match \\+ rules|total"
    done
done
