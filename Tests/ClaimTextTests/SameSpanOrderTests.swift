import Testing
@testable import ClaimText

/// Hits with the same span (a pinyin spelling and a literal, two homophone phrases) report
/// the term's first alternative, as when every spelling was a literal of the automaton.
@Suite struct SameSpanOrderTests {
    func found(_ text: String, _ m: Matcher) -> [String] {
        m.scan(text: text).findings.map { "\($0.rule.id):\($0.visibleText):\($0.phrase):\($0.severity)" }
    }

    /// Two homophone phrases of one term (包过 | 保过) whose phrases were first met in the
    /// other order (保过 in an earlier rule): the old matcher listed the shared spelling's
    /// payloads in insertion order (alternative 0 first), the new one sorts by literal id.
    @Test func homophoneAlternativesKeepTheirOrder() throws {
        let source = """
        \(TestRules.rule("y.a", category: "pass-guarantee", description: "a", pattern: "保过", match: "本班保过", nomatch: "稳定"))

        \(TestRules.rule("y.b", category: "pass-guarantee", description: "b", pattern: "包过 | 保过", match: "本班包过", nomatch: "稳定"))
        """
        let m = try Matcher(lexicon: LexiconParser.parse([("y.rules", source)]))
        // Old matcher (7f6b5bd^): y.b reports phrase 包过.
        #expect(found("本班bao过，报名从速", m).contains("y.b:bao过:包过:critical"))
        #expect(found("本班baoguo哦", m).contains("y.b:baoguo:包过:critical"))
    }

    /// A lexicon phrase written in letters that is also a spelling of another alternative
    /// (包过 | bao过): old = one literal, the spelled payload first; new = the automaton's
    /// hit first, so the finding is reported as not disguised.
    @Test func literalEqualToASpelling() throws {
        let source = TestRules.rule("z.a", category: "pass-guarantee", description: "a", pattern: "包过 | bao过", match: "本班包过", nomatch: "稳定")
        let m = try Matcher(lexicon: LexiconParser.parse([("z.rules", source)]))
        // Old matcher: phrase 包过, severity critical, normalizations [pinyin].
        #expect(found("本班bao过，报名从速", m) == ["z.a:bao过:包过:critical"])
    }
}
