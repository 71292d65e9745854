import Testing
@testable import ClaimText

/// Engine features for generalization (issue 3): ranged token bounds, pass-count ratios,
/// sentence-wide report cues, question cues, category-scoped cues, exclusions on a
/// gapped pattern's later term.
struct DiscourseFeatureTests {
    static let base = """
    [negation]
    before = 不得 | 严禁
    break = 但 | 但是
    exclude = 零投诉
    report = 据报道 | 被罚款 | 投诉
    report = 记者|执法人员 ~6 发现
    question = 有没有 | 哪里有
    after[insider-claim] = 封闭管理
    before[no-real-assessment, insider-claim] = 一经发现

    \(TestRules.baoGuo())

    [rule t.refund]
    category = refund-if-fail
    severity = high
    basis = 广告法第二十四条第（一）项
    description = 不过退费
    pattern = 考不过|没通过 ~~ 退费|退款
    exclude = 退款流程
    match = 考不过，全额退款
    nomatch = 考不过的话，退款流程请咨询

    [rule t.days]
    category = certificate-guarantee
    severity = high
    basis = 人社部办公厅 2022
    description = ×天拿证
    pattern = <num:1-15>天拿证
    match = 7天拿证
    nomatch = 30天拿证

    [rule t.rate]
    category = pass-guarantee
    severity = medium
    basis = 广告法第二十八条
    description = 通过率
    pattern = 通过率 ~4 <pct:95-100>
    match = 通过率98%
    nomatch = 通过率90%

    [rule t.count]
    category = pass-guarantee
    severity = medium
    basis = 广告法第二十八条
    description = 通过人数之比
    ratio = 0.9+
    pattern = <num>人|<num>名|<num>个 ~10 <num>人|<num>名|<num>个 ~4 通过|拿证|考过
    pattern = <num>人|<num>名 ~~12 通过|考过 ~4 <num>人|<num>名|<num>个
    match = 52人报名51人拿证
    nomatch = 52人报名30人拿证

    [rule t.proxy]
    category = no-real-assessment
    severity = high
    basis = 人社部办公厅 2022
    description = 代考
    pattern = 代考
    match = 专业代考
    nomatch = 代考生报名

    [rule t.leak]
    category = insider-claim
    severity = medium
    basis = 广告法第二十四条第（二）项
    description = 命题专家
    pattern = 命题专家
    match = 命题专家授课
    nomatch = 命题专家实行封闭管理
    """

    let matcher: Matcher

    init() throws {
        matcher = try Matcher(lexicon: LexiconParser.parse([("t.rules", Self.base)]))
    }

    func rules(_ text: String) -> [String] { matcher.scan(text: text).findings.map(\.rule.id) }

    /// A before cue right in front of a later term governs it (考不过严禁退费 is no promise);
    /// farther inside the match, or in another clause, it does not.
    @Test func aCueInFrontOfALaterTermSuppresses() {
        #expect(rules("考不过严禁退费").isEmpty)
        #expect(matcher.scan(text: "考不过不得退款").suppressed.first?.reason.contains("before a later term") == true)
        #expect(rules("考不过，全额退款") == ["t.refund"])
        #expect(rules("考不过不得不说，全额退款") == ["t.refund"])   // 不得 two clauses away from 退款
        #expect(rules("考不过的不得再报名，其余全额退款") == ["t.refund"])
    }

    @Test func rangedNumberBounds() {
        #expect(rules("7天拿证") == ["t.days"])
        #expect(rules("15天拿证") == ["t.days"])
        #expect(rules("16天拿证").isEmpty)
        #expect(rules("0天拿证").isEmpty)
        #expect(rules("通过率100%") == ["t.rate"])
        #expect(rules("通过率95%") == ["t.rate"])
        #expect(rules("通过率94.5%").isEmpty)
    }

