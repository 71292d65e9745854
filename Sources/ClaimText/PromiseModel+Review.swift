/// The model's pass over one run, after the rules: passages, vetoes, flags.
extension PromiseModel {
    /// A passage of a run: normalized scalars `start..<end`, and its score once read.
    struct Passage {
        var start: Int
        var end: Int
        /// Whether it is written in clauses (see ``hasClauseMark(_:)``).
        var clauses: Bool
        var score: Float = 0
        /// The run's scalars it covers (from the first to the last character that produced it).
        var runRange: Range<Int> = 0..<0
    }

    /// The passages the model reads in a run, in order and disjoint: each block (split at block
    /// breaks) with at least ``minimumCharacters`` characters; a block longer than
    /// ``maximumBlock``, in consecutive windows of whole sentences up to ``windowCharacters``
    /// (a longer sentence alone). Windows do not overlap: every character is read once
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
            func addBlock(_ a: Int, _ b: Int) {
                let (content, clauses) = measure(a, b)
                guard content >= minimumCharacters else { return }
                if b - a <= maximumBlock { out.append(Passage(start: a, end: b, clauses: clauses)); return }
                var sentenceStarts = [a]
                for i in a..<b where PromiseModel.endsSentence(text[i]) && i + 1 < b { sentenceStarts.append(i + 1) }
                sentenceStarts.append(b)
                var k = 0
                while k + 1 < sentenceStarts.count {
                    let s = sentenceStarts[k]
                    var next = k + 1
                    while next + 1 < sentenceStarts.count, sentenceStarts[next + 1] - s <= windowCharacters { next += 1 }
                    let e = sentenceStarts[next]
                    let window = measure(s, e)
                    if window.content >= minimumCharacters { out.append(Passage(start: s, end: e, clauses: window.clauses)) }
                    k = next
                }
            }
            var blockStart = 0
            for i in 0..<text.count where text[i] == TextRun.blockBreak {
                if i > blockStart { addBlock(blockStart, i) }
                blockStart = i + 1
            }
            if text.count > blockStart { addBlock(blockStart, text.count) }
        }
        return out
    }

    /// Whether a passage is written in clauses (a comma, a full stop …): a course title, a menu
    /// or a list of names is not flagged, however much it reads like the adverts the model
    /// learned from (on real portal pages, most of what it flagged were such titles).
    static func hasClauseMark(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        scalars.contains(where: isClauseMark)
    }

    @inline(__always) static func isClauseMark(_ s: Unicode.Scalar) -> Bool {
        switch s { case "，", "。", "！", "？", "；", "：", "、", ",", "!", "?", ";", ":": true; default: false }
    }

    @inline(__always) static func endsSentence(_ s: Unicode.Scalar) -> Bool {
        switch s { case "。", "！", "？", "!", "?", "；", ";", "\n", "\u{2028}": true; default: false }
    }

    /// Reads the passages of a run the rules have just scanned: vetoes this run's rule findings
    /// (from `findingsFrom` on) in innocent-looking passages and flags promising passages that
    /// hold no finding and no suppressed match (from `suppressedFrom` on).
    func review(_ run: TextRun, _ normalized: NormalizedText, runIndex: Int, result: inout ScanResult,
                findingsFrom: Int, suppressedFrom: Int, scratch: inout Scratch) {
        var passages = self.passages(normalized.scalars)
        guard !passages.isEmpty else { return }
        for p in passages.indices {
            passages[p].runRange = Int(normalized.source[passages[p].start])..<(Int(normalized.source[passages[p].end - 1]) + 1)
        }
        // Passages are in order and disjoint: the one holding a run index, by binary search.
        func passage(holding index: Int) -> Int? {
            var lo = 0, hi = passages.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if passages[mid].runRange.upperBound <= index { lo = mid + 1 } else { hi = mid }
            }
            return lo < passages.count && passages[lo].runRange.contains(index) ? lo : nil
        }
        // Scores are computed only where they decide something: around a rule finding (a veto)
        // and in a passage that could be flagged.
        var scored = [Bool](repeating: false, count: passages.count)

        // Vetoes: a plain finding whose passage reads as innocent.
        var k = result.findings.count - 1
        while k >= findingsFrom {
            let finding = result.findings[k]
            if finding.normalizations.isDisjoint(with: .deliberate), let p = passage(holding: finding.scalarRange.lowerBound) {
                if !scored[p] {
                    passages[p].score = score(normalized.scalars[passages[p].start..<passages[p].end], scratch: &scratch)
                    scored[p] = true
                }
                if passages[p].score < vetoThreshold {
                    result.findings.remove(at: k)
                    result.suppressed.append(SuppressedMatch(
                        finding: finding,
                        reason: PromiseModel.vetoReasonPrefix
                            + " (score \(PromiseModel.twoPlaces(passages[p].score)) < \(PromiseModel.twoPlaces(vetoThreshold)))"))
                }
            }
            k -= 1
        }

        // Flags: passages written in clauses that overlap nothing the rules matched (kept or
        // suppressed) and score at least the flag threshold.
        var taken = [Bool](repeating: false, count: passages.count)
        for range in result.findings[findingsFrom...].map(\.scalarRange) + result.suppressed[suppressedFrom...].map(\.finding.scalarRange) {
            var p = passage(holding: range.lowerBound) ?? passages.firstIndex { $0.runRange.lowerBound >= range.lowerBound } ?? passages.count
            while p < passages.count, passages[p].runRange.lowerBound < range.upperBound {
                if passages[p].runRange.overlaps(range) { taken[p] = true }
                p += 1
            }
        }
        for p in passages.indices where !taken[p] && passages[p].clauses {
            if !scored[p] {
                passages[p].score = score(normalized.scalars[passages[p].start..<passages[p].end], scratch: &scratch)
                scored[p] = true
            }
            if passages[p].score >= flagThreshold {
                result.findings.append(finding(for: passages[p], run, normalized, runIndex: runIndex))
            }
        }
    }

    /// The model's reading of one passage (for `claimscan model score`).
    public struct Reading: Sendable {
        public var text: String
        public var score: Float
        public var category: Category
        public var cues: [String]
        /// Why a scan would not flag it even with a high score (too short, no clause mark), if so.
        public var notFlagged: String?
    }

    /// What the model reads in some runs, passage by passage — short ones too, with the reason
    /// a scan leaves them alone.
    public func read(_ runs: [TextRun]) -> [Reading] {
        var out: [Reading] = []
        for run in runs where !run.isEmpty {
            let normalized = NormalizedText(run)
            for passage in passages(normalized.scalars, minimum: 1) {
                let slice = normalized.scalars[passage.start..<passage.end]
                let units = PromiseModel.prepared(slice)
                let hashes = PromiseModel.hashes(units)
                let content = slice.filter(PromiseModel.isContent).count
                let note = content < minimumCharacters ? "not read in a scan: fewer than \(minimumCharacters) characters"
                    : passage.clauses ? nil : "not flagged in a scan: no clause mark (a title or a menu)"
                out.append(Reading(text: Matcher.text(ArraySlice(slice)), score: score(hashes: hashes),
                                   category: category(hashes: hashes), cues: cues(units), notFlagged: note))
            }
        }
        return out
    }

    func finding(for passage: Passage, _ run: TextRun, _ normalized: NormalizedText, runIndex: Int) -> Finding {
        // The passage's visible extent: from its first to its last character that is not space.
        var lower = passage.runRange.lowerBound, upper = passage.runRange.upperBound
        while lower < upper - 1, PromiseModel.isSpace(run.scalars[lower]) { lower += 1 }
        while upper > lower + 1, PromiseModel.isSpace(run.scalars[upper - 1]) { upper -= 1 }
        let text = Matcher.text(run.scalars[lower..<upper])
        let units = PromiseModel.prepared(normalized.scalars[passage.start..<passage.end])
        let category = self.category(hashes: PromiseModel.hashes(units))
        let rule = rules[Category.allCases.firstIndex(of: category)!]
        let cues = self.cues(units)
        return Finding(
            rule: rule, severity: rule.severity, location: run.location, runIndex: runIndex,
            scalarRange: lower..<upper,
            byteStart: Int(run.byteStarts[lower]), byteEnd: Int(run.byteEnds[upper - 1]),
            visibleText: text,
            // The case's identity: the passage's opening words (stable when the model is retrained).
            phrase: String(text.prefix(40)),
            context: text, contextMatch: text.startIndex..<text.endIndex,
            normalizations: [], pattern: "promise model, score \(PromiseModel.twoPlaces(passage.score))",
            model: ModelEvidence(score: Double(passage.score), cues: cues))
    }

    /// How a veto's reason starts (`eval` counts vetoes by it).
    public static let vetoReasonPrefix = "the promise model reads its passage as innocent text"

    static func twoPlaces(_ value: Float) -> String {
        let rounded = (Double(value) * 100).rounded() / 100
        return String(rounded)
    }
}
