/// The per-run matching steps: automaton hits → term occurrences → patterns →
/// exclusions and negation → findings with raw offsets.
extension Matcher {
    /// A place in the skeleton where a term of a pattern occurs.
    struct Occurrence {
        var start: Int
        var end: Int
        var alternative: Int
        var pinyin: Bool
        var writtenNumber: Bool
        /// The innocent word (exclusion) covering it, if any. A span, not its text: kept
        /// trivially copyable, occurrences are made and dropped by the thousand per page.
        var excludedBy: Span?
        /// The value of its `<num>` token, if it has one (for a rule's `ratio`).
        var number: Double? = nil
    }

    /// Where a cue or exclusion literal (or a gapped cue) occurs; its words are `cueTexts[entry]`,
    /// or for a gapped cue `cueTexts[entry]…cueTexts[lastEntry]` (built only when a reason is shown).
    struct Span {
        var start: Int
        var end: Int
        var entry: Int
        var lastEntry: Int = -1
        /// The categories a cue governs (`Category.bit`); all for an unscoped cue.
        var mask: UInt16 = .max
    }

    func text(_ span: Span) -> String {
        let first = cueTexts[Int32(span.entry)] ?? ""
        return span.lastEntry < 0 ? first : first + "…" + (cueTexts[Int32(span.lastEntry)] ?? "")
    }

    /// A pattern matched at a span, before negation is applied.
    struct Candidate {
        var rule: Int
        var pattern: Int
        var start: Int
        var end: Int
        var occurrences: [Occurrence]
        var suppression: String?
        /// The suppression is a cue's reading of the sentence (``SuppressedMatch/overridable``).
        var overridable = false
    }