    @Test func boundSyntax() throws {
        #expect(ValueBound.parse("90+") == ValueBound(minimum: 90))
        #expect(ValueBound.parse("1-7") == ValueBound(minimum: 1, maximum: 7))
        #expect(ValueBound.parse("0.9-1") == ValueBound(minimum: 0.9, maximum: 1))
        #expect(ValueBound.parse("3") == ValueBound(minimum: 3, maximum: 3))
        #expect(ValueBound.parse("7-1") == nil)
        #expect(ValueBound.parse("abc") == nil)
        let bad = "[rule x]\ncategory = pass-guarantee\nseverity = high\nbasis = b\ndescription = d\npattern = <num:a-b>天\nmatch = 1天\nnomatch = 天\n"
        #expect(throws: LexiconErrors.self) { try LexiconParser.parse([("x.rules", bad)]) }
    }

    @Test func passCountRatio() {
        #expect(rules("上期52人报名51人拿证，本期火热招生").contains("t.count"))
        #expect(rules("100人报名98人通过").contains("t.count"))
        #expect(rules("一百个学员九十九个都考过了").contains("t.count"))
        #expect(rules("今年320名学员参加考核，通过296人").contains("t.count"))
        // a low ratio, or numbers that are not a pair
        #expect(!rules("320名学员参加考核，通过186人").contains("t.count"))
        #expect(!rules("52人报名30人拿证").contains("t.count"))
        #expect(!rules("本期共招30人，需通过考核").contains("t.count"))
    }

    @Test func ratioNeedsTwoNumbers() {
        let src = "[rule x]\ncategory = pass-guarantee\nseverity = high\nbasis = b\ndescription = d\nratio = 0.9+\npattern = <num>人 ~4 通过\nmatch = 9人通过\nnomatch = 通过\n"
        #expect(throws: LexiconErrors.self) { try LexiconParser.parse([("x.rules", src)]) }
        let bad = "[rule x]\ncategory = pass-guarantee\nseverity = high\nbasis = b\ndescription = d\nratio = 2+\npattern = <num>人 ~4 <num>人\nmatch = 9人\nnomatch = 通过\n"
        #expect(throws: LexiconErrors.self) { try LexiconParser.parse([("x.rules", bad)]) }
    }

    @Test func reportCueGovernsTheWholeSentence() {
        // before the match, far away
        #expect(rules("据报道，本市一家名为某某的职业技能培训学校在其网站首页显著位置宣传包过").isEmpty)
        // after the match
        #expect(rules("某学校宣传“包过”，近日被罚款3万元").isEmpty)
        #expect(rules("有学员投诉称，考不过全额退款的承诺没有兑现").isEmpty)
        // a gapped report cue
        #expect(rules("执法人员检查时发现，该机构网站写着包过").isEmpty)
        // only its own sentence: the next sentence is the advertiser's own promise
        #expect(rules("据报道，多家机构因宣传包过被查。本校包过！") == ["t.bao-guo"])
        // a break word ends its reach
        #expect(rules("据报道有机构违规，但我们保过") == ["t.bao-guo"])
        // … but a report cue after the claim reaches back over a break (a complaint turns on one)
        #expect(rules("销售说考不过全额退款，但后来投诉也没用").isEmpty)
        // a word listed as not a cue stays silent
        #expect(rules("本校零投诉，包过") == ["t.bao-guo"])
        let result = matcher.scan(text: "某学校宣传包过被罚款")
        #expect(result.suppressed.first?.reason.contains("被罚款") == true)
    }

    /// A prohibition or report cue whose sentence ends in a colon governs the items of the
    /// list after it, separated by semicolons, up to the list's end (a full stop, a question
    /// or exclamation mark, a line end without a semicolon, a block or a break word).
    @Test func cueReachesTheItemsOfTheListItIntroduces() {
        // a regulation's list of banned wording, full-width marks
        #expect(rules("培训机构不得使用下列用语：（一）“包过”“保过”；（二）“不过退费”“考不过退款”；（三）“7天拿证”；（四）“代考”。").isEmpty)
        // a complaint guide: the report cue before the colon
        #expect(rules("如发现机构存在以下行为，可向监管部门投诉：（1）宣传包过；（2）代考替考；（3）乱收费。").isEmpty)
        // ASCII marks and a line end right after a semicolon
        #expect(rules("严禁下列宣传:\n1. 包过;\n2. 考不过退款;\n3. 代考").isEmpty)
        let reason = matcher.scan(text: "不得使用下列用语：（一）乱收费；（二）包过。").suppressed.first?.reason
        #expect(reason?.contains("introduces the list") == true, "\(reason ?? "nil")")
        // the list ends at a full stop, a question or exclamation mark, a bare line end
        #expect(rules("不得使用下列用语：（一）押题；（二）密卷。本校包过！") == ["t.bao-guo"])
        #expect(rules("严禁以下行为：代考；替考！包过") == ["t.bao-guo"])
        #expect(rules("严禁以下行为：代考\n本校包过") == ["t.bao-guo"])
        // no colon after the cue: a semicolon ends the cue's sentence as before
        #expect(rules("严禁代考；本校包过") == ["t.bao-guo"])
        // the colon must be in the cue's own sentence
        #expect(rules("严禁代考。本校承诺：（一）包过；（二）考不过退费") == ["t.bao-guo", "t.refund"])
        // a break word between the cue and the item ends the reach
        #expect(rules("严禁以下行为：代考；但是我们包过") == ["t.bao-guo"])
        // a cue of another category does not reach
        #expect(rules("以下情况一经发现取消资格：代考；包过") == ["t.bao-guo"])
    }

