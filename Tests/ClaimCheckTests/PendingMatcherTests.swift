import ClaimCheck
import ClaimText
import Foundation
import Testing
import TestSupport

/// `check` reads and decodes its targets while the lexicon loads (PendingMatcher); with one
/// page the matcher is compiled for that page's characters, with several once in full.
@Suite(.onOwnThread) struct PendingMatcherTests {
    struct LoadFailed: Error, CustomStringConvertible {
        var description: String { "lexicons/x.rules:3: unknown severity `huge`" }
    }

    let page = repositoryRoot.appendingPathComponent("fixtures/demo/agency-hongda.gbk.html").path

    /// Counts the compiles and says which were for a page's alphabet.
    final class Compiles: @unchecked Sendable {
        private let lock = NSLock()
        private var kinds: [Bool] = []   // true: for a page
        private var ended = 0
        func record(page: Bool) { lock.lock(); kinds.append(page); lock.unlock() }
        func recordFinished() { lock.lock(); ended += 1; lock.unlock() }
        var all: [Bool] { lock.lock(); defer { lock.unlock() }; return kinds }
        /// How many compiles have returned.
        var finished: Int { lock.lock(); defer { lock.unlock() }; return ended }
    }

    static func pending(delay: TimeInterval = 0, _ compiles: Compiles = Compiles()) -> PendingMatcher {
        PendingMatcher(loading: {
            Thread.sleep(forTimeInterval: delay)
            return bundledMatcher.lexicon
        }, compile: { lexicon, alphabet in
            compiles.record(page: alphabet != nil)
            defer { compiles.recordFinished() }
            return try Matcher(lexicon: lexicon, alphabet: alphabet)
        })
    }

    static func summary(_ report: TargetReport) -> [String] {
        report.findings.map { "\($0.finding.byteStart) \($0.finding.rule.id) \($0.finding.normalizations.rawValue) \($0.text)" }
            + report.suppressed.map { "suppressed \($0.finding.byteStart) \($0.finding.rule.id) \($0.reason ?? "")" }
    }

    @Test(.onOwnThread) func aCheckWaitsForASlowLoadAndFindsTheSame() {
        let started = Date()
        let compiles = Compiles()
        let pending = Self.pending(delay: 0.3, compiles)
        let slow = Checker(pending: pending).check(page)
        #expect(Date().timeIntervalSince(started) >= 0.3)
        let ready = Checker(matcher: bundledMatcher).check(page)
        #expect(slow.error == nil)
        #expect(!slow.findings.isEmpty)
        #expect(Self.summary(slow) == Self.summary(ready))
        #expect(compiles.all == [true], "one compile, for the page")
        #expect(!pending.hasFailed)
        #expect(pending.error() == nil)
    }

    /// Every fixture page and text, checked alone (a matcher for its characters), finds what
    /// the full matcher finds: findings, suppressed matches and their reasons.
    @Test(.onOwnThread) func onePageMatchersFindWhatTheFullMatcherFinds() throws {
        let fixtures = repositoryRoot.appendingPathComponent("fixtures")
        let paths = ["pages/med66.com.gbk.html", "pages/med66.com.html", "pages/zikao365.com.gbk.html", "pages/zikao365.com.html",
                     "demo/agency-hongda.gbk.html", "demo/agency-mingde.html", "demo/notice.txt"].map { fixtures.appendingPathComponent($0).path }
        var reported = 0
        for path in paths {
            let alone = Checker(pending: Self.pending()).check(path)
            let full = Checker(matcher: bundledMatcher).check(path)
            #expect(alone.error == nil)
            #expect(Self.summary(alone) == Self.summary(full), "\(path)")
            reported += Self.summary(full).count
        }
        #expect(reported > 20, "the fixtures should have findings to compare (\(reported))")
    }

    @Test func severalPagesShareOneFullCompile() {
        let compiles = Compiles()
        let pending = Self.pending(compiles)
        pending.compileForAllPages()
        let checker = Checker(pending: pending)
        let first = checker.check(page)
        let second = checker.check(repositoryRoot.appendingPathComponent("fixtures/demo/agency-mingde.html").path)
        #expect(first.error == nil && second.error == nil)
        #expect(!first.findings.isEmpty)
        #expect(Self.summary(second) == Self.summary(Checker(matcher: bundledMatcher).check(repositoryRoot.appendingPathComponent("fixtures/demo/agency-mingde.html").path)))
        #expect(compiles.all == [false], "one full compile for both pages")
    }

