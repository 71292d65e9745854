#!/usr/bin/env python3
"""Deterministic fixture sites for the crawl benchmark (scripts/bench-crawl.sh).

    bench/crawl/gen-sites.py OUT_DIR SITES [--seed N]

Writes OUT_DIR/site-NNN/ (NNN = 000 … SITES-1) for agency N served on
127.0.0.(N+2). Each site has 50 pages of a made-up Chinese vocational-training
agency (navigation, course list, news, footer; 10–40 KB each), a robots.txt
(Disallow /admin/ and /search, both linked from every page), and nothing else
(no sitemap: /sitemap.xml answers 404, as on most agency sites).

  - about 20% of the sites are GBK-encoded, declared by a <meta> charset
    (nginx sends `Content-Type: text/html` with no charset);
  - a few percent of the pages carry a promise (包过 / 保证拿证 / 考试不过全额退费);
  - every page is reachable from index.html within link depth 3 (checked here
    by a breadth-first walk), so a crawl with --max-depth 4 fetches all 50.

OUT_DIR/manifest.json records, per site, its encoding and promise pages, and
the totals. The same seed always gives byte-identical sites.
"""
import json, os, random, sys
from collections import deque

PAGES_PER_SITE = 50
N_COURSES = 20
N_NEWS = 24

CITIES = [("湖南省长沙市", "长沙"), ("湖南省株洲市", "株洲"), ("湖南省湘潭市", "湘潭"), ("湖南省衡阳市", "衡阳"),
          ("湖北省武汉市", "武汉"), ("广东省广州市", "广州"), ("广东省深圳市", "深圳"), ("江西省南昌市", "南昌"),
          ("河南省郑州市", "郑州"), ("四川省成都市", "成都"), ("浙江省杭州市", "杭州"), ("江苏省南京市", "南京")]
BRANDS = ["鸿达", "明德", "金牌", "华信", "博文", "启航", "众诚", "远航", "卓越", "立德", "新程", "恒通",
          "智胜", "育才", "同创", "东方", "星火", "致远", "精诚", "弘毅", "瑞丰", "天成", "嘉禾", "惠民"]
KINDS = ["职业技能培训学校", "职业培训学校", "考证培训中心", "职业技能培训中心", "教育咨询有限公司", "技工培训学校"]
TRADES = ["电工", "焊工", "育婴师", "养老护理员", "保育员", "中式烹调师", "中式面点师", "美容师", "美发师",
          "茶艺师", "电子商务师", "人力资源管理师", "健康管理师", "心理咨询师", "企业人力资源管理师", "家政服务员",
          "叉车司机", "消防设施操作员", "网络营销师", "互联网营销师", "评茶员", "营养配餐员", "保安员", "母婴护理员",
          "钳工", "车工", "汽车维修工", "制冷空调系统安装维修工", "眼镜验光员", "西式面点师"]
