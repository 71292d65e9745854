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
        /// `slot` is `termSlot[rule][pattern][term]` (its rule, pattern and term are in
        /// ``slotPattern`` and ``slotTerm``); `pinyin`: a pinyin spelling's (``PinyinSpellings``);
        /// `tokens` says whether a token stands before (1), after (2) or on both sides (3) of
        /// the literal — precomputed, as this is read for every automaton hit.
        /// (~20,000 payloads are kept for a whole crawl: 12 bytes each (stride), not 32.)
        case term(slot: Int32, alternative: Int32, pinyin: Bool, tokens: UInt8)
        case exclusion(rule: Int32)          // -1: global
        case unless(rule: Int32, before: Bool)
        /// `mask`: the categories (bit `Category.bit`) the cue governs; all bits for an unscoped cue.
        case negationBefore(mask: UInt16), negationAfter(mask: UInt16), negationAnswer(mask: UInt16)
        case negationReport(mask: UInt16), negationQuestion(mask: UInt16), negationMention(mask: UInt16)
        case negationBreak, negationExclusion
        /// A call to action (`advert`): report cues lose their power near it.
        case advert
        /// A term of a gapped negation cue (`绝不 ~4 承诺`).
        case cuePart(cue: Int32, term: Int32)
    }

    let automaton: AhoCorasick
    /// The pinyin spellings of short phrases (bao过, baoguo), found apart from the automaton;
    /// each phrase's hits report a literal without units of its own.
    let spellings: PinyinSpellings
    /// What each literal stands for: `payloads[literals[id].payloadStart ..< literals[id + 1].payloadStart]`
    /// (one flat array: reading a nested array per automaton hit cost a retain and a release).
    let payloads: [Payload]
    /// Per literal (and one past the last, for the ranges' ends): what the first pass of a
    /// scan reads for each of its hits (``LiteralEntry``).
    let literals: [LiteralEntry]
    /// The words of each literal that is a cue or an exclusion (a reason's text; the spans
    /// of a scan come only from those). Not kept for every literal: most are phrases and
    /// their pinyin spellings, and an array of all of them was ~1.2 MB of a crawl's heap.
    let cueTexts: [Int32: String]
    /// Number of distinct literals (phrases, exclusions, cues, and two per spelled phrase).
    public let literalCount: Int
    /// Number of phrases whose pinyin spellings are found (``PinyinSpellings``).
    public var spelledPhraseCount: Int { spellings.phraseCount }
    /// `termSlot[rule][pattern][term]`: a flat index for per-scan occurrence lists.
    let termSlot: [[[Int]]]
    let slotCount: Int
    /// Normalized literal of every alternative, `[rule][pattern][term][alternative]`.
    let canonical: [[[[String]]]]
    /// Terms that consist of a token alone (`<pct>`), `[slot]: token`.
    let tokenOnlyTerms: [Int: PatternToken]
    let tokenOnlyTermRefs: [(slot: Int, rule: Int, pattern: Int, term: Int, alternative: Int)]
    /// Per payload: its term slot and tokens (flat, for the passes of a scan that read no
    /// payload enum).
    let payloadTerms: [PayloadTerm]
    /// The chain gate, per term slot: for a term after the first, the slot of the term before
    /// it and the gap's window. A hit starting farther than that after every occurrence so
    /// far of the term before cannot continue a match — most hits of common words that are
    /// later terms (报名, 学员, 通过) on a long page. -1: no gate (the first term, a term after a
    /// token-only term or one with a trailing token, or no shortcuts). A literal with a token
    /// before it is never gated (its start is not known before the token is read).
    /// (Per slot, not per payload: ~1,000 slots against ~57,000 payloads.)
    let slotChain: [ChainLink]
    /// The chain gate per literal whose every payload is gated: the distinct slots before and
    /// the widest window of each, `literalChain[literals[id].chainStart ..< literals[id + 1].chainStart]`.
    let literalChain: [ChainLink]

    /// The slot before each slot in the chain gate (-1: none); for tests (a copy on each access).
    var chainPrevious: [Int32] { slotChain.map(\.previous) }
    /// The window of each slot's chain gate; for tests (a copy on each access).
    var chainWindow: [Int32] { slotChain.map(\.window) }

    /// What the first pass of a scan reads for a hit of a literal, together: it runs for
    /// every hit of every page, and five arrays indexed by the literal were five cache misses.
    struct LiteralEntry {
        /// The literal's payloads start here (and end where the next literal's start).
        var payloadStart: Int32
        /// Its chain gate entries in ``literalChain`` start here (and end where the next's start).
        var chainStart: Int32
        /// Bit 0: the literal starts with a Latin letter, bit 1: ends with one, bit 2: is all Latin letters.
        var latinEdges: UInt8
        /// Whether one of its payloads is not a term (an exclusion, a cue …): its hits are
        /// kept for the second pass whatever the terms' gates say.
        var hasOther: Bool
    }

    /// A payload's term slot (-1 for a payload that is no term) and whether it needs a token
    /// before (bit 0) or after (bit 1) the literal.
    struct PayloadTerm {
        var slot: Int32
        var tokens: UInt8
    }

    /// One link of the chain gate: the slot of the term before, and the gap's window.
    struct ChainLink {
        var previous: Int32
        var window: Int32
    }

    /// The payloads of literal `id`: `payloads[payloadRange(id)]`.
    @inline(__always)
    func payloadRange(_ id: Int) -> Range<Int> { Int(literals[id].payloadStart)..<Int(literals[id + 1].payloadStart) }
    /// Per term slot: its rule and pattern (slots are numbered per pattern term, so a scan
    /// finds the pattern of a first term that occurred here too).
    let slotPattern: [(rule: Int32, pattern: Int32)]
    /// Per term slot: the term's index in its pattern.
    let slotTerm: [Int32]
    /// Patterns whose terms are all token-only (`<pct>`): possible in any run.
    let tokenOnlyPatterns: [(rule: Int, pattern: Int)]
    /// Whether a scan takes the chain gate and stops runs where no pattern can be complete
    /// (false only in tests: see `init(lexicon:shortcuts:)`).
    let usesShortcuts: Bool
    /// Negation cues written with gaps (`绝不|从不 ~4 承诺|宣传`), their kind and category mask.
    let gappedCues: [(pattern: Pattern, kind: CueKind, mask: UInt16)]
    /// The `affirm` answers as normalized units, longest first, with their category masks. Not
    /// in the automaton: they are looked for only where a question would suppress a match, at
    /// the start of the answer — as literals, one- and two-character words (能, 可以) would hit
    /// all over every page.
    let affirmWords: [(units: [UInt32], mask: UInt16)]
    /// The `asker` labels as normalized units (see ``NegationCues/askers``); looked for only at
    /// the start of a line (``askerTurns(_:_:labels:)``).
    let askerLabels: [[UInt32]]
    /// The `greeting` words as normalized units (see ``NegationCues/greetings``).
    let greetingWords: [[UInt32]]
    /// Each rule's category as a bit (`Category.bit`), for category-scoped cues.
    let ruleCategoryBits: [UInt16]

    enum CueKind: Sendable { case before, after, report }

    /// Compiles a lexicon. Problems that only show once phrases are normalized
    /// (a phrase that normalizes to nothing, punctuation inside a phrase) are
    /// reported as `file:line: why`.
    /// `shortcuts: false` gives the plain one-pass scan — no chain gate, every pattern's terms
    /// collected in every run — for tests that check the shortcuts change no result.
    ///
    /// With an `alphabet` (the characters of the one page to be scanned) the automaton keeps
    /// only the literals (and pinyin spellings) made of those characters: the others cannot
    /// occur there, so scanning text within the alphabet finds exactly what the full matcher
    /// finds. Every literal is still normalized and checked, so a broken lexicon fails the
    /// same way whatever the page.
    public init(lexicon: Lexicon, shortcuts: Bool = true, alphabet: Alphabet? = nil) throws(LexiconErrors) {
        self.lexicon = lexicon
        self.usesShortcuts = shortcuts
        var compiler = Compiler()
        compiler.alphabet = alphabet
        var spellings = PinyinSpellings.Builder()
        spellings.alphabet = alphabet
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
                            compiler.add(units, .term(slot: Int32(slots), alternative: Int32(a), pinyin: false, tokens: tokens), text: alternative.literal)
                            let text = alternative.literal
                            if let phrase = spellings.phrase(units, newLiteral: { compiler.newLiteral(text: text) },
                                                             reading: { compiler.appendPinyin(of: $0, to: &$1) }) {
                                let spelled = Payload.term(slot: Int32(slots), alternative: Int32(a), pinyin: true, tokens: tokens)
                                compiler.addPayload(spelled, to: spellings.mixedLiteral[phrase])
                                if allowAllLatin {
                                    compiler.addPayload(spelled, to: spellings.latinLiteral(of: phrase) { compiler.newLiteral(text: text) })
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
                case .success(let units): compiler.add(units, .unless(rule: Int32(r), before: before), text: word)
                }
            }
            for (word, line) in zip(rule.exclusions, rule.exclusionLines) {
                switch compiler.units(of: word) {
                case .failure(let why): errors.append(LexiconError(file: rule.location.file, line: line, message: "rule `\(rule.id)` exclusion `\(word)`: \(why.message)"))
                case .success(let units): compiler.add(units, .exclusion(rule: Int32(r)), text: word)
                }
            }
        }
        let negationLine = lexicon.negation.location ?? SourceLocation(file: lexicon.files.first ?? "lexicon", line: 0)
        /// Where a cue was written (its own line; the section's for a lexicon built in code).
        func place(_ cue: String) -> SourceLocation { lexicon.negation.cueLocations[cue] ?? negationLine }
        func cueError(_ cue: String, _ message: String) {
            errors.append(LexiconError(file: place(cue).file, line: place(cue).line, message: message))
        }
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
            + negation.adverts.map { ($0, .advert) }
        var gappedCues: [(pattern: Pattern, kind: CueKind, mask: UInt16)] = []
        for (word, payload) in global {
            if word.unicodeScalars.contains("~") {
                let kind: CueKind, cueMask: UInt16
                switch payload {
                case .negationBefore(let m): kind = .before; cueMask = m
                case .negationAfter(let m): kind = .after; cueMask = m
                case .negationReport(let m): kind = .report; cueMask = m
                default:
                    cueError(word, "`\(word)`: gaps (`~`) are only allowed in `before`, `after` and `report` cues")
                    continue
                }
                switch LexiconParser.parsePattern(word, line: negationLine.line) {
                case .failure(let why):
                    cueError(word, "cue `\(word)`: \(why.message)")
                case .success(let pattern):
                    let cue = gappedCues.count
                    gappedCues.append((pattern, kind, cueMask))
                    for (t, term) in pattern.terms.enumerated() {
                        for alternative in term {
                            guard alternative.leading == nil, alternative.trailing == nil else {
                                cueError(word, "cue `\(word)`: tokens are not allowed in cues")
                                continue
                            }
                            switch compiler.units(of: alternative.literal) {
                            case .failure(let why): cueError(word, "cue `\(word)`: \(why.message)")
                            case .success(let units): compiler.add(units, .cuePart(cue: Int32(cue), term: Int32(t)), text: alternative.literal)
                            }
                        }
                    }
                }
                continue
            }
            switch compiler.units(of: word) {
            case .failure(let why): cueError(word, "`\(word)`: \(why.message)")
            case .success(let units): compiler.add(units, payload, text: word)
            }
        }
        // Words looked for only at one place (an answer's start, a line's label), not literals
        // of the automaton: normalized here, each error at its own line.
        func wordUnits(_ words: [String], _ what: String) -> [(word: String, units: [UInt32])] {
            words.compactMap { word in
                switch compiler.units(of: word) {
                case .failure(let why):
                    cueError(word, "\(what) `\(word)`: \(why.message)")
                    return nil
                case .success(let units): return (word, units)
                }
            }
        }
        self.affirmWords = wordUnits(negation.affirms, "`affirm` cue").map { ($0.units, mask("affirm", $0.word)) }
            .sorted { $0.units.count > $1.units.count }
        self.askerLabels = wordUnits(negation.askers, "`asker` label").map(\.units)
        self.greetingWords = wordUnits(negation.greetings, "`greeting` word").map(\.units)
        if !errors.isEmpty { throw LexiconErrors(errors: errors) }
        self.gappedCues = gappedCues
        self.ruleCategoryBits = lexicon.rules.map(\.category.bit)
        self.spellings = spellings.build()
        let (payloads, payloadStart) = compiler.groupedPayloads()
        self.payloads = payloads
        self.literalCount = compiler.literalCount
        let latinEdges: [UInt8] = (0..<compiler.literalCount).map { id in
            let start = Int(compiler.unitStart[id]), end = Int(compiler.unitStart[id + 1])
            let literal = compiler.units[start..<end]
            return (Skeleton.isLatinLetter(literal.first ?? 0) ? 1 : 0) | (Skeleton.isLatinLetter(literal.last ?? 0) ? 2 : 0)
                | (literal.allSatisfy(Skeleton.isLatinLetter) ? 4 : 0)
        }
        self.payloadTerms = payloads.map {
            if case let .term(slot, _, _, tokens) = $0 { return PayloadTerm(slot: slot, tokens: tokens) }
            return PayloadTerm(slot: -1, tokens: 0)
        }.withExactCapacity()
        var literalHasOther = [Bool](repeating: false, count: payloadStart.count - 1)
        for id in literalHasOther.indices {
            for k in Int(payloadStart[id])..<Int(payloadStart[id + 1]) {
                if case .term = payloads[k] { continue }
                literalHasOther[id] = true
            }
        }
        var cueTexts: [Int32: String] = [:]
        for id in literalHasOther.indices where literalHasOther[id] { cueTexts[Int32(id)] = compiler.texts[id] }
        self.cueTexts = cueTexts
        var slotPattern = [(rule: Int32, pattern: Int32)](repeating: (-1, -1), count: slots)
        var slotTerm = [Int32](repeating: -1, count: slots)
        var tokenOnlyPatterns: [(rule: Int, pattern: Int)] = []
        for (r, ruleSlots) in termSlot.enumerated() {
            for (p, patternSlots) in ruleSlots.enumerated() where !patternSlots.isEmpty {
                for (t, slot) in patternSlots.enumerated() { slotPattern[slot] = (Int32(r), Int32(p)); slotTerm[slot] = Int32(t) }
                if patternSlots.allSatisfy({ tokenOnly[$0] != nil }) { tokenOnlyPatterns.append((r, p)) }
            }
        }
        self.slotPattern = slotPattern
        self.slotTerm = slotTerm
        // The chain gate: a term's hit must start within the gap's window after the latest
        // end of the term before, unless a token (whose length is not known) is in between.
        var slotChain = [ChainLink](repeating: ChainLink(previous: -1, window: .max), count: slots)
        for (r, ruleSlots) in termSlot.enumerated() {
            for (p, patternSlots) in ruleSlots.enumerated() where patternSlots.count > 1 {
                let pattern = lexicon.rules[r].patterns[p]
                for t in 1..<patternSlots.count {
                    let before = pattern.terms[t - 1]
                    guard tokenOnly[patternSlots[t - 1]] == nil, before.allSatisfy({ $0.trailing == nil }) else { continue }
                    slotChain[patternSlots[t]] = ChainLink(previous: Int32(patternSlots[t - 1]),
                                                           window: Int32(clamping: pattern.gaps[t - 1].window))
                }
            }
        }
        if !shortcuts { for slot in slotChain.indices { slotChain[slot].previous = -1 } }
        // Per payload (temporary): whether the gate applies to it.
        func gate(_ k: Int) -> Int32 {
            guard case let .term(slot, _, _, tokens) = payloads[k], tokens & 1 == 0 else { return -1 }
            return slotChain[Int(slot)].previous
        }
        var chainLiteralStart = [Int32](repeating: 0, count: payloadStart.count)
        var literalChain: [ChainLink] = []
        for id in 0..<(payloadStart.count - 1) {
            let payloadRange = Int(payloadStart[id])..<Int(payloadStart[id + 1])
            let first = literalChain.count
            if payloadRange.allSatisfy({ gate($0) >= 0 }) {
                // The distinct slots before, each with its widest window (a literal has few payloads).
                for k in payloadRange {
                    let previous = gate(k)
                    guard case let .term(slot, _, _, _) = payloads[k] else { continue }
                    let window = slotChain[Int(slot)].window
                    if let i = literalChain[first...].firstIndex(where: { $0.previous == previous }) {
                        literalChain[i].window = max(literalChain[i].window, window)
                    } else {
                        literalChain.append(ChainLink(previous: previous, window: window))
                    }
                }
            }
            chainLiteralStart[id + 1] = Int32(literalChain.count)
        }
        self.slotChain = slotChain
        self.literalChain = literalChain.withExactCapacity()
        self.literals = payloadStart.indices.map { id in
            LiteralEntry(payloadStart: payloadStart[id], chainStart: chainLiteralStart[id],
                         latinEdges: id < latinEdges.count ? latinEdges[id] : 0,
                         hasOther: id < literalHasOther.count ? literalHasOther[id] : false)
        }
        self.tokenOnlyPatterns = tokenOnlyPatterns
        // The automaton's build is the compile's peak of memory (a crawl's resident set never
        // falls below it): what only the collection of literals needed goes first.
        compiler.releaseCollectionState()
        self.automaton = AhoCorasick(units: compiler.units, starts: compiler.unitStart)
        self.termSlot = termSlot
        self.slotCount = slots
        self.canonical = canonical
        self.tokenOnlyTerms = tokenOnly
        self.tokenOnlyTermRefs = tokenOnlyRefs.map { (slot: $0.0, rule: $0.1, pattern: $0.2, term: $0.3, alternative: $0.4) }
    }

    /// Scans runs and returns findings (and suppressed matches), ordered by position.
    public func scan(_ runs: [TextRun]) -> ScanResult {
        var result = ScanResult()
        var scratch = SlotScratch(slotCount: slotCount)
        var modelScratch = PromiseModel.Scratch()
        for (index, run) in runs.enumerated() where !run.isEmpty {
            let normalized = NormalizedText(run)
            let findingsFrom = result.findings.count, suppressedFrom = result.suppressed.count
            let skeleton = scan(run, normalized, runIndex: index, into: &result, scratch: &scratch)
            // The model reads running text only (body, plain text): keyword lists, titles and
            // alt texts are not the prose it learned from.
            if let model = lexicon.model, run.location == .body || run.location == .text {
                model.review(run, normalized, runIndex: index, result: &result,
                             findingsFrom: findingsFrom, suppressedFrom: suppressedFrom,
                             askerTurns: { Matcher.askerTurnRanges(skeleton, normalized, labels: askerLabels) }, scratch: &modelScratch)
            }
        }
        result.findings.sort { ($0.byteStart, $0.byteEnd, $0.rule.id) < ($1.byteStart, $1.byteEnd, $1.rule.id) }
        result.suppressed.sort { ($0.finding.byteStart, $0.finding.rule.id) < ($1.finding.byteStart, $1.finding.rule.id) }
        return result
    }

    /// The promise model's reading of some runs (``PromiseModel/read(_:askerTurns:)``), with this
    /// lexicon's asker turns; nil without a model.
    public func modelReadings(of runs: [TextRun]) -> [PromiseModel.Reading]? {
        lexicon.model?.read(runs, askerTurns: { normalized in
            Matcher.askerTurnRanges(Skeleton(normalized, blocks: false), normalized, labels: self.askerLabels)
        })
    }

    /// Scans plain text (convenience for tests, examples and evaluation).
    public func scan(text: String) -> ScanResult { scan([TextRun(utf8Text: text)]) }
}

