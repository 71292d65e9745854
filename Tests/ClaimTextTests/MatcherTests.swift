import Testing
@testable import ClaimText

/// A small lexicon written for these tests (the real one lives in lexicons/).
let testLexiconSource = """
[exclusions]
exclude = 打包过程 | 包过滤 | 红包过期

[negation]
before = 不得 | 严禁 | 禁止 | 不承诺 | 谨防 | 举报
after = 骗局 | 包过吗 | 退费吗
before = 绝不|从不 ~4 承诺|宣传
break = 但 | 但是
exclude = 不得不 | 不是骗局
mention = 字样 | 消费提示
answer = 不可能 | 不存在的
affirm = 包的 | 可以 | 退的

\(TestRules.baoGuo())

[rule t.promise-pass]
category = pass-guarantee
severity = high
basis = 广告法第二十四条第（一）项
description = 保证通过
pattern = 保证|确保 ~ 通过|拿证
exclude = 保证金 | 质量保证
match = 保证您一次通过
nomatch = 保证金缴纳后通过审核

[rule t.refund]
category = refund-if-fail
severity = high
basis = 广告法第二十四条第（一）项
description = 不过退费
pattern = 不过|未通过|考不过 ~~ 退费|退款
match = 考试不过，全额退费
nomatch = 未开班全额退费

[rule t.days]
category = certificate-guarantee
severity = high
basis = 人社部办公厅 2022
description = ×天拿证
pattern = <num>天拿证
unless-before = 考后 | 一般
unless-before = 公示结束后
unless-window = 8
match = 7天拿证
nomatch = 考后多久拿证

[rule t.income]
category = income-lure
severity = medium
basis = 人社部办公厅 2022
description = 收入诱导
pattern = 月入 ~2 <num>k | <num>万
pattern = 年收入 ~2 <num>万
match = 月入8k
nomatch = 月入不稳定

[rule t.no1]
category = absolute-terms
severity = low
basis = 广告法第九条
description = 第一
pattern = NO.1 | 全国第一 | 第一品牌
match = 行业NO.1
nomatch = 第一期

[rule t.high-rate]
category = pass-guarantee
severity = medium
basis = 广告法第二十八条
description = 高通过率
pattern = 合格率 ~2 <pct:90+>
pattern = 月入 ~2 <num:10000+>
match = 合格率高达98%
nomatch = 合格率为71.5%

[rule t.rate]
category = pass-guarantee
severity = medium
basis = 广告法第二十八条
description = 通过率
pattern = 通过率 ~4 <pct>
match = 通过率高达98%
nomatch = 通过率很高
"""

func testMatcher() throws -> Matcher {
    let lexicon = try LexiconParser.parse([("test.rules", testLexiconSource)])
    return try Matcher(lexicon: lexicon)
}

@Suite struct MatcherTests {
    func found(_ text: String, _ matcher: Matcher) -> [String] {
        matcher.scan(text: text).findings.map { "\($0.rule.id):\($0.visibleText)" }
    }

    @Test func plainAndDisguised() throws {
        let m = try testMatcher()
        #expect(found("本班包过，报名从速", m) == ["t.bao-guo:包过"])
        #expect(found("本班包 ★ 过", m) == ["t.bao-guo:包 ★ 过"])
        #expect(found("本班包過", m) == ["t.bao-guo:包過"])
        #expect(found("本班bao过", m) == ["t.bao-guo:bao过"])
        #expect(found("本班 BAOGUO 哦", m) == ["t.bao-guo:BAOGUO"])
        #expect(found("本班包\u{200B}过", m) == ["t.bao-guo:包\u{200B}过"])
        #expect(found("培(pei)训(xun)包(bao)过(guo)", m) == ["t.bao-guo:包(bao)过"])
        #expect(found("bao4guo4班", m) == ["t.bao-guo:bao4guo"])
    }

    @Test func innocentLookAlikes() throws {
        let m = try testMatcher()
        #expect(found("打包过程很顺利", m).isEmpty)
        #expect(found("网络包 过滤规则", m).isEmpty)
        #expect(found("红包过期了", m).isEmpty)
        #expect(found("邮寄包裹", m).isEmpty)
        #expect(found("kabaoguo", m).isEmpty)
        #expect(found("Zhang Baoguo is a teacher", m).isEmpty)
        #expect(found("书包，过两天再说", m).isEmpty)
    }

