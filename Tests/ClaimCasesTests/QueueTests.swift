import Foundation
import Testing
@testable import ClaimCases

@Suite("Working the queue")
struct QueueTests {
    /// Three cases: HN-001 包过 (high, day 0), HN-001 国家级 (low, day 2), HN-002 拿证 (critical, day 1).
    func populated(_ backend: Backend) throws -> (QueueFixture, high: CaseID, low: CaseID, critical: CaseID) {
        let f = try QueueFixture(backend)
        let r = try f.store.startRun(selection: .all)
        try f.store.recordPage(run: r, agency: f.a1, page: page("https://a.example.cn/1", at: day(0)),
                               findings: [finding("包过")], complete: true)
        try f.store.recordPage(run: r, agency: f.a1, page: page("https://a.example.cn/2", at: day(2)),
                               findings: [finding("国家级", rule: "absolute", category: "absolute-terms", severity: .low)],
                               complete: true)
        try f.store.recordPage(run: r, agency: f.a2, page: page("http://b.example.cn/", at: day(1)),
                               findings: [finding("拿证", rule: "cert", category: "certificate-guarantee", severity: .critical)],
                               complete: true)
        let rows = try f.store.cases()
        func id(_ phrase: String) -> CaseID { rows.first { $0.phrase == phrase }!.id }
        return (f, id("包过"), id("国家级"), id("拿证"))
    }

    @Test("workflow transitions, refusals and the audit log", arguments: Backend.all)
    func workflow(_ backend: Backend) throws {
        let (f, high, low, _) = try populated(backend)
        let s = f.store
        // Dismissing needs a reason.
        let noNote = #expect(throws: CaseRequestError.self) { try s.updateCase(low, to: .dismissed, note: "  ", by: "王五") }
        #expect(noNote?.description.contains("needs a note") == true)
        #expect(throws: CaseRequestError.self) { try s.updateCase(low, to: .dismissed, note: nil, by: "王五") }
        // Illegal transitions.
        let skip = #expect(throws: CaseRequestError.self) { try s.updateCase(high, to: .closed, by: "王五") }
        #expect(skip?.description == "case \(high) is open: it cannot become closed (from open it can only become confirmed or dismissed)")
        #expect(throws: CaseRequestError.self) { try s.updateCase(high, to: .open, by: "王五") }
        #expect(throws: CaseRequestError.self) { try s.updateCase(high, to: .confirmed, by: " ") }
        #expect(throws: CaseRequestError.self) { try s.updateCase(424242, to: .confirmed, by: "王五") }
        #expect(try s.case(high)!.events.count == 1)  // refusals changed nothing

        try s.updateCase(low, to: .dismissed, note: "国家级重点技工学校是称号", by: "王五")
        #expect(throws: CaseRequestError.self) { try s.updateCase(low, to: .confirmed, by: "王五") }
        let undone = try s.updateCase(low, to: .open, note: "复核", by: "赵六")
        #expect(undone.row.status == .open && undone.row.reopenedCount == 1)

        try s.updateCase(high, to: .confirmed, note: "页面截图已存", by: "王五")
        #expect(throws: CaseRequestError.self) { try s.updateCase(high, to: .dismissed, note: "x", by: "王五") }
        try s.updateCase(high, to: .closed, by: "王五")
        let reopened = try s.updateCase(high, to: .open, note: "群众再次举报", by: "赵六")
        #expect(reopened.row.status == .open)
        let events = reopened.events
        #expect(events.map(\.kind) == [.created, .status, .status, .reopened])
        #expect(events[1].by == "王五" && events[1].fromStatus == .open && events[1].toStatus == .confirmed)
        #expect(events[1].note == "页面截图已存")
        #expect(events[2].fromStatus == .confirmed && events[2].toStatus == .closed && events[2].note == nil)
        #expect(events[3].by == "赵六" && events[3].note == "群众再次举报" && events[3].runID == nil)
        #expect(abs(events[3].at.timeIntervalSinceNow) < 60)
        #expect(try s.caseCounts() == [.open: 3])
    }

