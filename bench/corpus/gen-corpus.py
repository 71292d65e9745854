#!/usr/bin/env python3
"""Deterministic corpus and lexicon generator for the comparative benchmarks
(scripts/bench-text.sh).

    bench/corpus/gen-corpus.py --pages N --seed S --out DIR
    bench/corpus/gen-corpus.py --lexicon-patterns N --lexicon-out DIR [--seed S]
    (both at once is fine)

Pages: DIR/pNNNNNN.html, N made-up pages of Chinese vocational-training agencies
(top bar, navigation, banner carousel with img alt texts, course tables, news
lists, paragraphs, friend links, footer, inline <script> and <style>), sizes
log-uniform between 20 and 300 KB; about a fifth GBK-encoded with a
<meta http-equiv=Content-Type … charset=gb2312> (no BOM, no other hint), the
rest UTF-8 with <meta charset=utf-8>. About 4% of the pages carry one to three
promises (包过, 保证拿证, 不过退费 …), some disguised: plain, noise between the
characters (包 ★ 过), traditional characters (包過), pinyin (bao过), inline
markup (包<span>过</span>), character references (&#21253;&#36807;).
Page i depends only on (seed, i): the first N pages of a larger corpus are the
N-page corpus, byte for byte. DIR/manifest.json lists every page (bytes,
encoding, promises and their disguise) and the totals.

Lexicon: DIR gets copies of lexicons/*.rules plus extra.rules, generated rules
(one plain phrase each — combinations of Chinese advertising vocabulary such as
电工极速拿证, 一站式取证服务) with category, severity, basis, description,
pattern, a `match` example containing the phrase and a `nomatch` example that
does not, so that `claimscan lexicon test --lexicon DIR` passes. The total
number of `pattern` lines (what `claimscan lexicon list --json` reports as
`patterns`) is exactly N. The bundled rules have 123 pattern lines; for N below
that, whole rules are dropped from the end of the files (the [negation] and
[exclusions] sections are kept) — then the lexicon is a subset of the real one.
"""
import argparse, glob, importlib.util, json, math, os, random, re, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

_spec = importlib.util.spec_from_file_location("gen_sites", os.path.join(ROOT, "bench", "crawl", "gen-sites.py"))
gs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gs)

MORE_SENTENCES = [
    "新学期招生简章已经发布，各专业报名通道同步开放，欢迎广大学员来电咨询。",
    "本课程由具有多年一线教学经验的讲师授课，配套讲义、题库和实操视频。",
    "学员可通过线上学习平台观看录播课程，随时随地复习重点难点。",
    "职业技能等级证书是劳动者技能水平的证明，也是求职和晋升的重要参考。",
    "考核由第三方评价机构组织实施，考核成绩以评价机构公布的结果为准。",
    "培训费用包含教材费、实训耗材费和考核费，不另收取其他费用。",
    "本校与多家社区服务中心、养老机构和家政企业签订了实习基地协议。",
    "温馨提示：请通过人社部门官方网站查询证书真伪，谨防假证诈骗。",
    "为响应技能中国行动，学校开设了多个紧缺职业（工种）的培训项目。",
    "结业学员可加入校友群，获取行业招聘信息和继续教育课程通知。",
    "实训中心面积两千余平方米，拥有各类实训工位三百余个。",
    "学校连续多年被评为区级职业培训优秀单位。",
]
SENTENCES = gs.SENTENCES + MORE_SENTENCES
BANNERS = ["{t}培训火热招生中", "职业技能等级认定报名进行中", "{t}{l}周末班开课啦", "技能成就梦想 学习改变人生",
           "政府补贴性培训项目报名", "名师授课 小班教学"]
FRIENDS = ["人力资源和社会保障部", "省人力资源和社会保障厅", "技能人才评价工作网", "中国就业网", "国家职业资格证书查询",
           "市就业服务中心", "职业技能鉴定指导中心", "学信网"]
JS = """<script>
var _hmt = _hmt || [];
(function(){var hm=document.createElement("script");hm.src="//hm.example.invalid/hm.js?%s";
var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);})();
function slide(i){var items=document.querySelectorAll('.banner li');for(var k=0;k<items.length;k++){items[k].style.display=(k==i)?'block':'none';}}
var cur=0;setInterval(function(){cur=(cur+1)%%3;slide(cur);},5000);
</script>
"""

# Promises (the first few are the bundled rules' plain phrases) and their disguises.
PROMISES = [("本期{t}培训班", "包过", "，报名从速！"), ("{t}{l}", "保证拿证", "，无需本人到场。"),
            ("考试", "不过退费", "，{t}名额有限。"), ("零基础", "保过", "班火热招生中。"),
            ("{t}", "包拿证", "，费用全包。"), ("{t}考试", "不过全额退费", "，详情咨询招生老师。"),
            ("{t}证书", "免考", "直接发证。"), ("{t}", "包过包拿证", "，一次搞定！")]
