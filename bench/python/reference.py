#!/usr/bin/env python3
"""The Python reference pipeline: what claimscan's text pipeline does, as far as the usual
Python tools allow (see bench/python/textpipe.py).

    bench/.venv/bin/python bench/python/reference.py DIR_OR_FILE... --phrases FILE
        [--per-page] [--json] [--quiet]

Reads every file first (DIR: its *.html/*.htm), then times decode → visible text (selectolax)
→ OpenCC t2s → NFKC + casefold → pyahocorasick per page, like `claimscan bench` times its
stages on files already in memory. Prints the pages with matches (--per-page: every page),
the totals, MB/s and pages/s, and what this pipeline cannot do. --json: one summary object
on the last line.
"""
import argparse, glob, json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import textpipe  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("targets", nargs="+")
    ap.add_argument("--phrases", required=True, help="plain phrases, one a line (bench/python/plain-phrases.py)")
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    files = []
    for t in a.targets:
        if os.path.isdir(t):
            files += sorted(glob.glob(os.path.join(t, "*.html")) + glob.glob(os.path.join(t, "*.htm")))
        else:
            files.append(t)
    t_start = time.perf_counter()
    norm = textpipe.Normalizer()
    phrases = textpipe.load_phrases(a.phrases, norm)
    automaton = textpipe.build_automaton(phrases)
    t_setup = time.perf_counter() - t_start
    pages = [(f, open(f, "rb").read()) for f in files]
    nbytes = sum(len(d) for _, d in pages)
    st = {"decode": 0.0, "extract": 0.0, "normalize": 0.0, "match": 0.0}
    found = []
    pc = time.perf_counter
    t0 = pc()
    for f, data in pages:
        a0 = pc(); html = textpipe.decode(data)
        a1 = pc(); text = textpipe.visible_text(html)
        a2 = pc(); text = norm(text)
        a3 = pc(); m = textpipe.matches(automaton, text)
        a4 = pc()
        st["decode"] += a1 - a0; st["extract"] += a2 - a1; st["normalize"] += a3 - a2; st["match"] += a4 - a3
        found.append((f, len(data), m))
    total = pc() - t0
    mb = nbytes / 1e6
    if not a.quiet:
        for f, n, m in found:
            if m or a.per_page:
                print("%s\t%d bytes\t%d matches\t%s" % (os.path.basename(f), n, len(m), " ".join(sorted({p for _, p in m}))))
        print("%d pages, %.2f MB, %d phrases, %d matches on %d pages; set-up (OpenCC, automaton) %.1f ms"
              % (len(pages), mb, len(phrases), sum(len(m) for _, _, m in found), sum(bool(m) for _, _, m in found),
                 t_setup * 1000))
        for k, v in st.items():
            print("%-28s%9.1f ms  %8.1f MB/s" % (k, v * 1000, mb / v if v else 0))
        print("%-28s%9.1f ms  %8.1f MB/s  %9.0f pages/s" % ("total", total * 1000, mb / total, len(pages) / total))
        print("cannot do: " + "; ".join(textpipe.CANNOT))
    if a.json:
        print(json.dumps({"pages": len(pages), "bytes": nbytes, "phrases": len(phrases),
                          "matches": sum(len(m) for _, _, m in found), "pages_with_matches": sum(bool(m) for _, _, m in found),
                          "setup_s": t_setup, "stages_s": st, "total_s": total, "mb_s": mb / total,
                          "pages_s": len(pages) / total}))


if __name__ == "__main__":
    main()