// MARK: - Compiling literals

extension Matcher {
    /// A pinyin syllable inside a spelling: `units[offset..<offset+length]`, which should
    /// carry `tone` (1–4) if the text marks tones at all (0: any).
    struct Syllable: Sendable {
        var offset: Int32
        var length: UInt8
        var tone: UInt8
    }

    /// Turns lexicon literals into automaton units, merging duplicates.
    ///
    /// Everything is kept flat (one array of units with start offsets, one of syllables,
    /// payloads as (literal, payload) pairs grouped at the end) and duplicates are found
    /// in an open-addressing table over the flat units: the ~24,000 literals of the real
    /// lexicon were an array, a dictionary key and a payload array each, and compiling them
    /// was a third of `check`'s start-up.
    struct Compiler {
        /// Literal `i` is `units[unitStart[i] ..< unitStart[i + 1]]`. Units past
        /// `unitStart.last` are a literal being written (see ``commit(_:text:)``).
        var units: [UInt32] = []
        var unitStart: [Int32] = [0]
        var texts: [String] = []
        /// The payloads in the order added, each with its literal.
        var payloadLiteral: [Int32] = []
        var payloadList: [Payload] = []
        /// Open addressing: `slots[h & mask]` holds a literal index + 1 (0: empty).
        var slots = [Int32](repeating: 0, count: 1 << 16)
        var slotHash = [UInt64](repeating: 0, count: 1 << 16)
        var pinyinCache: [UInt32: [UInt32]] = [:]
        /// ICU's transliterator, opened only for characters the generated table lacks.
        lazy var pinyinICU = ICU.Transliterator("Han-Latin; Latin-ASCII")
        /// If set, literals with a unit outside it are left out (``Alphabet``).
        var alphabet: Alphabet?

