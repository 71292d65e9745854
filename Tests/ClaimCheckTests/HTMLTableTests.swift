import ClaimCheck
import ClaimFetch
import Foundation
import Testing
import TestSupport

/// HTML tables through the whole `check` path with the bundled lexicon: a penalty notice's
/// table quoting the promises is a listing (its caption names the enforcement), an agency's
/// course table with the same promises is reported.
@Suite(.onOwnThread) struct HTMLTableTests {
    static func check(html: String) async throws -> TargetReport {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscan-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("page.html")
        try Data(html.utf8).write(to: file)
        let report = await checkFile(file.path)
        #expect(report.error == nil)
        return report
    }

    @Test func aPenaltyTableIsAListing() async throws {
        let report = try await Self.check(html: """
            <html><head><meta charset="utf-8"><title>关于查处违法培训广告的通报</title></head><body>
            <p>近期，市市场监管局对以下机构的违法广告进行了查处：</p>
            <table><tr><th>序号</th><th>机构名称</th><th>违法广告内容</th><th>处理结果</th></tr>
            <tr><td>1</td><td>某某职业培训学校</td><td>“电工证包过，不过全额退费”</td><td>罚款2万元</td></tr>
            <tr><td>2</td><td>某某教育咨询公司</td><td>保证拿证，三天出证</td><td>责令改正</td></tr></table>
            </body></html>
            """)
        #expect(report.findings.isEmpty, "\(report.findings.map { $0.finding.rule.id })")
        #expect(report.suppressed.count >= 3)
        #expect(report.suppressed.contains { $0.reason?.contains("listed in a table") == true })
    }

    /// Pages exported from a word processor wrap every cell's text in `<p>` (often with spans
    /// and without `</td>`): the row is still one line of the table.
    @Test func aWordProcessorTableIsAListing() async throws {
        let report = try await Self.check(html: """
            <html><head><meta charset="utf-8"><title>关于查处违法培训广告的通报</title></head><body>
            <p class=MsoNormal>近期，市市场监管局对以下机构的违法广告进行了查处：</p>
            <table class=MsoTableGrid border=1><tr><td><p class=MsoNormal><span>序号</span></p>
            <td><p class=MsoNormal><span>机构名称</span></p><td><p class=MsoNormal><span>违法广告内容</span></p>
            <td><p class=MsoNormal><span>处理结果</span></p></tr>
            <tr><td><p class=MsoNormal>1</p></td><td><p class=MsoNormal>某某职业培训学校</p></td>
            <td><p class=MsoNormal>网站首页：</p><p class=MsoNormal>“电工证包过，不过全额退费”</p></td><td><p class=MsoNormal>罚款2万元</p></td></tr>
            <tr><td><p>2</p></td><td><p>某某教育咨询公司</p></td><td><div>保证拿证<br>三天出证</div></td><td><p>责令改正</p></td></tr></table>
            <p>特此通报。</p></body></html>
            """)
        #expect(report.findings.isEmpty, "\(report.findings.map { $0.finding.rule.id })")
        #expect(report.suppressed.contains { $0.reason?.contains("listed in a table") == true })
    }

    /// A layout table (a cell holding a table of its own) keeps its cells' blocks: an agency
    /// page laid out in tables is no listing, and its promises are reported.
    @Test func aLayoutTableKeepsItsBlocks() async throws {
        let report = try await Self.check(html: """
            <html><head><meta charset="utf-8"><title>某某培训学校</title></head><body>
            <table><tr><td><table><tr><td>首页</td><td>课程</td><td>投诉建议</td></tr></table>
            <p>电工证培训火热招生</p><p>零基础包过，报名热线：400-000-0000</p></td></tr></table>
            </body></html>
            """)
        #expect(report.findings.map { $0.finding.rule.id }.contains("pass-guarantee.bao-guo"))
    }

    @Test func anAgencysCourseTableIsReported() async throws {
        let report = try await Self.check(html: """
            <html><head><meta charset="utf-8"><title>课程价格</title></head><body>
            <p>2024年课程一览：</p>
            <table><tr><th>课程</th><th>特色</th><th>价格</th></tr>
            <tr><td>电工证</td><td>包过班，不过全额退费</td><td>1980元</td></tr>
            <tr><td>焊工证</td><td>7天拿证</td><td>2380元</td></tr></table>
            <p>报名热线：400-000-0000</p></body></html>
            """)
        #expect(Set(report.findings.map { $0.finding.rule.id })
                == ["pass-guarantee.bao-guo", "refund-if-fail.fail-refund", "certificate-guarantee.days"])
    }
}