    /// A phrase in quotation marks is a mention when a report cue stands within 200
    /// characters in the same page block, in any sentence: news and notices quote the ad in
    /// one sentence and say who was fined in the next.
    @Test func aQuotedPhraseNearAReportCueIsAMention() {
        #expect(rules("某培训学校在官网打出“包过”字眼。近日，该校被罚款3万元。").isEmpty)
        #expect(rules("据报道，本市查处一批违规广告。其中一家机构宣称“考不过退费”。").isEmpty)
        let reason = matcher.scan(text: "某学校宣传“包过”。该校被罚款。").suppressed.first?.reason
        #expect(reason?.contains("quoted in reported speech") == true, "\(reason ?? "nil")")
        // not quoted: the next sentence is the advertiser's own
        #expect(rules("据报道，多家机构被罚款。本校包过！") == ["t.bao-guo"])
        // quoted for emphasis, with no report cue
        #expect(rules("“包过”班火热招生，名额有限。") == ["t.bao-guo"])
        // a whole quoted ad line, with its own exclamation mark
        #expect(rules("某机构打出“零基础也能报，考不过全额退款，本班包过！”的广告。近日该机构被罚款。").isEmpty)
        // … but two separately quoted words do not make the text between them quoted
        #expect(rules("“零基础”也能学，本班包过，“名师”授课。") == ["t.bao-guo"])
        // a report cue too far away
        #expect(rules("某校被罚款。" + String(repeating: "课程介绍与师资力量。", count: 25) + "本校“包过”。") == ["t.bao-guo"])
    }

    /// A report cue in a plain-text document's title (a first line of at most 60 characters)
    /// governs the document under it; not in a page's body, where the first line can be a
    /// banner above the agency's own ads.
    @Test func aReportCueInTheTitleGovernsTheDocument() {
        let notice = "关于某培训学校被罚款的情况说明\n经查，该校在网站宣传包过。其招生简章写明考不过退费。\n特此说明。"
        #expect(rules(notice).isEmpty)
        let reason = matcher.scan(text: notice).suppressed.first?.reason
        #expect(reason?.contains("title") == true, "\(reason ?? "nil")")
        // the first line is no title: too long, or not ended by a line end
        #expect(rules("被罚款" + String(repeating: "的", count: 60) + "\n本校包过") == ["t.bao-guo"])
        #expect(rules("某校被罚款。本校包过\n考不过退款") == ["t.bao-guo", "t.refund"])
        // the cue must be in the title, not on a later line
        #expect(rules("招生简章\n往年有机构被罚款。\n本校包过") == ["t.bao-guo"])
        // a page's body: the banner does not reach the ads under it
        let banner = TextRun(utf8Text: "据报道有人冒充本校招生\n本校包过", location: .body)
        #expect(matcher.scan([banner]).findings.map(\.rule.id) == ["t.bao-guo"])
    }

