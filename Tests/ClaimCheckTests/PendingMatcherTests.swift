import ClaimCheck
import ClaimText
import Foundation
import Testing
import TestSupport

/// `check` reads and decodes its targets while the lexicon compiles (PendingMatcher).
@Suite struct PendingMatcherTests {
    struct CompileFailed: Error, CustomStringConvertible {
        var description: String { "lexicons/x.rules:3: unknown severity `huge`" }
    }

    let page = repositoryRoot.appendingPathComponent("fixtures/demo/agency-hongda.gbk.html").path

    @Test func aCheckWaitsForASlowCompileAndFindsTheSame() {
        let started = Date()
        let pending = PendingMatcher {
            Thread.sleep(forTimeInterval: 0.3)
            return bundledMatcher
        }
        let slow = Checker(pending: pending).check(page)
        #expect(Date().timeIntervalSince(started) >= 0.3)
        let ready = Checker(matcher: bundledMatcher).check(page)
        #expect(slow.error == nil)
        #expect(!slow.findings.isEmpty)
        #expect(slow.findings.map(\.finding.byteStart) == ready.findings.map(\.finding.byteStart))
        #expect(slow.findings.map(\.finding.rule.id) == ready.findings.map(\.finding.rule.id))
        #expect(!pending.hasFailed)
    }

    @Test func aFailedCompileBecomesTheReportsErrorNotFindings() {
        let pending = PendingMatcher { throw CompileFailed() }
        let report = Checker(pending: pending).check(page)
        #expect(report.findings.isEmpty)
        #expect(report.errorKind == "lexicon")
        #expect(report.error?.contains("lexicons/x.rules:3: unknown severity `huge`") == true)
        #expect(pending.hasFailed)
        if case .success = pending.result() { Issue.record("a failed compile reported success") }
    }
}