TRAD = {"过": "過", "证": "證", "费": "費", "试": "試", "额": "額", "发": "發", "直": "直", "拿": "拿", "书": "書"}
PINYIN = {"包": "bao", "过": "guo", "保": "bao", "证": "zheng", "拿": "na", "退": "tui", "费": "fei", "考": "kao",
          "免": "mian", "发": "fa", "全": "quan", "额": "e", "不": "bu", "直": "zhi", "接": "jie"}
NOISE = [" ", "★", "·", "*", " * ", "~", "_", "♥", "◆", "-"]
DISGUISES = ["plain", "plain", "noise", "traditional", "pinyin", "markup", "charref"]


def disguise(phrase, kind, rng):
    if kind == "plain":
        return phrase
    if kind == "noise":
        return rng.choice(NOISE).join(phrase)
    if kind == "traditional":
        return "".join(TRAD.get(c, c) for c in phrase)
    if kind == "pinyin":
        i = rng.randrange(len(phrase))
        while phrase[i] not in PINYIN:
            i = (i + 1) % len(phrase)
        return phrase[:i] + PINYIN[phrase[i]] + phrase[i + 1:]
    if kind == "markup":
        i = rng.randrange(1, len(phrase))
        tag = rng.choice(["span", "b", "font", "em"])
        return "%s<%s>%s</%s>" % (phrase[:i], tag, phrase[i:], tag)
    if kind == "charref":
        return "".join(("&#%d;" if rng.random() < 0.5 else "&#x%x;") % ord(c) for c in phrase)
    raise ValueError(kind)