    /// In a text table (rows of cells split by `|` or tabs), a report or mention cue in the
    /// first row, in a short caption above it or in the match's own row governs the match.
    @Test func aCueHeadingATableGovernsItsRows() throws {
        let source = Self.base.replacingOccurrences(of: "report = 据报道 | 被罚款 | 投诉", with: "report = 据报道 | 被罚款 | 投诉 | 违规用语 | 罚款")
        let m = try Matcher(lexicon: LexiconParser.parse([("t.rules", source)]))
        func found(_ text: String) -> [String] { m.scan(text: text).findings.map(\.rule.id) }
        // a rewrite table: the header row
        #expect(found("对照表\n违规用语 | 建议用语\n包过 / 保过 | 系统备考\n考不过退款 | 未开班可退费\n请对照执行。").isEmpty)
        // a penalty table: the row's own cell
        #expect(found("| 序号 | 内容 | 处理 |\n| 1 | 本班包过 | 罚款2万元 |\n| 2 | 专业代考 | 责令改正 |") == ["t.proxy"])
        // a caption line above the table, tab-separated cells
        #expect(found("违规用语清单\n序号\t内容\n1\t包过\n2\t考不过退款").isEmpty)
        let reason = m.scan(text: "说明如下。\n违规用语 | 说明\n包过 | 禁用").suppressed.first?.reason
        #expect(reason?.contains("listed in a table") == true, "\(reason ?? "nil")")
        // an agency's price table: no cue, reported
        #expect(found("班型 | 价格 | 说明\n保过班 | 3980 | 包过\n普通班 | 1980 | 无") == ["t.bao-guo", "t.bao-guo"])
        // one line with a bar is no table
        #expect(found("违规用语 | 本班包过") == ["t.bao-guo"])
        // the cue in another row (not the header) does not reach
        #expect(found("班型 | 说明\n旧班 | 曾被罚款\n新班 | 包过") == ["t.bao-guo"])
        // a web page's navigation bars are no table
        let page = TextRun(utf8Text: "首页 | 违规用语 | 联系我们\n课程 | 包过班 | 师资", location: .body)
        #expect(m.scan([page]).findings.map(\.rule.id) == ["t.bao-guo"])
    }

    /// In a web page's body, an HTML table arrives as lines of tab-separated cells (the
    /// extractor's rows): the same rules as a plain-text table, with tabs as the only cell mark.
    @Test func anHTMLTableInAPageBodyIsATable() throws {
        let source = Self.base.replacingOccurrences(of: "report = 据报道 | 被罚款 | 投诉", with: "report = 据报道 | 被罚款 | 投诉 | 违规用语 | 罚款 | 查处")
        let m = try Matcher(lexicon: LexiconParser.parse([("t.rules", source)]))
        func body(_ text: String) -> [String] { m.scan([TextRun(utf8Text: text, location: .body)]).findings.map(\.rule.id) }
        // a penalty table under a caption that names the enforcement
        #expect(body("以下机构被查处：\u{2029}序号\t机构\t违法内容\u{2029}1\t某校\t本班包过\u{2029}2\t某中心\t专业代考").isEmpty)
        // a rewrite table: the header row
        #expect(body("违规用语\t建议用语\u{2029}包过\t系统备考\u{2029}专业代考\t正规考核").isEmpty)
        // an agency's course table: no cue, every promise reported
        #expect(body("课程一览\u{2029}课程\t特色\u{2029}电工\t包过班\u{2029}焊工\t专业代考") == ["t.bao-guo", "t.proxy"])
        // in a page body a bar is no cell mark (navigation), so this is no table
        #expect(body("违规用语 | 建议用语\u{2029}包过 | 系统备考") == ["t.bao-guo"])
    }

