import Foundation
import Testing
@testable import ClaimText
import TestSupport

/// Behaviour of the bundled lexicon (lexicons/) beyond each rule's own
/// examples: whole sentences, several rules at once, and the lint checks.
@Suite(.onOwnThread) struct LexiconBehaviourTests {
    static let matcher: Matcher = {
        let lexicon = try! LexiconParser.load(path: LexiconFilesTests.directory, model: false)   // the rules alone: these test rules
        return try! Matcher(lexicon: lexicon)
    }()

    func rules(_ text: String) -> [String] {
        Self.matcher.scan(text: text).findings.map(\.rule.id)
    }

    @Test func lintIsClean() {
        let warnings = Self.matcher.lint()
        for w in warnings { print("lint: \(w)") }
        #expect(warnings.isEmpty)
    }

    /// Debug aid: CLAIMSCAN_PROBE="text" swift test --filter probe
    @Test func probe() {
        guard let text = ProcessInfo.processInfo.environment["CLAIMSCAN_PROBE"] else { return }
        for line in text.split(separator: "\n") {
            let result = Self.matcher.scan(text: String(line))
            print("PROBE \(line)")
            for f in result.findings { print("  FOUND \(f.rule.id) 「\(f.visibleText)」 \(f.severity)") }
            for s in result.suppressed { print("  SUPPRESSED \(s.finding.rule.id) 「\(s.finding.visibleText)」 \(s.reason)") }
        }
    }

    /// Regulators' notices, news and compliance statements quote long lists
    /// of banned words: nothing in them is a promise.
    @Test func quotedBansAreNotFindings() {
        let texts = [
            "各评价机构不得发布含有“包过”“保过”“保证拿证”“零基础包拿证”“×天拿证”“不过退费”“考不过退款”“内部渠道”“内部名额”“押题”等内容的广告。",
            "严禁使用“政府主推”“人社部颁发”“国家认可”“全国通用”“挂靠”“挂证”“轻松月入过万”“高薪入职”“毕业推荐高薪工作”“内部推荐”等用语。",
            "继续教育广告不得含有“无需学”“无需上课”“快速取证”“免考包过”“考不过退款”等内容。",
            "本机构郑重承诺：不做“包过”“保过”等虚假宣传，不组织代考替考，不承诺拿证时间。",
            "近日，市场监管部门查处一起培训机构发布“包过”“不过退费”虚假广告案件，罚款10万元。",
            "提醒广大考生：凡是声称“包过”“免考拿证”“内部渠道”的，都是骗局。",
            "部分培训机构打着“政府主推”“人社部颁发”的旗号招揽学员。",
            "近期有不法分子冒用我中心名义，以“内部名额”“免考拿证”为诱饵实施诈骗。",
            "考试期间严禁代考、替考，一经发现，取消考试资格。",
            "所谓“7天拿证”的职业技能证书是假证。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// Ordinary pages of a registered agency: process, fees, refunds, statistics.
    @Test func neutralAgencyPagesAreClean() {
        let texts = [
            "职业技能等级认定工作流程：报名—资格审核—缴费—考试—成绩公布—证书发放。",
            "考试合格者，由评价机构颁发职业技能等级证书，证书信息可在技能人才评价证书全国联网查询系统查询。",
            "退费说明：开班前申请退费的，全额退还；开班后申请退费的，按未上课时退还。",
            "考试不合格的，报名费不予退还。",
            "考后多久拿证？一般成绩公布后30个工作日内发证。",
            "请确保通过正规渠道报名，谨防上当受骗。",
            "保证金须在签约时缴纳，质量保证期为一年。",
            "实行证明事项告知承诺制，申请人签署诚信承诺书后即可办理。",
            "就业指导中心发布2023届毕业生就业率统计报告，就业率为91.2%。",
            "本次考试共有312名考生参加，合格率为71.5%。",
            "本中心为国家级高技能人才培训基地，国家级重点技工学校。",
            "最好提前一周报名，第一期名额有限。",
            "本网站为唯一指定报名网站，每本证书均有唯一编号。",
            "自学考试免考课程办理须知：申请免考的考生须提交相关证书。",
            "有相关工作经验者无需培训，可直接报名参加认定。",
            "报考条件：无需学历，年满16周岁即可。",
            "由人社部门备案的评价机构颁发证书。",
            "打包过程中请注意防潮，红包过期自动退回，面包过期请勿食用。",
            "社保证明和学历证明复印件各一份。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// Words that look like cues but are ordinary advertising do not silence a promise.
    @Test func cueLookAlikesDoNotSilenceAds() {
        #expect(rules("拒绝枯燥，包过") == ["pass-guarantee.bao-guo"])
        #expect(rules("零投诉，包过") == ["pass-guarantee.bao-guo"])
        #expect(rules("小心别错过，包过班最后3个名额") == ["pass-guarantee.bao-guo"])
        #expect(rules("本机构拒绝虚假宣传，真正包过") == ["pass-guarantee.bao-guo"])
        #expect(rules("本机构不承诺包过，但保证拿证") == ["certificate-guarantee.promise-cert"])
        #expect(rules("严禁任何保过承诺。报名即保过") == ["pass-guarantee.bao-guo"])
    }

    /// A typical advertisement yields one finding per promise, in its category.
    @Test func typicalAdvertisement() {
        let ad = "电工证培训火热招生！零基础包拿证，考不过全额退款。内部渠道，7天拿证，人社部颁发，全国通用。学完推荐高薪工作，轻松月入过万。"
        let found = Set(Self.matcher.scan(text: ad).findings.map(\.rule.category))
        #expect(found == [.certificateGuarantee, .refundIfFail, .insiderClaim, .falseAuthority, .incomeLure])
    }
}
