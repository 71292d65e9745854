import ClaimCases
import ClaimEvidence
import ClaimPage
import ClaimScan
import ClaimText
import Foundation
import Testing
import TestSupport

let bundledMatcher: Matcher = {
    let lexicon = try! LexiconParser.load(path: repositoryRoot.appendingPathComponent("lexicons").path)
    return try! Matcher(lexicon: lexicon)
}()

func gbk(_ s: String) -> [UInt8] {
    Charset.encodeForTests(s)
}

extension Charset {
    /// GB18030 bytes of a string, via python3 (tests only).
    static func encodeForTests(_ s: String) -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; sys.stdout.buffer.write(sys.stdin.read().encode('gb18030'))"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try! p.run()
        input.fileHandleForWriting.write(Data(s.utf8))
        try! input.fileHandleForWriting.close()
        let data = readAll(output.fileHandleForReading)
        p.waitUntilExit()
        return [UInt8](data)
    }
}

/// Runs a scan job on a thread of its own (the crawler blocks its thread).
func runScan(_ store: CaseStore, _ adjust: (inout ScanOptions) -> Void = { _ in }) async throws -> ScanSummary {
    var options = ScanOptions()
    options.delay = 0
    options.allowPrivateNetwork = true
    options.timeout = 60   // only against a hang: a busy machine's loopback server can be slow to answer
    adjust(&options)
    let job = ScanJob(store: store, matcher: bundledMatcher, options: options, log: ScanLog(interactive: false, quiet: true))
    return try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try job.run() }) }.start()
    }
}

func page(_ body: String) -> String {
    "<html><head><meta charset=\"utf-8\"><title>测试机构</title></head><body>\(body)</body></html>"
}