    @Test func negationStaysInItsSentence() throws {
        let m = try testMatcher()
        #expect(found("严禁宣传包过", m).isEmpty)
        #expect(found("谨防“包过”骗局", m).isEmpty)
        #expect(found("严禁任何保过承诺。报名即保过", m) == ["t.bao-guo:保过"])
        #expect(found("我们不得不说，本班包过", m) == ["t.bao-guo:包过"])
        #expect(found("本机构不承诺包过，但保证拿证", m) == ["t.promise-pass:保证拿证"])
        let r = m.scan(text: "严禁宣传包过")
        #expect(r.suppressed.count == 1)
        #expect(r.suppressed.first?.reason.contains("严禁") == true)
    }

    @Test func tokensAndNumbers() throws {
        let m = try testMatcher()
        #expect(found("月入8k不是梦", m) == ["t.income:月入8k"])
        #expect(found("月入两万", m).contains("t.income:月入两万"))
        #expect(found("月入 2万", m).contains("t.income:月入 2万"))
        // A range is two numbers, not one disguised one.
        let range = try #require(m.scan(text: "挂靠年收入3-5万").findings.first)
        #expect(range.visibleText == "年收入3-5万")
        #expect(!range.normalizations.contains(.noiseGap))
        #expect(found("行业NO.1品牌", m) == ["t.no1:NO.1"])
        #expect(found("全国第一品牌", m).count == 1)
        #expect(found("全国第一，全国第一", m).count == 2)
    }

    @Test func tokenBounds() throws {
        let m = try testMatcher()
        #expect(found("合格率高达98%", m) == ["t.high-rate:合格率高达98%"])
        #expect(found("合格率为71.5%", m).isEmpty)
        #expect(found("合格率达百分之九十五", m) == ["t.high-rate:合格率达百分之九十五"])
        #expect(found("合格率达百分之六十", m).isEmpty)
        #expect(found("月入10000+", m).contains("t.high-rate:月入10000"))
        #expect(found("月入两万", m).contains("t.high-rate:月入两万"))
        #expect(!found("月入3000", m).contains { $0.hasPrefix("t.high-rate") })
        #expect(TokenSpans.value(ArraySlice("九十八".unicodeScalars.map(\.value))) == 98)
        #expect(TokenSpans.value(ArraySlice("三千五百".unicodeScalars.map(\.value))) == 3500)
        #expect(TokenSpans.value(ArraySlice("十五".unicodeScalars.map(\.value))) == 15)
        #expect(TokenSpans.value(ArraySlice("叁拾".unicodeScalars.map(\.value))) == 30)
        #expect(found("叁拾天拿證", m) == ["t.days:叁拾天拿證"])
    }

    @Test func unlessGuards() throws {
        let m = try testMatcher()
        #expect(found("考后30天拿证", m).isEmpty)
        #expect(found("公示结束后，一般30天拿证", m).isEmpty)
        #expect(found("公示结束后立即安排30天拿证", m).isEmpty)     // within the 8-character window
        #expect(found("报名后30天拿证", m) == ["t.days:30天拿证"])
        let r = m.scan(text: "一般7天拿证")
        #expect(r.suppressed.first?.reason == "neutral context 「一般」 before it (unless-before)")
    }

    @Test func questionMarksDoNotSplitAClaimButEndNegation() throws {
        let m = try testMatcher()
        #expect(found("考不过？全额退费！", m) == ["t.refund:考不过？全额退费"])
        #expect(found("严禁包过！本班保过", m) == ["t.bao-guo:保过"])
        // A question ending a line and its answer on the next (FAQ, chat) are one statement…
        #expect(found("万一考不过呢？\n全额退费", m) == ["t.refund:考不过呢？ 全额退费"])   // (visible text shows a line break as a space)
        #expect(found("考不过怎么办？\r\n\r\n退款", m) == ["t.refund:考不过怎么办？    退款"])
        // … but a line that ends otherwise still ends the statement.
        #expect(found("考不过也别灰心。\n退费须知见下文", m).isEmpty)
        #expect(found("考不过！\n退费须知见下文", m).isEmpty)
    }

