import Foundation
import Testing
@testable import ClaimText
import TestSupport

/// The scan's shortcuts — the chain gate (a later term's hit is dropped when it starts farther
/// than its gap's window after every occurrence so far of the term before) and the first pass
/// that stops runs where no pattern can be complete — must change no result: they only skip
/// work that cannot lead to a match. Each test compares a matcher with them against the plain
/// one-pass scan (`shortcuts: false`).
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

    /// Scans every text with both matchers and records an issue for each text (up to five)
    /// where they differ; returns how many differ, how many reports the plain scan made and
    /// which patterns it matched (reported or suppressed).
    static func compare(_ fast: Matcher, _ plain: Matcher, _ texts: [String]) -> (differences: Int, reported: Int, patterns: Set<String>) {
        var differences = 0, reported = 0, patterns = Set<String>()
        for text in texts {
            let result = plain.scan(text: text)
            let a = summary(fast.scan(text: text)), b = summary(result)
            reported += b.count
            for f in result.findings + result.suppressed.map(\.finding) { patterns.insert(f.pattern) }
            if a != b {
                differences += 1
                if differences <= 5 { Issue.record("the shortcuts change the result for \(text.debugDescription):\n\(a)\nvs\n\(b)") }
            }
        }
        return (differences, reported, patterns)
    }

    @Test(.onOwnThread) func bundledLexiconFindsTheSameWithAndWithoutTheShortcuts() throws {
        let lexicon = try LexiconParser.load(path: Self.repository.appendingPathComponent("lexicons").path)
        let gated = try Matcher(lexicon: lexicon)
        let ungated = try Matcher(lexicon: lexicon, shortcuts: false)
        #expect(gated.chainPrevious.contains { $0 >= 0 }, "the bundled rules should have gated terms")
        #expect(ungated.chainPrevious.allSatisfy { $0 < 0 })
        let texts = try Self.texts(lexicon)
        #expect(texts.count > 4_000)
        let (differences, reported, _) = Self.compare(gated, ungated, texts)
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
        let previous = m.chainPrevious, window = m.chainWindow   // (copies: read once)
        #expect(previous.count == m.slotCount)
        for slot in previous.indices where previous[slot] >= 0 {
            #expect(previous[slot] == Int32(slot) - 1)
            windows[Int32(slot), default: []].insert(window[slot])
        }
        #expect(windows[Int32(slots[1])] == [8])
        #expect(windows[Int32(slots[2])] == [2])
        #expect(windows[Int32(slots[0])] == nil)
        // <num>人 ~4 通过: 通过 follows a leading token only — gated; 通过<num> ~2 人次: after a trailing token — not.
        #expect(windows[Int32(m.termSlot[1][0][1])] == [4])
        #expect(windows[Int32(m.termSlot[1][1][1])] == nil)
    }

    /// A deterministic generator for the random texts below (SplitMix64).
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Random texts made of the lexicon's own words (terms with their tokens, exclusions,
    /// guards, cues), Han filler, punctuation, numbers and pinyin; two thirds of them place a
    /// pattern's terms at distances around its gaps' windows, with decoy repeats.
    static func randomTexts(_ lexicon: Lexicon, count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix(state: seed)
        func num() -> String { ["3", "30", "98", "1.5", "七", "十五", "两", "100", "52", "51", "0"].randomElement(using: &rng)! }
        func pct() -> String { ["98%", "100%", "百分之百", "百分之九十八", "百分百", "9%", "90.5%"].randomElement(using: &rng)! }
        func render(_ a: TermAlternative) -> String {
            var s = ""
            if let t = a.leading { s += t == .number ? num() : pct() }
            s += a.literal
            if let t = a.trailing { s += (Bool.random(using: &rng) ? "" : " ") + (t == .number ? num() : pct()) }
            return s
        }
        var words: [String] = [], patterns: [Pattern] = []
        for rule in lexicon.rules {
            for p in rule.patterns { patterns.append(p); for t in p.terms { for a in t { words.append(render(a)) } } }
            words += rule.exclusions + rule.unlessBefore + rule.unlessAfter
        }
        let n = lexicon.negation
        for w in n.before + n.after + n.breaks + n.exclusions + n.answers + n.mentions + n.reports + n.questions + lexicon.globalExclusions {
            words += w.split(separator: "~").map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "0123456789~ ")) }.filter { !$0.isEmpty }
        }
        let han = Array(Set(words.joined().unicodeScalars.filter { $0.value >= 0x4E00 })).sorted().map(String.init)
        let punctuation = ["，", "。", "？", "！", "\n", " ", "★", "、", "：", "?", "\r\n", "；", "…", "“", "”", "(", ")", ".", ",", "  ", "?\n", "？\n\n"]
        let latin = ["bao guo", "baoguo", "b a o", "tongguo", "tong guo", "pass", "100% pass", "bao4guo4", "bāoguǒ", "na zheng", "nazheng", "Baoguo"]
        func filler(_ k: Int) -> String {
            (0..<k).map { _ in Int.random(in: 0..<10, using: &rng) < 8 ? han.randomElement(using: &rng)! : punctuation.randomElement(using: &rng)! }.joined()
        }
        return (0..<count).map { _ in
            var s = ""
            if Int.random(in: 0..<3, using: &rng) == 0 {
                for _ in 0..<Int.random(in: 3...30, using: &rng) {
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0..<5: s += words.randomElement(using: &rng)!
                    case 5..<7: s += filler(Int.random(in: 0...6, using: &rng))
                    case 7: s += punctuation.randomElement(using: &rng)!
                    case 8: s += latin.randomElement(using: &rng)!
                    default: s += Bool.random(using: &rng) ? num() : pct()
                    }
                }
                return s
            }
            let p = patterns.randomElement(using: &rng)!
            s += filler(Int.random(in: 0...4, using: &rng))
            for (t, term) in p.terms.enumerated() {
                if Int.random(in: 0..<4, using: &rng) == 0 { s += words.randomElement(using: &rng)! }
                s += render(term.randomElement(using: &rng)!)
                guard t < p.gaps.count else { continue }
                let window = p.gaps[t].window
                var k = max(0, window + Int.random(in: -3...2, using: &rng))
                if Bool.random(using: &rng) { k = Int.random(in: 0...window, using: &rng) }
                if Int.random(in: 0..<5, using: &rng) == 0 { s += render(term.randomElement(using: &rng)!) }   // a decoy repeat
                s += filler(k)
            }
            s += filler(Int.random(in: 0...6, using: &rng))
            if Int.random(in: 0..<3, using: &rng) == 0 { s += words.randomElement(using: &rng)! }
            return s
        }
    }

    @Test(.onOwnThread) func randomTextsFindTheSameWithAndWithoutTheShortcuts() throws {
        let lexicon = try LexiconParser.load(path: Self.repository.appendingPathComponent("lexicons").path)
        let fast = try Matcher(lexicon: lexicon), plain = try Matcher(lexicon: lexicon, shortcuts: false)
        let (differences, reported, _) = Self.compare(fast, plain, Self.randomTexts(lexicon, count: 4_000, seed: 1))
        #expect(differences == 0)
        #expect(reported > 2_000, "the random texts should trigger many rules (\(reported) reports)")
    }

    /// Patterns written to stress the gate: a term that is a prefix of the next, a window of
    /// 0, tokens before and after terms, a term mixing a token with a literal, all-token
    /// patterns, Latin and pinyin terms, exclusions and guards per rule.
    static let stressSource = """
    [rule x.a]
    category = pass-guarantee
    severity = high
    basis = 广告法第二十四条第（一）项
    description = 组合
    pattern = 包 ~2 包过
    pattern = 通过 ~0 通过
    pattern = <pct>|百分百 ~4 通过 ~2 <num>人
    pattern = 保证 ~3 <num>天|两周 ~2 拿证
    pattern = pass ~3 rate ~2 <pct>
    pattern = 学员 ~~ 全部 ~1 通过
    pattern = 过 ~1 包 ~1 过
    exclude = 全部通过率
    exclude = 包过程
    unless-before = 据说
    unless-after = 吗
    match = 包包过
    nomatch = 包裹

    [rule x.b]
    category = testimonial
    severity = low
    basis = 广告法第二十四条第（三）项
    description = 组合
    pattern = <pct> ~3 <num>人
    pattern = <num>人 ~2 通过 ~2 <num>人
    pattern = 通过<num> ~2 人次 ~1 通过
    pattern = 拿证 ~~4 包
    pattern = baoguo ~2 na zheng
    exclude = 人次通过
    unless-after = 吧
    match = 30人通过了30人
    nomatch = 人次

    [rule x.c]
    category = pass-guarantee
    severity = medium
    basis = 广告法第二十四条第（一）项
    description = 组合
    pattern = 包过 ~~ 退费
    pattern = 全部 ~5 <pct>|百分百 ~2 通过
    pattern = 通过 ~~~12 baoguo|退费
    match = 包过，不然退费
    nomatch = 退费
    """

    @Test(.onOwnThread) func stressLexiconFindsTheSameWithAndWithoutTheShortcuts() throws {
        let bundled = try LexiconParser.load(path: Self.repository.appendingPathComponent("lexicons").path)
        var lexicon = try LexiconParser.parse([("stress.rules", Self.stressSource)])
        lexicon.negation = bundled.negation
        let fast = try Matcher(lexicon: lexicon), plain = try Matcher(lexicon: lexicon, shortcuts: false)
        let pieces = ["包", "过", "包过", "通过", "百分百", "98%", "100%", "30", "人", "30人", "保证", "天", "两周", "拿证", "pass", " ", "rate", "学员", "全部",
                      "全部通过率", "包过程", "据说", "吗", "吧", "人次", "人次通过", "baoguo", "bao guo", "na zheng", "nazheng", "退费", "，", "。", "？", "\n", "！",
                      "严禁", "不得", "的", "了", "是", "在", "a", "1", "七", "★", "·", "bao4", "guo4", "bāoguǒ", "、", "甲", "乙", "丙"]
        var rng = SplitMix(state: 7)
        let texts = (0..<6_000).map { _ in (0..<Int.random(in: 2...25, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
        let (differences, reported, patternsSeen) = Self.compare(fast, plain, texts)
        #expect(differences == 0)
        #expect(reported > 1_000, "the random texts should trigger many rules (\(reported) reports)")
        let all = Set(lexicon.rules.flatMap { $0.patterns.map(\.source) })
        #expect(patternsSeen == all, "patterns never matched: \(all.subtracting(patternsSeen).sorted())")
    }
}
