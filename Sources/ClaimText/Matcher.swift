/// Finds the lexicon's promises in text runs and maps them back to raw bytes.
///
/// One Aho–Corasick automaton holds every literal the lexicon uses: rule
/// phrases (and their pinyin spellings, derived automatically), exclusions,
/// and negation cues. A scan normalizes each run, builds its skeleton (noise
/// removed, barriers kept), runs the automaton once, then applies tokens,
/// exclusions, ordered gaps and negation — all declared in the lexicon.
public final class Matcher: Sendable {
    public let lexicon: Lexicon

    enum Payload: Sendable {
        /// `slot` is `termSlot[rule][pattern][term]`; `tokens` says whether a token stands
        /// before (1), after (2) or on both sides (3) of the literal — precomputed, as this is
        /// read for every automaton hit.
        /// `syllables` indexes `pinyinSyllables` for pinyin spellings (-1 otherwise).
        case term(rule: Int, pattern: Int, term: Int, alternative: Int, pinyin: Bool, slot: Int, tokens: UInt8, syllables: Int)
        case exclusion(rule: Int)          // -1: global
        case unless(rule: Int, before: Bool)
        /// `mask`: the categories (bit `Category.bit`) the cue governs; all bits for an unscoped cue.
        case negationBefore(mask: UInt16), negationAfter(mask: UInt16), negationAnswer(mask: UInt16)
        case negationReport(mask: UInt16), negationQuestion(mask: UInt16), negationMention(mask: UInt16)
        case negationBreak, negationExclusion
        /// A term of a gapped negation cue (`绝不 ~4 承诺`).
        case cuePart(cue: Int, term: Int)
    }

    struct Entry: Sendable {
        var units: [UInt32]
        var payloads: [Payload] = []
        var text: String
    }

    let automaton: AhoCorasick
    /// For each pinyin spelling: where its syllables stand in it and the tone each should have.
    let pinyinSyllables: [[Syllable]]
    /// The compiled literals as flat arrays for the scan's hot loop (index = automaton pattern id).
    let entryUnits: [[UInt32]]
    /// What each literal stands for: `payloads[payloadStart[id] ..< payloadStart[id + 1]]`
    /// (one flat array: reading a nested array per automaton hit cost a retain and a release).
    let payloads: [Payload]
    let payloadStart: [Int32]
    let entryTexts: [String]
    let entryLatinEdges: [UInt8]      // bit 0: starts with a Latin letter, bit 1: ends with one
    /// `termSlot[rule][pattern][term]`: a flat index for per-scan occurrence lists.
    let termSlot: [[[Int]]]
    let slotCount: Int
    /// Normalized literal of every alternative, `[rule][pattern][term][alternative]`.
    let canonical: [[[[String]]]]
    /// Terms that consist of a token alone (`<pct>`), `[slot]: token`.
    let tokenOnlyTerms: [Int: PatternToken]
    let tokenOnlyTermRefs: [(slot: Int, rule: Int, pattern: Int, term: Int, alternative: Int)]
    /// For each term slot, the patterns whose first term it is: a scan only looks at
    /// patterns whose first term occurred.
    let patternsByFirstSlot: [[(rule: Int, pattern: Int)]]
    /// For a later term's slot whose pattern's first term is plain literals: that first
    /// slot (a later term can only complete a match after its first term occurred).
    /// -1 where no such shortcut applies.
    let prunableBy: [Int32]
    /// Negation cues written with gaps (`绝不|从不 ~4 承诺|宣传`), their kind and category mask.
    let gappedCues: [(pattern: Pattern, kind: CueKind, mask: UInt16)]
    /// Each rule's category as a bit (`Category.bit`), for category-scoped cues.
    let ruleCategoryBits: [UInt16]

    enum CueKind: Sendable { case before, after, report }

