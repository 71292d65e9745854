import Foundation
import Testing
import TestSupport
@testable import ClaimText

@Suite struct LexiconParserTests {
    func errors(_ source: String) -> [String] {
        do {
            _ = try LexiconParser.parse([("bad.rules", source)])
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    let good = """
    [rule a.b]
    category = pass-guarantee
    severity = high
    basis = 广告法第二十四条
    description = 包过
    pattern = 包过
    match = 包过
    nomatch = 打包过程
    """

    @Test func goodRuleParses() throws {
        let lexicon = try LexiconParser.parse([("good.rules", good)])
        #expect(lexicon.rules.count == 1)
        #expect(lexicon.rules[0].location == SourceLocation(file: "good.rules", line: 1))
        #expect(lexicon.rules[0].mustMatch[0].location.line == 7)
    }

    @Test func reportsFileLineAndWhy() {
        #expect(errors("category = pass-guarantee") == ["bad.rules:1: `category` outside any section (start a rule with `[rule ID]`)"])
        #expect(errors(good.replacingOccurrences(of: "severity = high", with: "severity = extreme")).first?.hasPrefix("bad.rules:3: unknown severity `extreme`") == true)
        #expect(errors(good.replacingOccurrences(of: "category = pass-guarantee", with: "category = nonsense")).first?.hasPrefix("bad.rules:2: unknown category") == true)
        #expect(errors(good + "\ncolour = red") == ["bad.rules:9: unknown key `colour` (known: basis, category, description, exclude, match, negatable, nomatch, pattern, ratio, severity, unless-after, unless-before, unless-window)"])
        #expect(errors(good + "\nthis line is junk") == ["bad.rules:9: expected `key = value`, a `[section]` header or a `#` comment"])
        #expect(errors(good + "\n[rule a.b]\n").contains { $0.hasPrefix("bad.rules:9: duplicate rule id `a.b` (first defined at bad.rules:1)") })
        #expect(errors(good.replacingOccurrences(of: "pattern = 包过", with: "pattern = 包过 ~ ")) == ["bad.rules:6: bad pattern: empty term (nothing before or after `~`)"])
        #expect(errors(good.replacingOccurrences(of: "pattern = 包过", with: "pattern = <foo>包过")) == ["bad.rules:6: bad pattern: unknown token <foo> (known: <num>, <pct>, with an optional bound like <pct:90+> or <num:1-7>)"])
        #expect(errors(good.replacingOccurrences(of: "pattern = 包过", with: "pattern = 包过 || 保过")) == ["bad.rules:6: bad pattern: empty alternative in `包过 || 保过`"])
        #expect(errors(good.replacingOccurrences(of: "nomatch = 打包过程\n", with: "").replacingOccurrences(of: "nomatch = 打包过程", with: "")).first?.contains("has no `nomatch`") == true)
        #expect(errors("[rule]\n") == ["bad.rules:1: unknown section `[rule]` (expected `[rule ID]`, `[negation]` or `[exclusions]`)"])
        #expect(errors("[negation\n") == ["bad.rules:1: section header must end with `]`"])
        #expect(errors(good.replacingOccurrences(of: "basis = 广告法第二十四条", with: "basis =")).contains("bad.rules:4: `basis` has no value"))
    }

    /// Several files are parsed in two halves on two threads; the result must be the
    /// sequential one, and a problem anywhere must be reported in file order as before.
    @Test func twoHalvesParseLikeOneFileAfterAnother() throws {
        let folder = repositoryRoot.appendingPathComponent("lexicons")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".rules") }.sorted()
        let sources = try names.map { (file: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        #expect(sources.count >= 2)
        let halves = try #require(LexiconParser.parseInTwoHalves(sources))
        var sequential = ParseState()
        for (file, text) in sources { sequential.parseFile(file: file, text: text) }
        #expect(sequential.errors.isEmpty)
        #expect(halves.rules.map(\.id) == sequential.rules.map(\.id))
        #expect(halves.rules.map(\.location) == sequential.rules.map(\.location))
        #expect(halves.rules.map { $0.patterns.map(\.source) } == sequential.rules.map { $0.patterns.map(\.source) })
        #expect(halves.negation.before == sequential.negation.before && halves.negation.reports == sequential.negation.reports)
        #expect(halves.negation.location == sequential.negation.location && halves.negation.scopes == sequential.negation.scopes)
        #expect(halves.globalExclusions == sequential.globalExclusions)

        // A rule id defined in both halves: no shortcut, the duplicate is reported.
        let other = good.replacingOccurrences(of: "[rule a.b]", with: "[rule c.d]")
        #expect(LexiconParser.parseInTwoHalves([("one.rules", good), ("two.rules", good)]) == nil)
        #expect(LexiconParser.parseInTwoHalves([("one.rules", good), ("two.rules", other)]) != nil)
        do {
            _ = try LexiconParser.parse([("one.rules", good), ("two.rules", good)])
            Issue.record("a duplicate rule id across files parsed")
        } catch {
            #expect(error.errors.map(\.description) == ["two.rules:1: duplicate rule id `a.b` (first defined at one.rules:1)"])
        }
        // An error in the second half is reported with its file and line.
        do {
            _ = try LexiconParser.parse([("one.rules", good), ("two.rules", other + "\ncolour = red")])
            Issue.record("a broken second file parsed")
        } catch {
            #expect(error.errors.first?.description.hasPrefix("two.rules:9: unknown key `colour`") == true)
        }
    }

    @Test func reportsEveryProblemNotJustTheFirst() {
        let many = "junk\n[rule x]\ncategory = nope\nseverity = nope\n"
        let found = errors(many)
        #expect(found.count >= 4)
        #expect(found.contains { $0.hasPrefix("bad.rules:1:") })
        #expect(found.contains { $0.hasPrefix("bad.rules:3:") })
        #expect(found.contains { $0.hasPrefix("bad.rules:4:") })
    }

    @Test func compileErrorsNameTheLine() throws {
        let lexicon = try LexiconParser.parse([("c.rules", good.replacingOccurrences(of: "pattern = 包过", with: "pattern = 包，过"))])
        do {
            _ = try Matcher(lexicon: lexicon)
            Issue.record("a phrase with a comma must not compile")
        } catch {
            #expect(error.errors.map(\.description) == ["c.rules:6: pattern `包，过`: contains `,`, which ends a clause or sentence; a phrase never spans one"])
        }
    }

    /// A gapped cue's mistakes name the cue's own line, not the `[negation]` header.
    @Test func gappedCueErrorsNameTheirLine() {
        let negation = good + "\n[negation]\nbefore = 不得\nadvert = 报名 ~ 热线\nbefore = 绝不 ~99 承诺\nreport = 检查 ~8 发现\n"
        #expect(errors(negation) == [
            "bad.rules:11: `报名 ~ 热线`: gaps (`~`) are only allowed in `before`, `after` and `report` cues",
            "bad.rules:12: cue `绝不 ~99 承诺`: gap ~99 is too wide (at most 60 characters)",
        ])
        #expect(errors(good + "\n[negation]\nbefore = 不得\nbefore = 绝不 ~4 <num>天\n") == [
            "bad.rules:11: cue `绝不 ~4 <num>天`: tokens are not allowed in cues",
        ])
    }

    /// A plain cue that cannot be compiled names its own line too (an `affirm` word as well).
    @Test func cueCompileErrorsNameTheirLine() throws {
        let lexicon = try LexiconParser.parse([("c.rules", good + "\n[negation]\nbefore = 不得\nafter = 骗局。\naffirm = 包的 | 好的！\nasker = 学员 | 学员。\ngreeting = 亲！\n")])
        do {
            _ = try Matcher(lexicon: lexicon)
            Issue.record("a cue with a sentence end must not compile")
        } catch {
            #expect(error.errors.map(\.description) == [
                "c.rules:11: `骗局。`: contains `。`, which ends a clause or sentence; a phrase never spans one",
                "c.rules:12: `affirm` cue `好的！`: contains `!`, which ends a clause or sentence; a phrase never spans one",
                "c.rules:13: `asker` label `学员。`: contains `。`, which ends a clause or sentence; a phrase never spans one",
                "c.rules:14: `greeting` word `亲！`: contains `!`, which ends a clause or sentence; a phrase never spans one",
            ])
        }
    }

    /// `\n` in a rule's example is a line break: a chat's turns can be examples.
    @Test func aBackslashNInAnExampleIsALineBreak() throws {
        let source = good.replacingOccurrences(of: "match = 包过", with: "match = 包过\nmatch = 学员：在吗\\n顾问：本班包过")
        let lexicon = try LexiconParser.parse([("n.rules", source)])
        #expect(lexicon.rules[0].mustMatch.map(\.text).contains("学员：在吗\n顾问：本班包过"))
    }

    /// When several gapped cues govern one match, the reason names the first in the file, in
    /// every run (they were once chained in a dictionary's order, which changes between runs).
    @Test func theFirstOfSeveralGappedCuesIsNamed() throws {
        let cues = ["我们为什么 ~8 包过", "为什么 ~8 包过", "什么不说 ~8 包过", "不说 ~4 包过", "们为 ~8 包过", "说 ~2 包过"]
        let source = good + "\n[negation]\n" + cues.map { "before = \($0)" }.joined(separator: "\n") + "\n"
        let matcher = try Matcher(lexicon: LexiconParser.parse([("cues.rules", source)]))
        let result = matcher.scan(text: "我们为什么不说包过？")
        #expect(result.findings.isEmpty)
        #expect(result.suppressed.first?.reason == "negated by 「我们为什么…包过」 before it in the same sentence")
    }

    @Test func patternSyntax() throws {
        let p = try LexiconParser.parsePattern("保证|确保 ~12 通过 ~~ <num>天拿证", line: 1).get()
        #expect(p.terms.count == 3)
        #expect(p.gaps == [Gap(window: 12, crossesClauses: false), Gap(window: 16, crossesClauses: true)])
        #expect(p.terms[2] == [TermAlternative(leading: .number, literal: "天拿证", trailing: nil)])
    }
}

