import Testing
@testable import ClaimCrawl

@Suite struct RobotsRulesTests {
    static let text = """
    # comment
    User-agent: *
    Disallow: /private/
    Disallow: /tmp
    Crawl-delay: 7

    User-agent: ClaimScan
    User-agent: otherbot
    Disallow: /admin
    Allow: /admin/public
    Disallow: /*.pdf$
    Disallow: /search*q=
    Allow: /page
    Disallow: /page
    Disallow: /%E8%80%83
    Disallow:
    Crawl-delay: 3

    User-agent: googlebot
    Disallow: /

    Sitemap: https://example.com/sitemap-index.xml
    sitemap: /relative-sitemap.xml
    """

    @Test func chosenGroupByProductTokenCaseInsensitive() {
        let r = RobotsRules(parsing: Self.text, userAgent: "claimscan")
        #expect(r.allows("/private/x"))  // only the `*` group says so
        #expect(!r.allows("/admin"))
        #expect(!r.allows("/admin/x"))
        #expect(r.crawlDelay == 3)
        let upper = RobotsRules(parsing: Self.text, userAgent: "CLAIMSCAN")
        #expect(!upper.allows("/admin"))
    }

    @Test func fallsBackToStarGroup() {
        let r = RobotsRules(parsing: Self.text, userAgent: "somebot")
        #expect(!r.allows("/private/x"))
        #expect(!r.allows("/tmp"))
        #expect(!r.allows("/tmpfile"))
        #expect(r.allows("/admin"))
        #expect(r.allows("/"))
        #expect(r.crawlDelay == 7)
    }

    @Test func longestMatchWinsAllowWinsTie() {
        let r = RobotsRules(parsing: Self.text, userAgent: "claimscan")
        #expect(r.allows("/admin/public"))       // allow is longer
        #expect(r.allows("/admin/public/x"))
        #expect(r.allows("/page"))               // equal length: allow wins
    }

    @Test func wildcardsAndEndAnchor() {
        let r = RobotsRules(parsing: Self.text, userAgent: "claimscan")
        #expect(!r.allows("/docs/a.pdf"))
        #expect(r.allows("/docs/a.pdf?x=1"))
        #expect(r.allows("/docs/a.pdfx"))
        #expect(!r.allows("/search?x=1&q=abc"))
        #expect(r.allows("/search?x=1"))
    }

    @Test func percentEncodingNormalized() {
        let r = RobotsRules(parsing: Self.text, userAgent: "claimscan")
        #expect(!r.allows("/%e8%80%83试"))
        #expect(!r.allows("/考试"))
        let s = RobotsRules(parsing: "User-agent: *\nDisallow: /考\nDisallow: /%7Ea", userAgent: "x")
        #expect(!s.allows("/%E8%80%83"))
        #expect(!s.allows("/~a"))
    }

    @Test func sitemapsAndEmptyDisallow() {
        let r = RobotsRules(parsing: Self.text, userAgent: "claimscan")
        #expect(r.sitemaps == ["https://example.com/sitemap-index.xml", "/relative-sitemap.xml"])
        let empty = RobotsRules(parsing: "User-agent: *\nDisallow:\n", userAgent: "claimscan")
        #expect(empty.allows("/anything"))
    }

    @Test func otherGroupsDoNotLeak() {
        let g = RobotsRules(parsing: Self.text, userAgent: "googlebot")
        #expect(!g.allows("/"))
        #expect(g.allows("/robots.txt"))
    }

    @Test func allowAllAndDisallowAll() {
        #expect(RobotsRules.allowAll.allows("/x"))
        #expect(!RobotsRules.disallowAll.allows("/x"))
        #expect(RobotsRules(parsing: "", userAgent: "claimscan").allows("/x"))
        // Rules before any user-agent line belong to no group.
        #expect(RobotsRules(parsing: "Disallow: /\n", userAgent: "claimscan").allows("/x"))
    }

    @Test func patternMatcher() {
        func m(_ p: String, _ s: String) -> Bool { RobotsRules.matches(Array(p.utf8), Array(s.utf8)) }
        #expect(m("/", "/anything"))
        #expect(m("/a*b", "/axxb"))
        #expect(m("/a*b", "/axxbyy"))
        #expect(!m("/a*b$", "/axxbyy"))
        #expect(m("/a*b$", "/abab"))
        #expect(m("*", "/"))
        #expect(!m("/b", "/a"))
        #expect(m("/$", "/"))
        #expect(!m("/$", "/a"))
    }
}

@Suite struct SitemapParserTests {
    @Test func urlset() {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <url><loc> http://example.com/a </loc><lastmod>2024-01-01</lastmod></url>
          <url><loc>http://example.com/b?x=1&amp;y=2</loc></url>
          <!-- <url><loc>http://example.com/commented</loc></url> -->
          <url><loc><![CDATA[http://example.com/c]]></loc></url>
        </urlset>
        """
        let (urls, sitemaps) = SitemapParser.locations(Array(xml.utf8))
        #expect(urls == ["http://example.com/a", "http://example.com/b?x=1&y=2", "http://example.com/c"])
        #expect(sitemaps.isEmpty)
    }

    @Test func sitemapIndex() {
        let xml = """
        <sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sm:sitemap><sm:loc>http://example.com/s1.xml</sm:loc></sm:sitemap>
          <sm:sitemap>
            <sm:loc>http://example.com/s2.xml</sm:loc>
            <sm:lastmod>2024-01-01</sm:lastmod>
          </sm:sitemap>
        </sm:sitemapindex>
        """
        let (urls, sitemaps) = SitemapParser.locations(Array(xml.utf8))
        #expect(urls.isEmpty)
        #expect(sitemaps == ["http://example.com/s1.xml", "http://example.com/s2.xml"])
    }

    @Test func garbageIsHarmless() {
        #expect(SitemapParser.locations(Array("<html><loc".utf8)).urls.isEmpty)
        #expect(SitemapParser.locations([]).urls.isEmpty)
        #expect(SitemapParser.locations([0x1f, 0x8b, 0x08, 0x00]).urls.isEmpty)
    }
}
