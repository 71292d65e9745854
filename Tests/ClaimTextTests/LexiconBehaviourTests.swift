import Foundation
import Testing
@testable import ClaimText

/// Behaviour of the bundled lexicon (lexicons/) beyond each rule's own
/// examples: whole sentences, several rules at once, and the lint checks.
@Suite struct LexiconBehaviourTests {
    static let matcher: Matcher = {
        let lexicon = try! LexiconParser.load(path: LexiconFilesTests.directory)
        return try! Matcher(lexicon: lexicon)
    }()

    func rules(_ text: String) -> [String] {
        Self.matcher.scan(text: text).findings.map(\.rule.id)
    }

    @Test func lintIsClean() {
        let warnings = Self.matcher.lint()
        for w in warnings { print("lint: \(w)") }
        #expect(warnings.isEmpty)
    }

    /// Debug aid: CLAIMSCAN_PROBE="text" swift test --filter probe
    @Test func probe() {
        guard let text = ProcessInfo.processInfo.environment["CLAIMSCAN_PROBE"] else { return }
        for line in text.split(separator: "\n") {
            let result = Self.matcher.scan(text: String(line))
            print("PROBE \(line)")
            for f in result.findings { print("  FOUND \(f.rule.id) 「\(f.visibleText)」 \(f.severity)") }
            for s in result.suppressed { print("  SUPPRESSED \(s.finding.rule.id) 「\(s.finding.visibleText)」 \(s.reason)") }
        }
    }
}