    /// One URL: the full lexicon compiles meanwhile; the page takes it if it is ready, and
    /// compiles its own if not (a fast fetch does not wait for the slower full compile).
    @Test(.onOwnThread) func aBackgroundCompileIsUsedOnlyIfItIsReady() async throws {
        let ready = Compiles()
        let first = Self.pending(ready)
        first.compileInBackground()
        // Wait until PendingMatcher has stored the full compile (a fixed 2 s sleep was not
        // always enough on a busy machine).
        #expect(await waitUntil { first.fullMatcherIsReady }, "the full compile finished")
        #expect(ready.finished == 1)
        let a = Checker(pending: first).check(page)
        #expect(ready.all == [false], "the page took the full matcher")

        let slow = Compiles()
        let second = PendingMatcher(loading: { bundledMatcher.lexicon }, compile: { lexicon, alphabet in
            slow.record(page: alphabet != nil)
            // Long enough that the page below is surely ready first, even on a busy machine
            // (the test does not wait for this compile).
            if alphabet == nil { Thread.sleep(forTimeInterval: 5) }
            return try Matcher(lexicon: lexicon, alphabet: alphabet)
        })
        second.compileInBackground()
        let b = Checker(pending: second).check(page)
        #expect(slow.all.contains(true), "the page compiled its own instead of waiting")
        #expect(Self.summary(a) == Self.summary(b))
        #expect(!a.findings.isEmpty)
    }

    /// A large page (2 MB by default; the limit lowered here) starts the full compile before
    /// it is read (its characters cover most of the lexicon anyway); the findings are the same
    /// whichever matcher is used. A page below the limit does not.
    @Test func aLargePageStartsTheFullCompileAtOnce() async throws {
        let file = repositoryRoot.appendingPathComponent("fixtures/pages/med66.com.html").path
        let compiles = Compiles()
        var checker = Checker(pending: Self.pending(compiles))
        checker.largePage = 100_000
        let report = checker.check(file)
        #expect(report.error == nil)
        #expect(await waitUntil { compiles.all.contains(false) }, "the full compile was started")
        #expect(Self.summary(report) == Self.summary(Checker(matcher: bundledMatcher).check(file)))
        #expect(report.findings.count > 5)

        let small = Compiles()
        _ = Checker(pending: Self.pending(small)).check(file)
        #expect(small.all == [true], "below 2 MB the page compiles its own matcher only")
    }

    @Test func aFailedLoadBecomesTheReportsErrorNotFindings() {
        let pending = PendingMatcher(loading: { throw LoadFailed() }, compile: { lexicon, alphabet in try Matcher(lexicon: lexicon, alphabet: alphabet) })
        let report = Checker(pending: pending).check(page)
        #expect(report.findings.isEmpty)
        #expect(report.errorKind == "lexicon")
        #expect(report.error?.contains("lexicons/x.rules:3: unknown severity `huge`") == true)
        #expect(pending.hasFailed)
        #expect(pending.error() is LoadFailed)
    }

    /// A lexicon that loads but does not compile is reported even when no page was read (so
    /// no page's matcher was ever compiled).
    @Test func aBrokenLexiconIsReportedWhenNoPageWasRead() throws {
        let broken = try LexiconParser.parse([("x.rules", brokenRuleFile)])
        let pending = PendingMatcher(loading: { broken }, compile: { lexicon, alphabet in try Matcher(lexicon: lexicon, alphabet: alphabet) })
        let report = Checker(pending: pending).check("/nonexistent/page.html")
        #expect(report.errorKind == "read")
        #expect(!pending.hasFailed, "nothing compiled yet")
        let error = pending.error()
        #expect(error is LexiconErrors)
        #expect("\(error.map { "\($0)" } ?? "")".contains("x.rules"))
        #expect(pending.hasFailed)
    }
}