    /// Returns the run's skeleton, for the model's reading of chats (``askerTurnRanges(_:_:labels:)``).
    @discardableResult
    func scan(_ run: TextRun, _ normalized: NormalizedText, runIndex: Int, into result: inout ScanResult, scratch: inout SlotScratch) -> Skeleton {
        var skeleton = Skeleton(normalized, blocks: false)
        guard !skeleton.units.isEmpty else { return skeleton }

        // The per-slot arrays come from `scratch` (all clear) and go back to it cleared, only
        // where this run wrote: a page has several runs, most of them short, and allocating,
        // clearing and freeing arrays of every slot for each was a measurable part of a scan.
        // `mayEnd` and `reachedEnd`: the latest end of a slot's hits in the first and the second
        // pass, 0 while it has none (an end is at least 1).
        var occurrences: [[Occurrence]] = [], occurred: [Bool] = [], mayEnd: [Int32] = []
        var needed: [Bool] = [], reachedEnd: [Int32] = []
        swap(&occurrences, &scratch.occurrences); swap(&occurred, &scratch.occurred); swap(&mayEnd, &scratch.mayEnd)
        swap(&needed, &scratch.needed); swap(&reachedEnd, &scratch.reachedEnd)
        var touched: [Int] = []            // slots with occurrences
        var mayTouched: [Int32] = []       // slots marked in `mayEnd`
        var neededSlots: [Int] = []        // slots marked in `needed` (all of them: `neededAll`)
        var neededAll = false
        var reachedSlots: [Int] = []       // slots marked in `reachedEnd`
        defer {
            for slot in touched { occurrences[slot] = []; occurred[slot] = false }
            for slot in mayTouched { mayEnd[Int(slot)] = 0 }
            if neededAll {
                needed.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
            } else {
                for slot in neededSlots { needed[slot] = false }
            }
            for slot in reachedSlots { reachedEnd[slot] = 0 }
            swap(&occurrences, &scratch.occurrences); swap(&occurred, &scratch.occurred); swap(&mayEnd, &scratch.mayEnd)
            swap(&needed, &scratch.needed); swap(&reachedEnd, &scratch.reachedEnd)
        }

        // 1. Automaton hits, sorted into term occurrences, exclusions and cues.
        // (`occurred`: whether a slot has an occurrence yet — read for every hit; cheaper than
        // the nested array.)
        // Per rule, indexed by rule + 1 (0: global exclusions); arrays, not dictionaries:
        // exclusion hits are many on some pages and hashing each was measurable.
        let ruleSlots = lexicon.rules.count + 1
        var exclusions = [[Span]](repeating: [], count: ruleSlots)
        var unlessBefore = [[Span]](repeating: [], count: ruleSlots), unlessAfter = [[Span]](repeating: [], count: ruleSlots)
        var cueParts: [Int: [Int: [Span]]] = [:]     // gapped cue → term → spans
        var before: [Span] = [], after: [Span] = [], answers: [Span] = [], breaks: [Span] = [], notCues: [Span] = [], mentions: [Span] = []
        var reports: [Span] = [], questions: [Span] = [], adverts: [Span] = []
        var tokenTerms: [(start: Int, end: Int, rule: Int, pattern: Int, term: Int, alternative: Int, pinyin: Bool, slot: Int)] = []
        // 1a. First pass: the automaton's hits through the cheap gates only, with flat arrays
        //     (no payload enum, no occurrence lists): which term slots may occur, and the hits
        //     worth a second look. Most runs of a page can complete no pattern at all — every
        //     term of some pattern must occur — and need nothing more; in the others only the
        //     slots of such patterns matter (on generated agency pages, ~14% of occurrences).
        //     A term after the first is kept only within its gap's window after the latest
        //     end of the term before it (``slotChain``); the marks here are a superset of
        //     the second pass's (no Latin-boundary or tone checks), so the second pass sees
        //     every hit that can be part of a match.
        // The pinyin spellings' hits (only near Latin letters) are merged into the automaton's
        // in the same order — by end, longer first —, as the chain gate expects. `edges`: the
        // literal's Latin edges (``LiteralEntry/latinEdges``); `syllables`: a spelling's, in `spelledSyllables`.
        var hits: [Hit] = []
        var spelledSyllables: [Syllable] = []
        let spelled = spellings.hits(in: skeleton.units, firstLetter: skeleton.firstLatinLetter, syllables: &spelledSyllables)
        var nextSpelled = 0
        // (The marks are written through buffer pointers: every slot index comes from the
        // compiled lexicon, and the closure runs for every hit.)
        literals.withUnsafeBufferPointer { literals in
        payloadTerms.withUnsafeBufferPointer { payloadTerms in
        skeleton.units.withUnsafeBufferPointer { units in
        mayEnd.withUnsafeMutableBufferPointer { mayEnd in
            // (A method with inout arguments, not a nested function: a nested function capturing
            // these variables made every access a dynamic exclusivity check.)
            guard !spelled.isEmpty else {   // the usual run: no spelling to merge
                automaton.forEachMatch(in: skeleton.units) { id, start, end in
                    firstPass(id, start, end, literals[id].latinEdges, 0..<0,
                              literals, payloadTerms, units, mayEnd, &mayTouched, &hits)
                }
                return
            }
            automaton.forEachMatch(in: skeleton.units) { id, start, end in
                while nextSpelled < spelled.count {
                    let hit = spelled[nextSpelled]
                    guard hit.end < end || (Int(hit.end) == end && Int(hit.end - hit.start) > end - start) else { break }
                    firstPass(Int(hit.literal), Int(hit.start), Int(hit.end), hit.edges, hit.syllableFrom..<hit.syllableTo,
                              literals, payloadTerms, units, mayEnd, &mayTouched, &hits)
                    nextSpelled += 1
                }
                firstPass(id, start, end, literals[id].latinEdges, 0..<0,
                          literals, payloadTerms, units, mayEnd, &mayTouched, &hits)
            }
            for hit in spelled[nextSpelled...] {
                firstPass(Int(hit.literal), Int(hit.start), Int(hit.end), hit.edges, hit.syllableFrom..<hit.syllableTo,
                          literals, payloadTerms, units, mayEnd, &mayTouched, &hits)
            }
        }}}}

        // 1b. The patterns that may complete, and their slots.
        var viableRules = [Bool](repeating: false, count: lexicon.rules.count)
        var anyViable = false
        func markViable(_ r: Int, _ p: Int) {
            anyViable = true
            viableRules[r] = true
            for slot in termSlot[r][p] where !needed[slot] { needed[slot] = true; neededSlots.append(slot) }
        }
        for slot in mayTouched {
            let (r, p) = (Int(slotPattern[Int(slot)].rule), Int(slotPattern[Int(slot)].pattern))
            let slots = termSlot[r][p]
            guard !needed[slots[0]], slots.allSatisfy({ mayEnd[$0] != 0 || tokenOnlyTerms[$0] != nil }) else { continue }
            markViable(r, p)
        }
        for (r, p) in tokenOnlyPatterns { markViable(r, p) }
        if !usesShortcuts {
            for slot in needed.indices { needed[slot] = true }
            neededAll = true
            for r in viableRules.indices { viableRules[r] = true }
            anyViable = true
        }
        guard anyViable else { return skeleton }

        // 1c. Second pass over the kept hits: term occurrences of the needed slots only,
        //     exclusions and cues. (`reachedEnd`: the same chain gate, now fed only by
        //     occurrences that passed the Latin-boundary and tone checks — a subset of the
        //     first pass's.)
        for hit in hits {
            let id = Int(hit.id), start = Int(hit.start), end = Int(hit.end)
            guard chainAllows(literal: id, start, literals, reachedEnd) else { continue }
            var startOK = true, endOK = true
            if hit.edges != 0 { (startOK, endOK) = latinBoundaries(hit.edges, start, end, run, normalized, skeleton) }
            var sides = TokenSides()
            for k in payloadRange(id) {
                let term = payloadTerms[k], slot = Int(term.slot)
                if slot >= 0, !needed[slot] { continue }
                // Cheap gates first, from flat arrays: a later term too far after the term
                // before it, a token term with no digit or numeral beside it.
                guard slot < 0 || chainAllows(slot: slot, tokens: term.tokens, start, reachedEnd),
                      sides.allow(term.tokens, start, end, in: skeleton.units) else { continue }
                let payload = payloads[k]
                switch payload {
                case let .term(slot32, a32, pinyin, tokens):
                    let (slot, a) = (Int(slot32), Int(a32))
                    // A token next to the literal owns that side's boundary (月入<num>k).
                    guard startOK || tokens & 1 != 0, endOK || tokens & 2 != 0 else { continue }
                    // Pinyin written with tones must have this phrase's tones (bāoguǒ is 包裹, not 包过).
                    if pinyin, !tonesAgree(spelledSyllables[Int(hit.syllables.lowerBound)..<Int(hit.syllables.upperBound)], start, run, normalized, skeleton) { continue }
                    if reachedEnd[slot] == 0 { reachedSlots.append(slot) }
                    reachedEnd[slot] = Int32(end)
                    if tokens != 0 {
                        // (The gate above has seen a digit, numeral or % beside the literal.)
                        let (r, p, t) = (Int(slotPattern[slot].rule), Int(slotPattern[slot].pattern), Int(slotTerm[slot]))
                        // Same literal span and slot: in the order of the alternatives (see
                        // `appendKeepingAlternativeOrder`).
                        tokenTerms.append((start, end, r, p, t, a, pinyin, slot), movingBackPast: {
                            $0.start == start && $0.end == end && $0.slot == slot && $0.alternative > a
                        })
                    } else {
                        if !occurred[slot] { touched.append(slot); occurred[slot] = true }
                        occurrences[slot].appendKeepingAlternativeOrder(Occurrence(start: start, end: end, alternative: a, pinyin: pinyin, writtenNumber: false))
                    }
                    continue
                default:
                    guard startOK && endOK else { continue }
                }
                var span = Span(start: start, end: end, entry: id)
                switch payload {
                case .term: break
                case .exclusion(let r32):
                    let r = Int(r32)
                    if r < 0 || viableRules[r] { exclusions[r + 1].append(span) }
                case let .unless(r32, isBefore):
                    let r = Int(r32)
                    guard viableRules[r] else { continue }
                    if isBefore { unlessBefore[r + 1].append(span) } else { unlessAfter[r + 1].append(span) }
                case .negationBefore(let m): span.mask = m; before.append(span)
                case .negationAfter(let m): span.mask = m; after.append(span)
                case .negationAnswer(let m): span.mask = m; answers.append(span)
                case .negationReport(let m): span.mask = m; reports.append(span)
                case .negationQuestion(let m): span.mask = m; questions.append(span)
                case .negationBreak: breaks.append(span)
                case .negationExclusion: notCues.append(span)
                case .negationMention(let m): span.mask = m; mentions.append(span)
                case .advert: adverts.append(span)
                case let .cuePart(cue, term): cueParts[Int(cue), default: [:]][Int(term), default: []].append(span)
                }
            }
        }

        // 2. Tokens (<num>, <pct>) next to literals, and token-only terms — found only
        //    when a literal hit needs them (most runs have none).
        var tokenCache: TokenSpans?
        func tokens() -> TokenSpans {
            if let t = tokenCache { return t }
            let t = TokenSpans(skeleton.units, skipped: skeleton.skipped)
            tokenCache = t
            return t
        }
        if !tokenTerms.isEmpty {
            for hit in tokenTerms {
                let alternative = lexicon.rules[hit.rule].patterns[hit.pattern].terms[hit.term][hit.alternative]
                var start = hit.start, end = hit.end, written = false
                var number: Double?
                if let token = alternative.leading {
                    guard let span = TokenSpans(around: start, in: skeleton.units, skipped: skeleton.skipped).ending(at: start, token),
                          TokenSpans.meets(span, alternative.leadingMinimum, alternative.leadingMaximum) else { continue }
                    start = span.start; written = written || span.written
                    end = max(end, span.end)
                    if token == .number { number = span.value }
                }
                if let token = alternative.trailing {
                    guard let span = TokenSpans(around: end, in: skeleton.units, skipped: skeleton.skipped).starting(at: end, token),
                          TokenSpans.meets(span, alternative.trailingMinimum, alternative.trailingMaximum) else { continue }
                    end = span.end; written = written || span.written
                    if token == .number, number == nil { number = span.value }
                }
                if occurrences[hit.slot].isEmpty { touched.append(hit.slot) }
                occurrences[hit.slot].append(
                    Occurrence(start: start, end: end, alternative: hit.alternative, pinyin: hit.pinyin, writtenNumber: written, number: number))
            }
        }
        // A token-only term (`通过率 ~4 <pct>`) matters only where the pattern's literal terms occur.
        for ref in tokenOnlyTermRefs {
            let others = termSlot[ref.rule][ref.pattern].filter { $0 != ref.slot && tokenOnlyTerms[$0] == nil }
            guard others.allSatisfy({ !occurrences[$0].isEmpty }) else { continue }
            let alternative = lexicon.rules[ref.rule].patterns[ref.pattern].terms[ref.term][ref.alternative]
            let minimum = alternative.leadingMinimum ?? alternative.trailingMinimum
            let maximum = alternative.leadingMaximum ?? alternative.trailingMaximum
            let token = tokenOnlyTerms[ref.slot]!
            for span in tokens().all(token) where TokenSpans.meets(span, minimum, maximum) {
                if occurrences[ref.slot].isEmpty { touched.append(ref.slot) }
                occurrences[ref.slot].append(
                    Occurrence(start: span.start, end: span.end, alternative: ref.alternative, pinyin: false, writtenNumber: span.written,
                               number: token == .number ? span.value : nil))
            }
        }
        guard !touched.isEmpty else { return skeleton }

        // Gapped cues (绝不向学员承诺): chain their terms like a pattern's. In cue order, not
        // the dictionary's (which differs from run to run): when two cues govern a match, the
        // reason names the same one every time.
        for cue in cueParts.keys.sorted() {
            let parts = cueParts[cue]!
            let (pattern, kind, cueMask) = gappedCues[cue]
            guard let firsts = parts[0] else { continue }
            for first in firsts {
                var end = first.end, lastEntry = first.entry, complete = true
                for t in 1..<pattern.terms.count {
                    let gap = pattern.gaps[t - 1]
                    let next = (parts[t] ?? []).filter {
                        $0.start >= end && $0.start - end <= gap.window
                            && (gap.crossesClauses ? skeleton.sameStatement(end, $0.start) : skeleton.sameClause(end, $0.start))
                    }.min { $0.start < $1.start }
                    guard let next else { complete = false; break }
                    end = next.end
                    lastEntry = next.entry
                }
                guard complete else { continue }
                let span = Span(start: first.start, end: end, entry: first.entry, lastEntry: lastEntry, mask: cueMask)
                switch kind {
                case .before: before.append(span)
                case .after: after.append(span)
                case .report: reports.append(span)
                }
            }
        }

        // Blocks of page text limit the reach of cues (see Skeleton.blockStarts): found once,
        // and only for a run with a candidate that a cue may govern.
        var blocksKnown = false
        var tables: TextTables?   // built on first need
        func blocksFound(_ skeleton: inout Skeleton) -> Skeleton {
            if !blocksKnown { skeleton.findBlockStarts(normalized); blocksKnown = true }
            return skeleton
        }
        // The asker's turns, found for the first match that asks for them.
        var askerTurns: [AskerTurn]?
        func turnsFound(_ skeleton: Skeleton) -> [AskerTurn] {
            if askerTurns == nil { askerTurns = Matcher.askerTurns(skeleton, normalized.scalars, labels: askerLabels) }
            return askerTurns ?? []
        }

        // 3. Exclusions: a longer innocent word covering an occurrence wins.
        let global = exclusions[0]
        // A longer word that contains a cue is not a cue (不得不), whichever side the cue governs.
        func isCue(_ cue: Span) -> Bool { !notCues.contains { $0.start <= cue.start && cue.end <= $0.end } }
        let cues = before.filter(isCue)
        let afterCues = after.filter(isCue)
        let answerCues = answers.filter(isCue)
        let reportCues = reports.filter(isCue)
        let questionCues = questions.filter(isCue)
        // By start, for the binary searches of hasBreak and affirmed (a chat page may hold many).
        breaks.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        // Calls to action that are the text's own (found on first need): not one in a sentence
        // that itself reports (经查，当事人…并附报名电话与“包过”承诺), inside quotation marks (a
        // quoted salesperson's 报名热线就是我的手机), or governed by a prohibition or denial
        // (严禁在稿件中附报名热线).
        var ownAdvertsFound: [Span]?
        func ownAdverts(_ skeleton: inout Skeleton) -> [Span] {
            if let found = ownAdvertsFound { return found }
            let known = blocksFound(&skeleton)
            let unscopedReports = reportCues.filter { $0.mask == .max }
            let found = adverts.filter(isCue).filter {
                self.reported($0.start, $0.end, .max, unscopedReports, [], breaks, normalized, known, titled: false) == nil
                    && self.quotation(around: $0.start, $0.end, normalized, known) == nil
                    && self.negation($0.start, $0.end, .max, cues, afterCues, answerCues, breaks, normalized, known) == nil
            }
            ownAdvertsFound = found
            return found
        }
        // Near one of them, the report cues that govern a match: reported speech loses its
        // power; cues scoped to categories (other walks of life — 签证, 诚聘, 游戏里 — whose own
        // ads carry calls to action too) keep theirs.
        func reportsNear(_ start: Int, _ end: Int, _ skeleton: inout Skeleton) -> [Span] {
            adverts.isEmpty || !Matcher.solicited(start, end, ownAdverts(&skeleton)) ? reportCues : reportCues.filter { $0.mask != .max }
        }

        // 4. Patterns: single terms, or ordered terms within their gaps.
        var candidates: [Candidate] = []
        var exclusionsOfRule: [Int: [Span]] = [:]
        for firstSlot in touched.sorted() {
            // Every slot belongs to one pattern: the touched slots that are a pattern's first term.
            let (r, p) = (Int(slotPattern[firstSlot].rule), Int(slotPattern[firstSlot].pattern))
            guard termSlot[r][p][0] == firstSlot else { continue }
            let rule = lexicon.rules[r], pattern = rule.patterns[p]
            let ruleExclusions: [Span]
            if let cached = exclusionsOfRule[r] { ruleExclusions = cached } else {
                ruleExclusions = exclusions[r + 1] + global
                exclusionsOfRule[r] = ruleExclusions
            }
            let slots = termSlot[r][p]
            var firsts = occurrences[slots[0]]
            guard !firsts.isEmpty else { continue }
            var rest: [[Occurrence]] = []
            var complete = true
            for slot in slots.dropFirst() {
                let list = occurrences[slot]
                guard !list.isEmpty else { complete = false; break }
                rest.append(list)
            }
            guard complete else { continue }
            markExcluded(&firsts, ruleExclusions)
            for k in rest.indices {
                markExcluded(&rest[k], ruleExclusions)
                rest[k].sort { $0.start < $1.start }
            }
            for first in firsts {
                guard var chain = assemble(first, rest, pattern.gaps, skeleton, normalized.scalars) else { continue }
                chain.insert(first, at: 0)
                let start = chain.map(\.start).min()!, end = chain.map(\.end).max()!
                var candidate = Candidate(rule: r, pattern: p, start: start, end: end, occurrences: chain)
                // `ratio`: the smaller of the match's first and last numbers against the larger.
                if let bound = rule.ratio {
                    let numbers = chain.compactMap(\.number)
                    guard numbers.count >= 2, let a = numbers.first, let b = numbers.last, max(a, b) > 0,
                          bound.contains(min(a, b) / max(a, b)) else { continue }
                }
                if let word = chain.compactMap(\.excludedBy).first {
                    candidate.suppression = "inside the innocent word 「\(text(word))」 (exclusion)"
                } else if let guardWord = unlessBefore[r + 1].first(where: {
                    $0.end <= start && start - $0.end <= rule.unlessWindow && skeleton.sameClause($0.end, start)
                }) {
                    candidate.suppression = "neutral context 「\(text(guardWord))」 before it (unless-before)"
                } else if let guardWord = unlessAfter[r + 1].first(where: {
                    $0.start >= end && $0.start - end <= rule.unlessWindow && skeleton.sameClause(end, $0.start)
                        && !self.answeredYes(end, $0, ruleCategoryBits[r], breaks, normalized, blocksFound(&skeleton))
                }) {
                    candidate.suppression = "neutral context 「\(text(guardWord))」 after it (unless-after)"
                } else if rule.negatable, let reason = negation(start, end, ruleCategoryBits[r], cues, afterCues, answerCues, breaks, normalized, blocksFound(&skeleton)) {
                    candidate.suppression = reason
                    candidate.overridable = true
                } else if rule.negatable, let reason = negationInside(chain, ruleCategoryBits[r], cues, skeleton) {
                    candidate.suppression = reason
                    candidate.overridable = true
                } else if rule.negatable, !askerLabels.isEmpty,
                          let label = askerTurn(start, end, ruleCategoryBits[r], breaks, normalized, blocksFound(&skeleton), turnsFound(skeleton)) {
                    candidate.suppression = "said by 「\(label)」, the one asking, and not answered yes"
                    candidate.overridable = true
                } else if rule.negatable {
                    // Someone else's words: reported, quoted, or listed in a table.
                    let reportsHere = reportsNear(start, end, &skeleton)
                    if !reportsHere.isEmpty || !questionCues.isEmpty,
                       let reason = reported(start, end, ruleCategoryBits[r], reportsHere, questionCues, breaks, normalized, blocksFound(&skeleton),
                                             titled: run.location == .text) {
                        candidate.suppression = reason
                        candidate.overridable = true
                    } else if !mentions.isEmpty || !reportsHere.isEmpty,
                              let reason = quotedMention(start, end, ruleCategoryBits[r], mentions, reportsHere, breaks, normalized, blocksFound(&skeleton)) {
                        candidate.suppression = reason
                    } else if run.location == .text || run.location == .body, !mentions.isEmpty || !reportsHere.isEmpty,
                              let reason = tableListing(start, ruleCategoryBits[r], reportsHere + mentions, normalized, skeleton,
                                                        pipes: run.location == .text, &tables) {
                        candidate.suppression = reason
                    }
                }
                candidates.append(candidate)
            }
        }

        // 5. Per rule, keep the widest of overlapping matches; report.
        candidates.sort { ($0.rule, $0.start, -$0.end) < ($1.rule, $1.start, -$1.end) }
        var kept: [Candidate] = []
        for c in candidates {
            if let last = kept.last, last.rule == c.rule, last.suppression == nil || c.suppression != nil,
               c.start >= last.start, c.start < last.end { continue }
            kept.append(c)
        }
        let reported = kept.filter { $0.suppression == nil }
        for c in kept {
            let finding = makeFinding(c, run: run, runIndex: runIndex, normalized: normalized, skeleton: skeleton)
            if let reason = c.suppression {
                // A suppressed match hidden under a reported one of the same rule adds nothing.
                if reported.contains(where: { $0.rule == c.rule && $0.start < c.end && c.start < $0.end }) { continue }
                result.suppressed.append(SuppressedMatch(finding: finding, reason: reason, overridable: c.overridable))
            } else {
                result.findings.append(finding)
            }
        }
        return skeleton
    }

