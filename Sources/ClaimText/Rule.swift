/// How serious a finding is. Ordered: `low < medium < high < critical`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    var rank: Int { Severity.allCases.firstIndex(of: self)! }

    /// One level higher (for findings that needed deliberate disguise).
    public var raised: Severity { Severity.allCases[min(rank + 1, Severity.allCases.count - 1)] }
}

/// The categories of violation (see docs: domain.md, "Categories of violation").
public enum Category: String, Sendable, Codable, CaseIterable {
    case passGuarantee = "pass-guarantee"
    case refundIfFail = "refund-if-fail"
    case certificateGuarantee = "certificate-guarantee"
    case noRealAssessment = "no-real-assessment"
    case insiderClaim = "insider-claim"
    case falseAuthority = "false-authority"
    case incomeLure = "income-lure"
    case absoluteTerms = "absolute-terms"
    case testimonial

    /// A bit per category (for masks of category-scoped negation cues).
    public var bit: UInt16 { 1 << UInt16(Category.allCases.firstIndex(of: self)!) }

    public var chineseName: String {
        switch self {
        case .passGuarantee: "保证通过"
        case .refundIfFail: "不过退费"
        case .certificateGuarantee: "保证拿证"
        case .noRealAssessment: "免考/代考/直接发证"
        case .insiderClaim: "内部渠道/命题人员"
        case .falseAuthority: "冒用名义"
        case .incomeLure: "挂靠/高薪诱导"
        case .absoluteTerms: "绝对化用语"
        case .testimonial: "喜报/战绩"
        }
    }
}

/// A special element of a pattern that matches a class of text rather than a literal.
public enum PatternToken: String, Sendable, CaseIterable {
    /// A number: Arabic digits (3, 30, 1.5) or Chinese numerals (七, 十五, 两, 几).
    case number = "num"
    /// A percentage: 98%, 100.0%, 百分之百, 百分之九十八, 百分百.
    case percent = "pct"
}

/// One alternative of a term: an optional token, a literal, an optional token.
/// `<num>天拿证` is (number, "天拿证", nil).
public struct TermAlternative: Sendable, Hashable {
    public var leading: PatternToken?
    /// `<pct:90+>`: the leading token's value must be at least this.
    public var leadingMinimum: Double? = nil
    public var literal: String
    public var trailing: PatternToken?
    /// The trailing token's minimum value.
    public var trailingMinimum: Double? = nil
    /// `<num:1-7>`: the leading token's value must be at most this.
    public var leadingMaximum: Double? = nil
    /// The trailing token's maximum value.
    public var trailingMaximum: Double? = nil
}

/// A closed range of values (`0.9+` is 0.9 up to infinity, `1-7` is 1 through 7).
public struct ValueBound: Sendable, Hashable {
    public var minimum: Double?
    public var maximum: Double?

    public init(minimum: Double? = nil, maximum: Double? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Reads `90+`, `95-100`, `3` (exactly 3); nil if the text is none of these.
    public static func parse(_ text: String) -> ValueBound? {
        if text.hasSuffix("+"), let minimum = Double(text.dropLast()) { return ValueBound(minimum: minimum) }
        // `95-100`: split at a `-` that is not a leading sign.
        if let dash = text.dropFirst().firstIndex(of: "-"),
           let low = Double(text[..<dash]), let high = Double(text[text.index(after: dash)...]) {
            return low <= high ? ValueBound(minimum: low, maximum: high) : nil
        }
        if let exact = Double(text) { return ValueBound(minimum: exact, maximum: exact) }
        return nil
    }

    public func contains(_ value: Double) -> Bool {
        (minimum.map { value >= $0 } ?? true) && (maximum.map { value <= $0 } ?? true)
    }
}

/// How far the next term may be from the previous one.
public struct Gap: Sendable, Hashable {
    /// Maximum number of content characters between the two terms.
    public var window: Int
    /// Whether the gap may cross clause punctuation (，、：) and question or exclamation
    /// marks (`~~`); it never crosses a full stop or a line end unless `crossesSentence`.
    public var crossesClauses: Bool
    /// `~~~`: the second term may stand in the next sentence — one full stop, semicolon or
    /// line end between, no blank line (a condition, then its promise:
    /// `第一次没有通过，请不要担心。⏎我们会把学费全部退给您。`).
    public var crossesSentence: Bool

