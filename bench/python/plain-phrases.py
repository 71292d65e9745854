#!/usr/bin/env python3
"""Prints the plain single-term phrases of a lexicon folder, one a line (patterns without ~ or <).
    bench/python/plain-phrases.py [LEXICON_DIR]   (default: lexicons/)"""
import os, re, sys, glob
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "lexicons")
seen = set()
for path in sorted(glob.glob(os.path.join(d, "*.rules"))):
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*pattern\s*=\s*(.*)$", line)
        if m and "~" not in m.group(1) and "<" not in m.group(1):
            for p in m.group(1).split("|"):
                p = p.strip()
                if p and p not in seen:
                    seen.add(p); print(p)