    /// Whether a token (`<num>`, `<pct>`) can end right before / start right after a hit's
    /// literal, each asked at most once per hit (-1: not asked yet).
    struct TokenSides {
        private var before: Int8 = -1, after: Int8 = -1

        /// Whether the sides a payload's token terms need (``payloadTokens``: bit 0 before,
        /// bit 1 after) have a digit, numeral or `%` beside the literal `start..<end`.
        @inline(__always)
        mutating func allow<Units: RandomAccessCollection>(_ needs: UInt8, _ start: Int, _ end: Int, in units: Units) -> Bool
            where Units.Element == UInt32, Units.Index == Int {
            if needs & 1 != 0 {
                if before < 0 { before = start > 0 && TokenSpans.mayEndToken(units[start - 1]) ? 1 : 0 }
                if before == 0 { return false }
            }
            if needs & 2 != 0 {
                if after < 0 { after = end < units.count && TokenSpans.mayStartToken(units[end]) ? 1 : 0 }
                if after == 0 { return false }
            }
            return true
        }
    }

    typealias Hit = (id: Int32, start: Int32, end: Int32, edges: UInt8, syllables: Range<Int32>)

    /// The first pass for one hit (see `scan`): marks the slots its terms may fill, through the
    /// chain and token gates, and keeps the hit if a term passed or it is a cue or exclusion.
    @inline(__always)
    func firstPass(_ id: Int, _ start: Int, _ end: Int, _ edges: UInt8, _ syllables: Range<Int32>,
                   _ literals: UnsafeBufferPointer<LiteralEntry>, _ payloadTerms: UnsafeBufferPointer<PayloadTerm>,
                   _ units: UnsafeBufferPointer<UInt32>,
                   _ mayEnd: UnsafeMutableBufferPointer<Int32>,
                   _ mayTouched: inout [Int32], _ hits: inout [Hit]) {
        guard chainAllows(literal: id, start, literals, mayEnd) else { return }
        var keep = literals[id].hasOther
        var sides = TokenSides()
        for k in Int(literals[id].payloadStart)..<Int(literals[id + 1].payloadStart) {
            let term = payloadTerms[k], slot = Int(term.slot)
            guard slot >= 0, chainAllows(slot: slot, tokens: term.tokens, start, mayEnd),
                  sides.allow(term.tokens, start, end, in: units) else { continue }
            if mayEnd[slot] == 0 { mayTouched.append(Int32(slot)) }
            mayEnd[slot] = Int32(end)
            keep = true
        }
        if keep { hits.append((Int32(id), Int32(start), Int32(end), edges, syllables)) }
    }

