"""The Python peer pipeline shared by bench/python/reference.py and the Scrapy spider.

What an IT department would write instead of claimscan, with the fastest common libraries:
decode (BOM, <meta> charset, else UTF-8, else GB18030; gbk/gb2312 are decoded as GB18030),
visible text with selectolax (lexbor: body text without script/style/noscript/template,
title, meta description and keywords, img alt), OpenCC t2s, NFKC + casefold, then
pyahocorasick over the bundled rules' plain phrases.
"""
import glob, os, re, unicodedata

import ahocorasick
import opencc
from selectolax.lexbor import LexborHTMLParser

CANNOT = [
    "byte offsets into the raw page (it reports matches in the normalized text only)",
    "pinyin spellings (bao过, baoguo) — only literal Chinese phrases are in the automaton",
    "noise between characters (包 ★ 过, 包 过) — the automaton needs contiguous characters",
    "phrases split by inline markup (包<span>过</span>) — selectolax's text() either separates every "
    "tag's text (used here) or glues adjacent blocks together",
    "gapped patterns (保证 ~ 通过), <num>/<pct> tokens, exclusions (打包过程), guards, negation and "
    "mention cues (严禁“包过”) — plain phrases only, so notices quoting banned words are reported",
    "spinner artefacts (培(pei)训), invisible characters inside phrases, severity raised for disguise, "
    "rule/category/basis per finding, evidence of the disguise",
]

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_GB = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "csgb2312", "iso-ir-58", "chinese"}


def charset_of(data, header=None):
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    label = header
    if not label:
        m = _META.search(data, 0, 4096)
        label = m.group(1).decode("ascii", "replace") if m else None
    if label:
        label = label.strip().lower()
        if label in _GB:
            return "gb18030"
        if label in ("utf-8", "utf8"):
            return "utf-8"
        try:
            "".encode(label)
            return label
        except LookupError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def decode(data, header=None):
    return data.decode(charset_of(data, header), errors="replace")


def visible_text(html, links=None):
    """Title, meta description/keywords, img alt and body text; hrefs appended to `links` if given."""
    tree = LexborHTMLParser(html)
    parts = []
    if links is not None:
        links += [a.attributes.get("href") or "" for a in tree.css("a[href]")]
    t = tree.css_first("title")
    if t is not None:
        parts.append(t.text())
    for m in tree.css("meta[name]"):
        if (m.attributes.get("name") or "").lower() in ("description", "keywords"):
            parts.append(m.attributes.get("content") or "")
    for img in tree.css("img[alt]"):
        parts.append(img.attributes.get("alt") or "")
    tree.strip_tags(["script", "style", "noscript", "template"])
    body = tree.body
    if body is not None:
        parts.append(body.text(separator="\n"))
    return "\n".join(parts)


class Normalizer:
    def __init__(self):
        self.cc = opencc.OpenCC("t2s")

    def __call__(self, text):
        return unicodedata.normalize("NFKC", self.cc.convert(text)).casefold()


def build_automaton(phrases):
    a = ahocorasick.Automaton()
    for i, p in enumerate(phrases):
        a.add_word(p, (i, p))
    a.make_automaton()
    return a


def load_phrases(path, normalize):
    out, seen = [], set()
    for line in open(path, encoding="utf-8"):
        p = line.strip()
        if not p or p.startswith("#"):
            continue
        p = normalize(p)
        p = "".join(c for c in p if not c.isspace())
        if p and p not in seen:
            seen.add(p)
            out.append(p)
    return out


def plain_phrases(lexicon_dir):
    """The single-term phrases of a lexicon folder: alternatives of `pattern` lines without ~ or <."""
    out = []
    for path in sorted(glob.glob(os.path.join(lexicon_dir, "*.rules"))):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"\s*pattern\s*=\s*(.*)$", line)
            if m and "~" not in m.group(1) and "<" not in m.group(1):
                out += [p.strip() for p in m.group(1).split("|") if p.strip()]
    return out


def matches(automaton, text):
    return [(end - len(p) + 1, p) for end, (_, p) in automaton.iter(text)]