    @Test("filters: status, severity at least, category, agency, region, since, not seen; order", arguments: Backend.all)
    func filters(_ backend: Backend) throws {
        let (f, high, low, critical) = try populated(backend)
        let s = f.store
        #expect(try s.cases().map(\.id) == [critical, high, low])
        #expect(try s.cases(filter: CaseFilter(minimumSeverity: .high)).map(\.id) == [critical, high])
        #expect(try s.cases(filter: CaseFilter(minimumSeverity: .critical)).map(\.id) == [critical])
        #expect(try s.cases(filter: CaseFilter(category: "absolute-terms")).map(\.id) == [low])
        #expect(try s.cases(filter: CaseFilter(registrationNo: "HN-001")).map(\.id) == [high, low])
        #expect(try s.cases(filter: CaseFilter(region: "湖南省株洲市")).map(\.id) == [critical])
        #expect(try s.cases(filter: CaseFilter(region: "湖南省")).count == 3)
        #expect(try s.cases(filter: CaseFilter(region: "广东省")).isEmpty)
        #expect(try s.cases(filter: CaseFilter(since: day(1))).map(\.id) == [critical, low])
        #expect(try s.cases(filter: CaseFilter(limit: 1)).map(\.id) == [critical])

        try s.updateCase(high, to: .confirmed, by: "王五")
        try s.updateCase(low, to: .dismissed, note: "称号", by: "王五")
        #expect(try s.cases(filter: CaseFilter(statuses: [.open])).map(\.id) == [critical])
        #expect(try s.cases(filter: CaseFilter(statuses: [.confirmed, .dismissed])).map(\.id) == [high, low])
        #expect(try s.cases(filter: CaseFilter(statuses: [])).isEmpty)

        let r = try s.startRun(selection: .agencies(["HN-001"]))
        try s.recordPage(run: r, agency: f.a1, page: page("https://a.example.cn/1", at: day(3)), findings: [], complete: true)
        #expect(try s.cases(filter: CaseFilter(notSeen: true)).map(\.id) == [high])
        #expect(try s.cases(filter: CaseFilter(notSeen: false)).map(\.id) == [critical, low])
        #expect(try s.cases(filter: CaseFilter(statuses: [.confirmed], registrationNo: "HN-001", notSeen: true)).map(\.id) == [high])
    }

    @Test("CSV export: header, RFC 4180 quoting, BOM, formula guard", arguments: Backend.all)
    func csvExport(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let r = try f.store.startRun(selection: .all)
        var tricky = finding("包过", text: "包\"过\"", normalizations: ["spacing", "html-split"])
        tricky.context = "=HYPERLINK(\"http://evil\"),\n第二行"
        try f.store.recordPage(run: r, agency: f.a1, page: page("https://a.example.cn/1", at: day(0), offset: 1234),
                               findings: [tricky], complete: true)
        let row = try f.store.cases()[0]
        let header = CaseRow.csvHeader.split(separator: ",").map(String.init)
        for key in ["id", "agency", "registration_no", "region", "url", "rule", "category", "severity", "status", "text",
                    "phrase", "context", "location", "first_seen", "last_seen", "times_seen", "not_seen", "reopened_count",
                    "warc_file", "warc_offset", "byte_start", "byte_end", "normalizations"] {
            #expect(header.contains(key), "missing \(key)")
        }
        let record = row.csvRecord()
        #expect(record.hasPrefix("\(row.id),长沙职业培训学校,HN-001,湖南省长沙市,https://a.example.cn/1,"))
        #expect(record.contains(",\"包\"\"过\"\"\","))
        #expect(record.contains(",\"'=HYPERLINK(\"\"http://evil\"\"),\n第二行\","))
        #expect(record.contains(",2024-05-01T08:00:00.000Z,2024-05-01T08:00:00.000Z,1,false,0,run.warc.gz,1234,100,"))
        #expect(record.contains(",spacing;html-split,"))
        #expect(!row.csvRecord(spreadsheetSafe: false).contains("'="))

        let doc = CaseRow.csvDocument([row, row], bom: true)
        #expect(doc.hasPrefix("\u{FEFF}id,agency,"))
        #expect(doc.hasSuffix("\r\n"))
        // Parsing it back gives the header and two records of the header's width.
        let parsed = try CSV.parse(doc)
        #expect(parsed.count == 3)
        #expect(parsed.allSatisfy { $0.fields.count == header.count })
        #expect(parsed[1].fields[header.firstIndex(of: "text")!] == "包\"过\"")
    }

    @Test("JSON export: keys, types, ISO 8601 UTC timestamps", arguments: Backend.all)
    func jsonExport(_ backend: Backend) throws {
        let (f, high, _, _) = try populated(backend)
        let row = try #require(try f.store.case(high)).row
        let object = try #require(try JSONSerialization.jsonObject(with: Data(row.jsonLine().utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(CaseRow.exportColumns))
        #expect(object["id"] as? Int == Int(high))
        #expect(object["agency"] as? String == "长沙职业培训学校")
        #expect(object["registration_no"] as? String == "HN-001")
        #expect(object["severity"] as? String == "high")
        #expect(object["status"] as? String == "open")
        #expect(object["first_seen"] as? String == "2024-05-01T08:00:00.000Z")
        #expect(object["times_seen"] as? Int == 1)
        #expect(object["not_seen"] as? Bool == false)
        #expect(object["warc_file"] as? String == "run.warc.gz")
        #expect(object["warc_offset"] as? Int == 0)
        #expect(object["byte_start"] as? Int == 100)
        #expect(object["normalizations"] as? [String] == [])
        #expect(!row.jsonLine().contains("\n"))
        let array = try JSONSerialization.jsonObject(with: Data(CaseRow.jsonDocument(try f.store.cases()).utf8)) as? [Any]
        #expect(array?.count == 3)
    }
}
