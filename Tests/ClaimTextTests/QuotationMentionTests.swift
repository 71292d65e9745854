import Testing
@testable import ClaimText

/// A quoted phrase near a report cue is a mention (session 6 additions): a quotation may
/// hold a clause list's ；, keep its full stop inside the marks, and the quoted speaker's own
/// break words do not end the writer's report.
struct QuotationMentionTests {
    static let lexicon = """
    [negation]
    report = 被告 | 记者
    break = 我们这儿 | 然而

    \(TestRules.baoGuo(pattern: "包过"))

    \(TestRules.rule("t.refund", category: "refund-if-fail", description: "不过退费", pattern: "不过 ~~ 全额退费|退钱", match: "考不过，全额退费", nomatch: "不过要先交定金"))
    """

    let matcher: Matcher
    init() throws { matcher = try Matcher(lexicon: LexiconParser.parse([("t.rules", Self.lexicon)])) }
    func rules(_ text: String) -> [String] { matcher.scan(text: text).findings.map(\.rule.id) }

    @Test func aQuotedClauseListKeepsItsSemicolons() {
        #expect(rules("经审理查明，被告在宣传册中写明“一次不过，免费重修；二次不过，全额退费”。").isEmpty)
        // Unquoted, the second clause after the ； is no longer in the report's sentence.
        #expect(rules("被告承诺一次不过免费重修；二次不过，全额退费。") == ["t.refund"])
    }

    @Test func aQuotedSentenceKeepsItsFullStopInside() {
        #expect(rules("记者暗访多家机构。工作人员说：“本校包过。”").isEmpty)
        // Without the closing mark it is no quotation: the agency's own next sentence.
        #expect(rules("记者暗访多家机构。工作人员说：本校包过。") == ["t.bao-guo"])
    }

    @Test func asciiQuotesPairOnTheirLine() {
        // The second " closes the first quotation: 包过 stands between two quotations, unquoted.
        #expect(rules("近日记者走访了XX学校。该校被评为\"优秀学校\"，电工班包过。\"先学后付\"活动进行中。") == ["t.bao-guo"])
        #expect(rules("记者暗访多家机构。工作人员说：\"本校包过\"。").isEmpty)
    }

    @Test func aMentionWordCountsFromTheQuotationsBounds() throws {
        let m = try Matcher(lexicon: LexiconParser.parse([("t.rules", Self.lexicon.replacingOccurrences(of: "break = 我们这儿 | 然而", with: "break = 我们这儿 | 然而\nmention = 这种说法"))]))
        #expect(m.scan(text: "“我们这儿包过。”这种说法不可信。").findings.isEmpty)
        #expect(m.scan(text: "这种说法不可信：“一次不过，免费重修；二次不过，全额退钱”").findings.isEmpty)
        // Unquoted, the sentence ends before the mention word.
        #expect(!m.scan(text: "我们这儿包过。这种说法不可信。").findings.isEmpty)
    }

    @Test func breakWordsInsideTheQuotationAreTheSpeakers() {
        #expect(rules("记者暗访多家机构。工作人员说：“我们这儿包过，考不过退钱。”").isEmpty)
        // Outside the quotation a break word still turns to the writer's own offer.
        #expect(rules("记者暗访多家机构，然而“本校包过”。") == ["t.bao-guo"])
    }
}
