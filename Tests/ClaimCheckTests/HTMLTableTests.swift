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