    /// Compiles a lexicon. Problems that only show once phrases are normalized
    /// (a phrase that normalizes to nothing, punctuation inside a phrase) are
    /// reported as `file:line: why`.
    public init(lexicon: Lexicon) throws(LexiconErrors) {
        self.lexicon = lexicon
        var compiler = Compiler()
        var errors: [LexiconError] = []
        var termSlot: [[[Int]]] = []
        var canonical: [[[[String]]]] = []
        var slots = 0
        var tokenOnly: [Int: PatternToken] = [:]
        var tokenOnlyRefs: [(Int, Int, Int, Int, Int)] = []
        for (r, rule) in lexicon.rules.enumerated() {
            var ruleSlots: [[Int]] = []
            var ruleCanon: [[[String]]] = []
            // All-Latin spellings (baoguo) only for medium and high rules; mixed ones (di一) for all.
            let allowAllLatin = rule.severity >= .medium
            for (p, pattern) in rule.patterns.enumerated() {
                var patternSlots: [Int] = []
                var patternCanon: [[String]] = []
                for (t, term) in pattern.terms.enumerated() {
                    patternSlots.append(slots)
                    var termCanon: [String] = []
                    for (a, alternative) in term.enumerated() {
                        if alternative.literal.isEmpty {
                            termCanon.append("")
                            if let token = alternative.leading ?? alternative.trailing {
                                tokenOnly[slots] = token
                                tokenOnlyRefs.append((slots, r, p, t, a))
                            }
                            continue
                        }
                        switch compiler.units(of: alternative.literal) {
                        case .failure(let why):
                            errors.append(LexiconError(file: rule.location.file, line: pattern.line, message: "pattern `\(alternative.literal)`: \(why.message)"))
                            termCanon.append(alternative.literal)
                        case .success(let units):
                            termCanon.append(Compiler.string(units))
                            let tokens: UInt8 = (alternative.leading != nil ? 1 : 0) | (alternative.trailing != nil ? 2 : 0)
                            compiler.add(units, .term(rule: r, pattern: p, term: t, alternative: a, pinyin: false, slot: slots, tokens: tokens, syllables: -1), text: alternative.literal)
                            do {
                                for (variant, syllables) in compiler.pinyinVariants(of: units, allLatin: allowAllLatin) {
                                    let ref = compiler.syllables.count
                                    compiler.syllables.append(syllables)
                                    compiler.add(variant, .term(rule: r, pattern: p, term: t, alternative: a, pinyin: true, slot: slots, tokens: tokens, syllables: ref), text: alternative.literal)
                                }
                            }
                        }
                    }
                    slots += 1
                    patternCanon.append(termCanon)
                }
                ruleSlots.append(patternSlots)
                ruleCanon.append(patternCanon)
            }
            termSlot.append(ruleSlots)
            canonical.append(ruleCanon)
            for (word, before) in rule.unlessBefore.map({ ($0, true) }) + rule.unlessAfter.map({ ($0, false) }) {
                switch compiler.units(of: word) {
                case .failure(let why): errors.append(LexiconError(file: rule.location.file, line: rule.location.line, message: "rule `\(rule.id)` unless `\(word)`: \(why.message)"))
                case .success(let units): compiler.add(units, .unless(rule: r, before: before), text: word)
                }
            }
            for (word, line) in zip(rule.exclusions, rule.exclusionLines) {
                switch compiler.units(of: word) {
                case .failure(let why): errors.append(LexiconError(file: rule.location.file, line: line, message: "rule `\(rule.id)` exclusion `\(word)`: \(why.message)"))
                case .success(let units): compiler.add(units, .exclusion(rule: r), text: word)
                }
            }
        }
        let negationLine = lexicon.negation.location ?? SourceLocation(file: lexicon.files.first ?? "lexicon", line: 0)
        let negation = lexicon.negation
        func mask(_ kind: String, _ cue: String) -> UInt16 {
            guard let categories = negation.scopes[CueKey(kind: kind, cue: cue)] else { return .max }
            return categories.reduce(0) { $0 | $1.bit }
        }
        let global: [(String, Payload)] = lexicon.globalExclusions.map { ($0, .exclusion(rule: -1)) }
            + negation.before.map { ($0, .negationBefore(mask: mask("before", $0))) }
            + negation.after.map { ($0, .negationAfter(mask: mask("after", $0))) }
            + negation.reports.map { ($0, .negationReport(mask: mask("report", $0))) }
            + negation.questions.map { ($0, .negationQuestion(mask: mask("question", $0))) }
            + negation.breaks.map { ($0, .negationBreak) }
            + negation.exclusions.map { ($0, .negationExclusion) }
            + negation.mentions.map { ($0, .negationMention(mask: mask("mention", $0))) }
            + negation.answers.map { ($0, .negationAnswer(mask: mask("answer", $0))) }
        var gappedCues: [(pattern: Pattern, kind: CueKind, mask: UInt16)] = []
        for (word, payload) in global {
            if word.unicodeScalars.contains("~") {
                let kind: CueKind, cueMask: UInt16
                switch payload {
                case .negationBefore(let m): kind = .before; cueMask = m
                case .negationAfter(let m): kind = .after; cueMask = m
                case .negationReport(let m): kind = .report; cueMask = m
                default:
                    errors.append(LexiconError(file: negationLine.file, line: negationLine.line, message: "`\(word)`: gaps (`~`) are only allowed in `before`, `after` and `report` cues"))
                    continue
                }
                switch LexiconParser.parsePattern(word, line: negationLine.line) {
                case .failure(let why):
                    errors.append(LexiconError(file: negationLine.file, line: negationLine.line, message: "cue `\(word)`: \(why.message)"))
                case .success(let pattern):
                    let cue = gappedCues.count
                    gappedCues.append((pattern, kind, cueMask))
                    for (t, term) in pattern.terms.enumerated() {
                        for alternative in term {
                            guard alternative.leading == nil, alternative.trailing == nil else {
                                errors.append(LexiconError(file: negationLine.file, line: negationLine.line, message: "cue `\(word)`: tokens are not allowed in cues"))
                                continue
                            }
                            switch compiler.units(of: alternative.literal) {
                            case .failure(let why): errors.append(LexiconError(file: negationLine.file, line: negationLine.line, message: "cue `\(word)`: \(why.message)"))
                            case .success(let units): compiler.add(units, .cuePart(cue: cue, term: t), text: alternative.literal)
                            }
                        }
                    }
                }
                continue
            }
            switch compiler.units(of: word) {
            case .failure(let why): errors.append(LexiconError(file: negationLine.file, line: negationLine.line, message: "`\(word)`: \(why.message)"))
            case .success(let units): compiler.add(units, payload, text: word)
            }
        }
        if !errors.isEmpty { throw LexiconErrors(errors: errors) }
        self.gappedCues = gappedCues
        self.ruleCategoryBits = lexicon.rules.map(\.category.bit)
        self.pinyinSyllables = compiler.syllables
        self.entryUnits = compiler.entries.map(\.units)
        var payloadStart: [Int32] = [0]
        for entry in compiler.entries { payloadStart.append(payloadStart.last! + Int32(entry.payloads.count)) }
        self.payloads = compiler.entries.flatMap(\.payloads)
        self.payloadStart = payloadStart
        self.entryTexts = compiler.entries.map(\.text)
        self.entryLatinEdges = compiler.entries.map {
            (Skeleton.isLatinLetter($0.units.first ?? 0) ? 1 : 0) | (Skeleton.isLatinLetter($0.units.last ?? 0) ? 2 : 0)
        }
        var byFirst = [[(rule: Int, pattern: Int)]](repeating: [], count: slots)
        for (r, ruleSlots) in termSlot.enumerated() {
            for (p, patternSlots) in ruleSlots.enumerated() where !patternSlots.isEmpty { byFirst[patternSlots[0]].append((r, p)) }
        }
        self.patternsByFirstSlot = byFirst
        var prunable = [Int32](repeating: -1, count: slots)
        for (r, ruleSlots) in termSlot.enumerated() {
            for (p, patternSlots) in ruleSlots.enumerated() where patternSlots.count > 1 {
                let first = lexicon.rules[r].patterns[p].terms[0]
                guard first.allSatisfy({ $0.leading == nil && $0.trailing == nil && !$0.literal.isEmpty }) else { continue }
                for slot in patternSlots.dropFirst() { prunable[slot] = Int32(patternSlots[0]) }
            }
        }
        self.prunableBy = prunable
        self.automaton = AhoCorasick(patterns: entryUnits)
        self.termSlot = termSlot
        self.slotCount = slots
        self.canonical = canonical
        self.tokenOnlyTerms = tokenOnly
        self.tokenOnlyTermRefs = tokenOnlyRefs.map { (slot: $0.0, rule: $0.1, pattern: $0.2, term: $0.3, alternative: $0.4) }
    }

