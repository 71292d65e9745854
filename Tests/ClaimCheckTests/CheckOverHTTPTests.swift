import ClaimCheck
import ClaimPage
import Foundation
import Testing
import TestSupport

/// `check` against pages served by a real HTTP server on 127.0.0.1.
@Suite(.serialized, .onOwnThread) struct CheckOverHTTPTests {
    /// Every finding's byte range must slice the raw page to exactly its `text`.
    func expectExactOffsets(_ report: TargetReport, _ raw: [UInt8], charset: String) {
        for f in report.findings + report.suppressed {
            let slice = Charset.decode(raw[f.finding.byteStart..<f.finding.byteEnd], charset: charset)
            #expect(slice == f.text, "\(f.finding.rule.id): bytes \(f.finding.byteStart)..<\(f.finding.byteEnd)")
        }
    }

    @Test func gbkPageWithMetaOnly() async throws {
        let raw = try fixture("demo/agency-hongda.gbk.html")
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html")], body: raw)])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.error == nil)
        #expect(report.status == 200)
        #expect(report.charset?.chosen == "GB18030")
        #expect(report.charset?.meta?.lowercased() == "gb2312")
        #expect(report.charset?.header == nil)
        #expect(report.charset?.undecodableBytes == 0)
        expectExactOffsets(report, raw, charset: "GB18030")
        let texts = Set(report.findings.map(\.text))
        #expect(texts.contains("包<span class=\"hot\">过"))
        #expect(texts.contains("&#21253;&#36807;"))
        #expect(texts.contains("保★过"))
        #expect(texts.contains("bao过"))
        let locations = Set(report.findings.map(\.finding.location.rawValue))
        #expect(locations.isSuperset(of: ["body", "title", "meta-keywords", "meta-description", "img-alt"]))
        // The footer's "严禁任何“包过”虚假宣传" is a quoted ban, not a promise.
        #expect(report.suppressed.contains { $0.reason?.contains("严禁") == true })
        #expect(!report.findings.contains { $0.finding.context.contains("严禁任何") && $0.finding.visibleText == "包过" })
        #expect(CheckExit.status(for: [report]) == 1)
    }

    @Test func gbkPageCharsetInHeaderOnly() async throws {
        let raw = withoutMetaCharset(try fixture("demo/agency-hongda.gbk.html"))
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html; charset=GBK")], body: raw)])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.charset?.chosen == "GB18030")
        #expect(report.charset?.header == "GBK")
        #expect(report.charset?.meta == nil)
        #expect(!report.findings.isEmpty)
        expectExactOffsets(report, raw, charset: "GB18030")
    }

    @Test func gbkPageWithNoDeclarationAtAll() async throws {
        let raw = withoutMetaCharset(try fixture("demo/agency-hongda.gbk.html"))
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html")], body: raw)])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.charset?.chosen == "GB18030")
        #expect(report.charset?.undecodableBytes == 0)
        #expect(report.findings.contains { $0.text == "保★过" })
        expectExactOffsets(report, raw, charset: "GB18030")
    }

    @Test func headerAndMetaDisagree() async throws {
        // The header says UTF-8 but the bytes are GBK (as the meta says): the clean decoding wins.
        let raw = try fixture("demo/agency-hongda.gbk.html")
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html; charset=utf-8")], body: raw)])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.charset?.chosen == "GB18030")
        #expect(report.charset?.header == "utf-8")
        #expect(report.charset?.reason.contains("disagree") == true)
        #expect(report.findings.contains { $0.text == "保★过" })
        expectExactOffsets(report, raw, charset: "GB18030")
    }

    @Test func redirectChainIsFollowedAndRecorded() async throws {
        let server = try await LoopbackServer.start([
            "/a": .redirect(to: "/b", status: 301),
            "/b": .redirect(to: "/page", status: 302),
            "/page": .html("<html><body><p>本期培训班包过，报名从速！</p></body></html>"),
        ])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/a"))
        #expect(report.finalURL == server.url("/page"))
        #expect(report.redirects.map(\.status) == [301, 302])
        #expect(report.findings.map(\.text) == ["包过"])
    }