    public init(window: Int, crossesClauses: Bool, crossesSentence: Bool = false) {
        self.window = window
        self.crossesClauses = crossesClauses || crossesSentence
        self.crossesSentence = crossesSentence
    }
}

/// A pattern: one term, or several terms in order with gaps (`保证|确保 ~ 通过`).
public struct Pattern: Sendable, Hashable {
    public var terms: [[TermAlternative]]
    /// `gaps[i]` separates `terms[i]` and `terms[i+1]`.
    public var gaps: [Gap]
    /// The pattern as written in the lexicon.
    public var source: String
    public var line: Int
}

/// Where something in a lexicon file was written.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var description: String { "\(file):\(line)" }
}

/// An example sentence attached to a rule, run by `claimscan lexicon test`.
public struct RuleExample: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation
}

/// A rule of the lexicon: what to look for, and what it means.
public struct Rule: Sendable, Identifiable {
    public var id: String
    public var category: Category
    public var severity: Severity
    /// Legal basis, e.g. 广告法第二十四条第（一）项.
    public var basis: String
    /// A short Chinese description for inspectors.
    public var description: String
    public var patterns: [Pattern]
    /// Innocent longer words: a match inside one of these is not a finding (打包过程, 保证金).
    public var exclusions: [String]
    /// The line each exclusion was written on.
    public var exclusionLines: [Int]
    public var mustMatch: [RuleExample]
    public var mustNotMatch: [RuleExample]
    public var location: SourceLocation
    /// Whether negation cues in the same sentence suppress this rule (default true).
    public var negatable: Bool
    /// Words that, just before a match in the same clause, make it neutral
    /// (考后30天拿证 is a process description): `unless-before`.
    public var unlessBefore: [String] = []
    /// Words that, just after a match in the same clause, make it neutral (…拿证吗): `unless-after`.
    public var unlessAfter: [String] = []
    /// How far (in characters) `unless-before`/`unless-after` words may stand from the match (`unless-window`, default 6).
    public var unlessWindow: Int = 6
    /// `ratio = 0.9+`: a match must hold two numbers (its first and last `<num>` tokens,
    /// e.g. 52人报名51人拿证) whose smaller-to-larger ratio lies in this range.
    public var ratio: ValueBound? = nil
}