    /// The chain gate (see ``slotChain``): whether a hit of `literal` starting at `start`
    /// may continue a match of one of its terms, given the end of each slot's latest
    /// occurrence, 0 for none (hits come in order of their end, so that is the largest end
    /// so far). A literal with a term that is not gated always may.
    @inline(__always)
    func chainAllows<Literals: RandomAccessCollection<LiteralEntry>, Ends: RandomAccessCollection<Int32>>(
        literal: Int, _ start: Int, _ literals: Literals, _ latestEnd: Ends
    ) -> Bool where Literals.Index == Int, Ends.Index == Int {
        let from = Int(literals[literal].chainStart), to = Int(literals[literal + 1].chainStart)
        guard from < to else { return true }
        for k in from..<to {
            let link = literalChain[k], previous = Int(link.previous)
            let end = latestEnd[previous]
            if end != 0, start - Int(end) <= Int(link.window) { return true }
        }
        return false
    }

    /// The chain gate for one term payload: its slot and its tokens (bit 0: a token before it,
    /// which leaves it ungated).
    @inline(__always)
    func chainAllows<Ends: RandomAccessCollection<Int32>>(
        slot: Int, tokens: UInt8, _ start: Int, _ latestEnd: Ends
    ) -> Bool where Ends.Index == Int {
        let link = slotChain[slot], previous = Int(link.previous)
        guard previous >= 0, tokens & 1 == 0 else { return true }
        let end = latestEnd[previous]
        return end != 0 && start - Int(end) <= Int(link.window)
    }

    func markExcluded(_ list: inout [Occurrence], _ exclusions: [Span]) {
        guard !exclusions.isEmpty else { return }
        for i in list.indices {
            if let x = exclusions.first(where: { $0.start <= list[i].start && list[i].end <= $0.end && ($0.end - $0.start) > (list[i].end - list[i].start) }) {
                list[i].excludedBy = x
            }
        }
    }

