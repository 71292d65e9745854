import ClaimFetch
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import ClaimCrawl

@Suite(.serialized) struct CrawlTests {
    @Test func multiSiteCrawlFetchesEachPageOnceWithinScopeDepthAndRobots() async throws {
        try await withServers(3) { s in
            let (a, b, off) = (s[0], s[1], s[2])
            a.setRoute("/robots.txt", .respond(headers: [("Content-Type", "text/plain")], body: Array("User-agent: *\nDisallow: /private\n".utf8)))
            a.setRoute("/", page(["/a", "/b", "/a#x", off.url("/"), "mailto:x@y.z", "/private/x", "/old", "/gone", "javascript:go()"]))
            a.setRoute("/a", page(["/b", "/d", "../a", "a"]))
            a.setRoute("/b", .redirect(to: "/c"))
            a.setRoute("/c", page(["/"]))
            a.setRoute("/d", page([off.url("/z")]))
            a.setRoute("/old", .redirect(to: off.url("/landing"), status: 301))
            a.setRoute("/private/x", page([]))
            off.setFallback(page([]))
            b.setRoute("/", page(["/1"]))
            for i in 1...6 { b.setRoute("/\(i)", page(["/\(i + 1)"])) }

            let (rec, _) = await crawl([
                SiteSeed(key: "A", startURLs: [a.url("/")]),
                SiteSeed(key: "B", startURLs: [b.url("/")]),
            ], loopbackSettings { $0.maxDepth = 4 })

            #expect(counts(a) == ["/robots.txt": 1, "/sitemap.xml": 1, "/": 1, "/a": 1, "/b": 1, "/c": 1, "/d": 1, "/old": 1, "/gone": 1])
            #expect(off.requests.isEmpty)
            #expect(counts(b) == ["/robots.txt": 1, "/sitemap.xml": 1, "/": 1, "/1": 1, "/2": 1, "/3": 1, "/4": 1])

            #expect(rec.page(a.url("/b"))?.redirectTo == a.url("/c"))
            #expect(rec.page(a.url("/b"))?.status == 302)
            #expect(rec.page(a.url("/old"))?.redirectTo == off.url("/landing"))
            #expect(rec.page(a.url("/c"))?.depth == 1)  // a redirect target keeps the depth
            #expect(rec.page(a.url("/gone"))?.status == 404)
            let root = try #require(rec.page(a.url("/")))
            #expect(root.isHTML && root.decoded != nil && root.sha256 != nil)
            #expect(root.links == [a.url("/a"), a.url("/b"), a.url("/private/x"), a.url("/old"), a.url("/gone")])
            #expect(root.requestHeaders.contains { $0.0 == "User-Agent" && $0.1 == Fetcher.defaultUserAgent })
            #expect(root.serverIP == "127.0.0.1")
            #expect(rec.page(b.url("/4"))?.depth == 4)
            #expect(rec.pages.filter { $0.kind == .robots }.count == 2)

            let ra = try #require(rec.reports["A"])
            #expect(ra.pagesFetched == 7)
            #expect(ra.robotsBlocked == 1)
            #expect(ra.errors == 1 && ra.errorsByKind == ["http404": 1])
            #expect(!ra.hitPageBudget && !ra.robotsUnavailable)
            #expect(rec.reports["B"]?.pagesFetched == 5)
            // Every accepted URL was reported as discovered, once.
            let discoveredA = rec.discovered("A").map(\.url)
            #expect(Set(discoveredA).count == discoveredA.count)
            #expect(Set(discoveredA) == Set([a.url("/"), a.url("/a"), a.url("/b"), a.url("/old"), a.url("/gone"), a.url("/c"), a.url("/d")]))
        }
    }

