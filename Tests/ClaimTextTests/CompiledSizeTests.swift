import Testing
@testable import ClaimText

/// The compiled lexicon stays in memory for a whole crawl; the per-literal and per-state
/// records are kept small on purpose (README, "Where a crawl's memory goes").
struct CompiledSizeTests {
    @Test func recordsStaySmall() {
        #expect(MemoryLayout<Matcher.Payload>.stride <= 20)
        #expect(MemoryLayout<AhoCorasick.Node>.stride == 16)
        #expect(MemoryLayout<Matcher.Syllable>.stride == 8)
    }

    @Test func aLexiconWhoseIndicesDoNotFitIsRefused() throws {
        // One rule with 33,000 alternatives in one term: more than a 16-bit index holds.
        let alternatives = (0..<33_000).map { "词\($0)" }.joined(separator: " | ")
        let text = """
        [rule t.big]
        category = pass-guarantee
        severity = high
        basis = 测试
        description = 太多
        pattern = \(alternatives)
        match = 词1
        nomatch = 别的
        """
        let lexicon = try LexiconParser.parse([("big.rules", text)])
        #expect(throws: LexiconErrors.self) { try Matcher(lexicon: lexicon) }
        do { _ = try Matcher(lexicon: lexicon) } catch {
            #expect(error.description.contains("lexicon too large"))
        }
    }
}