    /// Finds, for each following term, the nearest occurrence within its gap.
    func assemble(_ first: Occurrence, _ rest: [[Occurrence]], _ gaps: [Gap], _ skeleton: Skeleton, _ scalars: [Unicode.Scalar]) -> [Occurrence]? {
        var chain: [Occurrence] = []
        var end = first.end
        for (k, list) in rest.enumerated() {
            let gap = gaps[k]
            var best: Occurrence?
            // `list` is sorted by start: jump to the first candidate, stop past the window.
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if list[mid].start < end { lo = mid + 1 } else { hi = mid } }
            for o in list[lo...] {
                if o.start - end > gap.window { break }
                guard gap.crossesSentence ? skeleton.nextSentence(end, o.start, scalars)
                    : gap.crossesClauses ? skeleton.sameStatement(end, o.start) : skeleton.sameClause(end, o.start) else { continue }
                if let b = best {
                    let better = (b.excludedBy != nil && o.excludedBy == nil) || ((b.excludedBy == nil) == (o.excludedBy == nil) && o.start < b.start)
                    if better { best = o }
                } else {
                    best = o
                }
            }
            guard let chosen = best else { return nil }
            chain.append(chosen)
            end = chosen.end
        }
        return chain
    }

    /// Whether a `break` word stands within `from..<to` (it ends a cue's reach).
    /// `breaks` are sorted by start (``scan(_:_:runIndex:into:scratch:)``).
    static func hasBreak(_ breaks: [Span], _ from: Int, _ to: Int) -> Bool {
        var k = firstBreak(breaks, startingAtOrAfter: from)
        while k < breaks.count, breaks[k].start < to {
            if breaks[k].end <= to { return true }
            k += 1
        }
        return false
    }

    /// The index of the first break (sorted by start) starting at or after `position`.
    static func firstBreak(_ breaks: [Span], startingAtOrAfter position: Int) -> Int {
        var lo = 0, hi = breaks.count
        while lo < hi { let mid = (lo + hi) / 2; if breaks[mid].start < position { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// Why a match at `start..<end` is governed by a negation cue, if it is.
    /// A before cue also reaches the items of a list it introduces (see ``Skeleton/listItem(after:reaching:_:)``).
    func negation(_ start: Int, _ end: Int, _ category: UInt16, _ before: [Span], _ after: [Span], _ answers: [Span], _ breaks: [Span],
                  _ normalized: NormalizedText, _ skeleton: Skeleton) -> String? {
        let cues = lexicon.negation
        for cue in before where cue.start < start && cue.end <= end && cue.mask & category != 0 {
            guard skeleton.sameBlock(cue.end, start) else { continue }
            let inSentence = skeleton.sameSentence(cue.start, start) && start - cue.end <= cues.beforeWindow
            let inList = !inSentence && start - cue.end <= Skeleton.listWindow && skeleton.listItem(after: cue.end, reaching: start, normalized.scalars)
            guard inSentence || inList else { continue }
            if Matcher.hasBreak(breaks, cue.end, start) { continue }
            return inList ? "negated by 「\(text(cue))」, which introduces the list it is in" : "negated by 「\(text(cue))」 before it in the same sentence"
        }
        // An after cue may follow a question or exclamation mark: 直接发证？不存在的。
        for cue in after where cue.end > end && cue.start >= start && cue.mask & category != 0 {
            guard skeleton.sameStatement(end, cue.start), skeleton.sameBlock(end, cue.start), cue.start - end <= cues.afterWindow else { continue }
            if Matcher.hasBreak(breaks, end, cue.start) { continue }
            // A question about the match answered yes (包过吗？⏎包的。) does not suppress it.
            if answeredYes(end, cue, category, breaks, normalized, skeleton) { continue }
            return "negated by 「\(text(cue))」 after it in the same sentence"
        }
        // An answer cue governs only the clause the question asks (直接发证？不可能。): exactly
        // one ？/！ and no other clause mark between the match and the cue, and the cue must
        // stand alone, followed by a sentence or clause end (不可能考不过 is no answer).
        for cue in answers where cue.start >= end && cue.mask & category != 0 {
            guard skeleton.sameStatement(end, cue.start), skeleton.sameBlock(end, cue.start), cue.start - end <= cues.afterWindow,
                  skeleton.sentencesBefore(cue.start) - skeleton.sentencesBefore(end) == 1,
                  skeleton.clausesBefore(cue.start) - skeleton.clausesBefore(end) == 1 else { continue }
            // Standing alone: at most two sentence-final particles (不可能的, 不做啦) before the
            // clause or sentence end — not more words (我们不做那种，我们直接给原题 is no answer).
            var k = cue.end
            while k < skeleton.units.count, k - cue.end < 2, Matcher.isSentenceFinalParticle(skeleton.units[k]) { k += 1 }
            guard k >= skeleton.units.count || skeleton.units[k] >= Skeleton.sentenceBarrier else { continue }
            return "answered by 「\(text(cue))」 after a question about it"
        }
        return nil
    }

    /// Whether a cue or guard word asks a question: it ends with 吗, 么 or 呢 (包过吗, 能拿证吗).
    static func asks(_ cue: Span, _ skeleton: Skeleton) -> Bool {
        guard cue.end > cue.start, cue.end <= skeleton.units.count else { return false }
        switch skeleton.units[cue.end - 1] {
        case 0x5417, 0x4E48, 0x5462: return true   // 吗 么 呢
        default: return false
        }
    }

    /// Whether a cue or guard word after a match asks about it (``asks(_:_:)``) and the question
    /// is answered yes (``affirmed(_:_:_:_:_:)``).
    func answeredYes(_ end: Int, _ question: Span, _ category: UInt16, _ breaks: [Span], _ normalized: NormalizedText, _ skeleton: Skeleton) -> Bool {
        Matcher.asks(question, skeleton) && affirmed(end, category, breaks, normalized, skeleton)
    }

    /// Whether the question a match ending at `end` stands in is answered yes: the match's
    /// sentence ends with a question mark or a line, and the next sentence (same block) opens
    /// with an `affirm` word (``affirmWords``) — after at most a speaker's label
    /// (``speakerLabel(at:_:_:)``: `顾问：`, `11:21 客服：`) and a `greeting` word (`亲，是的呢`) —
    /// standing alone, as an `answer` cue must (包的，… ; 可以！), so that 可以负责任地说，我们不包过
    /// is no yes, and not turned by a `break` word opening the clause after it
    /// (可以，但是要看您自己的基础).
    func affirmed(_ end: Int, _ category: UInt16, _ breaks: [Span], _ normalized: NormalizedText, _ skeleton: Skeleton) -> Bool {
        guard !affirmWords.isEmpty else { return false }
        let units = skeleton.units
        let barrier = skeleton.sentenceEnd(from: end)
        guard barrier + 1 < units.count, skeleton.sameBlock(end, barrier + 1) else { return false }
        // A question mark, or a line break after a question word (a chat's 你们包过吗⏎包的).
        let asked = normalized.scalars[Int(skeleton.normIndex[barrier])].value
        guard asked == 0x3F || asked == 0xFF1F || Skeleton.isLineEnd(asked) else { return false }
        func yes(at start: Int) -> Bool {
            for word in affirmWords where word.mask & category != 0 && start + word.units.count <= units.count
                && units[start..<(start + word.units.count)].elementsEqual(word.units) {
                var k = start + word.units.count
                while k < units.count, k - start - word.units.count < 2, Matcher.isSentenceFinalParticle(units[k]) { k += 1 }
                guard k >= units.count || units[k] >= Skeleton.sentenceBarrier else { continue }
                // Turned by a break word opening the next clause (可以，但是要看您自己的基础); one
                // farther on is the answer going on (是的呢，我们这边都是签协议的哦).
                guard k < units.count, units[k] == Skeleton.clauseBarrier else { return true }
                let first = Matcher.firstBreak(breaks, startingAtOrAfter: k + 1)
                return !(first < breaks.count && breaks[first].start == k + 1)
            }
            return false
        }
        // The yes, or a greeting and then the yes (亲，是的呢).
        func yesOrGreeted(at start: Int) -> Bool {
            if yes(at: start) { return true }
            for word in greetingWords where start + word.count < units.count
                && units[start..<(start + word.count)].elementsEqual(word) {
                let next = start + word.count
                if yes(at: units[next] == Skeleton.clauseBarrier ? next + 1 : next) { return true }
            }
            return false
        }
        let answer = barrier + 1
        if yesOrGreeted(at: answer) { return true }
        guard let label = Matcher.speakerLabel(at: answer, skeleton, normalized.scalars) else { return false }
        return yesOrGreeted(at: label.colon + 1)
    }

    /// A modal particle that may end an answer (不可能的, 想多了吧, 不存在的啦).
    static func isSentenceFinalParticle(_ unit: UInt32) -> Bool {
        switch unit {
        case 0x7684, 0x554A, 0x5440, 0x5427, 0x5462, 0x54E6, 0x54C8, 0x4E86, 0x561B, 0x5566, 0x5594, 0x54C7, 0x5457, 0x54DF, 0x54AF:
            return true   // 的 啊 呀 吧 呢 哦 哈 了 嘛 啦 喔 哇 呗 哟 咯
        default:
            return false
        }
    }

    /// A before cue right in front of a later term of the match, in the same clause, governs
    /// that term (证书不得出租, 证书严禁出租, 考不过投诉退款): the words around it are no
    /// claim. Only directly in front (at most one unit between): a cue farther inside the match
    /// belongs to another phrase (考不过？不用担心，全额退费).
    func negationInside(_ chain: [Occurrence], _ category: UInt16, _ before: [Span], _ skeleton: Skeleton) -> String? {
        guard chain.count > 1, !before.isEmpty else { return nil }
        for k in 1..<chain.count {
            let previous = chain[k - 1], term = chain[k]
            for cue in before where cue.start >= previous.end && cue.end <= term.start && term.start - cue.end <= 1 && cue.mask & category != 0 {
                guard skeleton.sameClause(cue.end, term.start) else { continue }
                return "negated by 「\(text(cue))」 before a later term inside the match"
            }
        }
        return nil
    }

    /// How far (content characters — noise and markup not counted —, either side, same run) a call to action (`advert`)
    /// reaches: an advertorial's contact line follows its last paragraph; a page footer's
    /// is usually farther from a news item in the page's body.
    static let advertReach = 200

    /// Whether a call to action stands within ``advertReach`` of the match: then unscoped report
    /// cues do not govern it (the text is the agency's own, however it is framed).
    static func solicited(_ start: Int, _ end: Int, _ adverts: [Span]) -> Bool {
        adverts.contains { ($0.end <= start && start - $0.end <= advertReach) || ($0.start >= end && $0.start - end <= advertReach)
            || ($0.start < end && $0.end > start) }
    }

    /// Why a match is in a sentence that reports someone else's claim (`report` cues: anywhere
    /// in the sentence, before or after it) or asks about one (`question` cues, in a sentence
    /// that ends with a question mark), if it is. A `break` word between cue and match ends
    /// the cue's reach.
    /// `titled`: the run is a document of its own (plain text), whose first line may be its title.
    func reported(_ start: Int, _ end: Int, _ category: UInt16, _ reports: [Span], _ questions: [Span], _ breaks: [Span],
                  _ text: NormalizedText, _ skeleton: Skeleton, titled: Bool) -> String? {
        func broken(_ cue: Span) -> Bool {
            let (from, to) = cue.end <= start ? (cue.end, start) : (end, cue.start)
            return Matcher.hasBreak(breaks, from, to)
        }
        // A report cue after the claim reaches back over a break: complaints turn on one
        // (承诺不过退费，后来却推脱; 口头承诺“保过”，但事后拒不退还).
        for cue in reports where cue.mask & category != 0 && (cue.end <= start || cue.start >= end) {
            guard cue.end <= start ? skeleton.sameBlock(cue.end, start) : skeleton.sameBlock(end, cue.start),
                  cue.start >= end || !broken(cue) else { continue }
            if skeleton.sameSentence(min(cue.start, start), max(cue.end, end)) {
                return "reported speech: 「\(self.text(cue))」 in the same sentence"
            }
            if cue.end <= start, start - cue.end <= Skeleton.listWindow, skeleton.listItem(after: cue.end, reaching: start, text.scalars) {
                return "reported speech: 「\(self.text(cue))」 introduces the list it is in"
            }
        }
        // A report cue in a plain-text document's title (its first line, see
        // ``Skeleton/titleEnd(_:)``) governs the document under it: a notice, a penalty
        // decision, a news report. Not in a page's body, whose first line is often a banner
        // (谨防受骗 …) above the agency's own ads.
        // A break word after the cue in the title turns it into the advertiser's own line
        // (谨防受骗，认准宏达教育).
        if titled, let titleEnd = skeleton.titleEnd(text.scalars), titleEnd <= start, start - titleEnd <= Skeleton.titleWindow {
            for cue in reports where cue.mask & category != 0 && cue.end <= titleEnd
                && !Matcher.hasBreak(breaks, cue.end, titleEnd) {
                return "in a document whose title reports: 「\(self.text(cue))」"
            }
        }
        let asking = questions.filter { $0.mask & category != 0 && ($0.end <= start || $0.start >= end) && skeleton.sameSentence(min($0.start, start), max($0.end, end))
            && ($0.end <= start ? skeleton.sameBlock($0.end, start) : skeleton.sameBlock(end, $0.start)) }
        guard !asking.isEmpty else { return nil }
        // The sentence must end with a question mark. A question mark followed by another
        // sentence end (？；) is folded into one hard barrier that still points at the mark,
        // so either kind of barrier is read by the character it stands for.
        var k = end
        while k < skeleton.units.count, skeleton.units[k] != Skeleton.sentenceBarrier, skeleton.units[k] != Skeleton.softSentenceBarrier { k += 1 }
        guard k < skeleton.units.count else { return nil }
        let mark = text.scalars[Int(skeleton.normIndex[k])]
        guard mark == "？" || mark == "?" else { return nil }
        // A question answered yes (有没有考不过退费的？⏎有，我们就是) is a promise, as for `after` cues.
        if affirmed(k, category, breaks, text, skeleton) { return nil }
        for cue in asking where !broken(cue) {
            return "asked about: 「\(self.text(cue))」 in a question"
        }
        return nil
    }

    /// Why a match in a text table is a listing, if it is: its line is a row (cells split by
    /// `|` or tabs) of two or more such lines in a row, and a report or mention cue of its
    /// category stands in the table's first row, in the short line right above the table, or
    /// in the match's own row — a table of banned wording (`违规用语 | 建议用语`) or of
    /// penalties (`| 1 | 免考包过 | 广告法第二十四条 | 罚款2万元 |`), whose cells are page blocks
    /// that no sentence-level cue crosses. In a web page's body only tab-marked rows count (the
    /// extractor writes an HTML table's row as its cells separated by tabs; `|` there separates
    /// the links of navigation bars): `pipes` false.
    func tableListing(_ start: Int, _ category: UInt16, _ cues: [Span], _ text: NormalizedText, _ skeleton: Skeleton,
                      pipes: Bool, _ tables: inout TextTables?) -> String? {
        if tables == nil { tables = TextTables(text.scalars, pipes: pipes) }
        guard let tables else { return nil }
        let own = tables.line(containing: Int(skeleton.normIndex[start]))
        let header = tables.header[own]
        guard header >= 0 else { return nil }
        var places = [tables.lines[own], tables.lines[header]]
        if let caption = tables.caption(of: header) { places.append(caption) }
        for cue in cues where cue.mask & category != 0 {
            let at = Int(skeleton.normIndex[cue.start])
            if places.contains(where: { $0.contains(at) }) {
                return "listed in a table with 「\(self.text(cue))」"
            }
        }
        return nil
    }

    /// Quotation marks proper (not the brackets that ads also use for slogans and titles).
    static let quotationMarks: Set<Unicode.Scalar> = ["“", "「", "『", "\"", "'", "‘", "〝"]
    static let openingQuotes: Set<Unicode.Scalar> = ["“", "「", "『", "\"", "'", "‘", "《", "〝", "〈", "【"]
    static let closingQuotes: Set<Unicode.Scalar> = ["”", "」", "』", "\"", "'", "’", "》", "〞", "〟", "〉", "】"]

    /// How far a quotation mark may stand from the match it encloses: a whole quoted ad line
    /// (“零基础包拿证，考不过全额退款！”), not only a quoted phrase.
    static let quoteReach = 60

    /// The quotation marks around `start..<end` (skeleton units), if the span stands inside a
    /// pair: the normalized indices of the opening and closing marks. Within one sentence (a
    /// quoted ad line may hold its own ！ or ？, a quoted clause list its ；:
    /// “一次不过，免费重修；二次不过，全额退费”, and a quoted sentence its full stop right before the
    /// closing mark: “我们这儿包过。”), the marks at most ``quoteReach`` characters away. An ASCII
    /// `"` or `'` opens and closes alike: it opens only after an even number of them on its line,
    /// and only the same mark closes it.
    func quotation(around start: Int, _ end: Int, _ text: NormalizedText, _ skeleton: Skeleton)
        -> (open: Int, close: Int, mark: Unicode.Scalar)? {
        let first = Int(skeleton.normIndex[start]), last = Int(skeleton.normIndex[end - 1])
        func endsQuote(_ s: Unicode.Scalar) -> Bool { Skeleton.classify(s) == .sentence && s != "；" && s != ";" }
        var opened: Unicode.Scalar?
        var i = first - 1
        while i >= 0 && first - i <= Matcher.quoteReach {
            let s = text.scalars[i]
            if Matcher.openingQuotes.contains(s) { opened = s; break }
            if Matcher.closingQuotes.contains(s) || endsQuote(s) { break }
            i -= 1
        }
        guard let opened else { return nil }
        let ascii = opened == "\"" || opened == "'"
        if ascii {
            var before = 0, k = i - 1
            while k >= 0, !Skeleton.isLineEnd(text.scalars[k].value) {
                if text.scalars[k] == opened { before += 1 }
                k -= 1
            }
            guard before % 2 == 0 else { return nil }
        }
        func closes(_ s: Unicode.Scalar) -> Bool { ascii ? s == opened : Matcher.closingQuotes.contains(s) }
        var j = last + 1
        while j < text.scalars.count && j - last <= Matcher.quoteReach {
            let s = text.scalars[j]
            if closes(s) { return (i, j, opened) }
            if Matcher.openingQuotes.contains(s) && s != "\"" && s != "'" { return nil }
            if endsQuote(s) {
                if j + 1 < text.scalars.count, closes(text.scalars[j + 1]) { return (i, j + 1, opened) }
                return nil
            }
            j += 1
        }
        return nil
    }

    /// Why a quoted match is a mention (the sentence talks about the words), if it is.
    func quotedMention(_ start: Int, _ end: Int, _ category: UInt16, _ mentions: [Span], _ reports: [Span], _ breaks: [Span],
                       _ text: NormalizedText, _ skeleton: Skeleton) -> String? {
        guard let quote = quotation(around: start, end, text, skeleton) else { return nil }
        // A mention word in the sentence the quotation stands in: sentence ends inside the
        // marks do not count (“我们这儿包过。”这种说法不可信).
        let inside = skeleton.firstUnit(after: quote.open), after = skeleton.firstUnit(after: quote.close)
        for m in mentions where m.mask & category != 0 && (m.end <= start || m.start >= end) {
            let same = m.end <= start ? skeleton.sameSentence(m.end, m.end <= inside ? inside : start)
                                      : skeleton.sameSentence(m.start >= after ? after : end, m.start)
            if same { return "quoted as a mention (「\(self.text(m))」 in the same sentence)" }
        }
        // A report cue in another sentence of the same paragraph: only for quotation marks
        // proper (ads put slogans in 【】 and titles in 《》), and not across a break word
        // (擦亮眼睛，认准宏达！“考试包过”).
        guard Matcher.quotationMarks.contains(quote.mark) else { return nil }
        // Break words inside the quotation are the quoted speaker's (工作人员说：“我们这儿包过”),
        // not the writer turning to an offer of its own.
        let outsideQuote = breaks.filter { Int(skeleton.normIndex[$0.start]) < quote.open || Int(skeleton.normIndex[$0.end - 1]) > quote.close }
        for cue in reports where cue.mask & category != 0 && (cue.end <= start || cue.start >= end) {
            let (from, to) = cue.end <= start ? (cue.end, start) : (end, cue.start)
            guard to - from <= Skeleton.quoteReportWindow, skeleton.sameBlock(from, to), skeleton.sameParagraph(from, to, text.scalars),
                  !Matcher.hasBreak(outsideQuote, from, to) else { continue }
            return "quoted in reported speech (「\(self.text(cue))」 nearby)"
        }
        return nil
    }

    /// Whether tone marks written on the pinyin syllables of a match agree with the
    /// phrase's readings: pinyin written with diacritics is written as a real word
    /// (bāoguǒ is 包裹, not 包过). Pinyin without marks agrees with anything, and so
    /// do tone digits (bao4guo4), which evaders type loosely.
    func tonesAgree(_ syllables: ArraySlice<Syllable>, _ start: Int, _ run: TextRun, _ text: NormalizedText, _ skeleton: Skeleton) -> Bool {
        for syllable in syllables where syllable.tone != 0 {
            let first = start + Int(syllable.offset), last = first + Int(syllable.length) - 1
            guard last < skeleton.units.count else { continue }
            let n0 = Int(skeleton.normIndex[first]), n1 = Int(skeleton.normIndex[last])
            var written: UInt8 = 0
            // Marks on the vowels (precomposed or combining) in the original text.
            var s1 = Int(text.source[n1])
            let s0 = Int(text.source[n0])
            // A combining mark after the last letter belongs to the syllable (guo + U+0300).
            if s1 + 1 < run.count, (0x0300...0x036F).contains(run.scalars[s1 + 1].value) { s1 += 1 }
            if s0 <= s1 {
                for k in s0...s1 {
                    let mark = HanPinyin.toneMark(run.scalars[k])
                    if mark != 0 { written = mark; break }
                }
            }
            if written != 0 && written != syllable.tone { return false }
        }
        return true
    }

    /// A phrase that starts or ends with a Latin letter must not be part of a
    /// longer Latin word (bao过 yes, kabao过 no); an all-Latin phrase needs
    /// Chinese text around it (a page in English naming Baoguo is not a promise).
    func latinBoundaries(_ edges: UInt8, _ start: Int, _ end: Int, _ run: TextRun, _ text: NormalizedText, _ skeleton: Skeleton) -> (start: Bool, end: Bool) {
        let firstLatin = edges & 1 != 0
        let lastLatin = edges & 2 != 0
        guard firstLatin || lastLatin else { return (true, true) }
        var startOK = true, endOK = true
        // A dot joins words in host names and file names (www.baoguo.com).
        func dotted(_ i: Int, _ j: Int) -> Bool {
            i >= 0 && j >= 0 && i < text.scalars.count && j < text.scalars.count && text.scalars[i] == "." && Skeleton.isLatinLetter(text.scalars[j].value)
        }
        if firstLatin {
            let n = Int(skeleton.normIndex[start])
            if n > 0, Skeleton.isLatinLetter(text.scalars[n - 1].value) || (0x30...0x39).contains(text.scalars[n - 1].value) || dotted(n - 1, n - 2) { startOK = false }
        }
        if lastLatin {
            let n = Int(skeleton.normIndex[end - 1])
            if n + 1 < text.scalars.count, Skeleton.isLatinLetter(text.scalars[n + 1].value) || dotted(n + 1, n + 2) { endOK = false }
        }
        if edges & 4 != 0 {
            if !skeleton.hasHan { return (false, false) }
            // Written as a name (Baoguo Logistics, Wang Baoguo): one capitalised word next to another Latin word.
            if Matcher.isLatinName(run, Int(text.source[Int(skeleton.normIndex[start])]), Int(text.source[Int(skeleton.normIndex[end - 1])])) { return (false, false) }
        }
        return (startOK, endOK)
    }

    /// Whether the noise skipped before skeleton unit `u` is only whitespace between two words
    /// of Latin letters or numerals, each at least two characters long (a number or `%` may
    /// be one): ordinary spacing, not a disguise.
    static func isWordSpacing(before u: Int, _ skeleton: Skeleton, _ normalized: NormalizedText) -> Bool {
        guard u > 0, u < skeleton.units.count else { return false }
        func isWordUnit(_ v: UInt32) -> Bool { Skeleton.isLatinLetter(v) || (0x30...0x39).contains(v) || v == 0x25 }
        func isNumeric(_ v: UInt32) -> Bool { (0x30...0x39).contains(v) || v == 0x25 }
        let left = skeleton.units[u - 1], right = skeleton.units[u]
        guard isWordUnit(left), isWordUnit(right), !(isNumeric(left) && isNumeric(right)) else { return false }
        // Only whitespace between them (and a tone digit after a syllable: bao4 guo4).
        let from = Int(skeleton.normIndex[u - 1]) + 1, to = Int(skeleton.normIndex[u])
        func isSpacing(_ k: Int) -> Bool {
            let v = normalized.scalars[k].value
            return Skeleton.isSpace(v) || ((0x31...0x35).contains(v) && Skeleton.isLatinLetter(normalized.scalars[k - 1].value))
        }
        guard from < to, (from..<to).contains(where: { Skeleton.isSpace(normalized.scalars[$0].value) }),
              (from..<to).allSatisfy(isSpacing) else { return false }
        // Each side a word of two or more, counted up to the next gap (a lone letter is spelling).
        var leftLength = 1, k = u - 1
        while k > 0, leftLength < 2, isWordUnit(skeleton.units[k - 1]), !skeleton.skipped[k].contains(.noiseGap) { leftLength += 1; k -= 1 }
        var rightLength = 1
        k = u + 1
        while k < skeleton.units.count, rightLength < 2, isWordUnit(skeleton.units[k]), !skeleton.skipped[k].contains(.noiseGap) { rightLength += 1; k += 1 }
        return (leftLength >= 2 || isNumeric(left)) && (rightLength >= 2 || isNumeric(right))
    }

    /// Whether the run's scalars `first...last` are one word written like a name — a capital,
    /// then small letters only — beside another Latin word (Baoguo Logistics, Wang Baoguo).
    /// Pinyin glued to Chinese (Baoguo班) or spread over syllables (Guojia renke) is not.
    static func isLatinName(_ run: TextRun, _ first: Int, _ last: Int) -> Bool {
        guard first < last, last < run.count, ("A"..."Z").contains(run.scalars[first]) else { return false }
        for k in (first + 1)...last where !("a"..."z").contains(run.scalars[k]) { return false }
        func isLetter(_ k: Int) -> Bool { k >= 0 && k < run.count && (("a"..."z").contains(run.scalars[k]) || ("A"..."Z").contains(run.scalars[k])) }
        if last + 2 < run.count, run.scalars[last + 1] == " ", isLetter(last + 2) { return true }
        if first >= 2, run.scalars[first - 1] == " ", isLetter(first - 2) { return true }
        return false
    }

    func makeFinding(_ c: Candidate, run: TextRun, runIndex: Int, normalized: NormalizedText, skeleton: Skeleton) -> Finding {
        let rule = lexicon.rules[c.rule]
        /// What was skipped before unit `u`, as evidence: a space between two words written in
        /// Latin letters or numerals (`100% pass`, `pass rate 98%`, `bao guo`) is how such
        /// words are written, not a gap put into a phrase (`b a o 过`, `包 ★ 过` still are).
        func skipped(_ u: Int) -> NormalizationFlags {
            var flags = skeleton.skipped[u]
            if flags.contains(.noiseGap), Self.isWordSpacing(before: u, skeleton, normalized) { flags.remove(.noiseGap) }
            return flags
        }
        var flags: NormalizationFlags = []
        var previousSource = -1
        for u in c.start..<c.end {
            let unit = skeleton.units[u]
            if unit >= Skeleton.sentenceBarrier { continue }
            let n = Int(skeleton.normIndex[u])
            flags.formUnion(normalized.flags(n))
            if u > c.start {
                flags.formUnion(skipped(u))
                flags.formUnion(normalized.removedBefore(n))
            }
            let src = Int(normalized.source[n])
            let length = Int(run.byteEnds[src] - run.byteStarts[src])
            if length > (run.scalars[src].value < 0x10000 ? 3 : 4) { flags.insert(.entity) }
            if previousSource >= 0, src == previousSource + 1, run.byteStarts[src] > run.byteEnds[previousSource] { flags.insert(.markup) }
            previousSource = src
        }
        if c.occurrences.contains(where: \.pinyin) { flags.insert(.pinyin) }
        if c.occurrences.contains(where: \.writtenNumber) { flags.insert(.number) }
        // Noise skipped between the terms of a gapped pattern is not disguise.
        if c.occurrences.count > 1 {
            var inside: NormalizationFlags = []
            for o in c.occurrences {
                for u in (o.start + 1)..<max(o.start + 1, o.end) where u < skeleton.units.count { inside.formUnion(skipped(u)) }
            }
            if !inside.contains(.noiseGap) { flags.remove(.noiseGap) }
            if !inside.contains(.spinner) { flags.remove(.spinner) }
        }
        flags.remove(NormalizationFlags(rawValue: 1 << 15))

        let firstNorm = Int(skeleton.normIndex[c.start])
        let lastNorm = Int(skeleton.normIndex[c.end - 1])
        let srcStart = Int(normalized.source[firstNorm])
        var srcEnd = Int(normalized.source[lastNorm]) + 1
        // Combining marks written after the last letter belong to it (guo + U+0300 = guò).
        while srcEnd < run.count, (0x0300...0x036F).contains(run.scalars[srcEnd].value) { srcEnd += 1 }

        // The canonical phrase: each term's lexicon literal (tokens as written).
        let pattern = rule.patterns[c.pattern]
        var pieces: [String] = []
        for (t, o) in c.occurrences.enumerated() {
            let alternative = pattern.terms[t][o.alternative]
            let literal = canonical[c.rule][c.pattern][t][o.alternative]
            if alternative.leading == nil && alternative.trailing == nil {
                pieces.append(literal)
            } else {
                pieces.append(Compiler.string(Array(skeleton.units[o.start..<o.end])))
            }
        }

        let visible = Matcher.text(run.scalars[srcStart..<srcEnd])
        let contextStart = max(0, srcStart - 24), contextEnd = min(run.count, srcEnd + 24)
        let context = Matcher.text(run.scalars[contextStart..<contextEnd])
        // Offsets in scalars (one text scalar → one context scalar), not Characters:
        // cheaper, and right even when a combining mark sits at the edge of the match.
        let scalars = context.unicodeScalars
        let lower = scalars.index(scalars.startIndex, offsetBy: srcStart - contextStart)
        let upper = scalars.index(lower, offsetBy: srcEnd - srcStart)
        return Finding(
            rule: rule,
            severity: flags.isDisjoint(with: .deliberate) ? rule.severity : rule.severity.raised,
            location: run.location, runIndex: runIndex,
            scalarRange: srcStart..<srcEnd,
            byteStart: Int(run.byteStarts[srcStart]), byteEnd: Int(run.byteEnds[srcEnd - 1]),
            visibleText: visible, phrase: pieces.joined(separator: "…"),
            context: context, contextMatch: lower..<upper,
            normalizations: flags, pattern: pattern.source
        )
    }

    static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        for s in scalars {
            switch s {
            case TextRun.blockBreak, "\n", "\r", "\t", "\u{2028}": view.append(" ")
            default: view.append(s)
            }
        }
        return String(view)
    }
}

/// Numbers and percentages in a skeleton, for the `<num>` and `<pct>` tokens.
struct TokenSpans {
    struct Span {
        var start: Int
        var end: Int
        var written: Bool
        /// The number's value, when it can be read (几 and 半 cannot).
        var value: Double? = nil
        /// Arabic digits with a Chinese magnitude after them (1.26万, 3千): like a number in
        /// numerals, the span may run into a literal that starts with the magnitude (`<num>万`).
        var magnitude = false
    }

    /// The value of a Chinese magnitude character written after Arabic digits (1.26万).
    @inline(__always)
    static func magnitude(_ u: UInt32) -> Double? {
        switch u {
        case 0x5341: return 10          // 十
        case 0x767E: return 100         // 百
        case 0x5343: return 1000        // 千
        case 0x4E07: return 10_000      // 万
        case 0x4EBF: return 100_000_000 // 亿
        default: return nil
        }
    }

    /// The value of a run of Arabic digits or Chinese numerals (九十八 → 98, 两万 → 20000).
    static func value(_ units: ArraySlice<UInt32>) -> Double? {
        if let first = units.first, (0x30...0x39).contains(first) {
            var value = 0.0, scale = 0.0
            for u in units {
                if u == 0x2E { if scale != 0 { return nil }; scale = 1; continue }
                guard (0x30...0x39).contains(u) else { return nil }
                if scale == 0 { value = value * 10 + Double(u - 0x30) } else { scale /= 10; value += Double(u - 0x30) * scale }
            }
            return value
        }
        var total = 0.0, section = 0.0, number = 0.0
        for u in units {
            switch u {
            case 0x96F6, 0x3007: number = 0                                    // 零 〇
            case 0x4E00, 0x58F9: number = 1                                    // 一 壹
            case 0x4E8C, 0x4E24, 0x8D30: number = 2                            // 二 两 贰
            case 0x4E09, 0x53C1: number = 3                                    // 三 叁
            case 0x56DB, 0x8086: number = 4                                    // 四 肆
            case 0x4E94, 0x4F0D: number = 5                                    // 五 伍
            case 0x516D, 0x9646: number = 6                                    // 六 陆
            case 0x4E03, 0x67D2: number = 7                                    // 七 柒
            case 0x516B, 0x634C: number = 8                                    // 八 捌
            case 0x4E5D, 0x7396: number = 9                                    // 九 玖
            case 0x5341, 0x62FE: section += (number == 0 ? 1 : number) * 10; number = 0      // 十 拾
            case 0x767E, 0x4F70: section += (number == 0 ? 1 : number) * 100; number = 0     // 百 佰
            case 0x5343, 0x4EDF: section += (number == 0 ? 1 : number) * 1000; number = 0    // 千 仟
            case 0x4E07: total += (section + number == 0 ? 1 : section + number) * 10_000; section = 0; number = 0  // 万
            default: return nil                                                // 几 半 …
            }
        }
        return total + section + number
    }
    var numbers: [Span] = []
    var percents: [Span] = []

    /// Chinese numerals, including the formal (financial) forms 壹贰叁 … 拾佰仟.
    /// (A switch, not a Set: this is asked for every unit of a run that has a token hit.)
    @inline(__always)
    static func isChineseNumeral(_ u: UInt32) -> Bool {
        switch u {
        case 0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D,   // 零〇一二三四五六七八九
             0x5341, 0x767E, 0x5343, 0x4E07, 0x4E24, 0x51E0, 0x534A,                                     // 十百千万两几半
             0x58F9, 0x8D30, 0x53C1, 0x8086, 0x4F0D, 0x9646, 0x67D2, 0x634C, 0x7396, 0x62FE, 0x4F70, 0x4EDF: // 壹贰叁肆伍陆柒捌玖拾佰仟
            return true
        default:
            return false
        }
    }

    static func isDigit(_ u: UInt32) -> Bool { (0x30...0x39).contains(u) || u == 0x2E }

    /// Whether a number or percentage can end with `u` (a digit, a numeral, `%`).
    @inline(__always)
    static func mayEndToken(_ u: UInt32) -> Bool { (u >= 0x30 && u <= 0x39) || u == 0x25 || isChineseNumeral(u) }

    /// Whether a number or percentage can start with `u` (a digit or a numeral, 百 of 百分之).
    @inline(__always)
    static func mayStartToken(_ u: UInt32) -> Bool { (u >= 0x30 && u <= 0x39) || isChineseNumeral(u) }

    /// Bit `u` set for the Chinese numerals (one read per unit instead of a switch).
    static let numeralBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for u in UInt32(0)..<0x10000 where isChineseNumeral(u) { bits[Int(u >> 6)] |= 1 << UInt64(u & 63) }
        return bits
    }()

    init(_ units: [UInt32], skipped: [NormalizationFlags] = []) {
        self.init(units, skipped: skipped, range: 0..<units.count)
    }

    /// Whether `u` can be part of a number or percentage (digits, `.`, `%`, numerals, and
    /// 分/之 of 百分之).
    @inline(__always)
    static func isTokenPart(_ u: UInt32) -> Bool {
        (u >= 0x30 && u <= 0x39) || u == 0x2E || u == 0x25 || u == 0x5206 || u == 0x4E4B || isChineseNumeral(u)
    }

    /// The spans of the stretch of token parts around `position` only. Tokenizing from a
    /// unit that cannot be part of a token is what the whole-run tokenizer does there too,
    /// so these spans are the whole run's spans in that stretch — without a pass over a run
    /// that may be a whole page.
    init(around position: Int, in units: [UInt32], skipped: [NormalizationFlags]) {
        var a = min(position, units.count), b = a
        while a > 0, TokenSpans.isTokenPart(units[a - 1]) { a -= 1 }
        while b < units.count, TokenSpans.isTokenPart(units[b]) { b += 1 }
        self.init(units, skipped: skipped, range: a..<b)
    }

    private init(_ units: [UInt32], skipped: [NormalizationFlags], range: Range<Int>) {
        // A number never continues across skipped noise: 3-5万 is 3 and 5万, not 35万.
        func joined(_ j: Int) -> Bool { j >= skipped.count || !skipped[j].contains(.noiseGap) }
        let bai: UInt32 = 0x767E, fen: UInt32 = 0x5206, zhi: UInt32 = 0x4E4B, pct: UInt32 = 0x25
        let numerals = TokenSpans.numeralBits
        var i = range.lowerBound
        while i < range.upperBound {
            let u = units[i]
            // Most units are neither digits nor numerals: one test each.
            if !(u >= 0x30 && u <= 0x39), u >= 0x10000 || numerals[Int(u >> 6)] & (1 << UInt64(u & 63)) == 0 { i += 1; continue }
            // 百分之九十八, 百分之百, 百分百
            if u == bai, i + 2 < units.count, units[i + 1] == fen {
                if units[i + 2] == bai { percents.append(Span(start: i, end: i + 3, written: true, value: 100)); i += 3; continue }
                if units[i + 2] == zhi {
                    var j = i + 3
                    while j < units.count, TokenSpans.isChineseNumeral(units[j]) || TokenSpans.isDigit(units[j]) { j += 1 }
                    if j > i + 3 { percents.append(Span(start: i, end: j, written: true, value: TokenSpans.value(units[(i + 3)..<j]))); i = j; continue }
                }
            }
            let arabic = (0x30...0x39).contains(u)
            if arabic || TokenSpans.isChineseNumeral(u) {
                var j = i + 1
                while j < units.count, joined(j), arabic ? TokenSpans.isDigit(units[j]) : TokenSpans.isChineseNumeral(units[j]) { j += 1 }
                let value = TokenSpans.value(units[i..<j])
                // 1.26万人次 is one number (12600), not 1.26 and 万 (10000); 百分之 stays a percentage.
                var k = j, scale = 1.0
                while arabic, k < units.count, joined(k), let m = TokenSpans.magnitude(units[k]),
                      !(units[k] == bai && k + 1 < units.count && units[k + 1] == fen) { scale *= m; k += 1 }
                if k > j {
                    numbers.append(Span(start: i, end: k, written: false, value: value.map { $0 * scale }, magnitude: true))
                    i = k
                    continue
                }
                numbers.append(Span(start: i, end: j, written: !arabic, value: value))
                if arabic, j < units.count, units[j] == pct { percents.append(Span(start: i, end: j + 1, written: false, value: value)); j += 1 }
                i = j
                continue
            }
            i += 1
        }
    }

    /// Whether a span satisfies its bounds (a span whose value cannot be read does not).
    static func meets(_ span: Span, _ minimum: Double?, _ maximum: Double? = nil) -> Bool {
        guard minimum != nil || maximum != nil else { return true }
        guard let value = span.value else { return false }
        return (minimum.map { value >= $0 } ?? true) && (maximum.map { value <= $0 } ?? true)
    }

    func list(_ token: PatternToken) -> [Span] { token == .number ? numbers : percents }
    func all(_ token: PatternToken) -> [Span] { list(token) }

    /// The span (of `spans`, disjoint and in order) that ends at `position`, or — for a
    /// number written in Chinese numerals — contains it. Binary search: hits are few.
    static func ending(at position: Int, in spans: [Span]) -> Span? {
        var lo = 0, hi = spans.count
        while lo < hi { let mid = (lo + hi) / 2; if spans[mid].end < position { lo = mid + 1 } else { hi = mid } }
        guard lo < spans.count else { return nil }
        let span = spans[lo]
        return span.end == position || ((span.written || span.magnitude) && span.start < position) ? span : nil
    }

    static func starting(at position: Int, in spans: [Span]) -> Span? {
        var lo = 0, hi = spans.count
        while lo < hi { let mid = (lo + hi) / 2; if spans[mid].start < position { lo = mid + 1 } else { hi = mid } }
        return lo < spans.count && spans[lo].start == position ? spans[lo] : nil
    }

    /// A token ending where a literal starts. Chinese numerals may run into the
    /// literal (两万: the number is 两万, the literal 万), so the span may also
    /// reach past `position`; the occurrence then ends at the literal's end.
    func ending(at position: Int, _ token: PatternToken) -> Span? { TokenSpans.ending(at: position, in: list(token)) }

    func starting(at position: Int, _ token: PatternToken) -> Span? { TokenSpans.starting(at: position, in: list(token)) }
}

