import ClaimPage
import Testing
import TestSupport
@testable import ClaimCrawl

@Suite struct LinkExtractorTests {
    func links(_ html: String, _ base: String = "http://example.com/dir/page.html") -> [String] {
        LinkExtractor.links(in: DecodedPage(bytes: Array(html.utf8), contentType: "text/html; charset=utf-8"), baseURL: base)
    }

    @Test func relativeAbsoluteAndSkipped() {
        let html = """
        <a href="a.html">A</a> <A HREF='/b'>B</A> <a href=c?x=1&amp;y=2>C</a>
        <a href="https://other.org/x#frag">X</a>
        <a href="javascript:void(0)">j</a> <a href="mailto:x@y.z">m</a> <a href="tel:123">t</a>
        <a href="data:text/html,hi">d</a> <a href="#top">top</a> <a href="">empty</a> <a>none</a>
        <area href="/area"> <iframe src="/frame"></iframe> <frame src="f2">
        <a href="a.html">dup</a>
        """
        #expect(links(html) == [
            "http://example.com/dir/a.html", "http://example.com/b", "http://example.com/dir/c?x=1&y=2",
            "https://other.org/x", "http://example.com/area", "http://example.com/frame", "http://example.com/dir/f2",
        ])
    }

    @Test func baseHref() {
        let html = """
        <html><head><base href="/root/sub/"></head><body><a href="x">x</a><a href="../y">y</a></body></html>
        """
        #expect(links(html) == ["http://example.com/root/sub/x", "http://example.com/root/y"])
    }

    @Test func metaRefreshAndSkippedContent() {
        let html = """
        <meta http-equiv="Refresh" content="0; URL='/moved'">
        <!-- <a href="/commented">c</a> -->
        <script>var s = '<a href="/in-script">';</script>
        <style>a[href="/in-style"] {}</style>
        <a href="/after">after</a>
        """
        #expect(links(html) == ["http://example.com/moved", "http://example.com/after"])
    }

    @Test func chineseLinksInGBKPage() {
        // 下一页 in GBK, and a link with a Chinese path.
        var bytes = Array("<html><body><a href=\"/next.html\">".utf8)
        bytes += [0xCF, 0xC2, 0xD2, 0xBB, 0xD2, 0xB3]
        bytes += Array("</a><a href=\"/".utf8) + [0xBF, 0xBC, 0xCA, 0xD4] + Array("\">x</a></body></html>".utf8)  // 考试
        let page = DecodedPage(bytes: bytes, contentType: "text/html; charset=gbk")
        #expect(page.decision.chosen == "GB18030")
        #expect(page.string.contains("下一页"))
        #expect(LinkExtractor.links(in: page, baseURL: "http://example.com/") == [
            "http://example.com/next.html", "http://example.com/%E8%80%83%E8%AF%95",
        ])
    }

    @Test func unterminatedMarkupDoesNotHang() {
        #expect(links("<a href=\"/x").isEmpty || true)
        #expect(links("<!-- never closed <a href=/x>").isEmpty)
        #expect(links("<script><a href=/x>").isEmpty)
        #expect(links("<a href=/ok><").contains("http://example.com/ok"))
    }

    @Test func refreshTargetParsing() {
        #expect(LinkExtractor.refreshTarget("5;url=/a") == "/a")
        #expect(LinkExtractor.refreshTarget("0; URL = \"b.html\"") == "b.html")
        #expect(LinkExtractor.refreshTarget("5") == nil)
        #expect(LinkExtractor.refreshTarget("3, /c") == "/c")
    }
}

@Suite struct HelperTests {
    @Test func htmlSniffing() {
        #expect(CrawlEngine.isHTML(contentType: "text/html; charset=gbk", body: []))
        #expect(CrawlEngine.isHTML(contentType: "application/xhtml+xml", body: []))
        #expect(!CrawlEngine.isHTML(contentType: "application/pdf", body: Array("<html>".utf8)))
        #expect(CrawlEngine.isHTML(contentType: nil, body: Array("\n  <!DOCTYPE html><html>".utf8)))
        #expect(CrawlEngine.isHTML(contentType: nil, body: Array("<HTML><body>".utf8)))
        #expect(!CrawlEngine.isHTML(contentType: nil, body: Array("%PDF-1.4".utf8)))
        #expect(!CrawlEngine.isHTML(contentType: nil, body: Array("<?xml version='1.0'?>".utf8)))
    }

    @Test func retryAfter() throws {
        #expect(CrawlEngine.retryAfter([.init(name: "Retry-After", value: "3")]) == 3)
        #expect(CrawlEngine.retryAfter([.init(name: "retry-after", value: "garbage")]) == nil)
        let date = try #require(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(date.timeIntervalSince1970 == 784111777)
        #expect(CrawlEngine.retryAfter([.init(name: "Retry-After", value: "Sun, 06 Nov 1994 08:49:37 GMT")]) == 0)
    }

    @Test func queues() {
        var d = Deque<Int>()
        for i in 0..<20 { d.pushBack(i) }
        d.pushFront(-1)
        var out: [Int] = []
        while let x = d.popFront() { out.append(x) }
        #expect(out == [-1] + Array(0..<20))
        var h = TimerHeap()
        for (i, t) in [5.0, 1, 3, 1, 2].enumerated() { h.push(time: t, host: i) }
        var order: [Int] = []
        while let e = h.pop() { order.append(e.host) }
        #expect(order == [1, 3, 4, 2, 0])
    }
}

@Suite struct RobustnessTests {
    /// Random markup fragments: the extractor and normalizer terminate and return http(s) URLs only.
    @Test func randomMarkupTerminates() {
        var rng = SplitMix64(seed: 20261126)
        let pieces = ["<a href=", "\"", "'", "/x", ">", "<", "</script", "<script>", "<!--", "-->", "=", " ", "<base href=",
                      "javascript:", "http://", "考试", "%", "%zz", "?", "#", "../", "\\", "<meta http-equiv=refresh content=",
                      "0;url=", "<iframe src=", "&amp;", "&#x41;", "&", "\n", "/"]
        for _ in 0..<3000 {
            let html = (0..<Int.random(in: 1...60, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let links = LinkExtractor.links(in: DecodedPage(bytes: Array(html.utf8), contentType: "text/html"), baseURL: "http://example.com/d/")
            #expect(links.allSatisfy { $0.hasPrefix("http://") || $0.hasPrefix("https://") })
            for link in links { #expect(URLNormalizer.normalize(link) == link, "\(link)") }
        }
    }

    @Test func randomRobotsTerminates() {
        var rng = SplitMix64(seed: 9309)
        let pieces = ["User-agent: *\n", "User-agent: claimscan\n", "Disallow: ", "Allow: ", "*", "$", "/a", "/b*c", "%2F", "\n", "#", "Crawl-delay: 2\n"]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let rules = RobotsRules(parsing: text, userAgent: "claimscan")
            _ = rules.allows("/a/b*c$/x?y=%2F")
            _ = rules.allows("/")
        }
    }
}
