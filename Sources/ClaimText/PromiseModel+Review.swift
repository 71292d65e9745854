/// The model's pass over one run, after the rules: passages, vetoes, flags.
extension PromiseModel {
    /// A passage of a run: normalized scalars `start..<end`, and its score once read.
    struct Passage {
        var start: Int
        var end: Int
        /// Whether it has a clause mark (``isClauseMark(_:)``): the cheap half of ``isProse(_:)``.
        var clauses: Bool
        var score: Float = 0
        /// The run's scalars it covers (from the first to the last character that produced it).
        var runRange: Range<Int> = 0..<0
    }

    /// The passages the model reads in a run, in order and disjoint: each block (split at block
    /// breaks and, in plain text, at line breaks — a line of a text file or a pasted message is
    /// what a `<br>` or a `<p>` makes of a page; a line with fewer than ``minimumCharacters``
    /// characters is read with the lines after it, until they are long enough together: a
    /// chat's turns, a question and its answer) with at least ``minimumCharacters`` characters; a block longer than
    /// ``maximumBlock``, in consecutive windows of at most ``windowCharacters``, each as many
    /// whole sentences as fit — a longer sentence is cut at its clause marks, a longer clause
    /// at the window's length. Windows do not overlap: every character is read once
    /// (overlapping windows, one starting at each sentence, cost more than all the rules).
    func passages(_ scalars: [Unicode.Scalar], minimum: Int? = nil) -> [Passage] {
        let minimumCharacters = minimum ?? self.minimumCharacters
        var out: [Passage] = []
        scalars.withUnsafeBufferPointer { text in
            /// Content characters and whether a clause mark occurs in `text[a..<b]`.
            func measure(_ a: Int, _ b: Int) -> (content: Int, clauses: Bool) {
                var content = 0, clauses = false
                for i in a..<b {
                    let v = text[i].value
                    // Most characters are common Han (one test); the rest take the full checks.
                    if v &- 0x4E00 < 0x5200 || PromiseModel.isContent(text[i]) { content += 1 }
                    else if !clauses, PromiseModel.isClauseMark(text[i]) { clauses = true }
                }
                return (content, clauses)
            }
            /// Where `text[a..<b]` may be cut: after sentence ends; inside a piece still longer
            /// than a window, after clause marks; inside one still longer, every window's length.
            func pieces(_ a: Int, _ b: Int) -> [Int] {
                var cuts = [a]
                func cut(_ from: Int, _ to: Int, level: Int) {
                    guard to - from > windowCharacters else { cuts.append(to); return }
                    if level == 2 {
                        var at = from + windowCharacters
                        while at < to { cuts.append(at); at += windowCharacters }
                        cuts.append(to)
                        return
                    }
                    var start = from
                    for i in from..<to where i + 1 < to
                        && (level == 0 ? PromiseModel.endsSentence(text[i]) : PromiseModel.isClauseMark(text[i])) {
                        cut(start, i + 1, level: level + 1)
                        start = i + 1
                    }
                    cut(start, to, level: level + 1)
                }
                cut(a, b, level: 0)
                return cuts
            }
            func addBlock(_ a: Int, _ b: Int, content: Int, clauses: Bool) {
                guard b > a, content >= minimumCharacters else { return }
                if b - a <= maximumBlock { out.append(Passage(start: a, end: b, clauses: clauses)); return }
                let cuts = pieces(a, b)
                var k = 0
                while k + 1 < cuts.count {
                    let s = cuts[k]
                    var next = k + 1
                    while next + 1 < cuts.count, cuts[next + 1] - s <= windowCharacters { next += 1 }
                    let e = cuts[next]
                    let window = measure(s, e)
                    if window.content >= minimumCharacters { out.append(Passage(start: s, end: e, clauses: window.clauses)) }
                    k = next
                }
            }
            // One walk finds the blocks and measures them (most characters are common Han).
            var blockStart = 0, content = 0, clauses = false
            for i in 0..<text.count {
                let v = text[i].value
                if v &- 0x4E00 < 0x5200 { content += 1; continue }
                if PromiseModel.endsBlock(text[i]) {
                    // A line too short to read is read with the next one (a chat's turns, a
                    // question and its answer); a block break still ends the passage.
                    if content < minimumCharacters, text[i] != TextRun.blockBreak { continue }
                    addBlock(blockStart, i, content: content, clauses: clauses)
                    blockStart = i + 1; content = 0; clauses = false
                } else if PromiseModel.isContent(text[i]) {
                    content += 1
                } else if !clauses, PromiseModel.isClauseMark(text[i]) {
                    clauses = true
                }
            }
            addBlock(blockStart, text.count, content: content, clauses: clauses)
        }
        return out
    }

