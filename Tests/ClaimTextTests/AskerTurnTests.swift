import Testing
@testable import ClaimText

/// The asker's words (`asker` labels, session 16): in a chat or a FAQ the customer names the
/// banned words and the consultant answers. A match in the customer's turn is theirs — a
/// question, a rumour, a worry — unless the answer says yes; the model never flags it.
@Suite struct AskerTurnTests {
    static let chatCues = """
    [negation]
    asker = 学员 | 家长 | 问 | Q
    greeting = 亲
    question = 有没有
    affirm = 是的 | 有
    """

    static func matcher() throws -> Matcher {
        try Matcher(lexicon: LexiconParser.parse([("test.rules", testLexiconSource), ("chat.rules", chatCues)]))
    }

    func found(_ text: String, _ m: Matcher) -> [String] {
        m.scan(text: text).findings.map { "\($0.rule.id):\($0.visibleText)" }
    }

    @Test func theAskersWordsAreNoPromise() throws {
        let m = try Self.matcher()
        let said = "said by 「学员」, the one asking, and not answered yes"
        #expect(m.scan(text: "学员：我朋友说找你们能保证通过\n顾问：我们从来不这么说。").suppressed.map(\.reason) == [said])
        #expect(m.scan(text: "家长：人家机构都写考不过退费，你们怎么没有\n老师：那种写法是违规的。").suppressed.map(\.reason)
            == ["said by 「家长」, the one asking, and not answered yes"])
        // After a time stamp, and for a numbered question.
        #expect(m.scan(text: "11:20 学员：能保证通过吗\n11:21 顾问：这个没法承诺。").suppressed.map(\.reason) == [said])
        #expect(m.scan(text: "Q3：能保证通过吗？").suppressed.map(\.reason) == ["said by 「q3」, the one asking, and not answered yes"])
        let r = m.scan(text: "学员：你们能保证通过吗\n顾问：看您自己。")
        #expect(r.suppressed.map(\.reason) == ["said by 「学员」, the one asking, and not answered yes"])
        #expect(r.suppressed.first?.overridable == true)
        // The same words said by the agency, or with no label, are a promise.
        #expect(found("顾问：我们保证通过", m) == ["t.promise-pass:保证通过"])
        #expect(found("我们保证通过", m) == ["t.promise-pass:保证通过"])
    }

    @Test func aYesMakesTheAskersWordsAPromise() throws {
        let m = try Self.matcher()
        #expect(found("学员：你们能保证通过吗\n顾问：是的，签协议。", m) == ["t.promise-pass:保证通过"])
        // After a greeting and with a particle.
        #expect(found("学员：报了是不是保证通过\n顾问：亲，是的呢，我们都签协议的", m) == ["t.promise-pass:保证通过"])
        // After time stamps, and after a long label.
        #expect(found("11:20 学员：能保证通过吗\n11:21 客服：是的，签协议", m) == ["t.promise-pass:保证通过"])
        #expect(found("学员：能保证通过吗\n课程顾问小王：是的", m) == ["t.promise-pass:保证通过"])
        // A break word opening the next clause turns the yes; one farther on does not.
        #expect(found("学员：你们能保证通过吗\n顾问：是的，但是要看基础。", m).isEmpty)
        #expect(found("学员：你们能保证通过吗\n顾问：是的，签了协议，但是要交全款。", m) == ["t.promise-pass:保证通过"])
    }

    @Test func theTurnEndsWhereSomeoneElseSpeaks() throws {
        let m = try Self.matcher()
        // Another label opens a sentence of the same line.
        #expect(found("学员：好的。顾问：我们保证通过", m) == ["t.promise-pass:保证通过"])
        // An unlabelled answer after the question mark.
        #expect(found("Q3：怎么报名？扫码即可，保证通过", m) == ["t.promise-pass:保证通过"])
        // A match that runs on into the answer is the answer's.
        #expect(found("问：考试不过呢？\n答：全额退费", m).map { $0.hasPrefix("t.refund:") } == [true])
        // A numbered person in a showcase is no asker.
        #expect(found("学员A：李女士，报班时机构就保证通过", m) == ["t.promise-pass:保证通过"])
    }

    @Test func aQuestionCuesQuestionAnsweredYes() throws {
        let m = try Self.matcher()
        #expect(found("有没有保证通过的班？", m).isEmpty)
        #expect(found("有没有保证通过的班？\n有，我们就是", m) == ["t.promise-pass:保证通过"])
    }

    /// The turns both the rules and the model read (``Matcher/askerTurnRanges(_:_:labels:)``).
    @Test func theTurns() {
        func turns(_ text: String) -> [String] {
            let normalized = NormalizedText(TextRun(utf8Text: text))
            let askers = ["学员", "问"].map { $0.unicodeScalars.map(\.value) }
            return Matcher.askerTurnRanges(Skeleton(normalized, blocks: false), normalized, labels: askers).map { String(String.UnicodeScalarView(normalized.scalars[$0])) }
        }
        #expect(turns("学员：在吗？\n顾问：在的。\n学员：能保证过吗？\n顾问：放心") == ["学员:在吗?\n", "学员:能保证过吗?\n"])
        #expect(turns("问：考试难吗？ 答（某校）：不难，在家躺着就行") == ["问:考试难吗? "])
        // Two questions in a row are one turn; the statement after them is the answer.
        #expect(turns("问：难吗？要多久？\n答：三天") == ["问:难吗?要多久?\n"])
        #expect(turns("问：难吗？要多久吗\n答：三天") == ["问:难吗?要多久吗\n"])
        #expect(turns("11:20 学员：你好\n11:21 客服：您好") == ["11:20 学员:你好\n"])
        #expect(turns("2024-03-05 11:20:08 学员：你好\n客服：您好") == ["2024-03-05 11:20:08 学员:你好\n"])
        #expect(turns("学员风采：李女士一次通过").isEmpty)
        // A line longer than a chat turn is a page's paragraph.
        #expect(turns("学员：" + String(repeating: "这门课讲得很细。", count: 40)).isEmpty)
    }

    @Test func theRulesSeeTheSameTurns() throws {
        let m = try Self.matcher()
        func reason(_ text: String) -> String? { m.scan(text: text).suppressed.first?.reason }
        let said = "said by 「学员」, the one asking, and not answered yes"
        #expect(reason("2024-03-05 11:20:08 学员：能保证通过吗\n客服：看您自己。") == said)
        #expect(reason("学员：能保证通过吗？要多久？\n客服：看您自己。") == said)
        // Past the longest turn the line is no turn, whichever side of the match the rest is on.
        let long = String(repeating: "这门课讲得很细。", count: 40)
        #expect(found("学员：能保证通过吗。" + long, m) == ["t.promise-pass:保证通过"])
        #expect(found("学员：" + long + "能保证通过吗", m) == ["t.promise-pass:保证通过"])
    }

    @Test func theModelNeverFlagsTheAskersWords() throws {
        var lexicon = try LexiconParser.parse([("t.rules", TestRules.baoGuo()), ("chat.rules", Self.chatCues)])
        lexicon.model = PromiseModelTests.model(knowing: "兜底")
        let m = try Matcher(lexicon: lexicon)
        func flags(_ text: String) -> [String] { m.scan(text: text).findings.filter { $0.rule.id == "model.promise" }.map(\.visibleText) }
        // The customer's question alone reads as a promise; the honest answer does not.
        #expect(flags("学员：考核这一关你们能兜底吗，证不到手尾款不收吗\n顾问：不能，考核是评价机构的事。").isEmpty)
        // The answer that promises is flagged.
        #expect(flags("学员：考核过不了怎么办？\n顾问：考核这一关我们兜底，证不到手尾款不收。").count == 1)
        // Without asker labels the question is flagged as before.
        var plain = try LexiconParser.parse([("t.rules", TestRules.baoGuo())])
        plain.model = PromiseModelTests.model(knowing: "兜底")
        let n = try Matcher(lexicon: plain)
        #expect(n.scan(text: "学员：考核这一关你们能兜底吗，证不到手尾款不收吗\n顾问：不能，考核是评价机构的事。").findings
            .filter { $0.rule.id == "model.promise" }.count == 1)
        // `model score`'s reading says why: the question alone reads as a promise, the rest as nothing.
        let readings = try #require(m.modelReadings(of: [TextRun(utf8Text: "学员：考核这一关你们能兜底吗，证不到手尾款不收吗\n顾问：不能。")]))
        #expect(readings.first?.score ?? 0 > 0.9)
        #expect(readings.first?.scanNote == "not flagged in a scan: without the asker's turns it scores 0.000, below 0.500")
        // A long one-line FAQ is read in windows; one that starts past the asker's turn reads the
        // answer alone (session 16's first version trapped here).
        let answer = String(repeating: "考核这一关我们兜底，证不到手尾款不收。", count: 20)
        #expect(flags("问：怎么报名？" + answer).count >= 1)
    }
}