    @Test func gappedCuesAndCuesAfterAQuestion() throws {
        let m = try testMatcher()
        #expect(found("我们绝不向学员承诺包过", m).isEmpty)
        #expect(found("从不对外宣传包过", m).isEmpty)
        #expect(found("绝不迟到，本班包过", m) == ["t.bao-guo:包过"])
        #expect(found("包过？骗局而已", m).isEmpty)
        let r = m.scan(text: "我们绝不向学员承诺包过")
        #expect(r.suppressed.first?.reason == "negated by 「绝不…承诺」 before it in the same sentence")
    }

    @Test func answersAndAfterCueExclusions() throws {
        let m = try testMatcher()
        #expect(found("包过？不可能！", m).isEmpty)
        #expect(found("本班包过，不可能让你白花钱", m) == ["t.bao-guo:包过"])
        // Only the clause the question asks, and only a standalone answer.
        #expect(found("保过班火热招生，考不过？不可能！", m) == ["t.bao-guo:保过"])
        #expect(found("包过！不可能考不过", m) == ["t.bao-guo:包过"])
        #expect(found("包过？不可能。", m).isEmpty)
        #expect(found("本班包过，不是骗局", m) == ["t.bao-guo:包过"])
        #expect(found("本班包过，骗局", m).isEmpty)
        let r = m.scan(text: "包过？不存在的。")
        #expect(r.suppressed.first?.reason == "answered by 「不存在的」 after a question about it")
        // Standing alone allows a sentence-final particle, not more words (review, session 10).
        #expect(found("包过？不可能的！", m).isEmpty)
        #expect(found("包过？不可能啦", m).isEmpty)
        #expect(found("包过？不可能那种，我们直接保你过", m) == ["t.bao-guo:包过"])
    }

    /// A question about the phrase (包过吗) suppresses it, unless the next sentence answers
    /// yes (`affirm`), standing alone, after at most a speaker's label (session 15).
    @Test func questionsAnsweredYes() throws {
        let m = try testMatcher()
        #expect(found("学员：你们包过吗？", m).isEmpty)
        #expect(found("学员：你们包过吗？\n顾问：包的，签完协议就安排上课。", m) == ["t.bao-guo:包过"])
        #expect(found("你们包过吗？包的！", m) == ["t.bao-guo:包过"])
        #expect(found("你们包过吗\n可以", m) == ["t.bao-guo:包过"])
        #expect(found("学员：考试不过退费吗？\n客服：退的，合同里写着。", m) == ["t.refund:不过退费"])
        // No yes: a denial, more words after the cue, a turn (但), a label too long to be a speaker's.
        #expect(found("学员：你们包过吗？\n顾问：不可能的。", m).isEmpty)
        #expect(found("你们包过吗？可以负责任地说，我们不承诺包过。", m).isEmpty)
        #expect(found("你们包过吗？可以，但是要看您自己的基础。", m).isEmpty)
        #expect(found("你们包过吗？我们机构的老师说：可以。", m).isEmpty)
        // Only a question: 骗局 asks nothing, and a yes two sentences later answers something else.
        #expect(found("包过是骗局吗？可以。", m).isEmpty)
        #expect(found("你们包过吗？我想问问。可以", m).isEmpty)
        // A question and its answer in two paragraphs of a page (an FAQ) are one exchange too.
        #expect(found("问：你们包过吗？\u{2029}答：可以。", m) == ["t.bao-guo:包过"])
        let r = m.scan(text: "你们包过吗？不清楚")
        #expect(r.suppressed.first?.reason == "negated by 「包过吗」 after it in the same sentence")
    }

    @Test func pinyinTonesMustAgree() throws {
        let m = try testMatcher()
        #expect(found("本班 bāoguò 哦", m) == ["t.bao-guo:bāoguò"])
        #expect(found("快递 bāoguǒ 已签收", m).isEmpty)            // 包裹
        #expect(found("本班bao4guo4", m) == ["t.bao-guo:bao4guo"])   // tone digits are typed loosely: not checked
        #expect(found("本班bao1guo3", m) == ["t.bao-guo:bao1guo"])
        #expect(found("本班 bǎoguò", m) == ["t.bao-guo:bǎoguò"])     // 保过: bǎo guò
        #expect(found("包guǒ", m).isEmpty)
        #expect(found("包guo\u{0300}班", m) == ["t.bao-guo:包guò"])  // combining grave: guò
    }

    @Test func dottedPinyin() throws {
        let m = try testMatcher()
        #expect(found("写成 b.a.o 过，懂的都懂", m) == ["t.bao-guo:b.a.o 过"])
        #expect(found("访问 www.baoguo.com 了解", m).isEmpty)
    }