    /// A block break, or a line break: `\n`, `\r`, a vertical tab, a form feed, U+0085,
    /// U+2028 (a page's text has these only inside `<pre>` or written as characters). Why lines:
    /// read as one block, a flattened page or a multi-line text put each line in a window with
    /// its neighbours (menus, addresses), which diluted a promise and silenced it by veto; on
    /// the session-9 replay (README) this took recall from 0.908 to 0.920.
    @inline(__always) static func endsBlock(_ s: Unicode.Scalar) -> Bool {
        s == TextRun.blockBreak || isLineBreak(s)
    }

    @inline(__always) static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value { case 0x0A...0x0D, 0x85, 0x2028: true; default: false }
    }

    @inline(__always) static func isClauseMark(_ s: Unicode.Scalar) -> Bool {
        switch s { case "，", "。", "！", "？", "；", "、", ",", "!", "?", ";": true; default: false }
    }

    /// Whether a passage is prose — written in clauses, not a list: it has a clause mark (a
    /// comma, a full stop …; a colon is a label's, 地址：…), and it is not a list of like items
    /// (four or more pieces between list separators — commas, 、, |, /, spaces —, eight
    /// characters long on average at most, at least half of which end in the same character: 焊工培训,叉车司机培训,美发师培训…; a string of selling
    /// points, 零基础，免考试，直接拿证，全国通用, is prose). Titles, menus, keyword lists and
    /// footers are not flagged, however much they read like the adverts the model learned
    /// from (on real portal pages and generated agency pages, most of what it flagged were such).
    static func isProse(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        // One pass counts marks, content and pieces; only a passage that may be a list (many
        // short pieces: rare in prose) takes the second pass over the pieces' last characters.
        var marks = 0, content = 0, pieces = 0
        var inPiece = false
        for s in scalars {
            if isClauseMark(s) { marks += 1 }
            if isListSeparator(s) || isSpace(s) {
                if inPiece { pieces += 1; inPiece = false }
            } else if isContent(s) {
                inPiece = true; content += 1
            }
        }
        if inPiece { pieces += 1 }
        guard marks > 0 else { return false }
        // A list: many short pieces (eight characters on average at most), half ending alike.
        guard pieces >= 4, content <= 8 * pieces else { return true }
        var lasts: [UInt32] = []
        lasts.reserveCapacity(pieces)
        var last: UInt32 = 0
        for s in scalars {
            if isListSeparator(s) || isSpace(s) {
                if last != 0 { lasts.append(last); last = 0 }
            } else if isContent(s) {
                last = s.value
            }
        }
        if last != 0 { lasts.append(last) }
        lasts.sort()
        var most = 0, run = 0
        for i in lasts.indices {
            run = i > 0 && lasts[i] == lasts[i - 1] ? run + 1 : 1
            most = max(most, run)
        }
        return most * 2 < pieces
    }

    @inline(__always) static func isListSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s { case "，", ",", "、", "|", "/", "｜": true; default: false }
    }

    @inline(__always) static func endsSentence(_ s: Unicode.Scalar) -> Bool {
        switch s { case "。", "！", "？", "!", "?", "；", ";": true; default: isLineBreak(s) }
    }

    /// Closing quotes and brackets: after a sentence end they still belong to its sentence
    /// (老师说：“欢迎来电咨询。”).
    @inline(__always) static func closesQuote(_ s: Unicode.Scalar) -> Bool {
        switch s { case "”", "’", "」", "』", "）", ")", "】", "》", "〉": true; default: false }
    }

    /// The sentences of `text[start..<end]` as the model reads them one by one: each runs to a
    /// sentence end and the closing quotes or brackets after it; one with fewer than
    /// `minimumContent` Han characters, letters or digits (放心！, a phone number) is joined to
    /// the next — the last to the one before. The ranges cover `start..<end`, in order. The
    /// scan's sentence rules and training's sentence rows use this one reading.
    static func sentenceUnits(_ text: ArraySlice<Unicode.Scalar>, minimumContent: Int) -> [Range<Int>] {
        var units: [Range<Int>] = []
        var unitStart = text.startIndex, content = 0, i = text.startIndex
        while i < text.endIndex {
            let s = text[i]
            if isContent(s) { content += 1 }
            i += 1
            guard endsSentence(s) else { continue }
            while i < text.endIndex, closesQuote(text[i]) || endsSentence(text[i]) { i += 1 }
            if content >= minimumContent {
                units.append(unitStart..<i)
                unitStart = i; content = 0
            }
        }
        if unitStart < text.endIndex {
            if content < minimumContent, let last = units.popLast() {
                units.append(last.lowerBound..<text.endIndex)
            } else {
                units.append(unitStart..<text.endIndex)
            }
        }
        return units
    }

    /// ``sentenceUnits(_:minimumContent:)`` of a passage, with this model's minimum (half of
    /// ``minimumCharacters``).
    func sentenceUnits(_ passage: Passage, _ normalized: NormalizedText) -> [Range<Int>] {
        PromiseModel.sentenceUnits(normalized.scalars[passage.start..<passage.end], minimumContent: (minimumCharacters + 1) / 2)
    }

    /// Reads the passages of a run the rules have just scanned: vetoes this run's rule findings
    /// (from `findingsFrom` on) whose passage and own sentence read as innocent, and flags, in
    /// passages that hold no finding and no suppressed match (from `suppressedFrom` on), a
    /// promising passage (with, if it has several sentences, one promising alone) or, in a
    /// middling one, its first promising sentence.
    /// `askerTurns`: the asker's turns in the run (``Matcher/askerTurnRanges(_:_:labels:)``), asked
    /// for only if a passage could be flagged: in a chat or a FAQ they are never what makes a
    /// passage a promise.
    func review(_ run: TextRun, _ normalized: NormalizedText, runIndex: Int, result: inout ScanResult,
                findingsFrom: Int, suppressedFrom: Int, askerTurns: () -> [Range<Int>] = { [] }, scratch: inout Scratch) {
        var passages = self.passages(normalized.scalars)
        guard !passages.isEmpty else { return }
        for p in passages.indices {
            passages[p].runRange = Int(normalized.source[passages[p].start])..<(Int(normalized.source[passages[p].end - 1]) + 1)
        }
        // Passages are in order and disjoint: the first one ending after a run index, and the
        // one holding it, by binary search.
        func firstPassage(endingAfter index: Int) -> Int {
            var lo = 0, hi = passages.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if passages[mid].runRange.upperBound <= index { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        func passage(holding index: Int) -> Int? {
            let p = firstPassage(endingAfter: index)
            return p < passages.count && passages[p].runRange.contains(index) ? p : nil
        }
        // Scores are computed only where they decide something: around a rule finding (a veto)
        // and in a passage that could be flagged.
        var scored = [Bool](repeating: false, count: passages.count)
        func scoreOnce(_ p: Int) {
            guard !scored[p] else { return }
            passages[p].score = score(normalized.scalars[passages[p].start..<passages[p].end], scratch: &scratch)
            scored[p] = true
        }

        // Vetoes: a plain finding whose passage reads as innocent, and whose own sentence does
        // not read as a promise.
        var k = result.findings.count - 1
        while k >= findingsFrom {
            let finding = result.findings[k]
            if finding.normalizations.isDisjoint(with: .deliberate), let p = passage(holding: finding.scalarRange.lowerBound) {
                scoreOnce(p)
                if passages[p].score < vetoThreshold {
                    let sentence = self.sentence(holding: finding.scalarRange.lowerBound, in: passages[p], normalized)
                    let sentenceScore = score(normalized.scalars[sentence], scratch: &scratch)
                    if sentenceScore < sentenceVetoThreshold {
                        result.findings.remove(at: k)
                        result.suppressed.append(SuppressedMatch(
                            finding: finding,
                            reason: PromiseModel.vetoReasonPrefix
                                + " (score \(PromiseModel.threePlaces(passages[p].score)), below the veto threshold \(PromiseModel.threePlaces(vetoThreshold)); its sentence \(PromiseModel.threePlaces(sentenceScore)))",
                            vetoedByModel: true))
                    }
                }
            }
            k -= 1
        }

        // Flags: passages written in clauses that overlap nothing the rules matched (kept or
        // suppressed) and score at least the flag threshold (hasPromisingSentence), or a
        // sentence of one scoring from sentenceCandidateThreshold (promisingSentence).
        // A passage where a cue suppressed a rule match (SuppressedMatch.overridable), and
        // nothing else touched, may still be flagged, from the higher overrideFlagThreshold.
        // The asker's turns, found for the first passage that needs them.
        var runTurns: [Range<Int>]?
        func turns(in passage: Passage) -> [Range<Int>] {
            if runTurns == nil { runTurns = askerTurns() }
            return PromiseModel.clip(runTurns ?? [], to: passage)
        }
        var taken = [Bool](repeating: false, count: passages.count), suppressedOnly = taken
        func mark(_ range: Range<Int>, _ bySuppression: Bool) {
            var p = firstPassage(endingAfter: range.lowerBound)
            while p < passages.count, passages[p].runRange.lowerBound < range.upperBound {
                if passages[p].runRange.overlaps(range) {
                    if bySuppression { suppressedOnly[p] = !taken[p] } else { taken[p] = true; suppressedOnly[p] = false }
                }
                p += 1
            }
        }
        // Findings and final suppressions first: an overridable one opens only a passage they left.
        let overrides = overrideFlagThreshold != nil
        for finding in result.findings[findingsFrom...] { mark(finding.scalarRange, false) }
        for match in result.suppressed[suppressedFrom...] where !(overrides && match.overridable) { mark(match.finding.scalarRange, false) }
        for match in result.suppressed[suppressedFrom...] where overrides && match.overridable { mark(match.finding.scalarRange, true) }
        for p in passages.indices where suppressedOnly[p] {
            taken[p] = true
            guard let threshold = overrideFlagThreshold, passages[p].clauses else { continue }
            scoreOnce(p)
            if passages[p].score >= threshold, PromiseModel.isProse(normalized.scalars[passages[p].start..<passages[p].end]),
               (answerScore(passages[p], turns(in: passages[p]), normalized, scratch: &scratch) ?? 1) >= sentenceCandidateThreshold {
                result.findings.append(finding(for: passages[p], run, normalized, runIndex: runIndex))
            }
        }
        // (Scored before the prose test: most passages score low, and the test costs about as
        // much as the score.)
        for p in passages.indices where !taken[p] && passages[p].clauses {
            scoreOnce(p)
            // In a chat or a FAQ, the rest of the passage must read as a promise without the
            // asker's turns too (answerScore). (Deciding on the higher of the two scores instead
            // found one more promise and two more false alarms on the chats of session 16; a
            // lower flag threshold for passages with the asker's turns, 0.55 or 0.5, none more
            // and two or three more false alarms.)
            guard passages[p].score >= sentenceCandidateThreshold else { continue }
            let asked = turns(in: passages[p])
            if let answer = answerScore(passages[p], asked, normalized, scratch: &scratch), answer < sentenceCandidateThreshold { continue }
            let flagged = passages[p].score >= flagThreshold
                ? (hasPromisingSentence(passages[p], normalized, turns: asked, scratch: &scratch) ? passages[p] : nil)
                : passages[p].score >= sentenceCandidateThreshold
                    ? promisingSentence(in: passages[p], normalized, turns: asked, scratch: &scratch) : nil
            if let flagged, PromiseModel.isProse(normalized.scalars[passages[p].start..<passages[p].end]) {
                result.findings.append(finding(for: flagged, run, normalized, runIndex: runIndex))
            }
        }
    }

    /// A passage scoring from this up to the flag threshold has its sentences read one by one,
    /// and the first scoring at least ``sentenceFlagThreshold`` is flagged by itself. Why: a
    /// promise sentence in a paragraph of honest copy (a course page's 关于我们) is diluted in
    /// its passage's score but reads plainly alone. Both thresholds measured (README, session
    /// 12): at 0.5 / 0.9 no new false alarm on any corpus, the generated pages or the real ones;
    /// at 0.5 / 0.85 four on the 400 generated pages. Session 13's naive-Bayes-scaled model
    /// scores more extremely: at 0.9 it flagged one innocent sentence of a real page
    /// (kaoyan.com), at 0.95 none, the same on every corpus.
    /// The defaults (the instance's come from the model file).
    public static let sentenceCandidateThreshold: Float = 0.5
    public static let sentenceFlagThreshold: Float = 0.95

    /// The first sentence of a passage (``sentenceUnits(_:_:)``) that scores at least
    /// ``sentenceFlagThreshold``, as a passage of its own.
    /// Not one of the asker's turns (``Matcher/askerTurnRanges(_:_:labels:)``).
    func promisingSentence(in passage: Passage, _ normalized: NormalizedText, turns: [Range<Int>] = [], scratch: inout Scratch) -> Passage? {
        for unit in sentenceUnits(passage, normalized) where !PromiseModel.within(unit, turns) {
            let sentenceScore = score(normalized.scalars[unit], scratch: &scratch)
            if sentenceScore >= sentenceFlagThreshold {
                return Passage(start: unit.lowerBound, end: unit.upperBound, clauses: true, score: sentenceScore)
            }
        }
        return nil
    }

    /// Whether a passage flagged as a whole has a sentence (``sentenceUnits(_:_:)``) that alone
    /// scores at least ``sentenceCandidateThreshold`` (a one-sentence passage has). Why: a
    /// window of several sentences of honest copy can add up to a promise's score — each
    /// sentence's "agency voice" weighs a little, and the sum grows with the length — though no
    /// sentence of it reads as a promise (session 12: the one such flag on the 400 generated
    /// pages, at 0.81; no real promise lost on any corpus).
    /// The asker's sentences (`turns`, ``Matcher/askerTurnRanges(_:_:labels:)``) do not count, and a passage that
    /// is nothing but the asker's words has none.
    func hasPromisingSentence(_ passage: Passage, _ normalized: NormalizedText, turns: [Range<Int>] = [], scratch: inout Scratch) -> Bool {
        let all = sentenceUnits(passage, normalized)
        let units = all.filter { !PromiseModel.within($0, turns) }
        if all.count == 1, units.count == 1 { return true }   // a one-sentence passage is its sentence
        return units.contains { score(normalized.scalars[$0], scratch: &scratch) >= sentenceCandidateThreshold }
    }

    /// When a passage holds the asker's turns (``Matcher/askerTurnRanges(_:_:labels:)``), the score of the rest of
    /// it read alone (nil when it holds none): a student's question and an honest answer
    /// (`学员：证书能寄过来吗 ⏎ 客服：可以，证书到了我们统一顺丰到付寄出`) add up to a promise's
    /// score only through the question's words.
    func answerScore(_ passage: Passage, _ turns: [Range<Int>], _ normalized: NormalizedText, scratch: inout Scratch) -> Float? {
        guard !turns.isEmpty else { return nil }
        var rest: [Unicode.Scalar] = [], from = passage.start
        for turn in turns {
            if turn.lowerBound > from { rest += normalized.scalars[from..<turn.lowerBound] }
            from = max(from, turn.upperBound)
        }
        if from < passage.end { rest += normalized.scalars[from..<passage.end] }
        return PromiseModel.contentCount(rest[...]) == 0 ? 0 : score(rest[...], scratch: &scratch)
    }

    /// The parts of `turns` (in order) that lie in `passage`.
    static func clip(_ turns: [Range<Int>], to passage: Passage) -> [Range<Int>] {
        turns.compactMap { turn in
            let lower = max(turn.lowerBound, passage.start), upper = min(turn.upperBound, passage.end)
            return lower < upper ? lower..<upper : nil
        }
    }

    /// Whether `unit` lies within one of `turns`.
    static func within(_ unit: Range<Int>, _ turns: [Range<Int>]) -> Bool {
        turns.contains { $0.lowerBound <= unit.lowerBound && unit.upperBound <= $0.upperBound }
    }

    /// A vetoed finding's own sentence must score below this too: a promise in a page's honest
    /// paragraph (its passage scores low) still reads as one by itself, where a quoted or
    /// denied phrase usually does not (its sentence holds the 记者, the 谨防, the 不). Why 0.5:
    /// more promise than not. Measured (README, session 12): on the session-9 replay it costs
    /// 4 false alarms of 832; of the real promises the passage veto silenced it gave back 2 of
    /// 9 on dev8–9 (with a model not trained on them) and 3 of 6 on holdout23–24.
    public static let sentenceVetoThreshold: Float = 0.5

    /// The normalized range of the sentence (``sentenceUnits(_:_:)``) of `passage` that holds
    /// run index `index`.
    func sentence(holding index: Int, in passage: Passage, _ normalized: NormalizedText) -> Range<Int> {
        // The first normalized scalar at or after `index` (`source` is non-decreasing).
        var lo = passage.start, hi = passage.end
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(normalized.source[mid]) < index { lo = mid + 1 } else { hi = mid }
        }
        let at = min(lo, passage.end - 1)
        return sentenceUnits(passage, normalized).first { $0.contains(at) } ?? passage.start..<passage.end
    }

    /// The model's reading of one passage (for `claimscan model score`).
    public struct Reading: Sendable {
        public var text: String
        public var score: Float
        public var category: Category
        public var cues: [String]
        /// Why a scan would not flag it even with a high score (too short, no clause mark, no
        /// promising sentence), or that a scan flags one of its sentences, if so.
        public var scanNote: String?
    }

    /// What the model reads in some runs, passage by passage — short ones too, with the reason
    /// a scan leaves them alone. Texts and cues as on the page.
    /// `askerTurns`: a run's asker turns (``Matcher/modelReadings(of:)``), for the scan's rule on them.
    func read(_ runs: [TextRun], askerTurns: (NormalizedText) -> [Range<Int>] = { _ in [] }) -> [Reading] {
        var out: [Reading] = []
        var scratch = Scratch()
        for run in runs where !run.isEmpty {
            let normalized = NormalizedText(run)
            let runTurns = askerTurns(normalized)
            for var passage in passages(normalized.scalars, minimum: 1) {
                let turns = PromiseModel.clip(runTurns, to: passage)
                let slice = normalized.scalars[passage.start..<passage.end]
                let hashes = PromiseModel.hashes(PromiseModel.prepared(slice))
                passage.score = score(hashes: hashes)
                let content = PromiseModel.contentCount(slice)
                var note: String?
                if content < minimumCharacters {
                    note = "not read in a scan: fewer than \(minimumCharacters) characters"
                } else if !(passage.clauses && PromiseModel.isProse(slice)) {
                    note = "not flagged in a scan: not prose (no clause mark, or a list of short items: a title, a menu, a keyword list)"
                } else if passage.score >= sentenceCandidateThreshold,
                          let answer = answerScore(passage, turns, normalized, scratch: &scratch), answer < sentenceCandidateThreshold {
                    note = "not flagged in a scan: without the asker's turns it scores \(PromiseModel.threePlaces(answer)), below \(PromiseModel.threePlaces(sentenceCandidateThreshold))"
                } else if passage.score >= flagThreshold, !hasPromisingSentence(passage, normalized, turns: turns, scratch: &scratch) {
                    note = "not flagged in a scan: no sentence of it alone scores \(PromiseModel.threePlaces(sentenceCandidateThreshold))"
                } else if passage.score < flagThreshold, passage.score >= sentenceCandidateThreshold,
                          let sentence = promisingSentence(in: passage, normalized, turns: turns, scratch: &scratch) {
                    let extent = visibleExtent(sentence, run, normalized)
                    note = "a scan flags its sentence \(Matcher.text(run.scalars[extent])) (\(PromiseModel.threePlaces(sentence.score))) unless a rule matches in the passage"
                }
                let extent = visibleExtent(passage, run, normalized)
                out.append(Reading(text: Matcher.text(run.scalars[extent]), score: passage.score,
                                   category: category(hashes: hashes), cues: pageCues(passage, run, normalized), scanNote: note))
            }
        }
        return out
    }

    /// A passage's run scalars without the spaces, invisible (format) characters and characters
    /// with no bytes of the page at its edges.
    func visibleExtent(_ passage: Passage, _ run: TextRun, _ normalized: NormalizedText) -> Range<Int> {
        let first = Int(normalized.source[passage.start]), last = Int(normalized.source[passage.end - 1])
        var lower = first, upper = last + 1
        // Also what the extractor added without page bytes (a `;` between a table cell's paragraphs).
        func blank(_ i: Int) -> Bool {
            let s = run.scalars[i]
            return PromiseModel.isSpace(s) || s.properties.generalCategory == .format || run.byteStarts[i] == run.byteEnds[i]
        }
        while lower < upper - 1, blank(lower) { lower += 1 }
        while upper > lower + 1, blank(upper - 1) { upper -= 1 }
        return lower..<upper
    }

    /// The passage's cues (``cueRanges(_:)``) as the page writes them, each once.
    func pageCues(_ passage: Passage, _ run: TextRun, _ normalized: NormalizedText) -> [String] {
        var seen = Set<String>()
        return cueRanges(normalized.scalars[passage.start..<passage.end]).compactMap { range in
            let lower = Int(normalized.source[range.lowerBound]), upper = Int(normalized.source[range.upperBound - 1]) + 1
            let text = Matcher.text(run.scalars[lower..<upper])
            return seen.insert(text).inserted ? text : nil
        }
    }

    func finding(for passage: Passage, _ run: TextRun, _ normalized: NormalizedText, runIndex: Int) -> Finding {
        let extent = visibleExtent(passage, run, normalized)
        let text = Matcher.text(run.scalars[extent])
        let category = self.category(hashes: PromiseModel.hashes(PromiseModel.prepared(normalized.scalars[passage.start..<passage.end])))
        let rule = rules[Category.allCases.firstIndex(of: category)!]
        // The case's identity (with the rule id, the same for every category): the passage's
        // first sentence, at most 40 characters — the same as long as the page's text there is.
        let firstSentence = text.firstIndex(where: { "。！？!?；;".contains($0) }).map { text[...$0] } ?? text[...]
        return Finding(
            rule: rule, severity: rule.severity, location: run.location, runIndex: runIndex,
            scalarRange: extent,
            byteStart: Int(run.byteStarts[extent.lowerBound]), byteEnd: Int(run.byteEnds[extent.upperBound - 1]),
            visibleText: text,
            phrase: String(firstSentence.prefix(40)),
            context: text, contextMatch: text.startIndex..<text.endIndex,
            normalizations: [], pattern: "promise model, score \(PromiseModel.threePlaces(passage.score))",
            model: ModelEvidence(score: Double(passage.score), cues: pageCues(passage, run, normalized)))
    }

    /// How a veto's reason starts.
    public static let vetoReasonPrefix = "the promise model reads its passage as innocent text"

    static func threePlaces(_ value: Float) -> String { String(format: "%.3f", Double(value)) }
}