/// Words that, in the same sentence, turn a match into a quotation of a ban
/// (严禁包过, 谨防"包过"骗局) rather than a promise.
public struct NegationCues: Sendable {
    /// Cues that govern what follows them in the sentence: 不得, 严禁, 谨防, 举报 ...
    public var before: [String] = []
    /// Cues that govern what precedes them in the sentence: 骗局, 是虚假宣传 ...
    public var after: [String] = []
    /// Words that end a cue's reach inside a sentence: 但, 但是, 然而 ...
    public var breaks: [String] = []
    /// Longer words that contain a cue but are not negations: 不得不.
    public var exclusions: [String] = []
    /// After-cues that count only as the answer to a question or exclamation about
    /// the phrase: `直接发证？不可能。` (`answer`). Bare 不可能 would silence 不可能让你白花钱.
    public var answers: [String] = []
    /// Answers that say yes (`affirm`: 包的, 可以的, 没问题): a match that a question
    /// suppressed (包过吗, 能拿证吗 — an `after` cue or `unless-after` word ending in 吗/么/呢)
    /// is kept when the next sentence, after an optional speaker's label (顾问：), is one of
    /// these standing alone: `学员：你们包过吗？⏎顾问：包的，签完协议就安排上课。` A chat's
    /// promise is often the answer to the student's question. Looked for only there, at the
    /// answer's start (not found anywhere else, so `exclude` words do not concern them).
    public var affirms: [String] = []
    /// Speaker labels of the one who asks (`asker`: 学员, 客户, 家长, 问): a match in a line
    /// that opens with one of them and a colon (`学员：你们有内部名额吗`, after at most a time
    /// stamp) is that person's words — a question, a rumour they heard, a worry — not the
    /// agency's promise, unless the next turn answers yes (`affirm`). In a chat the customer
    /// names the banned words and the consultant denies them.
    public var askers: [String] = []
    /// Words an answer may open with before its yes (`greeting`: 亲, 同学, 嗯): `亲，是的呢` is an
    /// `affirm` answer. Looked for only there.
    public var greetings: [String] = []
    /// Words that, anywhere in the same sentence, make a phrase standing in
    /// quotation marks a mention rather than a claim: 消协提示：“不过全额退款”往往附带条件.
    public var mentions: [String] = []
    /// Cues that govern the whole sentence they stand in, before or after the match and at
    /// any distance (`report`): the sentence reports someone else's claim (据报道, 被罚款, 投诉称).
    public var reports: [String] = []
    /// Calls to action (`advert`: 报名热线, 扫码咨询, （广告）, 本文为推广内容): within
    /// ``Matcher/advertReach`` characters of a match, they take the power of `report` cues
    /// from it — a text that solicits is an advertisement, however it is framed
    /// (`据了解，XX学校包过。⏎报名热线：…`).
    public var adverts: [String] = []
    /// Cues that govern a match in the same sentence only when that sentence is a question
    /// (ends with ？): 有没有考不过退费的培训班？ (`question`).
    public var questions: [String] = []
    /// Cues written with a category list (`before[insider-claim] = 封闭管理`) suppress only
    /// rules of those categories; key: kind (`before`, `after`, `answer`, `affirm`, `report`,
    /// `question`, `mention`) and the cue as written.
    public var scopes: [CueKey: Set<Category>] = [:]
    /// How many content characters an `after` cue may follow the match by.
    public var afterWindow: Int = 12
    /// How many content characters a `before` cue may precede the match by.
    public var beforeWindow: Int = 30
    /// The `[negation]` section's first line.
    public var location: SourceLocation?
    /// Where each cue was written (its first line, if written twice): a cue that cannot be
    /// compiled is reported at its own line.
    public var cueLocations: [String: SourceLocation] = [:]

    public init() {}
}

/// A negation cue as written, with its kind (`before`, `after`, `report` …).
public struct CueKey: Sendable, Hashable {
    public var kind: String
    public var cue: String
    public init(kind: String, cue: String) { self.kind = kind; self.cue = cue }
}

/// A parsed set of rule files.
public struct Lexicon: Sendable {
    public var rules: [Rule]
    public var negation: NegationCues
    /// Exclusions that apply to every rule.
    public var globalExclusions: [String]
    /// The files it was read from.
    public var files: [String]
    /// The statistical second reader (`promise.model` in the lexicon folder), if any.
    public var model: PromiseModel?

    /// The lexicon without its rules' `match`/`nomatch` examples (~1,700 texts), for a long
    /// run that only scans (`scan`): they are needed by `lexicon test`, not by the matcher.
    public func withoutExamples() -> Lexicon {
        var copy = self
        for i in copy.rules.indices { copy.rules[i].mustMatch = []; copy.rules[i].mustNotMatch = [] }
        return copy
    }

    public init(rules: [Rule] = [], negation: NegationCues = .init(), globalExclusions: [String] = [], files: [String] = [],
                model: PromiseModel? = nil) {
        self.model = model
        self.rules = rules
        self.negation = negation
        self.globalExclusions = globalExclusions
        self.files = files
    }
}
