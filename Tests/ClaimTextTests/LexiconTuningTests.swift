import Foundation
import Testing
@testable import ClaimText
import TestSupport

/// Phenomena found while tuning the bundled lexicon: whole sentences that
/// exercise negation cues, break words, mentions and guards across rules.
/// Sentences are written for these tests (not taken from the eval corpus).
@Suite(.onOwnThread) struct LexiconTuningTests {
    static let matcher: Matcher = {
        let lexicon = try! LexiconParser.load(path: LexiconFilesTests.directory, model: false)   // the rules alone: these test rules
        return try! Matcher(lexicon: lexicon)
    }()

    func rules(_ text: String) -> [String] {
        Self.matcher.scan(text: text).findings.map(\.rule.id)
    }

    /// Answer cues: a standalone denial answers only the clause the question asks.
    @Test func rhetoricalAnswersGovernOnlyTheirQuestion() {
        #expect(rules("直接发证？不可能。").isEmpty)
        #expect(rules("七天拿证？别做梦了！").isEmpty)
        #expect(rules("保过班火热招生，考不过？不可能！").contains("pass-guarantee.bao-guo"))
        #expect(rules("本班包过！不可能考不过").contains("pass-guarantee.bao-guo"))
        #expect(rules("包过？当然不是我们的作风，但报名即保过").contains("pass-guarantee.bao-guo"))
    }