    /// The limits of the session-5 context rules, each found in review as a promise they
    /// silenced: a break word, a paragraph end or slogan brackets stop a report cue's reach
    /// into quotations; an indenting tab is no table cell; a blank line or a paragraph that
    /// is no item ends a list; a break word in a title makes it the advertiser's own line.
    @Test func contextRulesStopWhereTheTextTurnsToTheAdvertiser() {
        // quotations and report cues in other sentences
        #expect(rules("据报道有人冒用本校名义。但本校“包过”。") == ["t.bao-guo"])
        #expect(rules("据报道有人冒用本校名义。\n本校“包过”。") == ["t.bao-guo"])
        #expect(rules("据报道有人冒用本校名义。本校【包过】。") == ["t.bao-guo"])
        #expect(rules("据报道有人冒用本校名义。该校打出“包过”字样。").isEmpty)
        // an indenting tab is no cell
        #expect(rules("\t据报道很多机构虚假宣传。\n\t本校包过，考不过退款。") == ["t.bao-guo", "t.refund"])
        // a list ends at a blank line, at a full stop, and at a line that starts no item
        let list = matcher.scan(text: "严禁以下行为：\n1. 代考；\n2. 替考；\n\n本校包过，考不过退款。")
        #expect(list.findings.map(\.rule.id) == ["t.bao-guo", "t.refund"])
        #expect(list.suppressed.map(\.finding.rule.id) == ["t.proxy"], "代考 and 替考 are list items (替考 is no rule here)")
        #expect(rules("严禁以下行为：\n1. 代考；\n本校包过") == ["t.bao-guo"])
        #expect(rules("严禁以下行为：\n1. 代考；\n（二）包过；\n三、考不过退款").isEmpty)
        // a break word after the cue in a title
        #expect(rules("据报道有人冒充我校，但本校是正规机构\n本校包过") == ["t.bao-guo"])
        #expect(rules("据报道有人冒充我校\n本校包过").isEmpty)
    }

    /// A text table of thousands of rows is found once per run (``TextTables``), not walked
    /// again for every match in it; every row of a table under a cue caption is a listing.
    @Test func largeTextTables() {
        let rows = (1...3_000).map { "\($0)\t第\($0)期\t本班包过" }.joined(separator: "\n")
        let under = matcher.scan(text: "据报道\n序号\t课程\t说明\n" + rows)
        #expect(under.findings.isEmpty)
        #expect(under.suppressed.count == 3_000)
        #expect(matcher.scan(text: "序号\t课程\t说明\n" + rows).findings.count == 3_000)
        let tables = TextTables(Array("前言\n\t缩进的段落\na | b\n\nc | d\n尾声".unicodeScalars))
        #expect(tables.header == [-1, -1, 2, -1, 2, -1])
    }

    /// `~~~`: the second term may stand in the next sentence (one full stop, semicolon or
    /// line end), never two sentences on, never past a blank line.
    @Test func aNextSentenceGap() throws {
        let source = """
        [rule t.next]
        category = refund-if-fail
        severity = high
        basis = 广告法第二十四条第（一）项
        description = 条件在前一句，退费在后一句
        pattern = 没有通过|未通过 ~~~ 退给您
        match = 没有通过也别担心。学费全部退给您
        nomatch = 没有通过。补考另行通知。学费退给您
        """
        let m = try Matcher(lexicon: LexiconParser.parse([("t.rules", source)]))
        func found(_ text: String) -> Int { m.scan(text: text).findings.count }
        #expect(found("如果第一次认定没有通过，请不要担心。\n我们会把学费一分不少地退给您。") == 1)
        #expect(found("没有通过？别担心！学费退给您") == 1)
        #expect(found("没有通过。补考安排另行通知。退给您的是教材") == 0, "two sentences on")
        #expect(found("没有通过的同学请注意补考时间。\n\n退给您的押金请到前台领取") == 0, "past a blank line")
        #expect(try LexiconParser.parsePattern("甲 ~~~ 乙", line: 1).get().gaps == [Gap(window: 30, crossesClauses: true, crossesSentence: true)])
        #expect(try LexiconParser.parsePattern("甲 ~~ 乙", line: 1).get().gaps == [Gap(window: 16, crossesClauses: true)])
    }

    @Test func questionCueNeedsAQuestion() {
        #expect(rules("有没有考不过退费的电工证培训班？").isEmpty)
        #expect(rules("哪里有包过的班?急").isEmpty)
        // not a question: an advertiser's statement
        #expect(rules("有没有基础都能包过！") == ["t.bao-guo"])
        #expect(rules("有没有基础都没关系，本班包过。") == ["t.bao-guo"])
        // the question is its own sentence; the answer after it is a claim
        #expect(rules("有没有包过的班？有！本中心包过") == ["t.bao-guo"])
        // a question mark at the end of a line (chat and FAQ transcripts) still ends a question
        #expect(rules("问：有没有包过的班？\n答：没有，也不可能有。").isEmpty)
        #expect(rules("问：有没有包过的班？\r\n答：没有。").isEmpty)
        // … but a line that ends without one is no question, and the answer is still read
        #expect(rules("有没有基础都能包过\n欢迎咨询") == ["t.bao-guo"])
        #expect(rules("有没有包过的班？\n有！本中心包过") == ["t.bao-guo"])
    }

