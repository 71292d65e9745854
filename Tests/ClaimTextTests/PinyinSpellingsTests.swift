import Testing
@testable import ClaimText

/// Pinyin spellings are found by ``PinyinSpellings`` beside the automaton, not listed in it:
/// every way of writing a phrase partly or wholly in pinyin, and nothing that only sounds alike.
@Suite struct PinyinSpellingsTests {
    static let source = """
    \(TestRules.baoGuo())

    \(TestRules.rule("t.na-zheng", category: "certificate-guarantee", description: "包拿证", pattern: "包拿证书",
                     match: "包拿证书", nomatch: "拿证书"))
    """

    func found(_ text: String, _ m: Matcher) -> [String] {
        m.scan(text: text).findings.map { "\($0.rule.id):\($0.visibleText)" }
    }

    @Test func everyMixOfHanAndPinyin() throws {
        let m = try Matcher(lexicon: LexiconParser.parse([("p.rules", Self.source)]))
        #expect(found("本班bao过", m) == ["t.bao-guo:bao过"])
        #expect(found("本班包guo", m) == ["t.bao-guo:包guo"])
        #expect(found("本班baoguo哦", m) == ["t.bao-guo:baoguo"])
        #expect(found("本班bao過", m) == ["t.bao-guo:bao過"])
        // Two runs of letters in one phrase, with a Han character between them.
        #expect(found("这里bao拿zheng书", m) == ["t.na-zheng:bao拿zheng书"])
        #expect(found("这里baonazhengshu", m) == ["t.na-zheng:baonazhengshu"])
        // The phrase's own Han characters only: the automaton's literal, reported once.
        #expect(found("本班包过", m) == ["t.bao-guo:包过"])
    }

    @Test func soundingAlikeIsNotSpelling() throws {
        let m = try Matcher(lexicon: LexiconParser.parse([("p.rules", Self.source)]))
        // A Han homophone where the phrase has another character.
        #expect(found("bao国", m).isEmpty)
        #expect(found("报guo", m).isEmpty)
        #expect(found("爆过bao", m).isEmpty)
        // Part of a longer Latin word, or too short and alone.
        #expect(found("kabaoguo", m).isEmpty)
        #expect(found("本班bao过kk", m) == ["t.bao-guo:bao过"])
        // Written tones that are not the phrase's (bāoguǒ is 包裹).
        #expect(found("本班bāoguǒ哦", m).isEmpty)
        #expect(found("本班bāoguò哦", m) == ["t.bao-guo:bāoguò"])
    }

    @Test func aRuleBelowMediumGetsNoAllLatinSpelling() throws {
        let low = TestRules.rule("t.low", category: "pass-guarantee", description: "低", pattern: "稳过班",
                                 match: "稳过班", nomatch: "稳定").replacingOccurrences(of: "severity = high", with: "severity = low")
        let m = try Matcher(lexicon: LexiconParser.parse([("l.rules", low)]))
        #expect(found("这个wen过班", m) == ["t.low:wen过班"])
        #expect(found("这个wenguoban", m).isEmpty)
    }

    @Test func spellingsAreNotAutomatonLiterals() throws {
        let m = try Matcher(lexicon: LexiconParser.parse([("p.rules", Self.source)]))
        // 包过, 保过 and 包拿证书: three phrases, each searched once by its reading.
        #expect(m.spelledPhraseCount == 3)
        #expect(m.spellings.reachUnits == 3)
    }

    @Test func aPageMatcherFindsTheSameSpellings() throws {
        let lexicon = try LexiconParser.parse([("p.rules", Self.source)])
        let full = try Matcher(lexicon: lexicon)
        for text in ["本班bao过", "这里bao拿zheng书", "本班baoguo哦", "bao国", "没有拼音的文字包过"] {
            let page = try Matcher(lexicon: lexicon, alphabet: Alphabet([TextRun(utf8Text: text)]))
            #expect(found(text, page) == found(text, full), "\(text)")
        }
        // No Latin letter on the page: no phrase is kept for spelling.
        #expect(try Matcher(lexicon: lexicon, alphabet: Alphabet([TextRun(utf8Text: "只有汉字包过")])).spelledPhraseCount == 0)
    }
}
