import Testing
@testable import ClaimText

/// The compiled lexicon stays in memory for a whole crawl; the per-literal and per-state
/// records are kept small on purpose (README, "Where a crawl's memory goes").
struct CompiledSizeTests {
    @Test func recordsStaySmall() {
        #expect(MemoryLayout<Matcher.Payload>.stride <= 12)
        #expect(MemoryLayout<AhoCorasick.Node>.stride == 16)
        #expect(MemoryLayout<Matcher.Syllable>.stride == 8)
    }

    @Test func aScanCompilesTheLexiconWithoutItsExamples() throws {
        let lexicon = try LexiconParser.parse([("t.rules", """
        \(TestRules.baoGuo(pattern: "包过"))
        """)])
        let bare = lexicon.withoutExamples()
        #expect(bare.rules.allSatisfy { $0.mustMatch.isEmpty && $0.mustNotMatch.isEmpty })
        #expect(lexicon.rules[0].mustMatch.count == 1)
        let matcher = try Matcher(lexicon: bare)
        #expect(matcher.scan(text: "本班包过").findings.map(\.rule.id) == ["t.bao-guo"])
    }
}
