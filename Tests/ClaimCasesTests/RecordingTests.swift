import Foundation
import Testing
@testable import ClaimCases

@Suite("Recording pages and findings")
struct RecordingTests {
    let url = "https://a.example.cn/zhaosheng.html"

    @Test("same finding in two runs is one case: times_seen 2, first_seen kept, evidence updated", arguments: Backend.all)
    func dedupAcrossRuns(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        let o1 = try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0), warc: "r1.warc.gz", offset: 10),
                                        findings: [finding("包过")], complete: true)
        #expect(o1 == PageOutcome(newCases: 1))
        try f.store.finishRun(r1, status: .complete, summaryJSON: #"{"new":1}"#)

        let r2 = try f.store.startRun(selection: .all)
        let o2 = try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(1), warc: "r2.warc.gz", offset: 20),
                                        findings: [finding("包过", text: "包 過", start: 300, normalizations: ["spacing", "traditional"])],
                                        complete: true)
        #expect(o2 == PageOutcome(seenAgain: 1))
        let rows = try f.store.cases()
        #expect(rows.count == 1)
        let c = try #require(rows.first)
        #expect(c.timesSeen == 2)
        #expect(c.firstSeen == day(0))
        #expect(c.lastSeen == day(1))
        #expect(c.firstRunID == r1 && c.lastRunID == r2)
        #expect(c.text == "包 過")
        #expect(c.byteStart == 300)
        #expect(c.normalizations == ["spacing", "traditional"])
        #expect(c.warcFile == "r2.warc.gz" && c.warcOffset == 20)
        #expect(c.status == .open && !c.notSeen)
        #expect(c.agency == "长沙职业培训学校" && c.registrationNo == "HN-001" && c.region == "湖南省长沙市")
        #expect(c.title == "招生简章" && c.finalURL == url)
        let events = try f.store.case(c.id)!.events
        #expect(events.map(\.kind) == [.created])
        #expect(events[0].by == "scan run \(r1)" && events[0].at == day(0) && events[0].toStatus == .open)
    }

    @Test("the same case twice in one run counts once", arguments: Backend.all)
    func oncePerRun(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        // Two occurrences on one page.
        let o = try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0)),
                                       findings: [finding("包过", start: 10), finding("包过", text: "保過", start: 500)],
                                       complete: true)
        #expect(o == PageOutcome(newCases: 1))
        // The page recorded again in the same run (resume after a kill).
        let again = try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0).addingTimeInterval(60)),
                                           findings: [finding("包过", start: 10)], complete: true)
        #expect(again == PageOutcome())
        let c = try #require(try f.store.cases().first)
        #expect(c.timesSeen == 1)
        #expect(c.byteStart == 10)
        #expect(try f.store.cases().count == 1)
        #expect(try f.store.runAgencies(r1).first { $0.agencyID == f.a1 }?.pages == 1)
    }

    @Test("same phrase on two pages or under two rules are different cases", arguments: Backend.all)
    func identity(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r, agency: f.a1, page: page(url, at: day(0)),
                               findings: [finding("包过"), finding("包过", rule: "other-rule")], complete: true)
        try f.store.recordPage(run: r, agency: f.a1, page: page(url + "?p=2", at: day(0)),
                               findings: [finding("包过")], complete: true)
        try f.store.recordPage(run: r, agency: f.a2, page: page(url, at: day(0)),
                               findings: [finding("包过")], complete: true)
        #expect(try f.store.cases().count == 4)
    }

    @Test("complete scan without the finding marks it not seen once; seeing it again clears it", arguments: Backend.all)
    func notSeenAndSeenAgain(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0)),
                               findings: [finding("包过"), finding("拿证", rule: "cert", category: "certificate-guarantee")],
                               complete: true)
        let r2 = try f.store.startRun(selection: .all)
        // An incomplete page proves nothing.
        let partial = try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(1)), findings: [], complete: false)
        #expect(partial.noLongerSeen == 0)
        #expect(try f.store.cases(filter: CaseFilter(notSeen: true)).isEmpty)

        let o2 = try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(1)),
                                        findings: [finding("拿证", rule: "cert", category: "certificate-guarantee")],
                                        complete: true)
        #expect(o2 == PageOutcome(seenAgain: 1, noLongerSeen: 1))
        let gone = try #require(try f.store.cases(filter: CaseFilter(notSeen: true)).first)
        #expect(gone.phrase == "包过" && gone.lastSeen == day(0) && gone.timesSeen == 1)

        let r3 = try f.store.startRun(selection: .all)
        let o3 = try f.store.recordPage(run: r3, agency: f.a1, page: page(url, at: day(2)), findings: [], complete: true)
        #expect(o3.noLongerSeen == 1)  // only 拿证 flips now; 包过 was already not seen
        let r4 = try f.store.startRun(selection: .all)
        let o4 = try f.store.recordPage(run: r4, agency: f.a1, page: page(url, at: day(3)),
                                        findings: [finding("包过")], complete: true)
        #expect(o4 == PageOutcome(seenAgain: 1))
        let back = try #require(try f.store.case(gone.id))
        #expect(!back.row.notSeen && back.row.status == .open && back.row.timesSeen == 2 && back.row.lastSeen == day(3))
        #expect(back.events.map(\.kind) == [.created, .notSeen, .seenAgain])
        #expect(back.events[1].runID == r2 && back.events[2].runID == r4)
    }

    @Test("a closed case seen again is reopened with an event", arguments: Backend.all)
    func closedReopens(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0)), findings: [finding("包过")], complete: true)
        let id = try f.store.cases()[0].id
        try f.store.updateCase(id, to: .confirmed, note: "核实属实", by: "张三")
        try f.store.updateCase(id, to: .closed, note: "已责令整改", by: "张三")
        let r2 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(5)), findings: [], complete: true)
        let r3 = try f.store.startRun(selection: .all)
        let o = try f.store.recordPage(run: r3, agency: f.a1, page: page(url, at: day(9)), findings: [finding("包过")],
                                       complete: true)
        #expect(o == PageOutcome(seenAgain: 1, reopened: 1))
        let d = try #require(try f.store.case(id))
        #expect(d.row.status == .open && d.row.reopenedCount == 1 && !d.row.notSeen && d.row.timesSeen == 2)
        #expect(d.events.map(\.kind) == [.created, .status, .status, .notSeen, .seenAgain, .reopened])
        let reopened = d.events.last!
        #expect(reopened.fromStatus == .closed && reopened.toStatus == .open && reopened.by == "scan run \(r3)")
        #expect(reopened.note?.contains("reopened") == true)
    }

    @Test("a dismissed case stays dismissed when seen again", arguments: Backend.all)
    func dismissedStays(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0)), findings: [finding("保证")], complete: true)
        let id = try f.store.cases()[0].id
        try f.store.updateCase(id, to: .dismissed, note: "保证金，非承诺", by: "李四")
        let r2 = try f.store.startRun(selection: .all)
        let o = try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(1)), findings: [finding("保证")],
                                       complete: true)
        #expect(o == PageOutcome(seenAgain: 1))
        let d = try #require(try f.store.case(id))
        #expect(d.row.status == .dismissed && d.row.reopenedCount == 0 && d.row.timesSeen == 2)
        #expect(d.events.map(\.kind) == [.created, .status])
    }

    @Test("304 Not Modified keeps cases seen, counts once per run, marks the page complete", arguments: Backend.all)
    func notModified(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        try f.store.addToFrontier(run: r1, agency: f.a1, [FrontierEntry(url: url, depth: 0)])
        try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0), etag: "\"v1\""),
                               findings: [finding("包过"), finding("拿证", rule: "cert")], complete: true)
        // A partial fetch: no validators may be offered then.
        let other = url + "?partial"
        try f.store.recordPage(run: r1, agency: f.a1, page: page(other, at: day(0), etag: "\"p\""), findings: [], complete: false)
        #expect(try f.store.conditionalHeaders(agency: f.a1, url: other) == (nil, nil))
        let headers = try f.store.conditionalHeaders(agency: f.a1, url: url)
        #expect(headers.etag == "\"v1\"" && headers.lastModified == "Wed, 01 May 2024 08:00:00 GMT")
        #expect(try f.store.conditionalHeaders(agency: f.a1, url: url + "/unknown") == (nil, nil))

        let r2 = try f.store.startRun(selection: .all)
        try f.store.addToFrontier(run: r2, agency: f.a1, [FrontierEntry(url: url, depth: 0)])
        let o = try f.store.recordNotModified(run: r2, agency: f.a1, url: url, fetchedAt: day(1))
        #expect(o == PageOutcome(seenAgain: 2))
        #expect(try f.store.recordNotModified(run: r2, agency: f.a1, url: url, fetchedAt: day(1)) == PageOutcome())
        let rows = try f.store.cases()
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { !$0.notSeen && $0.timesSeen == 2 && $0.lastSeen == day(1) && $0.firstSeen == day(0) })
        let stored = try #require(try f.store.page(agency: f.a1, url: url))
        #expect(stored.lastCompleteScanRunID == r2 && stored.lastRunID == r2 && stored.fetchedAt == day(1))
        #expect(stored.etag == "\"v1\"")
        #expect(try f.store.frontier(run: r2, agency: f.a1).done == [url])
        #expect(throws: CaseRequestError.self) {
            try f.store.recordNotModified(run: r2, agency: f.a1, url: url + "/never", fetchedAt: day(1))
        }
    }

    @Test("the page row holds the fetch metadata and the last complete scan", arguments: Backend.all)
    func pageRow(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0), warc: "w1", offset: 5), findings: [], complete: true)
        let r2 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(1), warc: "w2", offset: 7), findings: [], complete: false)
        let p = try #require(try f.store.page(agency: f.a1, url: url))
        #expect(p.lastRunID == r2 && p.lastCompleteScanRunID == r1)
        #expect(p.warcFile == "w2" && p.warcOffset == 7 && p.fetchedAt == day(1))
        #expect(p.charsetJSON == #"{"charset":"gb18030","source":"meta"}"# && p.sha256?.count == 64)
        #expect(throws: CaseRequestError.self) {
            try f.store.recordPage(run: r2, agency: 9999, page: page(url, at: day(1)), findings: [], complete: true)
        }
    }

    @Test("severity keeps the highest seen", arguments: Backend.all)
    func severityMax(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r1 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r1, agency: f.a1, page: page(url, at: day(0)),
                               findings: [finding("包过", severity: .critical)], complete: true)
        let r2 = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r2, agency: f.a1, page: page(url, at: day(1)),
                               findings: [finding("包过", severity: .high)], complete: true)
        #expect(try f.store.cases()[0].severity == .critical)
    }
}