    /// Number of distinct literals in the automaton (phrases, pinyin spellings, exclusions, cues).
    public var literalCount: Int { entryUnits.count }

    /// Scans runs and returns findings (and suppressed matches), ordered by position.
    public func scan(_ runs: [TextRun]) -> ScanResult {
        var result = ScanResult()
        for (index, run) in runs.enumerated() where !run.isEmpty {
            scan(run, runIndex: index, into: &result)
        }
        result.findings.sort { ($0.byteStart, $0.byteEnd, $0.rule.id) < ($1.byteStart, $1.byteEnd, $1.rule.id) }
        result.suppressed.sort { ($0.finding.byteStart, $0.finding.rule.id) < ($1.finding.byteStart, $1.finding.rule.id) }
        return result
    }

    /// Scans plain text (convenience for tests, examples and evaluation).
    public func scan(text: String) -> ScanResult { scan([TextRun(utf8Text: text)]) }
}

// MARK: - Compiling literals

extension Matcher {
    /// A pinyin syllable inside a spelling: `units[offset..<offset+length]`, which should
    /// carry `tone` (1–4) if the text marks tones at all (0: any).
    struct Syllable: Sendable {
        var offset: Int
        var length: Int
        var tone: UInt8
    }

    /// Turns lexicon literals into automaton units, merging duplicates.
    struct Compiler {
        var entries: [Entry] = []
        var index: [LiteralKey: Int] = [:]
        var pinyinCache: [UInt32: [UInt32]] = [:]
        var syllables: [[Syllable]] = []
        /// ICU's transliterator, opened only for characters the generated table lacks.
        lazy var pinyinICU = ICU.Transliterator("Han-Latin; Latin-ASCII")