/// The arrays with an entry per term slot that a scan needs for each run, kept clear between
/// runs (``Matcher/scan(_:runIndex:into:scratch:)`` hands them back cleared).
struct SlotScratch {
    var occurrences: [[Matcher.Occurrence]]
    var occurred: [Bool], needed: [Bool]
    var mayEnd: [Int32], reachedEnd: [Int32]

    init(slotCount: Int) {
        occurrences = [[Matcher.Occurrence]](repeating: [], count: slotCount)
        occurred = [Bool](repeating: false, count: slotCount)
        needed = occurred
        mayEnd = [Int32](repeating: 0, count: slotCount)
        reachedEnd = mayEnd
    }
}

extension Array where Element == Matcher.Occurrence {
    /// Appends an occurrence, keeping occurrences of the same span in the order of their
    /// alternatives — the order in which a term's alternatives are written. (A pinyin spelling
    /// and a literal, or two homophone phrases, with the same span come from separate hits,
    /// whose order says nothing about the term; the first alternative names the finding.)
    mutating func appendKeepingAlternativeOrder(_ occurrence: Matcher.Occurrence) {
        append(occurrence, movingBackPast: {
            $0.start == occurrence.start && $0.end == occurrence.end && $0.alternative > occurrence.alternative
        })
    }
}

extension Array {
    /// Appends `element`, then moves it back past the elements right before it for which
    /// `precedes` holds (an insertion step: the arrays are in order otherwise).
    mutating func append(_ element: Element, movingBackPast precedes: (Element) -> Bool) {
        append(element)
        var k = count - 1
        while k > 0, precedes(self[k - 1]) {
            swapAt(k - 1, k)
            k -= 1
        }
    }
}