LEVELS = ["初级（五级）", "中级（四级）", "高级（三级）", "技师（二级）"]
SENTENCES = [
    "本校是经人力资源和社会保障部门批准设立的职业培训机构，长期从事职业技能培训与评价服务。",
    "学校坚持理论与实操相结合的教学方式，配备专业实训室和经验丰富的专兼职教师。",
    "课程内容依据国家职业技能标准编写，涵盖基础知识、专业技能和职业道德等模块。",
    "学员完成全部课时并经考核合格后，可按规定参加职业技能等级认定。",
    "培训采用小班授课，白天班、晚班和周末班可供选择，方便在职人员灵活安排时间。",
    "符合条件的学员可按当地政策申领职业培训补贴，具体以人社部门公布的规定为准。",
    "报名时请携带本人身份证原件及复印件、学历证明复印件、近期一寸免冠照片四张。",
    "实操考核在标准化考场进行，考场配备视频监控，考核过程全程记录。",
    "学校定期组织毕业学员参加招聘会，与本地多家企业建立了长期合作关系。",
    "我们重视每一位学员的学习体验，设有专职班主任负责课后答疑和学习督导。",
    "理论知识考试采用闭卷笔试或上机考试方式，满分一百分，六十分及以上为合格。",
    "请学员按时参加培训，缺课超过规定课时的不得参加本期考核，可转入下期继续学习。",
    "本中心教学场地交通便利，周边有多条公交线路，地铁站步行约十分钟即可到达。",
    "职业技能等级证书可在人力资源和社会保障部职业技能鉴定中心网站查询。",
    "课程结束后学校提供一年内免费复训服务，学员可随时回校参加后续班级的学习。",
    "根据学员反馈，我们不断更新教学案例和实训项目，使课程内容更贴近岗位需求。",
    "学校设有图书资料室和多媒体教室，学员可免费借阅专业书籍和复习资料。",
    "咨询时间为每周一至周六上午八点半至下午五点半，法定节假日另行通知。",
    "近年来我校累计培训学员数千人次，为地方经济发展输送了大批技能人才。",
    "为保障培训质量，每个班级人数控制在三十人以内，实操课分组进行。",
    "欢迎企业单位来电洽谈团体培训业务，可根据企业需求定制培训方案。",
    "学员在培训期间应遵守学校各项规章制度，爱护教学设施设备，注意安全操作。",
    "全国职业技能等级认定工作有序推进，各类评价机构须严格执行评价规范。",
    "近日，市人社局组织开展职业培训机构年度检查，我校顺利通过检查。",
    "本期开班仪式在学校报告厅举行，校领导为新学员介绍了培训安排和注意事项。",
    "为进一步提升教学水平，学校组织全体教师参加了为期两天的师资培训。",
]
NEWS_TITLES = ["关于{t}{l}培训班开班的通知", "{t}职业技能等级认定报名须知", "我校举办{t}技能竞赛",
               "{t}{l}考核安排公告", "关于调整{t}培训课时的说明", "{t}培训补贴申领指南",
               "热烈祝贺我校学员在{t}比赛中获奖", "{t}新版国家职业技能标准解读"]
PROMISES = ["本期{t}培训班包过，报名从速！", "{t}{l}保证拿证，无需本人到场考试。", "考试不过全额退费，{t}名额有限。"]

CSS = """body{margin:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px;color:#333;background:#f5f5f5}
.wrap{width:1100px;margin:0 auto;background:#fff}.top{height:36px;line-height:36px;background:#0a4b8c;color:#fff}
.nav ul{list-style:none;margin:0;padding:0;overflow:hidden}.nav li{float:left;width:120px;text-align:center}
.nav a{display:block;color:#fff;text-decoration:none;height:44px;line-height:44px}.nav a:hover{background:#083a6c}
.main{padding:20px;overflow:hidden}.side{float:right;width:280px}.content{float:left;width:760px;line-height:1.9}
.list li{border-bottom:1px dashed #ddd;padding:6px 0}.list span{float:right;color:#999}
.footer{background:#333;color:#ccc;text-align:center;padding:18px 0;line-height:1.8;font-size:12px}
.banner{height:220px;background:#1d6fb8 url(/img/banner.jpg) no-repeat center}
"""


def site_pages():
    names = ["index.html", "about.html", "contact.html", "courses.html", "news.html", "news-2.html"]
    names += ["courses/c%02d.html" % i for i in range(1, N_COURSES + 1)]
    names += ["news/n%02d.html" % i for i in range(1, N_NEWS + 1)]
    assert len(names) == PAGES_PER_SITE
    return names


def href(from_page, to_page):
    """A relative link, as agency sites write them (../ from the subfolders)."""
    up = "../" * from_page.count("/")
    return up + to_page


