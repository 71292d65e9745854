import Foundation
import Testing
@testable import ClaimCases

/// A fresh directory under the system temp folder, removed when the value goes away.
final class TempDir {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("claimcases-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A store on a new database file, with two agencies.
struct Fixture {
    let dir = TempDir()
    let store: CaseStore
    let a1: AgencyID
    let a2: AgencyID

    init(busyTimeout: TimeInterval = 5) throws {
        store = try CaseStore(path: dir.path("cases.db"), busyTimeout: busyTimeout)
        try store.importAgencies(csvText: """
            name,registration_no,region,urls
            长沙职业培训学校,HN-001,湖南省长沙市,https://a.example.cn/
            株洲技能评价中心,HN-002,湖南省株洲市,http://b.example.cn/;http://b2.example.cn/
            """, fileName: "agencies.csv")
        a1 = try store.agency(registrationNo: "HN-001")!.id
        a2 = try store.agency(registrationNo: "HN-002")!.id
    }
}

let t0 = Date(timeIntervalSince1970: 1_714_550_400)  // 2024-05-01T08:00:00Z
func day(_ n: Int) -> Date { t0.addingTimeInterval(Double(n) * 86_400) }

func page(_ url: String, at date: Date, warc: String = "run.warc.gz", offset: Int64 = 0, etag: String? = nil) -> PageRecord {
    PageRecord(
        url: url, finalURL: url, title: "招生简章", status: 200, contentType: "text/html", etag: etag,
        lastModified: etag == nil ? nil : "Wed, 01 May 2024 08:00:00 GMT", sha256: String(repeating: "ab", count: 32),
        charsetJSON: #"{"charset":"gb18030","source":"meta"}"#, fetchedAt: date, warcFile: warc, warcOffset: offset
    )
}

func finding(
    _ phrase: String, text: String? = nil, rule: String = "pass-guarantee.bao-guo",
    category: String = "pass-guarantee", severity: CaseSeverity = .high, start: Int = 100,
    normalizations: [String] = []
) -> FindingRecord {
    FindingRecord(
        rule: rule, category: category, severity: severity, phrase: phrase, text: text ?? phrase,
        context: "本校承诺\(text ?? phrase)，报名从速", location: "body", byteStart: start,
        byteEnd: start + (text ?? phrase).utf8.count, normalizations: normalizations,
        basis: "广告法第二十四条第（一）项", description: "保证考试通过"
    )
}