    @Test func categoryScopedCues() {
        // 封闭管理 is scoped to insider-claim: it silences 命题专家 …
        #expect(rules("命题专家实行封闭管理").isEmpty)
        // … but not a pass guarantee in the same sentence
        #expect(rules("保过班，命题专家实行封闭管理") == ["t.bao-guo"])
        #expect(rules("一经发现代考，取消资格").isEmpty)
        #expect(rules("一经发现包过不退钱") == ["t.bao-guo"])
    }

    @Test func scopeSyntaxErrors() {
        let unknown = "[negation]\nbefore[no-such-category] = 严禁\n"
        #expect(throws: LexiconErrors.self) { try LexiconParser.parse([("x.rules", unknown)]) }
        let notScopable = "[negation]\nbreak[pass-guarantee] = 但\n"
        #expect(throws: LexiconErrors.self) { try LexiconParser.parse([("x.rules", notScopable)]) }
        let inRule = "[rule x]\ncategory = pass-guarantee\nseverity = high\nbasis = b\ndescription = d\npattern[pass-guarantee] = 包过\nmatch = 包过\nnomatch = 过\n"
        #expect(throws: LexiconErrors.self) { try LexiconParser.parse([("x.rules", inRule)]) }
    }

    @Test func exclusionCoversALaterTermOfAGappedMatch() {
        // the exclusion 退款流程 covers only the second term (退款) of 考不过 ~~ 退款
        #expect(rules("考不过的话，退款流程请咨询").isEmpty)
        #expect(matcher.scan(text: "考不过的话，退款流程请咨询").suppressed.first?.reason.contains("退款流程") == true)
        // an uncovered later occurrence still completes the match
        #expect(rules("考不过的话退款流程简单，全额退款") == ["t.refund"])
    }

    @Test func lintFindsCuesThatCanNeverApply() throws {
        let src = """
        [negation]
        before[testimonial] = 晒单
        before = 零投诉
        exclude = 零投诉

        [rule x]
        category = pass-guarantee
        severity = high
        basis = b
        description = d
        pattern = 包过
        match = 包过
        nomatch = 打包
        """
        let warnings = try Matcher(lexicon: LexiconParser.parse([("x.rules", src)])).lint().map(\.message)
        #expect(warnings.contains { $0.contains("晒单") && $0.contains("never apply") })
        #expect(warnings.contains { $0.contains("零投诉") && $0.contains("never apply") })
        // the test lexicon above has no such cue
        #expect(!matcher.lint().contains { $0.message.contains("never apply") && $0.message.contains("cue") })
    }
}

/// An all-pinyin spelling written like a name (capital, then small letters) is a name.
struct PinyinNameTests {
    @Test func titleCasePinyinIsAName() throws {
        let src = "[rule t.bao-guo]\ncategory = pass-guarantee\nseverity = high\nbasis = b\ndescription = d\npattern = 包过\nmatch = 包过\nnomatch = 打包\n"
        let matcher = try Matcher(lexicon: LexiconParser.parse([("t.rules", src)]))
        #expect(matcher.scan(text: "宝国物流（Baoguo Logistics）成立于2012年").findings.isEmpty)
        #expect(matcher.scan(text: "联系人：Wang Baoguo，电话略").findings.isEmpty)
        #expect(matcher.scan(text: "本班baoguo，报名从速").findings.count == 1)
        #expect(matcher.scan(text: "本班BaoGuo，报名从速").findings.count == 1)
        #expect(matcher.scan(text: "本班BAOGUO，报名从速").findings.count == 1)
        #expect(matcher.scan(text: "Baoguo班 | 二级建造师 | 限额招生").findings.count == 1)
        #expect(matcher.scan(text: "本班 Bao guo ，报名从速").findings.count == 1)
    }
}

/// Stripped page text (issue 3, round 3): a cue does not reach across the whitespace that
/// separates blocks of a page (navigation, course lists, footers), and Arabic digits with a
/// Chinese magnitude after them are one number.
struct PageBlockTests {
    let matcher: Matcher