/// The automaton against a naive substring search, on random inputs.
@Suite struct AhoCorasickOracleTests {
    /// Every (pattern id, start, end) the automaton reports in `text`, sorted.
    static func found(_ automaton: AhoCorasick, _ text: [UInt32]) -> [[Int]] {
        var found: [[Int]] = []
        automaton.forEachMatch(in: text) { id, start, end in found.append([id, start, end]) }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The same by trying every pattern at every position, sorted.
    static func naive(_ patterns: [[UInt32]], _ text: [UInt32]) -> [[Int]] {
        var expected: [[Int]] = []
        for (id, p) in patterns.enumerated() where p.count <= text.count {
            for start in 0...(text.count - p.count) where Array(text[start..<(start + p.count)]) == p {
                expected.append([id, start, start + p.count])
            }
        }
        return expected.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// States with more than eight edges are searched by bisection; edge `e` leads to state
    /// `e + 1` (no stored target), which the debug build asserts while building.
    @Test func wideStatesAgreeWithNaiveSearch() {
        let alphabet = Array("包过保证拿证考试不退费全额班期学员ab".unicodeScalars.map(\.value)) + [0x1F525, 0x10000]
        var patterns: [[UInt32]] = []
        for x in alphabet { patterns.append([alphabet[0], x]); patterns.append([alphabet[0], alphabet[0], x]); patterns.append([alphabet[1], x, alphabet[2]]) }
        let automaton = AhoCorasick(patterns: patterns)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let text = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            #expect(Self.found(automaton, text) == Self.naive(patterns, text))
        }
    }

    @Test(.onOwnThread) func agreesWithNaiveSearch() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt32] = Array("包过保证拿证考试不退费ab".unicodeScalars.map(\.value)) + [0x1F525, 0x10000]
        for _ in 0..<300 {
            let patternCount = Int(rng.next() % 12) + 1
            var patterns: [[UInt32]] = []
            for _ in 0..<patternCount {
                let length = Int(rng.next() % 4) + 1
                patterns.append((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
            let text = (0..<Int(rng.next() % 60)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let automaton = AhoCorasick(patterns: patterns)
            #expect(Self.found(automaton, text) == Self.naive(patterns, text))
        }
    }
}
