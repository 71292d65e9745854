import Foundation
import Testing
import TestSupport
@testable import ClaimText

/// The promise model (``PromiseModel``): its file, its passages, its two effects on a scan
/// (flag and veto) with a model whose weights the test sets, and training.
@Suite struct PromiseModelTests {
    /// A model that knows one word: every n-gram of `word` weighs `weight`, everything else 0.
    /// With the bias at -4 a passage without the word scores 0.018 (below the veto), and one
    /// with it close to 1 (above the flag).
    static func model(knowing word: String, weight: Float = 100, minimumCharacters: Int = 4) -> PromiseModel {
        model(knowing: [word], weight: weight, minimumCharacters: minimumCharacters)
    }

    /// A model that knows some words, each n-gram of each weighing `weight`.
    static func model(knowing words: [String], weight: Float, minimumCharacters: Int = 4) -> PromiseModel {
        let bits = 16, categoryBits = 8
        var weights = [Float](repeating: 0, count: 1 << bits)
        for word in words {
            let units = word.unicodeScalars.map(\.value)
            units.withUnsafeBufferPointer { u in
                for n in 1...3 where n <= u.count {
                    for i in 0...(u.count - n) { weights[Int(PromiseModel.hash(u, i, n)) & ((1 << bits) - 1)] = weight }
                }
            }
        }
        var categoryBias = [Float](repeating: 0, count: Category.allCases.count)
        categoryBias[Category.allCases.firstIndex(of: .refundIfFail)!] = 1
        return PromiseModel(bits: bits, weights: weights, bias: -4, categoryBits: categoryBits,
                            categoryWeights: [Float](repeating: 0, count: Category.allCases.count << categoryBits),
                            categoryBias: categoryBias, minimumCharacters: minimumCharacters, trainedOn: "test")
    }

    static func matcher(_ model: PromiseModel?) throws -> Matcher {
        var lexicon = try LexiconParser.parse([("t.rules", TestRules.baoGuo() + "\n[negation]\nbefore = 严禁\n")])
        lexicon.model = model
        return try Matcher(lexicon: lexicon)
    }

