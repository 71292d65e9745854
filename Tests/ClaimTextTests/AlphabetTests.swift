import Foundation
import Testing
@testable import ClaimText
import TestSupport

/// A matcher compiled for one text's characters (`Matcher(lexicon:alphabet:)`, what `check`
/// builds for a single page) leaves out the literals that cannot occur there; on any text
/// within that alphabet it must find exactly what the full matcher finds.
@Suite struct AlphabetTests {
    typealias Gate = ChainGateTests

    /// Compares, batch by batch, a matcher compiled for the batch's alphabet with the full one;
    /// returns how many texts differ and how many literals the batch matchers kept on average.
    static func compareInBatches(_ lexicon: Lexicon, _ full: Matcher, _ texts: [String], batch: Int) throws -> (differences: Int, keptLiterals: Double) {
        var differences = 0, kept = 0, batches = 0
        for first in stride(from: 0, to: texts.count, by: batch) {
            let group = Array(texts[first..<min(first + batch, texts.count)])
            let alphabet = Alphabet(group.map { TextRun(utf8Text: $0) })
            let pruned = try Matcher(lexicon: lexicon, alphabet: alphabet)
            kept += pruned.literalCount; batches += 1
            for text in group where Gate.summary(pruned.scan(text: text)) != Gate.summary(full.scan(text: text)) {
                differences += 1
                if differences <= 5 { Issue.record("the alphabet's matcher differs on \(text.debugDescription):\n\(Gate.summary(pruned.scan(text: text)))\nvs\n\(Gate.summary(full.scan(text: text)))") }
            }
        }
        return (differences, Double(kept) / Double(max(batches, 1)))
    }

    @Test(.onOwnThread) func bundledLexiconOnEveryExampleAndEvaluationText() throws {
        let lexicon = try LexiconParser.load(path: Gate.repository.appendingPathComponent("lexicons").path)
        let full = try Matcher(lexicon: lexicon)
        let texts = try Gate.texts(lexicon) + Gate.randomTexts(lexicon, count: 2_000, seed: 11)
        #expect(texts.count > 6_000)
        let (differences, kept) = try Self.compareInBatches(lexicon, full, texts, batch: 150)
        #expect(differences == 0)
        #expect(kept < Double(full.literalCount) * 0.8, "batches of 150 texts should need fewer than the \(full.literalCount) literals (kept \(kept))")
    }

    /// Text by text with the stress lexicon (cheap to compile): pinyin spellings kept or
    /// dropped by which of their characters and letters a text has.
    @Test(.onOwnThread) func stressLexiconTextByText() throws {
        let bundled = try LexiconParser.load(path: Gate.repository.appendingPathComponent("lexicons").path)
        var lexicon = try LexiconParser.parse([("stress.rules", Gate.stressSource)])
        lexicon.negation = bundled.negation
        let full = try Matcher(lexicon: lexicon)
        let pieces = ["包", "过", "包过", "通过", "百分百", "98%", "30", "人", "保证", "天", "拿证", "pass", " ", "rate", "学员", "全部", "全部通过率",
                      "包过程", "据说", "吗", "人次", "baoguo", "bao", "guo", "bao guo", "na zheng", "nazheng", "zheng", "退费", "，", "。", "？", "\n",
                      "严禁", "不得", "的", "a", "1", "★", "bao4", "guo4", "bāoguǒ", "Bao过", "包guo", "na证", "拿zheng", "甲"]
        var rng = Gate.SplitMix(state: 23)
        let texts = (0..<1_500).map { _ in (0..<Int.random(in: 1...14, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
        let (differences, _) = try Self.compareInBatches(lexicon, full, texts, batch: 1)
        #expect(differences == 0)
    }

    @Test(.onOwnThread) func aPageMatcherKeepsOnlyWhatCanOccur() throws {
        let lexicon = try LexiconParser.load(path: Gate.repository.appendingPathComponent("lexicons").path)
        let full = try Matcher(lexicon: lexicon)
        for text in ["本校承诺：报名即包过，考不过全额退费！", "BAO過 ， na证快", "今天天气很好。"] {
            let pruned = try Matcher(lexicon: lexicon, alphabet: Alphabet([TextRun(utf8Text: text)]))
            #expect(pruned.literalCount * 20 < full.literalCount, "\(text): kept \(pruned.literalCount) of \(full.literalCount)")
            #expect(Gate.summary(pruned.scan(text: text)) == Gate.summary(full.scan(text: text)))
        }
        // The literals found are there: bao过 and na证 only from their pinyin spellings.
        let disguised = "BAO過 ， na证快"
        let pruned = try Matcher(lexicon: lexicon, alphabet: Alphabet([TextRun(utf8Text: disguised)]))
        #expect(!pruned.scan(text: disguised).findings.isEmpty)
        // Nothing of the page: no literal at all, and a broken lexicon still fails.
        let empty = try Matcher(lexicon: lexicon, alphabet: Alphabet([]))
        #expect(empty.literalCount == 0)
        let broken = try LexiconParser.parse([("x.rules", brokenRuleFile)])
        #expect(throws: LexiconErrors.self) { try Matcher(lexicon: broken, alphabet: Alphabet([])) }
    }
}