@Suite(.serialized, .onOwnThread) struct ScanTests {
    @Test func scanFillsTheQueueWithVerifiableEvidence() async throws {
        let gbkPage = gbk("<html><head><meta charset=\"gbk\"><title>鸿达培训</title></head><body><p>电工证包<span>过</span>班，考试不过全额退费！</p><a href=\"/private/x.html\">内部</a></body></html>")
        let a = try await LoopbackServer.start([
            "/": .html(page("<a href=\"/p1.html\">课程</a> <a href=\"/p2.html\">报名</a> <a href=\"http://127.0.0.1:9/off.html\">外站</a>")),
            "/p1.html": .respond(headers: [("Content-Type", "text/html")], body: gbkPage),
            "/p2.html": .html(page("<p>零基础保证拿证，7天拿证。</p>")),
            "/private/x.html": .html(page("<p>包过</p>")),
            "/robots.txt": .respond(headers: [("Content-Type", "text/plain")], body: Array("User-agent: *\nDisallow: /private/\n".utf8)),
        ])
        let b = try await LoopbackServer.start(["/": .html(page("<p>本机构不承诺包过，谨防“包过”骗局。考后多久拿证请咨询。</p>"))])
        defer { Task { await a.stop(); await b.stop() } }
        let dir = try temporaryDirectory()
        let store = try CaseStore(path: dir.appendingPathComponent("q.db").path)
        _ = try store.importAgencies(csvText: "name,registration_no,region,urls\n鸿达,A1,湖南省长沙市,\(a.url("/"))\n明德,B2,湖南省株洲市,\(b.url("/"))\n", fileName: "t.csv")

        let summary = try await runScan(store)
        #expect(summary.status == "complete")
        #expect(summary.sites == 2 && summary.sitesFailed == 0)
        #expect(summary.pages == 4)                      // a: /, p1, p2; b: /
        #expect(!a.requests.contains { $0.path.hasPrefix("/private") })
        let cases = try store.cases()
        #expect(Set(cases.map(\.registrationNo)) == ["A1"])
        #expect(cases.contains { $0.text == "包<span>过" && $0.normalizations.contains("markup") && $0.severity == .critical })
        #expect(cases.contains { $0.category == "refund-if-fail" })
        #expect(cases.contains { $0.text == "7天拿证" })
        // Every case's words are exactly the stored response's bytes at its offsets.
        for c in cases {
            let file = try #require(c.warcFile), offset = try #require(c.warcOffset)
            let record = try WARCReader.record(at: WARCLocation(file: file, offset: offset), in: store.evidenceDirectory)
            #expect(record.targetURI == c.url)
            let body = try #require(record.httpBody)
            let charset = c.url.hasSuffix("p1.html") ? "GB18030" : "UTF-8"
            #expect(Charset.decode(body[c.byteStart..<c.byteEnd], charset: charset) == c.text)
        }
        // The evidence files pass the project's own verifier.
        let files = try FileManager.default.contentsOfDirectory(atPath: store.evidenceDirectory.path).filter { $0.hasSuffix(".warc.gz") }
        #expect(!files.isEmpty)
        for f in files { #expect(try WARCReader.verify(file: store.evidenceDirectory.appendingPathComponent(f)).isEmpty) }
    }

    /// A promise no rule knows, found by the promise model on a GBK page, is a case like any
    /// other: rule `model.promise`, low severity, its passage's exact bytes in the WARC record;
    /// a rescan of the page, changed elsewhere, sees the same case again.
    @Test func aPromiseOnlyTheModelFindsIsACase() async throws {
        let promise = "您只管来上课，考场那边的事情我们去打点，到时候安心等证就行。"
        func body(_ other: String) -> [UInt8] {
            gbk("<html><head><meta charset=\"gbk\"><title>鸿达培训</title></head><body><p>\(other)</p><p>\(promise)</p></body></html>")
        }
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html")], body: body("电工培训"))])
        defer { Task { await server.stop() } }
        let dir = try temporaryDirectory()
        let store = try CaseStore(path: dir.appendingPathComponent("q.db").path)
        _ = try store.upsertAgency(registrationNo: "M1", name: "m", region: "", urls: [server.url("/")])

        let first = try await runScan(store)
        #expect(first.newCases == 1)
        let c = try #require(try store.cases().first)
        #expect(c.rule == "model.promise")
        #expect(c.severity == .low)
        #expect(c.text == promise && c.phrase == promise)
        let record = try WARCReader.record(at: WARCLocation(file: try #require(c.warcFile), offset: try #require(c.warcOffset)),
                                           in: store.evidenceDirectory)
        #expect(Charset.decode(try #require(record.httpBody)[c.byteStart..<c.byteEnd], charset: "GB18030") == promise)

        server.setRoute("/", .respond(headers: [("Content-Type", "text/html")], body: body("焊工培训，周末班开课")))
        let second = try await runScan(store)
        #expect(second.newCases == 0)
        #expect(try store.case(c.id)?.row.timesSeen == 2)
    }

    @Test(.onOwnThread) func evidenceFilesPassWarcio() async throws {   // waits for warcio (python) inline
        let server = try await LoopbackServer.start([
            "/": .html(page("<p>包过班</p><a href=\"/b.html\">b</a>")),
            "/b.html": .respond(headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: try TestTools.gzip(Array(page("<p>保证通过</p>").utf8))),
        ])
        defer { Task { await server.stop() } }
        let dir = try temporaryDirectory()
        let store = try CaseStore(path: dir.appendingPathComponent("q.db").path)
        _ = try store.upsertAgency(registrationNo: "W1", name: "w", region: "", urls: [server.url("/")])
        _ = try await runScan(store)
        let script = repositoryRoot.appendingPathComponent("scripts/warcio-check.sh").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script, store.evidenceDirectory.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: readAll(out.fileHandleForReading), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus == 2 {
            withKnownIssue("python3 is not installed; warcio could not run") { Issue.record("warcio skipped: \(text)") }
            return
        }
        #expect(p.terminationStatus == 0, "warcio-check.sh: \(text)")
        #expect(text.contains("digest pass"))
    }

    @Test func aChangedPageMarksCasesNotSeenAndAClosedCaseReopens() async throws {
        let server = try await LoopbackServer.start(["/": .html(page("<p>本班包过，报名从速</p>"))])
        defer { Task { await server.stop() } }
        let dir = try temporaryDirectory()
        let store = try CaseStore(path: dir.appendingPathComponent("q.db").path)
        _ = try store.upsertAgency(registrationNo: "C1", name: "c", region: "", urls: [server.url("/")])

        let first = try await runScan(store)
        #expect(first.newCases == 1)
        let id = try #require(try store.cases().first?.id)
        _ = try store.updateCase(id, to: .confirmed, note: "截图已存档", by: "inspector")
        _ = try store.updateCase(id, to: .closed, note: "已整改", by: "inspector")

        server.setRoute("/", .html(page("<p>小班教学，名师授课</p>")))
        let second = try await runScan(store)
        #expect(second.noLongerSeen == 1)
        #expect(try store.case(id)?.row.notSeen == true)

        server.setRoute("/", .html(page("<p>本班包过！</p>")))
        let third = try await runScan(store)
        #expect(third.reopened == 1)
        let row = try #require(try store.case(id)?.row)
        #expect(row.status == .open)
        #expect(row.notSeen == false)
        #expect(row.reopenedCount == 1)
        #expect(row.timesSeen == 2)
        let kinds = try #require(try store.case(id)).events.map(\.kind.rawValue)
        #expect(kinds.contains("reopened") && kinds.contains("not-seen"))
    }

    @Test func privateStartURLsNeedPermission() async throws {
        let dir = try temporaryDirectory()
        let store = try CaseStore(path: dir.appendingPathComponent("q.db").path)
        _ = try store.upsertAgency(registrationNo: "L1", name: "l", region: "", urls: ["http://127.0.0.1:9/"])
        let summary = try await runScan(store) { $0.allowPrivateNetwork = false }
        #expect(summary.sitesFailed == 1)
        #expect(summary.failures["L1"]?.contains("--allow-private-network") == true)
    }
}
