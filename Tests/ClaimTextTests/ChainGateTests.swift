import Foundation
import Testing
@testable import ClaimText

/// The chain gate (a later term's hit is dropped when it starts farther than its gap's window
/// after every occurrence so far of the term before) and the two-pass scan it feeds must
/// change no result: they only skip work that cannot lead to a match.
@Suite struct ChainGateTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Everything a scan reports, as text: findings and suppressed matches, with places,
    /// normalizations and reasons.
    static func summary(_ result: ScanResult) -> [String] {
        func describe(_ f: Finding) -> String {
            "\(f.rule.id) \(f.severity) \(f.scalarRange) \(f.byteStart)..<\(f.byteEnd) \(f.visibleText) \(f.phrase) \(f.pattern) \(f.normalizations.rawValue)"
        }
        return result.findings.map(describe) + result.suppressed.map { "suppressed \(describe($0.finding)) \($0.reason)" }
    }

    /// The rules' own examples and every labelled text of the evaluation corpora.
    static func texts(_ lexicon: Lexicon) throws -> [String] {
        var texts = lexicon.rules.flatMap { $0.mustMatch.map(\.text) + $0.mustNotMatch.map(\.text) }
        let eval = repository.appendingPathComponent("fixtures/eval")
        let files = try FileManager.default.contentsOfDirectory(atPath: eval.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(files.count >= 10, "evaluation corpora not found in \(eval.path)")
        for file in files {
            let content = try String(contentsOf: eval.appendingPathComponent(file), encoding: .utf8)
            for line in content.split(separator: "\n") where !line.isEmpty {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let text = object?["text"] as? String { texts.append(text) }
            }
        }
        return texts
    }

    @Test func bundledLexiconFindsTheSameWithAndWithoutTheGate() throws {
        let lexicon = try LexiconParser.load(path: Self.repository.appendingPathComponent("lexicons").path)
        let gated = try Matcher(lexicon: lexicon)
        let ungated = try Matcher(lexicon: lexicon, chainGate: false)
        #expect(gated.chainPrevious.contains { $0 >= 0 }, "the bundled rules should have gated terms")
        #expect(ungated.chainPrevious.allSatisfy { $0 < 0 })
        let texts = try Self.texts(lexicon)
        #expect(texts.count > 4_000)
        var differences = 0, reported = 0
        for text in texts {
            let a = Self.summary(gated.scan(text: text)), b = Self.summary(ungated.scan(text: text))
            reported += a.count
            if a != b {
                differences += 1
                if differences <= 5 { Issue.record("gate changes the result for «\(text)»:\n\(a)\nvs\n\(b)") }
            }
        }
        #expect(differences == 0)
        #expect(reported > 1_000)
    }

    static let source = """
    [rule g.all-passed]
    category = testimonial
    severity = medium
    basis = 广告法第二十四条第（三）项
    description = 学员全部通过
    pattern = 学员 ~8 全部 ~2 通过
    match = 本期学员全部通过
    nomatch = 学员须知：全部课程结束后参加统一考试，考试通过后发证

    [rule g.count]
    category = testimonial
    severity = low
    basis = 广告法第二十四条第（三）项
    description = 人数 + 通过
    pattern = <num>人 ~4 通过
    pattern = 通过<num> ~2 人次
    match = 今年30人通过考试
    nomatch = 今年30人报名

    [rule g.overlap]
    category = pass-guarantee
    severity = high
    basis = 广告法第二十四条第（一）项
    description = 重叠
    pattern = 包 ~2 包过
    match = 包包过
    nomatch = 包裹
    """

    func found(_ text: String, _ m: Matcher) -> [String] {
        m.scan(text: text).findings.map { "\($0.rule.id):\($0.visibleText)" }
    }

    @Test func gatedTermsStillMatchWithinTheirWindows() throws {
        let lexicon = try LexiconParser.parse([("gate.rules", Self.source)])
        let m = try Matcher(lexicon: lexicon)
        // 全部 is gated on 学员 (window 8), 通过 on 全部 (window 2).
        #expect(found("本期学员全部通过", m) == ["g.all-passed:学员全部通过"])
        #expect(found("学员报名后按时上课，认真复习，全部通过", m).isEmpty)   // 全部 eleven after 学员
        // At the window's edge: eight characters between 学员 and 全部, then nine.
        #expect(found("学员甲乙丙丁戊己庚辛全部通过", m) == ["g.all-passed:学员甲乙丙丁戊己庚辛全部通过"])
        #expect(found("学员甲乙丙丁戊己庚辛壬全部通过", m).isEmpty)
        // A far occurrence first, then a near one: the latest occurrence counts.
        #expect(found("学员须知。本班所有学员全部通过", m) == ["g.all-passed:学员全部通过"])
        #expect(found("学员全部参加了，然后通过", m).isEmpty)
        // Disguised later terms are gated like plain ones.
        #expect(found("学员全部tongguo", m) == ["g.all-passed:学员全部tongguo"])
        #expect(found("学员全部通 ★ 过", m) == ["g.all-passed:学员全部通 ★ 过"])
        // A term after one with a leading token (<num>人): gated on the literal's end.
        #expect(found("今年30人通过考试", m) == ["g.count:30人通过"])
        #expect(found("今年30人报名，经过三个月的学习和复习以后全部通过", m).isEmpty)
        // A term after one with a trailing token: its end is not known, no gate.
        #expect(found("通过98 人次", m) == ["g.count:通过98 人次"])
        // The latest occurrence of the term before may end after this one starts.
        #expect(found("包包过", m) == ["g.overlap:包包过"])
        let (passed, failures) = m.testExamples()
        #expect(failures.isEmpty, "\(failures)")
        #expect(passed == 6)
    }

    @Test func gatesAreBuiltFromTheGaps() throws {
        let lexicon = try LexiconParser.parse([("gate.rules", Self.source)])
        let m = try Matcher(lexicon: lexicon)
        let slots = m.termSlot[0][0]   // 学员 ~8 全部 ~2 通过
        var windows: [Int32: Set<Int32>] = [:]
        for k in m.payloadSlot.indices where m.payloadSlot[k] >= 0 && m.chainPrevious[k] >= 0 {
            #expect(m.chainPrevious[k] == m.payloadSlot[k] - 1)
            windows[m.payloadSlot[k], default: []].insert(m.chainWindow[k])
        }
        #expect(windows[Int32(slots[1])] == [8])
        #expect(windows[Int32(slots[2])] == [2])
        #expect(windows[Int32(slots[0])] == nil)
        // <num>人 ~4 通过: 通过 follows a leading token only — gated; 通过<num> ~2 人次: after a trailing token — not.
        #expect(windows[Int32(m.termSlot[1][0][1])] == [4])
        #expect(windows[Int32(m.termSlot[1][1][1])] == nil)
    }
}