def make_page(seed, i):
    rng = random.Random("%d:%d" % (seed, i))
    region, city = rng.choice(gs.CITIES)
    name = city + rng.choice(gs.BRANDS) + rng.choice(gs.KINDS)
    gbk = rng.random() < 0.2
    enc = "gbk" if gbk else "utf-8"
    target = int(math.exp(rng.uniform(math.log(20_000), math.log(300_000))))
    trades = rng.sample(gs.TRADES, 8)
    levels = gs.LEVELS
    n_promises = rng.choice([1, 1, 1, 2, 3]) if rng.random() < 0.04 else 0
    phone = "0%d-%08d" % (rng.randrange(10, 999), rng.randrange(10**7, 10**8))
    title = rng.choice([name, "%s%s培训" % (rng.choice(trades), rng.choice(levels)), "新闻动态", "学校简介", "培训项目"])
    meta = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' if gbk
            else '<meta charset="utf-8">')
    h = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n', meta, "\n",
         "<title>%s - %s</title>\n" % (title, name),
         '<meta name="keywords" content="%s">\n' % ",".join(t + "培训" for t in trades),
         '<meta name="description" content="%s是一家专业从事%s等职业技能培训的机构。">\n' % (name, "、".join(trades[:3])),
         "<style>\n", gs.CSS, "</style>\n", JS % rng.getrandbits(64), "</head>\n<body>\n<div class=\"wrap\">\n",
         '<div class="top">欢迎访问%s官方网站！咨询电话：%s　<a href="/login.html">会员登录</a></div>\n' % (name, phone),
         '<div class="nav"><ul>']
    for label, href in [("首页", "/"), ("学校简介", "/about.html"), ("培训项目", "/courses.html"),
                        ("新闻动态", "/news.html"), ("报名指南", "/guide.html"), ("证书查询", "/cert.html"),
                        ("师资力量", "/teachers.html"), ("在线报名", "/signup.html"), ("联系我们", "/contact.html")]:
        h.append('<li><a href="%s">%s</a></li>' % (href, label))
    h.append('</ul></div>\n<div class="banner"><ul>')
    for k in range(3):
        alt = rng.choice(BANNERS).format(t=rng.choice(trades), l=rng.choice(levels))
        h.append('<li><a href="/zt/%d.html"><img src="/uploads/banner%d.jpg" alt="%s" width="1100" height="220"></a></li>'
                 % (rng.randrange(100, 999), k, alt))
    h.append("</ul></div>\n<div class=\"main\">\n")
    footer = ['</div>\n<div class="links">友情链接：']
    for f in rng.sample(FRIENDS, 5):
        footer.append('<a href="http://www.example.invalid/%d" target="_blank">%s</a> ' % (rng.randrange(1000), f))
    footer.append('</div>\n<div class="footer">%s　地址：%s某区某路%d号　电话：%s<br>'
                  'Copyright &copy; 2024 %s 版权所有　ICP备%08d号　办学许可证号：S%06d<br>'
                  '<a href="/sitemap.html">网站地图</a> | <a href="/contact.html">联系我们</a></div>\n</div>\n</body>\n</html>\n'
                  % (name, region, rng.randrange(1, 300), phone, name, rng.randrange(10**7, 10**8), rng.randrange(10**6)))
    head, foot = "".join(h), "".join(footer)

    def enc_len(s):
        return len(s.encode(enc, errors="xmlcharrefreplace"))

    size = enc_len(head) + enc_len(foot)
    # Where the promises go: block indices, decided up front from the expected block count.
    expect_blocks = max(4, target // 900)
    at = sorted(rng.sample(range(1, expect_blocks), min(n_promises, expect_blocks - 1))) if n_promises else []
    promises = []
    body = []
    block = 0
    while size < target or at:
        if at and (block >= at[0] or size >= target):
            at.pop(0)
            pre, phrase, post = rng.choice(PROMISES)
            kind = rng.choice(DISGUISES)
            t, l = rng.choice(trades), rng.choice(levels)
            text = pre.format(t=t, l=l) + disguise(phrase, kind, rng) + post.format(t=t, l=l)
            chunk = '<p class="hot">%s</p>\n' % text
            promises.append({"phrase": phrase, "disguise": kind})
        else:
            r = rng.random()
            if r < 0.55:
                chunk = "<p>%s</p>\n" % "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
            elif r < 0.75:
                items = []
                for _ in range(rng.randint(6, 15)):
                    t = rng.choice(trades)
                    items.append('<li><a href="/news/%d.html">%s</a><span>2024-%02d-%02d</span></li>'
                                 % (rng.randrange(10**4), rng.choice(gs.NEWS_TITLES).format(t=t, l=rng.choice(levels)),
                                    rng.randint(1, 12), rng.randint(1, 28)))
                chunk = '<h3>最新动态</h3>\n<ul class="list">\n%s\n</ul>\n' % "\n".join(items)
            elif r < 0.92:
                rows = []
                for _ in range(rng.randint(5, 12)):
                    rows.append("<tr><td>%s</td><td>%s</td><td>%d课时</td><td>%d元</td><td><a href=\"/signup.html\">报名</a></td></tr>"
                                % (rng.choice(trades), rng.choice(levels), rng.choice([60, 80, 120, 160]),
                                   rng.choice([800, 1200, 1600, 2200, 2800])))
                chunk = ('<h3>培训项目</h3>\n<table class="courses"><tr><th>工种</th><th>等级</th><th>课时</th>'
                         '<th>费用</th><th></th></tr>\n%s\n</table>\n' % "\n".join(rows))
            else:
                chunk = ('<div class="pic"><img src="/uploads/%d.jpg" alt="%s"><p>%s</p></div>\n'
                         % (rng.randrange(10**5), rng.choice(BANNERS).format(t=rng.choice(trades), l=rng.choice(levels)),
                            rng.choice(SENTENCES)))
        body.append(chunk)
        size += enc_len(chunk)
        block += 1
    html = head + "".join(body) + foot
    return html.encode(enc, errors="xmlcharrefreplace"), enc, promises


def gen_pages(n, seed, out):
    os.makedirs(out, exist_ok=True)
    pages, total, sizes = [], 0, []
    for i in range(n):
        data, enc, promises = make_page(seed, i)
        fn = "p%06d.html" % i
        with open(os.path.join(out, fn), "wb") as f:
            f.write(data)
        pages.append({"file": fn, "bytes": len(data), "encoding": enc, "promises": promises})
        total += len(data)
        sizes.append(len(data))
    disguises = {}
    for p in pages:
        for pr in p["promises"]:
            disguises[pr["disguise"]] = disguises.get(pr["disguise"], 0) + 1
    manifest = {"seed": seed, "pages": n, "bytes": total, "gbk_pages": sum(p["encoding"] == "gbk" for p in pages),
                "promise_pages": sum(bool(p["promises"]) for p in pages),
                "promises": sum(len(p["promises"]) for p in pages), "disguises": disguises,
                "min_page_bytes": min(sizes), "max_page_bytes": max(sizes), "files": pages}
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    print("%d pages, %.1f MB (pages %d–%d bytes, median %d), %d GBK, %d pages with %d promises %s, seed %d"
          % (n, total / 1e6, min(sizes), max(sizes), sorted(sizes)[n // 2], manifest["gbk_pages"],
             manifest["promise_pages"], manifest["promises"], json.dumps(disguises, ensure_ascii=False), seed))


# --- lexicon -------------------------------------------------------------------------------------
LEAD = ["轻松", "快速", "极速", "一站式", "全程", "专属", "尊享", "定向", "直通", "零风险", "无忧", "高效", "省心",
        "秒速", "优先", "加急", "特快", "一对一", "包办", "代办", "全包", "稳妥", "放心", "绿色通道", "内部通道",
        "免排队", "不用跑腿", "足不出户", "当月", "短期"]
OBJ = ["拿证", "取证", "领证", "办证", "考证", "上岗", "就业", "结业", "过审", "认证", "入职", "晋级", "评级",
       "签约", "下证", "出证", "持证", "换证", "补证", "挂证"]
TAIL = ["", "", "服务", "套餐", "班", "计划", "通道"]
CATEGORIES = ["certificate-guarantee", "no-real-assessment", "insider-claim", "income-lure", "absolute-terms",
              "pass-guarantee", "testimonial", "false-authority", "refund-if-fail"]
NOMATCH = "本期课程安排请咨询招生老师"


def count_patterns(text):
    return sum(1 for l in text.splitlines() if re.match(r"\s*pattern\s*=", l))


def split_sections(text):
    """Top-of-file comments, then sections each starting at a [ line."""
    parts, cur = [], []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("[") and cur:
            parts.append("".join(cur)); cur = []
        cur.append(line)
    if cur:
        parts.append("".join(cur))
    return parts


def gen_lexicon(n, seed, out):
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "*.rules")):
        os.remove(old)
    real = {os.path.basename(p): open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(ROOT, "lexicons", "*.rules")))}
    have = sum(count_patterns(t) for t in real.values())
    if n < have:
        # Drop whole rules, last file first, last rule first, until at most n pattern lines remain.
        files = {k: split_sections(v) for k, v in real.items()}
        while have > n:
            for k in sorted(files, reverse=True):
                secs = files[k]
                idx = [j for j, s in enumerate(secs) if s.lstrip().startswith("[rule ")]
                if idx:
                    have -= count_patterns(secs[idx[-1]])
                    del secs[idx[-1]]
                    break
            else:
                break
        real = {k: "".join(v) for k, v in files.items()}
    for k, v in real.items():
        with open(os.path.join(out, k), "w", encoding="utf-8") as f:
            f.write(v)
    extra = n - have
    rng = random.Random("lexicon:%d" % seed)
    combos = ["%s%s%s" % (a, o, t) for a in LEAD for o in OBJ for t in TAIL]
    combos = sorted(set(combos))
    rng.shuffle(combos)
    phrases = []
    trades = list(gs.TRADES)
    k = 0
    while len(phrases) < extra:
        c = combos[k % len(combos)]
        # After the first pass over the combinations, prefix a trade: 电工极速拿证.
        p = c if k < len(combos) else trades[(k // len(combos) - 1) % len(trades)] + c
        k += 1
        if p in NOMATCH or p in phrases:
            continue
        phrases.append(p)
    with open(os.path.join(out, "extra.rules"), "w", encoding="utf-8") as f:
        f.write("# Generated by bench/corpus/gen-corpus.py (seed %d): %d plain phrases of advertising vocabulary,\n"
                "# only to measure how matching cost grows with the lexicon. Not real rules.\n\n" % (seed, extra))
        for j, p in enumerate(phrases):
            f.write("[rule bench.extra-%04d]\ncategory    = %s\nseverity    = %s\n"
                    "basis       = 广告法第二十八条（基准测试生成规则）\ndescription = 基准测试生成短语“%s”\n"
                    "pattern     = %s\nmatch       = 本校%s，欢迎来电咨询\nnomatch     = %s\n\n"
                    % (j + 1, CATEGORIES[j % len(CATEGORIES)], ["low", "medium", "high"][j % 3], p, p, p, NOMATCH))
    total = sum(count_patterns(open(p, encoding="utf-8").read()) for p in glob.glob(os.path.join(out, "*.rules")))
    print("lexicon %s: %d pattern lines (%d from the bundled rules, %d generated)" % (out, total, have, extra))
    if total != n:
        print("gen-corpus: note: %d pattern lines, asked for %d" % (total, n), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int)
    ap.add_argument("--seed", type=int, default=20241126)
    ap.add_argument("--out")
    ap.add_argument("--lexicon-patterns", type=int)
    ap.add_argument("--lexicon-out")
    a = ap.parse_args()
    if a.pages is None and a.lexicon_patterns is None:
        ap.error("give --pages N --out DIR and/or --lexicon-patterns N --lexicon-out DIR")
    if a.pages is not None:
        if not a.out:
            ap.error("--pages needs --out")
        gen_pages(a.pages, a.seed, a.out)
    if a.lexicon_patterns is not None:
        if not a.lexicon_out:
            ap.error("--lexicon-patterns needs --lexicon-out")
        gen_lexicon(a.lexicon_patterns, a.seed, a.lexicon_out)


if __name__ == "__main__":
    main()