        static func string(_ units: [UInt32]) -> String {
            String(decoding: units, as: UTF32.self)
        }

        /// Normalizes a literal the way text is normalized and keeps its content characters.
        func units(of literal: String) -> Result<[UInt32], PatternSyntaxError> {
            var normalized: [Unicode.Scalar] = []
            for s in literal.unicodeScalars { CharTable.shared.normalizeFast(s, into: &normalized) }
            var units: [UInt32] = []
            for s in normalized {
                switch Skeleton.classify(s) {
                case .content: units.append(s.value)
                case .noise: continue
                case .sentence, .softSentence, .clause:
                    if s == ",", let last = units.last, (0x30...0x39).contains(last) { continue }
                    if s == ".", let last = units.last, (0x30...0x39).contains(last) { units.append(s.value); continue }
                    if s == ".", let last = units.last, Skeleton.isLatinLetter(last) { continue }
                    return .failure(PatternSyntaxError(message: "contains `\(s)`, which ends a clause or sentence; a phrase never spans one"))
                }
            }
            if units.isEmpty { return .failure(PatternSyntaxError(message: "has no letters, digits or characters left after normalization")) }
            return .success(units)
        }

        mutating func add(_ units: [UInt32], _ payload: Payload, text: String) {
            let key = LiteralKey(units)
            if let i = index[key] { entries[i].payloads.append(payload); return }
            index[key] = entries.count
            entries.append(Entry(units: units, payloads: [payload], text: text))
        }

        mutating func pinyin(of unit: UInt32) -> [UInt32]? {
            if let reading = HanPinyin.readingScalars(unit) { return reading }
            if let cached = pinyinCache[unit] { return cached.isEmpty ? nil : cached }
            guard !HanPinyin.range.contains(unit), let pinyin = pinyinICU, let scalar = Unicode.Scalar(unit) else { return nil }
            let latin = pinyin.apply(String(Character(scalar))).lowercased().unicodeScalars.filter { ("a"..."z").contains($0) }.map(\.value)
            pinyinCache[unit] = latin
            return latin.isEmpty ? nil : latin
        }

        /// Spellings of a phrase with some or all Han characters written in pinyin
        /// (包过 → bao过, 包guo, baoguo). All subsets up to four Han characters;
        /// for longer phrases, one character at a time and all at once.
        mutating func pinyinVariants(of units: [UInt32], allLatin: Bool = true) -> [([UInt32], [Syllable])] {
            let hanPositions = units.indices.filter { Skeleton.isHan(units[$0]) }
            guard hanPositions.count >= 2 else { return [] }
            // slotOf[i]: which Han character (bit of the mask) position i is, or -1.
            var slotOf = [Int](repeating: -1, count: units.count)
            var readings = [[UInt32]](repeating: [], count: units.count)
            for (slot, p) in hanPositions.enumerated() {
                guard let py = pinyin(of: units[p]) else { return [] }
                readings[p] = py
                slotOf[p] = slot
            }
            var masks: [Int] = []
            let k = hanPositions.count
            if k <= 4 {
                masks = Array(1..<(1 << k))
            } else {
                masks = (0..<k).map { 1 << $0 } + [(1 << k) - 1]
            }
            var variants: [([UInt32], [Syllable])] = []
            variants.reserveCapacity(masks.count)
            for mask in masks {
                var out: [UInt32] = []
                out.reserveCapacity(units.count * 4)
                var syllables: [Syllable] = []
                for (i, u) in units.enumerated() {
                    if slotOf[i] >= 0, mask & (1 << slotOf[i]) != 0 {
                        syllables.append(Syllable(offset: out.count, length: readings[i].count, tone: HanPinyin.tone(u)))
                        out += readings[i]
                    } else {
                        out.append(u)
                    }
                }
                // An all-Latin spelling must be long enough not to be an ordinary word.
                if out.allSatisfy({ Skeleton.isLatinLetter($0) }) && (out.count < 6 || !allLatin) { continue }
                variants.append((out, syllables))
            }
            return variants
        }
    }
}

/// A literal as a dictionary key, hashed once with FNV-1a: hashing the whole array
/// through `Hasher` for each of ~30,000 literals was a tenth of compiling the lexicon.
struct LiteralKey: Hashable {
    let units: [UInt32]
    let fnv: UInt64

    init(_ units: [UInt32]) {
        self.units = units
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for u in units { h = (h ^ UInt64(u)) &* 0x100_0000_01b3 }
        fnv = h
    }

    static func == (a: LiteralKey, b: LiteralKey) -> Bool { a.fnv == b.fnv && a.units == b.units }
    func hash(into hasher: inout Hasher) { hasher.combine(fnv) }
}