    @Test func quotedMentions() throws {
        let m = try testMatcher()
        #expect(found("消费提示：“包过”往往附带苛刻条件", m).isEmpty)
        #expect(found("广告中出现“包过”字样的，一律下架", m).isEmpty)
        // Quotes alone are emphasis, not a mention.
        #expect(found("“包过”班火热招生", m) == ["t.bao-guo:包过"])
        // A mention word without quotes does not suppress.
        #expect(found("消费提示：本班包过", m) == ["t.bao-guo:包过"])
        let r = m.scan(text: "消费提示：“包过”往往附带苛刻条件")
        #expect(r.suppressed.first?.reason == "quoted as a mention (「消费提示」 in the same sentence)")
    }

    @Test func contextRules() throws {
        let m = try testMatcher()
        #expect(found("保证您一次通过", m) == ["t.promise-pass:保证您一次通过"])
        #expect(found("保证金缴纳后通过审核", m).isEmpty)
        #expect(found("考试不过，全额退费", m) == ["t.refund:不过，全额退费"])
        #expect(found("考试不过。全额退费", m).isEmpty)
        #expect(found("7天拿证", m) == ["t.days:7天拿证"])
        #expect(found("七天拿证", m) == ["t.days:七天拿证"])
        #expect(found("考后多久拿证", m).isEmpty)
        #expect(found("通过率高达98%", m) == ["t.rate:通过率高达98%"])
        #expect(found("通过率达百分之百", m) == ["t.rate:通过率达百分之百"])
        #expect(found("通过率很高", m).isEmpty)
    }

    @Test func evasionEvidenceAndSeverity() throws {
        let m = try testMatcher()
        let f = try #require(m.scan(text: "包 過").findings.first)
        #expect(f.normalizations.names == ["traditional", "noise-gap"])
        #expect(f.severity == .critical)
        let plain = try #require(m.scan(text: "包过").findings.first)
        #expect(plain.normalizations.isEmpty)
        #expect(plain.severity == .high)
        let py = try #require(m.scan(text: "包guo").findings.first)
        #expect(py.normalizations.contains(.pinyin))
        #expect(py.phrase == "包过")
    }

    /// A space between words written in Latin letters or numerals is how they are written,
    /// not a disguise; spaced-out single letters and noise inside a Chinese phrase are.
    @Test func wordSpacingIsNotANoiseGap() throws {
        let lexicon = try LexiconParser.parse([("spacing.rules", """
        [rule s.english]
        category = pass-guarantee
        severity = high
        basis = 广告法第二十四条第（一）项
        description = 英文宣称包过
        pattern = 100% pass | pass rate 98%
        match = 本校100% pass
        nomatch = 考试pass了吗

        [rule s.bao-guo]
        category = pass-guarantee
        severity = high
        basis = 广告法第二十四条第（一）项
        description = 包过
        pattern = 包过
        match = 本班包过
        nomatch = 打包过程
        """)])
        let m = try Matcher(lexicon: lexicon)
        func evidence(_ text: String) throws -> (names: [String], severity: Severity) {
            let f = try #require(m.scan(text: text).findings.first, "no finding in «\(text)»")
            return (f.normalizations.names, f.severity)
        }
        #expect(try evidence("本校承诺100% pass，报名从速") == ([], .high))
        #expect(try evidence("本校 pass rate 98%，报名从速") == ([], .high))
        #expect(try evidence("本校 pass  rate 98%") == ([], .high))
        #expect(try evidence("本班bao guo") == (["pinyin"], .critical))
        #expect(try evidence("本班bao4 guo4") == (["tone", "pinyin"], .critical))
        // Spelling and noise are still disguise.
        #expect(try evidence("本班b a o 过") == (["noise-gap", "pinyin"], .critical))
        #expect(try evidence("本校100% p a s s") == (["noise-gap"], .critical))
        #expect(try evidence("本校100%·pass") == (["noise-gap"], .critical))
        #expect(try evidence("本班包 过") == (["noise-gap"], .critical))
    }

    @Test func offsetsSliceTheUTF8Bytes() throws {
        let m = try testMatcher()
        let text = "欢迎！本班 包~過 哦"
        let f = try #require(m.scan(text: text).findings.first)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[f.byteStart..<f.byteEnd], as: UTF8.self) == "包~過")
    }
}