    @Test func pageBudgetPerSite() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", page((0..<20).map { "/p\($0)" }))
            a.setFallback(page(["/"]))
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings { $0.maxPagesPerSite = 5 })
            let pageRequests = a.requests.filter { $0.path != "/robots.txt" && $0.path != "/sitemap.xml" }
            #expect(pageRequests.count == 5)
            #expect(rec.reports["A"]?.pagesFetched == 5)
            #expect(rec.reports["A"]?.hitPageBudget == true)
        }
    }

    @Test func crawlerTrapsStoppedByLimits() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", page(["/calendar?month=1", "/a/"]))
            a.setRoute("/calendar", .handler { request in
                let month = Int(request.query.split(separator: "=").last ?? "0") ?? 0
                return page(["/calendar?month=\(month + 1)"])
            })
            // (FlyingFox reports `/a/a/` as path `/a/a`.)
            a.setFallback(.handler { request in
                request.path.hasPrefix("/a") ? page(["a/"]) : .respond(status: 404)
            })
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings {
                $0.maxDepth = 1000
                $0.maxPagesPerSite = 1000
            })
            let c = counts(a)
            let calendar = c.filter { $0.key.hasPrefix("/calendar") }
            #expect(calendar.count == 25)
            #expect(calendar.values.allSatisfy { $0 == 1 })
            #expect(c["/a"] == 1 && c["/a/a"] == 1 && c["/a/a/a"] == 1)
            #expect(c["/a/a/a/a"] == nil)
            #expect(rec.reports["A"]?.skippedByTrapLimits == 2)

            let (rec2, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/a/")])], loopbackSettings {
                $0.maxDepth = 1000
                $0.maxURLLength = a.url("/a/a/").utf8.count
                $0.maxRepeatedSegments = 100
            })
            #expect(rec2.reports["A"]?.pagesFetched == 2)
            #expect(rec2.reports["A"]?.skippedByTrapLimits == 1)
        }
    }

    @Test func gbkPageLinksExtracted() async throws {
        try await withServers(1) { s in
            let a = s[0]
            var body = Array("<html><head><title>".utf8) + [0xBF, 0xBC, 0xCA, 0xD4]  // 考试
            body += Array("</title></head><body><a href=\"/next.html\">".utf8) + [0xCF, 0xC2, 0xD2, 0xBB, 0xD2, 0xB3]  // 下一页
            body += Array("</a></body></html>".utf8)
            a.setRoute("/", .respond(headers: [("Content-Type", "text/html; charset=gbk")], body: body))
            a.setRoute("/next.html", .html("<p>ok</p>"))
            let (rec, _) = await crawl([SiteSeed(key: "G", startURLs: [a.url("/")])], loopbackSettings())
            let root = try #require(rec.page(a.url("/")))
            #expect(root.decoded?.decision.chosen == "GB18030")
            #expect(root.decoded?.string.contains("下一页") == true)
            #expect(root.links == [a.url("/next.html")])
            #expect(counts(a)["/next.html"] == 1)
        }
    }

    @Test func nonHTMLIsNotParsed() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", page(["/doc.pdf", "/plain"]))
            a.setRoute("/doc.pdf", .respond(headers: [("Content-Type", "application/pdf")], body: Array("<a href=\"/hidden\">".utf8)))
            a.setRoute("/plain", .respond(body: Array("<html><a href=\"/sniffed\">x</a></html>".utf8)))
            a.setRoute("/sniffed", .html("ok"))
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings())
            #expect(rec.page(a.url("/doc.pdf"))?.isHTML == false)
            #expect(rec.page(a.url("/doc.pdf"))?.decoded == nil)
            #expect(counts(a)["/hidden"] == nil)
            #expect(counts(a)["/sniffed"] == 1)
        }
    }

    @Test func retryAfter429IsHonoured() async throws {
        try await withServers(1) { s in
            let a = s[0]
            let calls = Mutex(0)
            a.setRoute("/", .handler { _ in
                let n = calls.withLock { $0 += 1; return $0 }
                return n == 1 ? .respond(status: 429, headers: [("Retry-After", "1")]) : .html("ok")
            })
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings())
            let hits = a.requests.filter { $0.path == "/" }
            #expect(hits.count == 2)
            if hits.count == 2 {
                let gap = hits[1].receivedAt.timeIntervalSince(hits[0].receivedAt)
                // At least the second asked for. The upper bound is generous: the times are taken
                // by the server's handler, which a busy machine can run late; a misread Retry-After
                // (milliseconds as seconds, the 120 s cap) would still be far above it.
                #expect(gap >= 0.95 && gap < 10, "gap \(gap)")
            }
            #expect(rec.page(a.url("/"))?.status == 200)
            #expect(rec.page(a.url("/"))?.attempts == 2)
        }
    }

    @Test func serverErrorRetriedThenSucceeds() async throws {
        try await withServers(1) { s in
            let a = s[0]
            let calls = Mutex(0)
            a.setRoute("/", .handler { _ in
                let n = calls.withLock { $0 += 1; return $0 }
                return n == 1 ? .respond(status: 503) : .html("ok")
            })
            a.setRoute("/always500", .respond(status: 500))
            a.setRoute("/x", page(["/always500"]))
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/"), a.url("/x")])], loopbackSettings { $0.retries = 2 })
            #expect(rec.page(a.url("/"))?.status == 200)
            #expect(rec.page(a.url("/"))?.attempts == 2)
            #expect(counts(a)["/always500"] == 3)
            #expect(rec.page(a.url("/always500"))?.status == 500)
            #expect(rec.page(a.url("/always500"))?.attempts == 3)
            #expect(rec.reports["A"]?.errorsByKind == ["http500": 1])
        }
    }

    @Test func unavailableRobotsBlocksTheHost() async throws {
        try await withServers(2) { s in
            let (a, b) = (s[0], s[1])
            a.setRoute("/robots.txt", .respond(status: 500))
            a.setRoute("/", page(["/x"]))
            b.setRoute("/", page([]))
            let (rec, _) = await crawl([
                SiteSeed(key: "A", startURLs: [a.url("/"), a.url("/y")]),
                SiteSeed(key: "B", startURLs: [b.url("/")]),
            ], loopbackSettings { $0.retries = 1 })
            #expect(counts(a) == ["/robots.txt": 2])
            let report = try #require(rec.reports["A"])
            #expect(report.robotsUnavailable)
            #expect(report.robotsBlocked == 2)
            #expect(report.pagesFetched == 0)
            #expect(rec.pages.filter { $0.kind == .robots && $0.siteKey == "A" }.map(\.status) == [500, 500])
            #expect(counts(b)["/"] == 1)
        }
    }

    @Test func oneRequestAtATimePerHostAndDelayBetween() async throws {
        try await withServers(2) { s in
            let inFlight = [InFlight(), InFlight()]
            for (i, server) in s.enumerated() {
                server.setRoute("/", tracked(inFlight[i], page((1...5).map { "/p\($0)" })))
                server.setFallback(tracked(inFlight[i], page(["/"])))
            }
            let (_, _) = await crawl(s.enumerated().map { SiteSeed(key: "S\($0.offset)", startURLs: [$0.element.url("/")]) },
                                     loopbackSettings { $0.delay = 0.2 })
            for (i, server) in s.enumerated() {
                #expect(inFlight[i].max == 1)
                let times = server.requests.map(\.receivedAt)
                #expect(times.count == 8)  // robots.txt, sitemap.xml, /, /p1…/p5
                for (x, y) in zip(times, times.dropFirst()) {
                    #expect(y.timeIntervalSince(x) >= 0.2, "gap \(y.timeIntervalSince(x))")
                }
            }
        }
    }

    @Test func manyHostsInParallel() async throws {
        try await withServers(3) { s in
            for server in s {
                server.setRoute("/", page((1...4).map { "/p\($0)" }))
                server.setFallback(page([]))
            }
            let (rec, seconds) = await crawl(s.enumerated().map { SiteSeed(key: "S\($0.offset)", startURLs: [$0.element.url("/")]) },
                                             loopbackSettings { $0.delay = 1 })
            // Per host: robots.txt, sitemap.xml and 5 pages = 7 requests, 6 delays of 1 s = 6 s.
            // Sequentially (or with one delay shared by all hosts) the three would take 18 s. The
            // delay is long enough that the bound between the two leaves a busy machine 6 s of slack.
            #expect(rec.pages.filter { $0.kind == .page }.count == 15)
            #expect(seconds >= 6 && seconds < 12, "took \(seconds) s")
        }
    }

    @Test func conditionalRequestsUseCachedLinksOn304() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", .handler { request in
                request.header("If-None-Match") == "\"v1\"" ? .respond(status: 304) : page([])
            })
            a.setRoute("/known", page([]))
            var seed = SiteSeed(key: "A", startURLs: [a.url("/")])
            seed.validators[a.url("/")] = (etag: "\"v1\"", lastModified: "Sun, 06 Nov 1994 08:49:37 GMT")
            seed.cachedLinks[a.url("/")] = [a.url("/known"), "http://elsewhere.invalid/x"]
            let (rec, _) = await crawl([seed], loopbackSettings())
            let root = try #require(rec.page(a.url("/")))
            #expect(root.notModified && root.status == 304)
            #expect(root.links == [a.url("/known")])
            #expect(root.requestHeaders.contains { $0.0 == "If-Modified-Since" })
            #expect(a.requests.first { $0.path == "/" }?.header("If-Modified-Since") == "Sun, 06 Nov 1994 08:49:37 GMT")
            #expect(counts(a)["/known"] == 1)
        }
    }

    @Test func resumeSkipsDoneAndContinuesPending() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", page(["/a", "/b"]))
            a.setFallback(page([]))
            var seed = SiteSeed(key: "A", startURLs: [a.url("/")])
            seed.done = [a.url("/a"), a.url("/")]
            seed.pending = [(url: a.url("/b"), depth: 1), (url: a.url("/c"), depth: 2)]
            let (rec, _) = await crawl([seed], loopbackSettings())
            let c = counts(a)
            #expect(c["/"] == nil && c["/a"] == nil)
            #expect(c["/b"] == 1 && c["/c"] == 1)
            #expect(rec.page(a.url("/c"))?.depth == 2)
            #expect(rec.reports["A"]?.pagesFetched == 2)
        }
    }

    @Test func sitemapsFromRobotsAndIndex() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/robots.txt", .respond(body: Array("Sitemap: \(a.url("/index.xml"))\nSitemap: http://elsewhere.invalid/s.xml\n".utf8)))
            a.setRoute("/index.xml", .respond(headers: [("Content-Type", "application/xml")], body: Array("""
                <sitemapindex><sitemap><loc>\(a.url("/s1.xml"))</loc></sitemap></sitemapindex>
                """.utf8)))
            a.setRoute("/s1.xml", .respond(body: Array("""
                <urlset><url><loc>\(a.url("/deep/unlinked"))</loc></url><url><loc>http://elsewhere.invalid/</loc></url></urlset>
                """.utf8)))
            a.setRoute("/", page([]))
            a.setRoute("/deep/unlinked", page([]))
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings())
            let c = counts(a)
            #expect(c["/index.xml"] == 1 && c["/s1.xml"] == 1 && c["/sitemap.xml"] == 1)
            #expect(rec.page(a.url("/deep/unlinked"))?.depth == 1)
            #expect(rec.pages.filter { $0.kind == .sitemap }.count == 3)
        }
    }

    @Test func privateAddressRefusedUnderDeny() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", page([]))
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/"), a.url("/x")])],
                                       loopbackSettings { $0.fetch.privateNetwork = .deny })
            #expect(a.requests.isEmpty)
            #expect(rec.page(a.url("/"))?.error?.kind == .privateAddress)
            #expect(rec.page(a.url("/x"))?.error?.kind == .privateAddress)
            #expect(rec.reports["A"]?.errorsByKind == ["privateAddress": 2])
        }
    }

    @Test func cancelReturnsPromptly() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", .stall(seconds: 120))
            let crawler = Crawler(settings: loopbackSettings())
            let recorder = Recorder()
            let cancelledAt = Mutex<Date?>(nil)
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 0.3)
                cancelledAt.withLock { $0 = Date() }
                crawler.cancel()
            }
            await crawler.run([SiteSeed(key: "A", startURLs: [a.url("/")])], delegate: recorder)
            // Measured from the cancel (a busy machine may wake the cancelling thread late), with
            // room for a slow machine; without the cancel the stalled fetch would last until the
            // total timeout (60 s).
            let cancelled = try #require(cancelledAt.withLock { $0 }, "run returned before the cancel")
            #expect(Date().timeIntervalSince(cancelled) < 5)
            #expect(recorder.reports["A"] == nil)
        }
    }

    @Test func redirectChainsAreLimited() async throws {
        try await withServers(1) { s in
            let a = s[0]
            for i in 0..<8 { a.setRoute("/r\(i)", .redirect(to: "/r\(i + 1)")) }
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/r0")])], loopbackSettings { $0.maxRedirects = 5 })
            #expect(Set(a.requests.map(\.path)).subtracting(["/robots.txt", "/sitemap.xml"]) == Set((0...5).map { "/r\($0)" }))
            #expect(rec.page(a.url("/r5"))?.redirectTo == a.url("/r6"))
            #expect(rec.reports["A"]?.errorsByKind["tooManyRedirects"] == 1)
            #expect(rec.pages.allSatisfy { $0.depth == 0 || $0.kind != .page })
        }
    }

    @Test func crawlDelayHonouredUpToCap() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/robots.txt", .respond(body: Array("User-agent: *\nCrawl-delay: 30\n".utf8)))
            a.setRoute("/", page(["/p1", "/p2"]))
            a.setFallback(page([]))
            let (_, seconds) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings { $0.crawlDelayCap = 0.3 })
            let times = a.requests.map(\.receivedAt)
            #expect(times.count == 5)
            for (x, y) in zip(times, times.dropFirst()) {
                #expect(y.timeIntervalSince(x) >= 0.3, "gap \(y.timeIntervalSince(x))")
            }
            // Capped: 4 gaps of 0.3 s; uncapped they would be 30 s each. Generous for a busy machine.
            #expect(seconds < 15)
        }
    }

    @Test func bodyLimitAndTimeouts() async throws {
        try await withServers(1) { s in
            let a = s[0]
            a.setRoute("/", page(["/big", "/slow"]))
            a.setRoute("/big", .stream(total: 50_000, contentLength: false, headers: [("Content-Type", "text/html")]))
            a.setRoute("/slow", .stall(seconds: 60))
            let (rec, _) = await crawl([SiteSeed(key: "A", startURLs: [a.url("/")])], loopbackSettings {
                $0.fetch.maxBodyBytes = 10_000
                // Applies to every fetch of the crawl (robots.txt, /, /big too), so not shorter:
                // on a busy machine the loopback server can take a second or more to answer.
                $0.fetch.totalTimeout = 10
                $0.retries = 1
            })
            #expect(rec.page(a.url("/big"))?.error?.kind == .bodyTooLarge)
            #expect(rec.page(a.url("/big"))?.attempts == 1)   // not retried
            #expect(rec.page(a.url("/slow"))?.error?.kind == .timeout)
            #expect(rec.page(a.url("/slow"))?.attempts == 2)  // retried once
            #expect(counts(a)["/slow"] == 2)
            #expect(rec.reports["A"]?.errorsByKind == ["bodyTooLarge": 1, "timeout": 1])
        }
    }

    /// Prints pages/s. FlyingFox does not set TCP_NODELAY and writes head and body separately,
    /// so on a kept-alive connection each response waits for the client's delayed ACK (~40 ms);
    /// `Connection: close` measures the crawler rather than that interaction (keep-alive gave
    /// about 90 pages/s here, all of it waiting; `Connection: close` about 1,200 pages/s).
    @Test(arguments: [true]) func throughputWithoutDelay(closeConnections: Bool) async throws {
        try await withServers(4) { s in
            for server in s {
                server.setFallback(.handler { request in
                    let n = Int(request.path.dropFirst(3)) ?? 0
                    let links = (1...3).map { "/p/\(n * 3 + $0)" }
                    let html = "<html><body>" + String(repeating: "报名不过 全额退费 ", count: 50)
                        + links.map { "<a href=\"\($0)\">\($0)</a>" }.joined() + "</body></html>"
                    return .respond(headers: [("Content-Type", "text/html; charset=utf-8")] + (closeConnections ? [("Connection", "close")] : []),
                                    body: Array(html.utf8))
                })
            }
            let (rec, seconds) = await crawl(s.map { SiteSeed(key: "\($0.port)", startURLs: [$0.url("/p/0")]) },
                                             loopbackSettings { $0.maxPagesPerSite = 150; $0.maxDepth = 10 })
            let pages = rec.pages.filter { $0.kind == .page && $0.status == 200 }.count
            #expect(pages == 600)
            print("claimscan crawl throughput (delay 0, 4 loopback hosts, \(closeConnections ? "Connection: close" : "keep-alive")): \(pages) pages in \(String(format: "%.2f", seconds)) s = \(Int(Double(pages) / seconds)) pages/s")
        }
    }
}

