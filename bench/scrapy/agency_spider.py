#!/usr/bin/env python3
"""A Scrapy spider doing what `claimscan scan` does, as far as Scrapy and the Python peers allow:
crawl each agency site from its start URL (same host only, robots.txt obeyed, depth ≤ 4, a
per-site page budget), and on every HTML page extract the visible text and match the bundled
rules' plain phrases (bench/python/textpipe.py: selectolax, OpenCC t2s, NFKC + casefold,
pyahocorasick). Scrapy decodes the body itself (response.text: header, BOM, <meta>; gbk and
gb2312 as GB18030). One selectolax parse per page gives both the text and the links.

    bench/.venv/bin/python bench/scrapy/agency_spider.py --urls FILE --phrases FILE --out SUMMARY.json
        [--max-pages 200] [--max-depth 4] [--concurrency 32]

Settings, as `claimscan scan --delay 0 --concurrency 32 --max-pages 200 --max-depth 4`:
CONCURRENT_REQUESTS 32, CONCURRENT_REQUESTS_PER_DOMAIN 1 (each site is its own host),
DOWNLOAD_DELAY 0, ROBOTSTXT_OBEY True, DEPTH_LIMIT 4; the page budget is per site, counted in
the spider (Scrapy's CLOSESPIDER_PAGECOUNT would be one budget for the whole crawl).
Not done (claimscan does): WARC evidence, the SQLite case queue, conditional re-fetches, the
rule engine's disguise handling (see textpipe.CANNOT), sitemaps.
"""
import argparse, json, os, sys, time
from urllib.parse import urldefrag, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import textpipe  # noqa: E402

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402
from scrapy.exceptions import IgnoreRequest  # noqa: E402
from scrapy.http import TextResponse  # noqa: E402


class AgencySpider(scrapy.Spider):
    name = "agencies"

    def __init__(self, urls, phrases, max_pages, summary, **kw):
        super().__init__(**kw)
        self.start_list = urls
        self.norm = textpipe.Normalizer()
        self.automaton = textpipe.build_automaton(textpipe.load_phrases(phrases, self.norm))
        self.max_pages = max_pages
        self.per_site = {}
        self.summary = summary
        self.t0 = time.time()

    async def start(self):
        for u in self.start_list:
            yield scrapy.Request(u, callback=self.parse, errback=self.failed)

    def start_requests(self):  # Scrapy < 2.13
        for u in self.start_list:
            yield scrapy.Request(u, callback=self.parse, errback=self.failed)

    def failed(self, failure):
        if failure.check(IgnoreRequest):   # robots.txt said no: not an error (claimscan skips them too)
            self.summary["skipped"] += 1
        else:
            self.summary["errors"] += 1

    def parse(self, response):
        if not isinstance(response, TextResponse):
            return
        host = urlsplit(response.url).netloc
        n = self.per_site.get(host, 0) + 1
        self.per_site[host] = n
        s = self.summary
        s["pages"] += 1
        s["bytes"] += len(response.body)
        links = []
        text = self.norm(textpipe.visible_text(response.text, links))
        m = textpipe.matches(self.automaton, text)
        s["matches"] += len(m)
        if m:
            s["pages_with_matches"] += 1
        if n >= self.max_pages:
            return
        for href in links:
            url = urldefrag(response.urljoin(href))[0]
            if url.startswith(("http://", "https://")) and urlsplit(url).netloc == host:
                yield scrapy.Request(url, callback=self.parse, errback=self.failed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", required=True)
    ap.add_argument("--phrases", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-pages", type=int, default=200)
    ap.add_argument("--max-depth", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=32)
    a = ap.parse_args()
    urls = [l.strip() for l in open(a.urls) if l.strip()]
    summary = {"sites": len(urls), "pages": 0, "bytes": 0, "errors": 0, "skipped": 0, "matches": 0, "pages_with_matches": 0}
    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": a.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": True,
        "DEPTH_LIMIT": a.max_depth,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "USER_AGENT": "claimscan-bench-scrapy/1.0",
        "COOKIES_ENABLED": False,
        "RETRY_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 30,
    })
    t0 = time.time()
    crawler = process.create_crawler(AgencySpider)
    process.crawl(crawler, urls=urls, phrases=a.phrases, max_pages=a.max_pages, summary=summary)
    process.start()
    summary["seconds"] = time.time() - t0
    st = crawler.stats.get_stats()
    summary["responses"] = st.get("downloader/response_count", 0)
    summary["status_counts"] = {k.rsplit("/", 1)[1]: v for k, v in st.items() if k.startswith("downloader/response_status_count/")}
    summary["robots_forbidden"] = st.get("robotstxt/forbidden", 0)
    with open(a.out, "w") as f:
        json.dump(summary, f)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