def make_site(index, seed):
    rng = random.Random(seed * 100003 + index)
    region, city = CITIES[index % len(CITIES)]
    name = city + rng.choice(BRANDS) + rng.choice(KINDS)
    gbk = rng.random() < 0.2
    trades = rng.sample(TRADES, 8)
    courses = [(rng.choice(trades), rng.choice(LEVELS)) for _ in range(N_COURSES)]
    news = []
    for i in range(N_NEWS):
        t = rng.choice(trades)
        news.append((rng.choice(NEWS_TITLES).format(t=t, l=rng.choice(LEVELS)),
                     "2024-%02d-%02d" % (12 - i // 3, 28 - (i * 7) % 27)))
    pages = site_pages()
    promise_pages = {p for p in pages if rng.random() < 0.04}
    phone = "0731-%08d" % rng.randrange(10**7, 10**8)

    def title_of(p):
        if p == "index.html": return name
        if p == "about.html": return "学校简介"
        if p == "contact.html": return "联系我们"
        if p == "courses.html": return "培训项目"
        if p.startswith("news") and not p.startswith("news/"): return "新闻动态"
        if p.startswith("courses/"):
            t, l = courses[int(p[9:11]) - 1]
            return "%s%s培训" % (t, l)
        return news[int(p[6:8]) - 1][0]

    def links_from(p):
        """The page's own link lists (besides the navigation every page has)."""
        if p == "index.html":
            hot = rng.sample(range(1, N_COURSES + 1), 6)
            return [("热门课程", ["courses/c%02d.html" % i for i in hot]),
                    ("最新动态", ["news/n%02d.html" % i for i in range(1, 6)])]
        if p == "courses.html":
            return [("全部课程", ["courses/c%02d.html" % i for i in range(1, N_COURSES + 1)])]
        if p == "news.html":
            return [("新闻列表", ["news/n%02d.html" % i for i in range(1, 13)] + ["news-2.html"])]
        if p == "news-2.html":
            return [("新闻列表", ["news/n%02d.html" % i for i in range(13, N_NEWS + 1)] + ["news.html"])]
        related = rng.sample([q for q in pages if q.startswith(("courses/", "news/")) and q != p], 4)
        return [("相关链接", related)]

    out = {}
    graph = {}
    for p in pages:
        target = rng.randint(10_000, 40_000)
        nav = [("index.html", "首页"), ("about.html", "学校简介"), ("courses.html", "培训项目"),
               ("news.html", "新闻动态"), ("contact.html", "联系我们"), ("admin/login.html", "管理登录")]
        lists = links_from(p)
        graph[p] = [q for q, _ in nav if not q.startswith("admin/")] + [q for _, qs in lists for q in qs]
        charset = "gb2312" if gbk else "utf-8"
        meta = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' if gbk
                else '<meta charset="utf-8">')
        h = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n', meta, "\n",
             "<title>%s - %s</title>\n" % (title_of(p), name),
             '<meta name="keywords" content="%s">\n' % ",".join(t + "培训" for t in trades),
             '<meta name="description" content="%s是一家专业从事职业技能培训的机构。">\n' % name,
             "<style>\n", CSS, "</style>\n</head>\n<body>\n<div class=\"wrap\">\n",
             '<div class="top">欢迎访问%s官方网站！咨询电话：%s</div>\n' % (name, phone),
             '<div class="nav"><ul>']
        for q, label in nav:
            h.append('<li><a href="%s">%s</a></li>' % (href(p, q), label))
        h.append('<li><a href="%s">站内搜索</a></li>' % href(p, "search?q=" + trades[0]))
        h.append("</ul></div>\n<div class=\"banner\"></div>\n<div class=\"main\">\n<div class=\"side\">\n")
        for label, qs in lists:
            h.append("<h3>%s</h3>\n<ul class=\"list\">\n" % label)
            for q in qs:
                h.append('<li><a href="%s">%s</a></li>\n' % (href(p, q), title_of(q)))
            h.append("</ul>\n")
        h.append("<h3>培训项目</h3>\n<table>\n")
        for t, l in courses[:8]:
            h.append("<tr><td>%s</td><td>%s</td><td>%d课时</td></tr>\n" % (t, l, rng.choice([60, 80, 120, 160])))
        h.append("</table>\n</div>\n<div class=\"content\">\n<h1>%s</h1>\n" % title_of(p))
        footer = ('</div>\n</div>\n<div class="footer">%s　地址：%s某区某路%d号　电话：%s<br>'
                  'Copyright &copy; 2024 %s 版权所有　湘ICP备%08d号　办学许可证号：%s<br>'
                  '<a href="%s">网站地图</a> | <a href="%s">联系我们</a></div>\n</div>\n</body>\n</html>\n'
                  % (name, region, rng.randrange(1, 300), phone, name, rng.randrange(10**7, 10**8),
                     "S%06d" % (430000 + index), href(p, "index.html"), href(p, "contact.html")))
        head = "".join(h)
        enc = "gbk" if gbk else "utf-8"
        size = len(head.encode(enc)) + len(footer.encode(enc))
        body = []
        promise_at = rng.randrange(3, 12) if p in promise_pages else -1
        para = 0
        while size < target:
            if para == promise_at:
                t, l = rng.choice(courses)
                text = rng.choice(PROMISES).format(t=t, l=l)
            else:
                text = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
            chunk = "<p>%s</p>\n" % text
            body.append(chunk)
            size += len(chunk.encode(enc))
            para += 1
        if para <= promise_at:   # short page: the promise goes last
            t, l = rng.choice(courses)
            body.append("<p>%s</p>\n" % rng.choice(PROMISES).format(t=t, l=l))
        out[p] = (head + "".join(body) + footer).encode(enc)
    return name, region, gbk, out, graph, sorted(promise_pages)


def check_reachable(graph, depth_limit=4):
    depth = {"index.html": 0}
    q = deque(["index.html"])
    while q:
        p = q.popleft()
        for nxt in graph.get(p, []):
            if nxt not in depth:
                depth[nxt] = depth[p] + 1
                q.append(nxt)
    missing = set(graph) - set(depth)
    assert not missing, "unreachable pages: %s" % sorted(missing)
    assert max(depth.values()) <= depth_limit, "a page deeper than %d" % depth_limit
    return max(depth.values())


def main():
    args = sys.argv[1:]
    seed = 20240501
    if "--seed" in args:
        i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
    out_dir, n_sites = args[0], int(args[1])
    manifest = {"seed": seed, "sites": [], "pages": 0, "bytes": 0, "gbk_sites": 0, "promise_pages": 0}
    sizes = []
    for i in range(n_sites):
        name, region, gbk, pages, graph, promises = make_site(i, seed)
        deepest = check_reachable(graph)
        root = os.path.join(out_dir, "site-%03d" % i)
        for p, data in pages.items():
            path = os.path.join(root, p)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            sizes.append(len(data))
        with open(os.path.join(root, "robots.txt"), "w") as f:
            f.write("User-agent: *\nDisallow: /admin/\nDisallow: /search\n")
        manifest["sites"].append({"name": name, "region": region, "registration_no": "S%06d" % (430000 + i),
                                  "address": "127.0.0.%d" % (i + 2), "encoding": "gbk" if gbk else "utf-8",
                                  "promise_pages": promises, "deepest_link_depth": deepest})
        manifest["pages"] += len(pages)
        manifest["bytes"] += sum(len(d) for d in pages.values())
        manifest["gbk_sites"] += gbk
        manifest["promise_pages"] += len(promises)
    manifest["min_page_bytes"], manifest["max_page_bytes"] = min(sizes), max(sizes)
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    print("%d sites, %d pages, %.1f MB (pages %d–%d bytes), %d GBK sites, %d pages with a promise, seed %d"
          % (n_sites, manifest["pages"], manifest["bytes"] / 1e6, manifest["min_page_bytes"],
             manifest["max_page_bytes"], manifest["gbk_sites"], manifest["promise_pages"], seed))


if __name__ == "__main__":
    main()
