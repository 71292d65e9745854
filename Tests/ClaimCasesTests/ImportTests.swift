import Foundation
import Testing
@testable import ClaimCases

@Suite("Agency CSV import")
struct ImportTests {
    @Test("BOM, CRLF, columns in any order, quoted commas, quotes and line breaks")
    func excelCSV() throws {
        let dir = TempDir()
        let store = try CaseStore(path: dir.path("a.db"))
        let csv = "\u{FEFF}urls,Region,registration_no,extra,name\r\n"
            + "https://a.example.cn/;https://a.example.cn/news/ ,湖南省长沙市,HN-001,x,\"长沙职业培训学校, 有限公司\"\r\n"
            + "\r\n"
            + ",,,,\r\n"
            + "http://b.example.cn/,湖南省株洲市,HN-002,,\"株洲 \"\"技能\"\" 评价\r\n中心\"\r\n"
            + "https://c.example.cn/；https://c2.example.cn/,,HN-003,,常德学校"
        let summary = try store.importAgencies(csvText: csv, fileName: "register.csv")
        #expect(summary == ImportSummary(added: 3, updated: 0, unchanged: 0))
        let agencies = try store.agencies()
        #expect(agencies.map(\.registrationNo) == ["HN-001", "HN-002", "HN-003"])
        #expect(agencies[0].name == "长沙职业培训学校, 有限公司")
        #expect(agencies[0].urls == ["https://a.example.cn/", "https://a.example.cn/news/"])
        #expect(agencies[0].region == "湖南省长沙市")
        #expect(agencies[1].name == "株洲 \"技能\" 评价\r\n中心")
        #expect(agencies[2].urls == ["https://c.example.cn/", "https://c2.example.cn/"])
        #expect(agencies[2].region == "")
    }

    @Test("re-import updates by registration number and reports unchanged rows", arguments: Backend.all)
    func reimport(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let before = try f.store.agency(registrationNo: "HN-001")!
        let summary = try f.store.importAgencies(csvText: """
            registration_no,name,region,urls
            HN-001,长沙职业培训学校,湖南省长沙市,https://a.example.cn/
            HN-002,株洲技能评价中心（新）,湖南省株洲市,http://b.example.cn/
            HN-003,衡阳学校,湖南省衡阳市,https://c.example.cn/
            """, fileName: "v2.csv")
        #expect(summary == ImportSummary(added: 1, updated: 1, unchanged: 1))
        let a2 = try f.store.agency(registrationNo: "HN-002")!
        #expect(a2.id == f.a2)
        #expect(a2.name == "株洲技能评价中心（新）")
        #expect(a2.urls == ["http://b.example.cn/"])
        #expect(try f.store.agency(registrationNo: "HN-001") == before)
        #expect(try f.store.agencies().count == 3)
    }

    @Test("every bad row is reported as FILE:line and nothing is imported", arguments: Backend.all)
    func errorsRollBack(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let before = try f.store.agencies()
        let csv = "name,registration_no,region,urls\r\n"
            + "好学校,HN-001,湖南省,https://new.example.cn/\r\n"  // 2: valid update, must not be applied
            + "\"多行\r\n名称\",HN-010,湖南省,ftp://files.example.cn/\r\n"  // 3-4: ftp
            + "无主机,HN-011,湖南省,http://\r\n"  // 5: no host
            + "空网址,HN-012,湖南省,\r\n"  // 6: empty
            + "新学校,HN-013,湖南省,https://ok.example.cn/\r\n"  // 7: valid new, must not be added
            + "重复,HN-013,湖南省,https://dup.example.cn/\r\n"  // 8: duplicate
            + ",HN-014,湖南省,www.example.cn\r\n"  // 9: no name, no scheme
        let error = #expect(throws: AgencyImportError.self) {
            try f.store.importAgencies(csvText: csv, fileName: "bad.csv")
        }
        let lines = error?.description.split(separator: "\n").map(String.init) ?? []
        #expect(lines.contains { $0.hasPrefix("bad.csv:3: bad URL \"ftp://files.example.cn/\"") })
        #expect(lines.contains { $0.hasPrefix("bad.csv:5: bad URL \"http://\": no host") })
        #expect(lines.contains { $0.hasPrefix("bad.csv:6: urls is empty") })
        #expect(lines.contains("bad.csv:8: registration_no HN-013 already appears on line 7"))
        #expect(lines.contains("bad.csv:9: name is empty"))
        #expect(lines.contains { $0.hasPrefix("bad.csv:9: bad URL \"www.example.cn\"") })
        #expect(!lines.contains { $0.hasPrefix("bad.csv:2:") || $0.hasPrefix("bad.csv:7:") })
        #expect(lines.last == "bad.csv: nothing was imported (6 problems)")
        #expect(try f.store.agencies() == before)
    }

    @Test("missing column is an error at line 1")
    func missingColumn() throws {
        let f = try Fixture()
        let error = #expect(throws: AgencyImportError.self) {
            try f.store.importAgencies(csvText: "\u{FEFF}name,registration_no,urls\r\n学校,HN-9,https://x.cn/\r\n",
                                       fileName: "cols.csv")
        }
        #expect(error?.issues.first?.line == 1)
        #expect(error?.description.hasPrefix("cols.csv:1: missing column region") == true)
        #expect(try f.store.agencies().count == 2)
    }

    @Test("unterminated quote and empty file are reported")
    func malformed() throws {
        let dir = TempDir()
        let store = try CaseStore(path: dir.path("m.db"))
        let e1 = #expect(throws: AgencyImportError.self) {
            try store.importAgencies(csvText: "name,registration_no,region,urls\n\"学校,HN-1,湖南,https://x.cn/\n",
                                     fileName: "q.csv")
        }
        #expect(e1?.description.hasPrefix("q.csv:2: quoted field is never closed") == true)
        #expect(throws: AgencyImportError.self) { try store.importAgencies(csvText: "\u{FEFF}\r\n", fileName: "e.csv") }
        #expect(try store.agencies().isEmpty)
    }
}