    init() throws {
        matcher = try Matcher(lexicon: LexiconParser.parse([("t.rules", DiscourseFeatureTests.base + """

        [negation]
        before = 防范
        after = 骗局
        report[false-authority] = 公交

        [rule t.authority]
        category = false-authority
        severity = medium
        basis = 广告法第九条
        description = 人社部颁发
        pattern = 人社部颁发
        match = 证书由人社部颁发
        nomatch = 乘公交办理人社部颁发的证书
        """)]))
    }

    func rules(_ text: String) -> [String] { matcher.scan(text: text).findings.map(\.rule.id) }

    @Test func cuesStopAtPageBlocks() {
        // a before cue in a course list, the claim in the next field of the card
        #expect(rules("【课程】法律法规、安全防范、消防 【保障】包过").contains("t.bao-guo"))
        #expect(rules("◆ 学习内容：安全防范、应急处置 ◆ 考试包过").contains("t.bao-guo"))
        // a report cue in the footer, the claim in the course title
        #expect(rules("证书由人社部颁发，全国通行 学费：2280元 乘公交至xx站下车即到") == ["t.authority"])
        #expect(rules("首页 新闻 据报道 课程中心 包过班") == ["t.bao-guo"])
        // an after cue in the next block
        #expect(rules("本班包过 防骗指南：识破骗局").contains("t.bao-guo"))
        // a question cue in another block
        #expect(rules("有没有 课程：包过班？") == ["t.bao-guo"])
        // in one block (no whitespace between) the cues still govern
        #expect(rules("课程涉及安全防范包过的内容").isEmpty)
        #expect(rules("据报道，某机构宣传包过").isEmpty)
        #expect(rules("乘公交办理人社部颁发的证书").isEmpty)
        #expect(rules("有没有包过的班？").isEmpty)
        #expect(rules("包过骗局").isEmpty)
        // whitespace inside the phrase itself does not cut the cue off
        #expect(rules("严禁宣传包 过").isEmpty)
        // nor does whitespace right between cue and match: a notice written with spaces
        #expect(rules("严禁 包过 宣传").isEmpty)
        #expect(rules("包过 骗局").isEmpty)
        // a pattern still crosses a block: 报名不过 全额退费
        #expect(rules("考不过 全额退款") == ["t.refund"])
    }

    @Test func blockStartsInTheSkeleton() {
        let s = Skeleton(NormalizedText(TextRun(utf8Text: "首页 课程 包过")))
        #expect(s.blockStarts.count == 2)
        #expect(Skeleton(NormalizedText(TextRun(utf8Text: "no guarantee at all"))).blockStarts.isEmpty)
        #expect(Skeleton(NormalizedText(TextRun(utf8Text: "包★过，包过"))).blockStarts.isEmpty)
        #expect(Skeleton(NormalizedText(TextRun(utf8Text: "电话：0898-xxxxxxx 上一篇"))).blockStarts.count == 1)
        #expect(Skeleton(NormalizedText(TextRun(utf8Text: "电话：0898-1234567 上一篇"))).blockStarts.count == 1)
        // a number set off by single spaces is typography, not a block boundary
        #expect(Skeleton(NormalizedText(TextRun(utf8Text: "单元测试 1,204 项，通过率 98.5%，共 146 人"))).blockStarts.isEmpty)
        #expect(Skeleton(NormalizedText(TextRun(utf8Text: "首页  2024课程"))).blockStarts.count == 1)
        #expect(rules("据报道 2024 年有机构宣传包过").isEmpty, "the report cue reaches across the spaced number")
    }

    @Test func arabicDigitsWithAMagnitudeAreOneNumber() {
        // 1.26万人次 is 12600, not 10000: 9,412 of them passing is no near-total pass
        #expect(rules("本季度共组织认定考核1.26万人次，合格9,412人").isEmpty)
        #expect(rules("本季度报名1.26万人，通过1.25万人").contains("t.count"))
        let tokens = TokenSpans(Skeleton(NormalizedText(TextRun(utf8Text: "1.26万人次，3千元，两万，98%"))).units)
        #expect(tokens.numbers.map(\.value) == [12600, 3000, 20000, 98])
        #expect(tokens.percents.map(\.value) == [98])
    }
}