    @Test func redirectToRefusedSchemeIsAnError() async throws {
        let server = try await LoopbackServer.start(["/": .redirect(to: "file:///etc/passwd")])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.errorKind == "refusedScheme")
        #expect(report.findings.isEmpty)
        #expect(CheckExit.status(for: [report]) == 3)
    }

    @Test func loopbackRefusedWithoutPermission() async throws {
        let server = try await LoopbackServer.start(["/": .html("<p>包过</p>")])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker { $0.privateNetwork = .deny }, server.url("/"))
        #expect(report.errorKind == "privateAddress")
        #expect(report.error?.contains("--allow-private-network") == true)
        #expect(server.requests.isEmpty)
    }

    @Test func httpErrorsAreFailuresNotCleanPages() async throws {
        let server = try await LoopbackServer.start([
            "/404": .respond(status: 404, headers: [("Content-Type", "text/html")], body: Array("<p>页面不存在</p>".utf8)),
            "/500": .respond(status: 500, headers: [("Content-Type", "text/html")], body: Array("<p>包过班火热招生</p>".utf8)),
        ])
        defer { Task { await server.stop() } }
        let missing = await check(loopbackChecker(), server.url("/404"))
        #expect(missing.status == 404)
        #expect(missing.errorKind == "http-status")
        #expect(CheckExit.status(for: [missing]) == 3)
        // An error page's own text is still read: a promise on it is still a finding.
        let broken = await check(loopbackChecker(), server.url("/500"))
        #expect(broken.errorKind == "http-status")
        #expect(broken.findings.map(\.text) == ["包过"])
    }

    @Test func stallingServerTimesOut() async throws {
        let server = try await LoopbackServer.start(["/": .stall(seconds: 60)])
        defer { Task { await server.stop() } }
        // The checker is made before the clock starts: the first use of `bundledMatcher`
        // compiles the whole lexicon, seconds on a busy machine.
        let checker = loopbackChecker { $0.totalTimeout = 1.5 }
        let started = Date()
        let report = await check(checker, server.url("/"))
        #expect(report.errorKind == "timeout" || report.errorKind == "tooSlow")
        // Generous for a busy machine; the stall (60 s) is far longer.
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func oversizedBodyIsRefused() async throws {
        let server = try await LoopbackServer.start(["/": .stream(total: 2 * 1024 * 1024, contentLength: false, headers: [("Content-Type", "text/html")])])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker { $0.maxBodyBytes = 256 * 1024 }, server.url("/"))
        #expect(report.errorKind == "bodyTooLarge")
        #expect(CheckExit.status(for: [report]) == 3)
    }

    @Test func gzipBodyIsDecompressed() async throws {
        let page = Array("<html><body><p>电工证零基础包拿证，7天拿证！</p></body></html>".utf8)
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")], body: try TestTools.gzip(page))])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.error == nil)
        #expect(report.findings.contains { $0.text == "7天拿证" })
        expectExactOffsets(report, page, charset: "UTF-8")
    }

    @Test func nonHTMLContentIsNotCountedClean() async throws {
        let server = try await LoopbackServer.start(["/logo.png": .respond(headers: [("Content-Type", "image/png")], body: [0x89, 0x50, 0x4E, 0x47, 0, 1, 2])])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/logo.png"))
        #expect(report.errorKind == "unsupported-content")
        #expect(CheckExit.status(for: [report]) == 3)
    }

    @Test func malformedHTMLIsReadAsFarAsItGoes() async throws {
        let html = "<html><body><p>考试包过<span>班 < 3 <b <i>a<3 &#xZZ; &#99999999; <p>不要错过<!-- 未闭合注释 <p>不会显示</p>"
        let junk = Array(html.utf8) + [0x00, 0xFF, 0xFE, 0x80] + Array("<div class=\"x>包过".utf8)
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html; charset=utf-8")], body: junk)])
        defer { Task { await server.stop() } }
        let report = await check(loopbackChecker(), server.url("/"))
        #expect(report.status == 200)
        #expect(report.charset != nil)
        #expect(report.findings.map(\.text) == ["包过"])
        expectExactOffsets(report, junk, charset: "UTF-8")
    }

    @Test func closedPortIsAFailure() async throws {
        let server = try await LoopbackServer.start()
        let url = server.url("/")
        await server.stop()
        let report = await check(loopbackChecker(), url)
        #expect(report.errorKind == "connectFailure")
        #expect(CheckExit.status(for: [report]) == 3)
    }
}