        var literalCount: Int { unitStart.count - 1 }

        /// The units as a String (decoding UTF-32 directly took ~4,000 instructions a literal).
        static func string(_ units: [UInt32]) -> String {
            LexiconParser.string(units.lazy.map { Unicode.Scalar($0) ?? "\u{FFFD}" })
        }

        /// Normalizes a literal the way text is normalized and keeps its content characters.
        func units(of literal: String) -> Result<[UInt32], PatternSyntaxError> {
            var normalized: [Unicode.Scalar] = []
            normalized.reserveCapacity(literal.utf8.count)
            for s in literal.unicodeScalars { CharTable.shared.normalizeFast(s, into: &normalized) }
            var units: [UInt32] = []
            units.reserveCapacity(normalized.count)
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

        mutating func add(_ literal: [UInt32], _ payload: Payload, text: String) {
            if let alphabet, !alphabet.containsAll(literal) { return }
            units.append(contentsOf: literal)
            commit(payload, text: text)
        }

        /// Makes the units written after the last literal a literal (or, if the same units
        /// are already one, drops them) and gives it `payload`.
        mutating func commit(_ payload: Payload, text: String) {
            let start = Int(unitStart[unitStart.count - 1])
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in start..<units.count { h = (h ^ UInt64(units[k])) &* 0x100_0000_01b3 }
            let length = units.count - start
            var mask = slots.count - 1
            var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            while slots[i] != 0 {
                let literal = Int(slots[i] - 1)
                if slotHash[i] == h {
                    let s = Int(unitStart[literal]), e = Int(unitStart[literal + 1])
                    if e - s == length && units[s..<e].elementsEqual(units[start...]) {
                        units.removeSubrange(start...)
                        payloadLiteral.append(Int32(literal)); payloadList.append(payload)
                        return
                    }
                }
                i = (i + 1) & mask
            }
            let literal = literalCount
            slots[i] = Int32(literal + 1); slotHash[i] = h
            unitStart.append(Int32(units.count))
            texts.append(text)
            payloadLiteral.append(Int32(literal)); payloadList.append(payload)
            if literalCount * 2 > slots.count {   // grow: keep the table at most half full
                var newSlots = [Int32](repeating: 0, count: slots.count * 2)
                var newHash = [UInt64](repeating: 0, count: slots.count * 2)
                mask = newSlots.count - 1
                for k in slots.indices where slots[k] != 0 {
                    var j = Int(truncatingIfNeeded: slotHash[k] ^ (slotHash[k] >> 29)) & mask
                    while newSlots[j] != 0 { j = (j + 1) & mask }
                    newSlots[j] = slots[k]; newHash[j] = slotHash[k]
                }
                slots = newSlots; slotHash = newHash
            }
        }

        /// A literal with no units of its own (the automaton leaves it out): a pinyin phrase's,
        /// whose hits ``PinyinSpellings`` reports.
        mutating func newLiteral(text: String) -> Int32 {
            unitStart.append(Int32(units.count))
            texts.append(text)
            return Int32(literalCount - 1)
        }

        mutating func addPayload(_ payload: Payload, to literal: Int32) {
            payloadLiteral.append(literal); payloadList.append(payload)
        }

        /// Frees what only adding literals needs (the duplicate table — 12 bytes a slot, at
        /// most half full —, the payloads before grouping, the pinyin cache).
        mutating func releaseCollectionState() {
            slots = []; slotHash = []; texts = []
            payloadLiteral = []; payloadList = []
            pinyinCache = [:]
        }

        /// The payloads grouped by literal, in the order they were added:
        /// literal `i`'s are `payloads[start[i] ..< start[i + 1]]`.
        func groupedPayloads() -> (payloads: [Payload], start: [Int32]) {
            var start = [Int32](repeating: 0, count: literalCount + 1)
            for literal in payloadLiteral { start[Int(literal) + 1] += 1 }
            for i in 0..<literalCount { start[i + 1] += start[i] }
            var fill = start
            var order = [Int](repeating: 0, count: payloadList.count)
            for (k, literal) in payloadLiteral.enumerated() { order[Int(fill[Int(literal)])] = k; fill[Int(literal)] += 1 }
            return (order.map { payloadList[$0] }, start)
        }

        /// Appends the toneless pinyin of a Han character (`包` → `b a o`); false if it has none.
        mutating func appendPinyin(of unit: UInt32, to out: inout [UInt32]) -> Bool {
            if HanPinyin.range.contains(unit) { return HanPinyin.appendReading(unit, to: &out) }
            if let cached = pinyinCache[unit] { out.append(contentsOf: cached); return !cached.isEmpty }
            guard let pinyin = pinyinICU, let scalar = Unicode.Scalar(unit) else { return false }
            let latin = pinyin.apply(String(Character(scalar))).lowercased().unicodeScalars.filter { ("a"..."z").contains($0) }.map(\.value)
            pinyinCache[unit] = latin
            out.append(contentsOf: latin)
            return !latin.isEmpty
        }

        /// Pinyin spellings (``PinyinSpellings``) are found for phrases of at most four Han characters: agencies spell
        /// out the stock words that filters look for (包过, 拿证, 不过退费), not their longer
        /// wording (考过是我们的事), whose spellings were a ninth of the automaton (about
        /// 16,000 states, 4,400 literals) and changed no result on any evaluation corpus.
        static let longestSpelledPhrase = 4
    }
}