    @Test func flagsAPromisingPassageNoRuleMatchedAtItsPlace() throws {
        let text = "报名须知。\u{2029}学费分两次交，考核这一关我们兜底，证不到手尾款不收。\u{2029}联系电话：0731-1234"
        let result = try Self.matcher(Self.model(knowing: "兜底")).scan(text: text)
        #expect(result.findings.count == 1)
        let finding = try #require(result.findings.first)
        #expect(finding.rule.id == "model.promise")
        #expect(finding.rule.category == .refundIfFail)
        // The case's phrase: the passage's first sentence.
        #expect(finding.phrase == "学费分两次交，考核这一关我们兜底，证不到手尾款不收。")
        #expect(finding.severity == .low)
        #expect(finding.visibleText == "学费分两次交，考核这一关我们兜底，证不到手尾款不收。")
        // The bytes are the passage's, in the original text.
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[finding.byteStart..<finding.byteEnd], as: UTF8.self) == finding.visibleText)
        let evidence = try #require(finding.model)
        #expect(evidence.score > 0.99)
        #expect(evidence.cues.first?.contains("兜底") == true)
        // Without the model, nothing.
        #expect(try Self.matcher(nil).scan(text: text).findings.isEmpty)
    }

    @Test func doesNotFlagTitlesShortPassagesOrWhatTheRulesAlreadyJudged() throws {
        let matcher = try Self.matcher(Self.model(knowing: "兜底", minimumCharacters: 8))
        // No clause mark: a course title or a menu.
        #expect(matcher.scan(text: "二零二四年考核兜底班全程直播精讲课程").findings.isEmpty)
        // A list of like items: a keyword list.
        #expect(matcher.scan(text: "考核兜底班,考证兜底班,拿证兜底班,焊工兜底班").findings.isEmpty)
        // Not running text: an image's alt text, a page title.
        let promise = "考核这一关我们兜底，证不到手尾款不收。"
        #expect(matcher.scan([TextRun(utf8Text: promise, location: .title), TextRun(utf8Text: promise, location: .imageAlt)]).findings.isEmpty)
        #expect(matcher.scan([TextRun(utf8Text: promise, location: .body)]).findings.count == 1)
        // Fewer than eight characters.
        #expect(matcher.scan(text: "我们兜底，放心").findings.isEmpty)
        // A passage holding a suppressed rule match (a ban) is the rules' to judge.
        let banned = matcher.scan(text: "本机构严禁宣传包过，也不搞兜底那一套，请家长监督。")
        #expect(banned.findings.isEmpty)
        #expect(banned.suppressed.contains { $0.finding.rule.id == "t.bao-guo" })
        // A passage with a rule finding is reported once, by the rule.
        let found = matcher.scan(text: "本班包过，考核这一关我们兜底，放心报名吧。")
        #expect(found.findings.map(\.rule.id) == ["t.bao-guo"])
    }

    /// A passage whose rule matches the rules suppressed, and nothing else, is flagged from the
    /// model's overrideFlagThreshold (session 15); without one (older files), never.
    @Test func aPassageTheRulesSuppressedIsFlaggedFromTheOverrideThreshold() throws {
        let text = "本机构严禁宣传包过，考核这一关我们兜底，证不到手尾款不收。"
        var model = Self.model(knowing: "兜底")
        #expect(model.overrideFlagThreshold == nil)
        #expect(try Self.matcher(model).scan(text: text).findings.isEmpty)
        model.overrideFlagThreshold = 0.9
        let matcher = try Self.matcher(model)
        let result = matcher.scan(text: text)
        #expect(result.findings.map(\.rule.id) == ["model.promise"])
        #expect(result.findings.first?.visibleText == text)
        // The rules' reading stays beside it, with its reason.
        #expect(result.suppressed.map(\.finding.rule.id) == ["t.bao-guo"])
        #expect(result.suppressed.first?.overridable == true)
        // Not where the rules saw what the model cannot: a longer innocent word (an exclusion),
        // as a table or a quotation of banned words.
        var lexicon = try LexiconParser.parse([("t.rules", TestRules.baoGuo() + "\n[exclusions]\nexclude = 打包过程\n")])
        lexicon.model = model
        let excluded = try Matcher(lexicon: lexicon).scan(text: "仓库打包过程很顺利，考核这一关我们兜底，证不到手尾款不收。")
        #expect(excluded.findings.isEmpty && excluded.suppressed.map(\.overridable) == [false])
        // Below the threshold: the rules' judgement stands.
        let notice = matcher.scan(text: "本机构严禁宣传包过，请家长监督，发现问题及时向我们反映。")
        #expect(notice.findings.isEmpty && notice.suppressed.count == 1)
        // A passage with a kept rule finding is still reported once, by the rule.
        #expect(matcher.scan(text: "本班包过，严禁宣传包过的是别家，考核这一关我们兜底。").findings.map(\.rule.id) == ["t.bao-guo"])
    }

    @Test func vetoesPlainRuleFindingsInInnocentPassagesButNotDisguisedOnes() throws {
        let matcher = try Self.matcher(Self.model(knowing: "兜底"))
        let plain = matcher.scan(text: "仓库打包过了两遍，明天一早就发货，请注意查收。")
        #expect(plain.findings.isEmpty)
        let vetoed = try #require(plain.suppressed.first)
        #expect(vetoed.finding.rule.id == "t.bao-guo")
        #expect(vetoed.reason.hasPrefix(PromiseModel.vetoReasonPrefix))
        // Pinyin is deliberate disguise: evidence of intent the model does not overrule.
        let disguised = matcher.scan(text: "仓库这批货bao过了两遍，明天一早就发货，请注意查收。")
        #expect(disguised.findings.map(\.rule.id) == ["t.bao-guo"])
        // A passage too short to read is not vetoed.
        #expect(matcher.scan(text: "包过班").findings.map(\.rule.id) == ["t.bao-guo"])
    }

    /// Honest filler for the sentence tests: five sentences, 123 characters, none of the words
    /// the test models know.
    static let filler = "本中心位于市区东部，交通便利，周边有多条公交线路。教室宽敞明亮，配有空调和投影设备。"
        + "每期招收二十人左右，周末和晚上都有班。报名时请带好身份证和两张一寸照片。课程结束后可以继续来实训室练习。"

    /// A veto needs the finding's own sentence to read as innocent too: a promise in a long
    /// paragraph of honest copy is diluted in its passage, not in its sentence.
    @Test func aVetoSparesAFindingWhoseSentenceReadsAsAPromise() throws {
        let model = Self.model(knowing: "兜底", weight: 14)
        let matcher = try Self.matcher(model)
        let promise = "本班包过，考核这一关我们兜底。"
        let text = Self.filler + promise
        // The preconditions: the passage reads as innocent, the sentence as a promise.
        #expect(model.score(text) < model.vetoThreshold)
        #expect(model.score(promise) >= PromiseModel.sentenceVetoThreshold)
        #expect(matcher.scan(text: text).findings.map(\.rule.id) == ["t.bao-guo"])
        // The same paragraph with an innocent sentence around the match: vetoed, with both scores.
        let innocent = matcher.scan(text: Self.filler + "仓库打包过了两遍，明天发货。")
        #expect(innocent.findings.isEmpty)
        let vetoed = try #require(innocent.suppressed.first)
        #expect(vetoed.vetoedByModel && vetoed.reason.contains("its sentence"))
    }

    /// A passage between 0.5 and the flag threshold is flagged by a sentence that alone scores
    /// 0.95 — reported at that sentence's place, not the whole paragraph's.
    @Test func aPromisingSentenceInAMiddlingPassageIsFlaggedByItself() throws {
        let model = Self.model(knowing: "兜底", weight: 25)
        let promise = "学费分两次交，考核这一关我们兜底。"
        let text = Self.filler + promise
        let passageScore = model.score(text)
        #expect(passageScore >= PromiseModel.sentenceCandidateThreshold && passageScore < model.flagThreshold)
        #expect(model.score(promise) >= PromiseModel.sentenceFlagThreshold)
        let finding = try #require(try Self.matcher(model).scan(text: text).findings.first)
        #expect(finding.rule.id == "model.promise")
        #expect(finding.visibleText == promise)
        #expect(String(decoding: Array(text.utf8)[finding.byteStart..<finding.byteEnd], as: UTF8.self) == promise)
        #expect(finding.model.map { $0.score >= Double(PromiseModel.sentenceFlagThreshold) } == true)
        // Below 0.5 the sentences are not read: with a lighter word nothing is flagged.
        let light = Self.model(knowing: "兜底", weight: 10)
        #expect(light.score(text) < PromiseModel.sentenceCandidateThreshold)
        #expect(try Self.matcher(light).scan(text: text).findings.isEmpty)
        // The thresholds are the model's (its file's): a stricter sentence flag, no flag.
        var strict = model
        strict.sentenceFlagThreshold = (model.score(promise) + 1) / 2
        #expect(try Self.matcher(strict).scan(text: text).findings.isEmpty)
    }

    /// A passage of several sentences that scores as a promise only because each sentence adds
    /// a little (the sum grows with the length) is not flagged: one sentence must read, alone,
    /// more like a promise than not.
    @Test func aLongPassageIsFlaggedOnlyIfOneOfItsSentencesPromises() throws {
        let words = ["教室", "公交", "照片", "实训", "周末"]   // one in each sentence of the filler
        let model = Self.model(knowing: words, weight: 7)
        #expect(model.score(Self.filler) >= model.flagThreshold)
        let sentences = Self.filler.split(separator: "。").map { String($0) + "。" }
        #expect(sentences.count == 5)
        for sentence in sentences { #expect(model.score(sentence) < PromiseModel.sentenceCandidateThreshold, "\(sentence)") }
        #expect(try Self.matcher(model).scan(text: Self.filler).findings.isEmpty)
        // A one-sentence passage scoring as much is flagged.
        let one = Self.model(knowing: words, weight: 40)
        let sentence = "教室在三楼，坐公交可以到，报名带照片，实训在周末，欢迎来看看"
        #expect(one.score(sentence) >= one.flagThreshold)
        #expect(try Self.matcher(one).scan(text: sentence).findings.map(\.rule.id) == ["model.promise"])
    }

    /// Lines of plain text are blocks, as `<br>` and `<p>` make them on a page: a flattened
    /// page's menu line does not dilute the promise on the next line.
    @Test func plainTextLinesAreReadApart() throws {
        let model = Self.model(knowing: "兜底")
        let text = "首页 课程 师资 报名 联系我们 关于我们 学员风采\n学费分两次交，考核这一关我们兜底，证不到手尾款不收。\u{2028}地址：某市某区某路某号，电话0731-1234"
        let scalars = Array(text.unicodeScalars)
        let passages = model.passages(scalars)
        #expect(passages.count == 3)
        for p in passages { #expect(!scalars[p.start..<p.end].contains("\n") && !scalars[p.start..<p.end].contains("\u{2028}")) }
        let finding = try #require(try Self.matcher(model).scan(text: text).findings.first)
        #expect(finding.visibleText == "学费分两次交，考核这一关我们兜底，证不到手尾款不收。")
    }

    /// A line too short to read is read with the next (session 14): a chat's turns, a question
    /// and its one-line answer. A block break (a page's `<p>`, `<br>`) still ends a passage,
    /// and a line long enough stays apart (above).
    @Test func shortLinesAreReadWithTheNext() throws {
        let model = Self.model(knowing: "兜底", minimumCharacters: 18)
        let chat = "学员：能保证过吗？\n顾问：放心，我们兜底。\n学员：好的，那我报名。"
        let scalars = Array(chat.unicodeScalars)
        // 7 + 8 + 8 content characters: no line reaches 18 alone, the three together do.
        #expect(model.passages(scalars).map { $0.start..<$0.end } == [0..<scalars.count])
        let finding = try #require(try Self.matcher(model).scan(text: chat).findings.first)
        #expect(finding.rule.id == "model.promise" && finding.visibleText.contains("我们兜底"))
        // The same turns as blocks of a page: each too short, none read.
        let blocks = chat.replacingOccurrences(of: "\n", with: "\u{2029}")
        #expect(model.passages(Array(blocks.unicodeScalars)).isEmpty)
        #expect(try Self.matcher(model).scan(text: blocks).findings.isEmpty)
        // Short lines gather until they are long enough; a long line after them stays apart.
        let mixed = "学员：在吗？\n顾问：在的。\n学员：这个班考核这一关你们能兜底吗？\n学费分两次交，考核这一关我们兜底，证不到手尾款不收。"
        let parts = model.passages(Array(mixed.unicodeScalars)).map { String(String.UnicodeScalarView(Array(mixed.unicodeScalars)[$0.start..<$0.end])) }
        #expect(parts == ["学员：在吗？\n顾问：在的。\n学员：这个班考核这一关你们能兜底吗？", "学费分两次交，考核这一关我们兜底，证不到手尾款不收。"])
    }

    /// What the model calls a sentence (the scan's sentence rules and training use the same):
    /// a closing quote after the end belongs to it, a short one (放心！, a phone number) is
    /// joined to the next, the last short one to the one before.
    @Test func sentencesKeepTheirClosingQuotesAndShortOnesAreJoined() {
        func units(_ text: String) -> [String] {
            let scalars = Array(text.unicodeScalars)
            return PromiseModel.sentenceUnits(scalars[...], minimumContent: 9).map { String(String.UnicodeScalarView(scalars[$0])) }
        }
        #expect(units("老师说：“欢迎大家来电话咨询。”只要人到场，剩下的全交给老师。") == ["老师说：“欢迎大家来电话咨询。”", "只要人到场，剩下的全交给老师。"])
        #expect(units("放心！只要人到场，剩下的全交给老师。电话1234。") == ["放心！只要人到场，剩下的全交给老师。电话1234。"])
        #expect(units("本中心位于市区东部交通便利。只要人到场，剩下的全交给老师。") == ["本中心位于市区东部交通便利。", "只要人到场，剩下的全交给老师。"])
        #expect(units("") == [])
        // Empty lines make no passage, whatever the minimum.
        let model = Self.model(knowing: "兜底")
        #expect(model.passages(Array("\n\n考核这一关我们兜底\n\n".unicodeScalars), minimum: 0).count == 1)
    }

    /// A flagged passage's text and bytes leave out what the extractor added without page bytes
    /// at its edges (the `;` between a table cell's paragraphs).
    @Test func aFlagLeavesOutCharactersWithoutPageBytes() throws {
        let text = "学费分两次交，考核这一关我们兜底，证不到手尾款不收"
        var run = TextRun(location: .body)
        var offset = 0
        for scalar in text.unicodeScalars {
            run.append(scalar, bytes: offset..<(offset + UTF8.width(scalar)))
            offset += UTF8.width(scalar)
        }
        run.append(";", bytes: offset..<offset)
        let finding = try #require(try Self.matcher(Self.model(knowing: "兜底")).scan([run]).findings.first)
        #expect(finding.visibleText == text)
        #expect(finding.byteEnd == offset)
    }

    @Test func longBlocksAreReadInWindowsOfWholeSentences() throws {
        let model = Self.model(knowing: "兜底")
        let sentence = "这是一段很普通的课程介绍文字，讲的是上课的时间和地点。"
        let long = String(repeating: sentence, count: 12)
        let scalars = Array(long.unicodeScalars)
        let passages = model.passages(scalars)
        #expect(passages.count > 1)
        for p in passages {
            #expect(p.end - p.start <= model.windowCharacters)
            #expect(p.start == 0 || scalars[p.start - 1] == "。")
        }
        #expect(passages.last?.end == scalars.count)
        // A promise in the middle of a long page block is found in its window.
        let page = String(repeating: sentence, count: 6) + "考核这一关我们兜底，不过不收尾款。" + String(repeating: sentence, count: 6)
        let finding = try #require(try Self.matcher(model).scan(text: page).findings.first)
        #expect(finding.visibleText.contains("我们兜底"))
        #expect(finding.visibleText.count <= model.windowCharacters)
    }

    /// Only prose is flagged: not a keyword or course list, a footer of labels, a menu.
    @Test func proseIsTellingFromListsAndLabels() {
        func prose(_ text: String) -> Bool { PromiseModel.isProse(ArraySlice(Array(text.unicodeScalars))) }
        #expect(!prose("中式烹调师培训,焊工培训,叉车司机培训,美发师培训,育婴师培训"))
        #expect(!prose("地址：江苏省南京市某区某路267号　电话：019-57393035"))
        #expect(!prose("首页 课程中心 师资力量 学员风采 在线报名 联系我们"))
        #expect(prose("零基础，免考试，直接拿证，全国通用"))
        #expect(prose("考试？放心！我们搞定，等证就行"))
        #expect(prose("本中心是一家专业从事消防设施操作员、保育员、心理咨询师等职业技能培训的机构。"))
    }

    /// A long block whose sentences never end (commas only) is still read in windows: cut at
    /// clause marks, and a clause longer than a window at the window's length.
    @Test func noPassageIsLongerThanAWindow() throws {
        let model = Self.model(knowing: "兜底")
        for block in [String(repeating: "考试这块您就放宽心，交给我们来打点，", count: 300), String(repeating: "考", count: 2000)] {
            let scalars = Array(block.unicodeScalars)
            let passages = model.passages(scalars)
            #expect(passages.count > 10)
            #expect(passages.allSatisfy { $0.end - $0.start <= model.windowCharacters })
            #expect(passages.first?.start == 0 && passages.last?.end == scalars.count)
            for (a, b) in zip(passages, passages.dropFirst()) { #expect(a.end == b.start) }
        }
    }

    /// What a model finding shows is the page's own text: no invisible character at its edges,
    /// cues as written (traditional here), each once; a veto's reason does not round the score
    /// onto the threshold.
    @Test func findingsShowThePagesText() throws {
        let matcher = try Self.matcher(Self.model(knowing: "兜底"))
        let text = "\u{200B}學費分兩次交，考核這一關我們兜底，證不到手尾款不收。\u{200B}\u{00AD} "
        let finding = try #require(matcher.scan(text: text).findings.first)
        #expect(finding.visibleText == "學費分兩次交，考核這一關我們兜底，證不到手尾款不收。")
        let cues = try #require(finding.model?.cues)
        #expect(cues.contains { $0.contains("兜底") && $0.contains("們") })
        #expect(Set(cues).count == cues.count)
        let vetoed = try #require(matcher.scan(text: "仓库打包过了两遍，明天一早就发货，请注意查收。").suppressed.first)
        #expect(vetoed.reason.contains("below the veto threshold 0.200"))
        #expect(vetoed.reason.range(of: #"score 0\.\d{3},"#, options: .regularExpression) != nil)
    }

    @Test func theFileRoundTripsAndItsErrorsSayWhere() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("promise.model").path
        let model = Self.model(knowing: "兜底")
        try model.write(to: path)
        let read = try PromiseModel(contentsOf: path)
        #expect(read.weights == model.weights && read.bias == model.bias && read.categoryBias == model.categoryBias)
        #expect(read.flagThreshold == model.flagThreshold && read.vetoThreshold == model.vetoThreshold)
        #expect(read.score("我们兜底") == model.score("我们兜底"))

        let bytes = model.serialized()
        func error(_ data: [UInt8]) -> String {
            do { _ = try PromiseModel(data: data, path: "x.model"); return "" } catch { return error.description }
        }
        #expect(error(Array("hello\n".utf8)).hasPrefix("x.model: not a promise model"))
        #expect(error(Array(bytes.dropLast(4))).contains("truncated"))
        let headerEnd = try #require(bytes.firstRange(of: Array("tables\n".utf8))).upperBound
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        let badFlag = header.replacingOccurrences(of: "flag = 0.65", with: "flag = high")
        #expect(badFlag != header)
        #expect(error(Array(badFlag.utf8) + bytes[headerEnd...]).contains("`flag` must be a number from 0 to 1"))
        #expect(error(Array(PromiseModel.magic.utf8) + [0x0A]).contains("cut off"))
        #expect(error([]).contains("not a promise model"))
        func withHeader(_ from: String, _ to: String) -> [UInt8] {
            let changed = header.replacingOccurrences(of: from, with: to)
            return Array(changed.utf8) + bytes[headerEnd...]
        }
        #expect(error(withHeader("veto = 0.2", "veto = 0.9")).contains("`veto` (0.9) is above `flag` (0.65)"))
        #expect(error(withHeader("window = 150", "windw = 150")).contains("unknown key `windw`"))
        #expect(error(withHeader("window = 150", "window = 150\nwindow = 20")).contains("`window` given twice"))
        #expect(error(withHeader("sentence-veto = 0.5", "sentence-veto = 1.5")).contains("`sentence-veto` must be a number from 0 to 1"))
        #expect(error(withHeader("override-flag = none", "override-flag = 2")).contains("`override-flag` must be a number from 0 to 1"))

        // The sentence rules' thresholds travel with the model (session 14); a file written
        // before has none and gets the defaults the code had then.
        var tuned = model
        tuned.sentenceFlagThreshold = 0.9; tuned.sentenceCandidateThreshold = 0.4; tuned.sentenceVetoThreshold = 0.3
        let tunedRead = try PromiseModel(data: tuned.serialized(), path: "t.model")
        #expect(tunedRead.sentenceFlagThreshold == 0.9 && tunedRead.sentenceCandidateThreshold == 0.4 && tunedRead.sentenceVetoThreshold == 0.3)
        var old = header
        for key in ["sentence-flag", "sentence-candidate", "sentence-veto", "override-flag"] {
            old = old.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(key) }.joined(separator: "\n")
        }
        #expect(!old.contains("sentence-") && !old.contains("override-"))
        let before = try PromiseModel(data: Array(old.utf8) + bytes[headerEnd...], path: "old.model")
        #expect(before.sentenceFlagThreshold == PromiseModel.sentenceFlagThreshold
                && before.sentenceCandidateThreshold == PromiseModel.sentenceCandidateThreshold
                && before.sentenceVetoThreshold == PromiseModel.sentenceVetoThreshold)
        #expect(before.weights == model.weights)
        #expect(before.overrideFlagThreshold == nil)
        // The override threshold travels too; `none` is no threshold.
        tuned.overrideFlagThreshold = 0.8
        #expect(try PromiseModel(data: tuned.serialized(), path: "t.model").overrideFlagThreshold == 0.8)
        #expect(header.contains("override-flag = none\n"))

        // In a lexicon folder, a broken model is a lexicon error naming the file.
        try TestRules.baoGuo().write(to: dir.appendingPathComponent("a.rules"), atomically: true, encoding: .utf8)
        try Data(bytes.dropLast(8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: LexiconErrors.self) { try LexiconParser.load(path: dir.path) }
        do { _ = try LexiconParser.load(path: dir.path) } catch {
            #expect(error.description.contains("promise.model:0: the tables hold"))
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(try LexiconParser.load(path: dir.path).model == nil)
    }

    /// Training reads sentences too: every sentence of an innocent text is an innocent row;
    /// of a promise, only the sentence the first fit scores highest is a promise row (the
    /// address beside it is neither); one-sentence texts and short sentences add nothing.
    @Test func trainingAddsTheSentencesOfTextsWithSeveral() throws {
        let promise = "本中心位于市区东部，交通便利。考核这一关我们兜底，放心报名。电话0731-1234。"
        let innocent = "教室宽敞明亮，配有空调和投影设备。每期招收二十人左右，周末和晚上都有班。"
        let single = "考核这一关我们兜底，证不到手尾款不收。电话1234。"   // the phone: under 9 characters
        func scalars(_ text: String) -> [Unicode.Scalar] { NormalizedText(TextRun(utf8Text: text)).scalars }
        func hashes(_ text: String) -> [UInt32] { PromiseModel.hashes(PromiseModel.prepared(ArraySlice(scalars(text)))) }
        let knows = Self.model(knowing: "兜底")
        // A text of two runs (a page's title and body): no sentence crosses from one to the other.
        let twoRuns = [scalars("首页课程师资报名联系我们关于我们"), scalars("教室宽敞明亮，配有空调和投影设备。")]
        let rows = PromiseModel.sentenceRows([[scalars(promise)], [scalars(innocent)], [scalars(single)], twoRuns],
                                             positive: [true, false, true, false],
                                             options: TrainingOptions()) { PromiseModel.logit($0, weights: knows.weights, bias: knows.bias, bits: knows.bits) }
        // The promise's best sentence (not its address or phone), the innocent text's two, none
        // of the one-sentence text, one from each run of the last.
        #expect(rows.count == 5)
        #expect(rows[0].positive && rows[0].hashes == hashes("考核这一关我们兜底，放心报名。"))
        #expect(!rows[1].positive && rows[1].hashes == hashes("教室宽敞明亮，配有空调和投影设备。"))
        #expect(!rows[2].positive && rows[2].hashes == hashes("每期招收二十人左右，周末和晚上都有班。"))
        #expect(!rows[3].positive && rows[3].hashes == hashes("首页课程师资报名联系我们关于我们"))
        #expect(!rows[4].positive && rows[4].hashes == hashes("教室宽敞明亮，配有空调和投影设备。"))
    }

    @Test func trainingIsDeterministicAndLearnsTheCorpus() throws {
        let promises = ["考核这一关我们兜底，放心", "证拿不到学费全退，我们兜底", "不用担心考试，过不了算我们的", "交钱就能拿证，考试我们安排"]
        let innocent = ["兜底保障政策覆盖低保家庭", "考试时间另行通知，请关注官网", "学费按学期收取，开课前可退", "证书由评价机构颁发，可查询"]
        let texts = promises.map { TrainingText(runs: [TextRun(utf8Text: $0)], positive: true, category: .passGuarantee) }
            + innocent.map { TrainingText(runs: [TextRun(utf8Text: $0)], positive: false, category: nil) }
        var options = TrainingOptions()
        options.iterations = 150
        let a = PromiseModel.train(texts, options: options, trainedOn: "t"), b = PromiseModel.train(texts, options: options, trainedOn: "t")
        #expect(a.serialized() == b.serialized())
        for p in promises { #expect(a.score(p) > 0.5, "\(p)") }
        for n in innocent { #expect(a.score(n) < 0.5, "\(n)") }
    }

    /// The naive-Bayes scaling (session 13): a feature's ratio is the log of its share of the
    /// promise rows' features over its share of the innocent rows', each count plus the
    /// smoothing; the fit folds the scales into the weights, so the scan's sum of weights is
    /// the scaled regression's log-odds; with smoothing 0 the fit is the plain one.
    @Test func naiveBayesScalingIsFoldedIntoTheWeights() throws {
        // Three features (table indices 0, 1, 2): 0 only in promises, 1 in both, 2 only in innocent rows.
        let rows = PromiseModel.SparseRows([[0, 1], [0], [1, 2], [2]])
        let labels: [Float] = [1, 1, 0, 0]
        let ratios = PromiseModel.naiveBayesRatios(rows, labels: labels, width: 4, smoothing: 0.5)
        // p = (2.5, 1.5, 0.5, 0.5), |p| = 5; q = (0.5, 1.5, 2.5, 0.5), |q| = 5.
        #expect(abs(ratios[0] - Float(log(5.0))) < 1e-5 && abs(ratios[1]) < 1e-6 && abs(ratios[2] + Float(log(5.0))) < 1e-5 && abs(ratios[3]) < 1e-6)

        var options = TrainingOptions()
        options.iterations = 50
        // Scales of ±1 change only the signs of the fitted parameters (the penalty and Adam are
        // symmetric in sign), so once folded the weights are the unscaled fit's, bit for bit:
        // this fails if the gradient left out a scale or the fold were not applied.
        let unit = PromiseModel.fitLogistic(rows, labels: labels, sampleWeights: [1, 1, 1, 1], width: 4, options: options)
        let signed = PromiseModel.fitLogistic(rows, labels: labels, sampleWeights: [1, 1, 1, 1], width: 4,
                                              featureScales: [1, -1, -1, 1], options: options)
        #expect(signed.weights == unit.weights && signed.bias == unit.bias)
        #expect(unit.weights[0] > 0 && unit.weights[2] < 0 && unit.weights[3] == 0)
        // Larger scales make a feature weigh more: the promise-only feature, scaled by 3, ends with a larger weight.
        let scaled = PromiseModel.fitLogistic(rows, labels: labels, sampleWeights: [1, 1, 1, 1], width: 4,
                                              featureScales: [3, 1, 1, 1], options: options)
        #expect(scaled.weights[0] > unit.weights[0] && scaled.weights[3] == 0)

        let texts = ["考核这一关我们兜底，放心", "兜底保障政策覆盖低保家庭"].enumerated().map {
            TrainingText(runs: [TextRun(utf8Text: $0.element)], positive: $0.offset == 0, category: $0.offset == 0 ? .passGuarantee : nil)
        }
        options.naiveBayesSmoothing = 0
        let a = PromiseModel.train(texts, options: options, trainedOn: "t")
        options.naiveBayesSmoothing = 0.5
        let b = PromiseModel.train(texts, options: options, trainedOn: "t")
        #expect(a.weights != b.weights)
        #expect(b.score("考核这一关我们兜底，放心") > 0.5 && b.score("兜底保障政策覆盖低保家庭") < 0.5)
    }

    /// The scan's one-pass score reads exactly the features training reads (prepared text,
    /// distinct n-grams), on texts with every kind of edge: spaces at either end and in runs,
    /// digits, line and block breaks, astral characters, one character, nothing.
    @Test func theScansScoreEqualsTheTrainingFeatures() throws {
        let model = try PromiseModel(contentsOf: repositoryRoot.appendingPathComponent("lexicons/promise.model").path)
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = ["包", "过", "证", "考", "我", "们", " ", " ", "\n", "\u{2029}", "3", "0", "a", "，", "。", "\u{3000}", "𠀀", "兜", "底"]
        var scratch = PromiseModel.Scratch()
        var texts: [[Unicode.Scalar]] = [[], [" "], ["包"], [" ", " ", "包", " "], Array("考核这一关我们兜底，2024年不过全退".unicodeScalars)]
        for _ in 0..<400 { texts.append((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
        for text in texts {
            let slice = ArraySlice(text)
            let expected = model.score(hashes: PromiseModel.hashes(PromiseModel.prepared(slice)))
            // The same features, summed in another order (Double sums: a difference only in the
            // last bits of the Float result).
            #expect(abs(model.score(slice, scratch: &scratch) - expected) < 1e-6, "\(String(String.UnicodeScalarView(text)).debugDescription)")
        }
    }

    /// The bundled model must not have been trained on the corpora kept blind to measure it.
    @Test func theBundledModelNeverSawTheBlindCorpora() throws {
        let model = try PromiseModel(contentsOf: repositoryRoot.appendingPathComponent("lexicons/promise.model").path)
        let files = Set(model.trainedOn.split(separator: " ").map(String.init))
        #expect(files.contains("dev.jsonl") && files.contains("holdout16.jsonl"))
        for blind in ["holdout15.jsonl", "holdout17.jsonl", "holdout18.jsonl", "holdout20.jsonl", "holdout21.jsonl", "holdout22.jsonl",
                      "holdout25.jsonl", "holdout26.jsonl", "holdout27.jsonl", "holdout28.jsonl", "holdout29.jsonl", "holdout30.jsonl",
                      "holdout31.jsonl", "holdout32.jsonl"] {
            #expect(!files.contains(blind), "\(blind) is blind")
        }
    }
}
