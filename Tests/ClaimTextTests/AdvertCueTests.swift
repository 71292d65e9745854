import Testing
@testable import ClaimText

/// `advert` cues (calls to action): near a match they take the power of `report` cues, so an
/// advertorial framed as news is reported while the news it imitates is not.
struct AdvertCueTests {
    static let lexicon = """
    [negation]
    before = 严禁
    report = 据了解 | 记者 | 经查 | 被罚款
    mention = 横幅
    advert = 报名热线 | 咨询电话 | 扫码报名 | 本文为推广内容
    exclude = 咨询电话打不通

    \(TestRules.baoGuo())
    """

    let matcher: Matcher
    init() throws { matcher = try Matcher(lexicon: LexiconParser.parse([("t.rules", Self.lexicon)])) }
    func found(_ text: String) -> Bool { !matcher.scan(text: text).findings.isEmpty }
    func suppression(_ text: String) -> String? { matcher.scan(text: text).suppressed.first?.reason }

    @Test func anAdvertorialFramedAsNewsIsReported() {
        #expect(found("据了解，XX学校电工班包过。\n报名热线：0731-1234567"))
        #expect(found("记者了解到，该校学员包过。扫码报名即可。"))
        #expect(found("据了解，XX学校电工班包过。（本文为推广内容）"))
        // The call to action may come first, too.
        #expect(found("报名热线：0731-1234567\n据了解，XX学校电工班包过。"))
    }

    @Test func theNewsItImitatesIsNot() {
        #expect(!found("据了解，XX学校宣传电工班包过，已被罚款。"))
        #expect(suppression("据了解，XX学校电工班包过。")?.hasPrefix("reported speech") == true)
    }

    @Test func aCallToActionThatIsItselfReportedCountsForNothing() {
        // A penalty decision names the contact line it found: part of the report.
        #expect(!found("经查，当事人以新闻形式介绍课程，并附咨询电话与包过承诺。"))
        // So is one in the reporting sentence itself (an advertorial that writes its call to
        // action into that sentence is missed: the price of the rule above).
        #expect(!found("记者了解到，该校学员包过，扫码报名即可。"))
        // Not a call to action at all: the complaint's unanswered number (an `exclude` word).
        #expect(!found("据了解，该机构宣传包过。咨询电话打不通。"))
    }

    @Test func aCallToActionFarAwayDoesNotReach() {
        let filler = String(repeating: "这是一段与此无关的文字。", count: 20)   // 240 characters
        #expect(!found("据了解，XX学校电工班包过。" + filler + "报名热线：0731-1234567"))
        #expect(found("据了解，XX学校电工班包过。" + String(filler.prefix(150)) + "报名热线：0731-1234567"))
    }

    @Test func callsToActionThatAreNotTheTextsOwn() {
        // Inside quotation marks: a quoted salesperson's words.
        #expect(!found("记者暗访多家机构。工作人员说：“我们这儿包过，报名热线就是我的手机。”"))
        // Governed by a prohibition.
        #expect(!found("严禁附报名热线。据了解，部分机构宣传包过，已被罚款。"))
    }

    @Test func scopedReportCuesKeepTheirPower() throws {
        // Other walks of life advertise too: a cue scoped to categories is no reported speech.
        let scoped = Self.lexicon.replacingOccurrences(of: "mention = 横幅", with: "mention = 横幅\nreport[pass-guarantee] = 签证")
        let m = try Matcher(lexicon: LexiconParser.parse([("t.rules", scoped)]))
        #expect(m.scan(text: "美国签证包过。报名热线：400-123-4567").findings.isEmpty)
        // … and a scoped cue in the call to action's sentence does not cancel the call.
        #expect(!m.scan(text: "据了解，XX学校电工班包过。签证班也招生，扫码报名。").findings.isEmpty)
    }

    @Test func otherCuesKeepTheirPower() {
        // A prohibition is no report: the regulator's line stays silent beside an agency's number.
        #expect(!found("严禁宣传包过。报名热线：0731-1234567"))
        // A quoted phrase with a mention cue stays a mention.
        #expect(!found("门口挂着“包过”的横幅。报名热线：0731-1234567"))
    }

    @Test func theKeyIsParsedAndLinted() throws {
        let lexicon = try LexiconParser.parse([("t.rules", Self.lexicon)])
        #expect(lexicon.negation.adverts.count == 4)
        let clash = Self.lexicon.replacingOccurrences(of: "exclude = 咨询电话打不通", with: "exclude = 报名热线")
        let warnings = try Matcher(lexicon: LexiconParser.parse([("t.rules", clash)])).lint()
        #expect(warnings.contains { $0.message.contains("`advert` cue `报名热线`") })
    }
}