    /// Denials and reports about others: 从未, 所谓 in quotes, 并非, 没有哪家,
    /// 不提供, courts, police, consumer associations, surveys.
    @Test func denialsAndReportsAreClean() {
        let texts = [
            "本校从未对外宣称“考不过全额退款”，请以官网信息为准。",
            "我中心没有所谓“内部名额”，一切以公开报名为准。",
            "没有哪家培训机构能确保学员一次通过，请理性选择。",
            "本站不提供代考服务，请考生本人参加考试。",
            "这些证书并非人社部直接颁发，请注意甄别。",
            "法院认为，该机构以“包拿证”为名收取费用，构成欺诈。",
            "警方捣毁一个以“免考拿证”为幌子的团伙。",
            "消费者协会提示：“不过退费”条款往往暗藏限制。",
            "调查显示，宣传“高薪入职”的项目多数无法兑现。",
            "冒名挂证的人员，将被记入诚信档案。",
            "我们不敢说包过，只能保证认真上课。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// A warning or denial followed by the advertiser's own offer: the break
    /// word (认准, 我们才是, 只提供 ...) ends the cue's reach.
    @Test func advertiserTurnsFromWarningToOffer() {
        let texts = [
            "谨防假冒机构，认准本校，报名即保过",
            "别信外面的虚假宣传，我们才是真正的包过",
            "我们不提供空洞承诺，只提供包过服务",
            "不得不承认，我们的保过班最受欢迎",
            "我们不搞虚的，考不过全额退",
        ]
        for text in texts { #expect(!rules(text).isEmpty, "\(text) should be found") }
    }

    /// 所谓 makes a quoted phrase a mention, but is not a cue for an unquoted claim.
    @Test func suoWeiNeedsQuotes() {
        #expect(rules("所谓“包过班”，不过是营销话术").isEmpty)
        #expect(rules("所谓保过班，就是考不过全额退款").contains("refund-if-fail.fail-refund"))
    }

    /// 包 as a verb with the experiential 过, and 过 in other words.
    @Test func verbBaoWithGuo() {
        let texts = [
            "馅料已经包过了，放进冰箱冷冻", "这种包子我小时候包过", "单位包过年往返路费",
            "公司包过桥费", "这款包过季了", "请把行李包过机检查", "他把礼物包过三次",
            "确保过冬物资充足", "进站必过安检", "这包过两天就到",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
        #expect(rules("报名即包过，名额有限").contains("pass-guarantee.bao-guo"))
    }

    /// 不过 meaning "however" or "merely" before a refund word, versus the promise.
    @Test func buGuoAsConjunction() {
        #expect(rules("名额有限，不过退费需扣除教材费").isEmpty)
        #expect(rules("款已到账，只不过退款比较慢").isEmpty)
        #expect(rules("中级会计协议班，不过全退").contains("refund-if-fail.fail-refund"))
        #expect(rules("过不了？钱退你").contains("refund-if-fail.fail-refund"))
    }

    /// Physical passing, product inspection, sports statistics, software.
    @Test func ordinarySensesOfPassAndRate() {
        let texts = [
            "车辆须保证安全通过隧道",
            "该批零件100%通过出厂检测",
            "他的罚球命中率高达85%",
            "这款软件操作简单，无需学习即可上手",
            "下周一全天无需上课",
            "幼儿园的孩子不用考试",
            "形容词最高级的用法",
            "餐饮单位上红榜名单公布",
            "喜报：我公司顺利通过安全生产标准化验收",
            "营业场所须悬挂证照",
            "全国通用的报警电话是110",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// Paraphrased promises that the first lexicon missed.
    @Test func paraphrasedPromises() {
        let cases: [(String, String)] = [
            ("我们承诺：课程学完就能过", "pass-guarantee.certain-pass"),
            ("报一期，管到考过", "pass-guarantee.restudy"),
            ("保證合格，名額有限", "pass-guarantee.promise-pass"),
            ("考试没过，学费原路退回", "refund-if-fail.fail-refund"),
            ("考唔到全數退款", "refund-if-fail.fail-refund"),
            ("本人不到场也能通过", "no-real-assessment.no-show"),
            ("实操考核走个过场而已", "no-real-assessment.no-show"),
            ("和考点关系很铁，放心报", "insider-claim.inside-channel"),
            ("全市最好的电工学校，没有之一", "absolute-terms.superlative"),
            ("学员刘女士，零基础，两个月一次通过考试", "testimonial.shang-an"),
            ("当月报名，当月拿证", "certificate-guarantee.days"),
        ]
        for (text, rule) in cases { #expect(rules(text).contains(rule), "\(text) → \(rules(text))") }
    }

    /// A negator a few words before the promise verb (gapped cue), without
    /// silencing an ad that merely says 不会让您失望.
    @Test func gappedDenials() {
        let clean = [
            "本中心从不对外承诺保过，请凭实力应考。",
            "我们坚决不向家长许诺包拿证。",
            "机构永远不会替学员打包票说一次通过。",
        ]
        for text in clean { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
        #expect(rules("不会让您失望保过班火热招生").contains("pass-guarantee.bao-guo"))
        #expect(rules("本机构说到做到，包过！").contains("pass-guarantee.bao-guo"))
    }

    /// Complaints and forum posts retell what another party said.
    @Test func reportedSpeechAndQuestions() {
        let texts = [
            "那家中介称保证拿证，钱交了半年也没下文",
            "求问：招生老师说包过，合同里却没写，怎么维权",
            "请教一下各位，销售拍胸脯保证一次通过，能信吗",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
        // an advertiser contrasting itself with what others say keeps its own claim
        #expect(rules("别家中介说得天花乱坠，我们承诺：考不过全额退款").contains("refund-if-fail.fail-refund"))
        #expect(rules("别的机构说包过，我们直接写进合同：考不过全额退").contains("refund-if-fail.fail-refund"))
    }

    /// Rumours, enforcement news, warnings about what lies behind an offer.
    @Test func rumoursEnforcementAndWarnings() {
        let texts = [
            "网上流传的“内部名额”通知系伪造，请以官网为准。",
            "有人冒名我校发布“不过退费”广告，特此声明。",
            "一家培训学校因宣称“包拿证”，遭市场监管部门行政处罚。",
            "某机构发布直接发证信息被当地人社局通报批评。",
            "包就业？这类招生广告背后多半是骗局。",
            "“零基础快速拿证”的宣传背后往往藏着收费套路。",
            "“包拿证”常常只是口头承诺——消委会提醒考生保留证据。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// Denials after a question, and sceptical verdicts: 不存在的, 这回事, 靠不住.
    @Test func rhetoricalDenials() {
        let texts = [
            "免考拿证？不存在的！",
            "驾考哪有保过这码事，多练才是真的。",
            "指望押中原题是靠不住的，还是要扎实复习。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
        // the offer after the rhetorical question is still found
        #expect(rules("考证难？不存在的！我们包过").contains("pass-guarantee.bao-guo"))
    }

    /// Official statistics, hobby courses without certificates, account badges.
    @Test func neutralStatisticsCoursesAndBadges() {
        let texts = [
            "据官方统计，该工种历年通过率在35%上下。",
            "本插花兴趣班不用考试，结课赠送作品集。",
            "学员无需考核，学满课时仅发结课证明。",
            "官方认证：本公众号由区人社局主办。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
        #expect(rules("据统计，我校学员通过率高达98%").contains("pass-guarantee.pass-rate"))
        // comparisons with the official figure, follow-the-account calls, completion
        // certificates next to a real promise: the ad's own claim is still found
        #expect(rules("据公开数据，全国通过率不到三成，而我校通过率高达96%").contains("pass-guarantee.pass-rate"))
        #expect(rules("保过班火热招生，详情关注本账号").contains("pass-guarantee.bao-guo"))
        #expect(rules("学完即拿证，另发结业证明").contains("certificate-guarantee.fast-track"))
    }

    /// Ordinary senses: the verb 包 with an object, 质保/延保, a company's own
    /// internal channels, competition setters, formal education, cards.
    @Test func ordinarySensesOfInsiderAuthorityAndBao() {
        let texts = [
            "我爸当年在县城包过一个小工程",
            "过年全家一起包过粽子",
            "这款家电的质保过了三年就要自费维修",
            "集团内部推荐岗位，欢迎员工转发",
            "请各分公司通过企业内部渠道提交名单",
            "市级技能竞赛命题组成员名单公示如下",
            "成人高考是国家认可的学历提升途径",
            "全国通用的地铁乘车码已上线",
            "本人承诺不挂证、不借出本人证书",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
        #expect(rules("考试院内部渠道，名额紧张").contains("insider-claim.inside-channel"))
        #expect(rules("证书国家认可，全国通用").contains("false-authority.gov-endorsed"))
    }

    /// Promises in other words: refunds (没考下来…原路退回, 还不过…退), free
    /// resits, Cantonese 攞证, agents for certificates, proxies, delivery dates,
    /// all-passed counts, insiders from the exam body.
    @Test func paraphrasedPromisesSecondRound() {
        let cases: [(String, String)] = [
            ("这回要是考不出来，报名费如数退给您", "refund-if-fail.fail-refund"),
            ("补考还是没过的，全额退还培训费", "refund-if-fail.fail-refund"),
            ("首次未通过可免费补考", "pass-guarantee.restudy"),
            ("急救證課程包攞證，唔使擔心", "certificate-guarantee.bao-na-zheng"),
            ("电工上岗证代办，价格从优", "certificate-guarantee.pay-for-cert"),
            ("人来不了没关系，安排人替您答题", "no-real-assessment.proxy"),
            ("报名后第十五天证书就到手", "certificate-guarantee.days"),
            ("上期32人全部拿证", "testimonial.all-passed"),
            ("战绩骄人，欢迎试听", "testimonial.shang-an"),
            ("我们老师就是从考试院退下来的", "insider-claim.exam-staff"),
        ]
        for (text, rule) in cases { #expect(rules(text).contains(rule), "\(text) → \(rules(text))") }
    }

    /// Third round (dev3 classes): complaints, forum questions, rhetorical
    /// denials, compliance statements, Cantonese warnings, legal Q&A,
    /// official statistics with ordinary pass rates. Written for these tests.
    @Test func thirdRoundNonClaimsAreClean() {
        let texts = [
            "网友吐槽：招生时说包拿证，最后连考试通知都没收到。",
            "我报咗个育婴班，佢哋话包过，点知都系冇过，点算好？",
            "有没有保过的电工培训？急，在线等",
            "个人挂靠公司缴纳社保有什么风险？律师解答",
            "“七天拿证”为什么是个伪命题？",
            "免考直接拿证？根本不可能，证书必须经考核合格后颁发。",
            "本中心招生材料均不做任何“保证拿证”“包过”的承诺。",
            "嗰啲话包过嘅都系呃人嘅，千祈唔好信。",
            "网警提醒：网上所购证书均无法在官方平台查验。",
            "朋友圈那些“包过”帖子，点进去都要先交押金。",
            "本批次育婴员认定共326人参加，合格率74.5%。",
            "结课后考试没过，找机构退费就说合同里没写。",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// The same cues must not silence ads that use them around their own promise.
    @Test func thirdRoundCuesKeepAds() {
        let texts = [
            "保过班火热招生，考不过？不可能！",
            "本校不做任何虚假宣传，保证通过",
            "零基础包拿证，有推荐的吗？找我们",
            "考不过是不可能的，报名即包过",
            "别家都是骗子，我们包过",
            "结果没过的全额退费",
            "我们的通过率99%，全市领先",
        ]
        for text in texts { #expect(!rules(text).isEmpty, "\(text) should be found") }
    }

    /// Third round promises in other words.
    @Test func paraphrasedPromisesThirdRound() {
        let cases: [(String, String)] = [
            ("考核未合格，学费全额退还", "refund-if-fail.fail-refund"),
            ("要是没考下来，一分钱不收", "refund-if-fail.no-pass-no-pay"),
            ("来我们这儿，就不存在挂科这回事", "pass-guarantee.no-fail"),
            ("我们班上40个人考过39个", "testimonial.class-count"),   // all-passed until tune17 moved head counts to a ratio rule
            ("战绩：今年茶艺师班合格率再创新高", "testimonial.shang-an"),
            ("电工证包你拿到，放心报", "certificate-guarantee.bao-na-zheng"),
            ("证书闲着也是闲着，交给我们挂出去", "income-lure.gua-kao"),
            ("我们校长跟评价中心的人都熟", "insider-claim.inside-channel"),
            ("考前两天发原题，背熟就行", "insider-claim.exam-leak"),
            ("考核那天安排人替您，您安心上班", "no-real-assessment.proxy"),
            ("持证后月入12000+", "income-lure.salary"),
            ("考证合格率冠绝全市", "absolute-terms.superlative"),
        ]
        for (text, rule) in cases { #expect(rules(text).contains(rule), "\(text) → \(rules(text))") }
    }

    /// Fourth round: debunked screenshots, forum doubts, premature claims,
    /// definitions followed by the law, deregistration news, exam secrecy,
    /// literal 上岸, everyday superlatives, university courses, objects that
    /// are nationally uniform, modest salaries.
    @Test func fourthRoundReportsAndEverydayTextAreClean() {
        let texts = [
            "有博主晒出“持证月入五万”的收入截图，很快被网友扒出是P图",
            "培训群里有人说考完月薪过万，有没有人真的做到过？",
            "挂证是指持证人并不在岗而将证书注册到企业，相关法规明令禁止",
            "省住建厅通报：12名注册人员因挂证被撤销注册",
            "去年入职时月薪也就三千多，现在好一些",
            "现在说成功上岸为时过早，成绩下个月才出",
            "游客被浪卷走，救生员将其救起后顺利上岸",
            "有家长在网上质疑某培训学校的“红榜”学员名单",
            "这是我去过最美的海岛，没有之一",
            "这门公选课期末交一篇论文就行，不用考试",
            "监管部门通报一批宣传“包拿证”的违规账号",
            "押题？考试院回应：试题启用前严格保密",
            "省考试院：命题专家一律实行封闭管理",
            "充电器插头全国通用",
            "该实验室已获国家认可委认可",
        ]
        for text in texts { #expect(rules(text).isEmpty, "\(text) → \(rules(text))") }
    }

    /// Ads that stand near the fourth-round cues must still be found.
    @Test func fourthRoundCuesKeepAds() {
        let cases: [(String, String)] = [
            ("别质疑，我们的保过班就是稳", "pass-guarantee.bao-guo"),
            ("不用质疑，考不过全额退费", "refund-if-fail.fail-refund"),
            ("证书全国通用，终身有效", "false-authority.gov-endorsed"),
            ("挂证是指把证书挂到企业，一年两万轻松到手", "income-lure.gua-kao"),
            ("封闭管理，全封闭集训，包过", "pass-guarantee.bao-guo"),
            ("学员成功上岸还不算完，我们包就业", "testimonial.shang-an"),
            ("月入过万不是P图，真实学员工资条", "income-lure.salary"),
            ("保过班火热招生，考不过？不可能！", "pass-guarantee.bao-guo"),
        ]
        for (text, rule) in cases { #expect(rules(text).contains(rule), "\(text) → \(rules(text))") }
    }

    /// Fourth round promises in other words and dialects.
    @Test func paraphrasedPromisesFourthRound() {
        let cases: [(String, String)] = [
            ("考试唔使考，交钱等证", "no-real-assessment.no-exam"),
            ("免考代办电工证，三天到手", "no-real-assessment.no-exam"),
            ("理论考核由我们的老师代为作答", "no-real-assessment.proxy"),
            ("报名就出证，手续我们跑", "no-real-assessment.direct-issue"),
            ("考唔过学费全数退返", "refund-if-fail.fail-refund"),
            ("补考未通过可退还70%学费", "refund-if-fail.fail-refund"),
            ("周末兼职每月多赚三千", "income-lure.salary"),
            ("挂证费当天到账，省心省力", "income-lure.gua-kao"),
            ("囍报：本季度学员考证人数屡创新高", "testimonial.xi-bao"),
            ("上期全员过关，本期名额有限", "testimonial.all-passed"),
            ("王先生：报班一个月就拿证了，真省心", "testimonial.shang-an"),
            ("证书由国务院技能人才评价中心统一颁发", "false-authority.ministry-issued"),
        ]
        for (text, rule) in cases { #expect(rules(text).contains(rule), "\(text) → \(rules(text))") }
    }
}
