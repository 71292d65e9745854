/// The model's pass over one run, after the rules: passages, vetoes, flags.
extension PromiseModel {
    /// A passage of a run: normalized scalars `start..<end`, and its score once read.
    struct Passage {
        var start: Int
        var end: Int
        var hashes: [UInt32] = []
        var score: Float = 0
        /// The run's scalars it covers (from the first to the last character that produced it).
        var runRange: Range<Int> = 0..<0
    }

    /// The passages the model reads in a run: each block (split at block breaks) with at
    /// least ``minimumCharacters`` characters; a block longer than ``maximumBlock``, in
    /// windows of whole sentences up to ``windowCharacters`` (one starting at each
    /// sentence, unless it ends where the window before ends).
    func passages(_ scalars: [Unicode.Scalar], minimum: Int? = nil) -> [Passage] {
        let minimumCharacters = minimum ?? self.minimumCharacters
        var out: [Passage] = []
        var blockStart = 0
        func addBlock(_ a: Int, _ b: Int) {
            var content = 0
            for i in a..<b where PromiseModel.isContent(scalars[i]) { content += 1 }
            guard content >= minimumCharacters else { return }
            if b - a <= maximumBlock { out.append(Passage(start: a, end: b)); return }
            var sentenceStarts = [a]
            for i in a..<b where PromiseModel.endsSentence(scalars[i]) && i + 1 < b { sentenceStarts.append(i + 1) }
            var lastEnd = -1
            for (k, s) in sentenceStarts.enumerated() {
                var e = k + 1 < sentenceStarts.count ? sentenceStarts[k + 1] : b
                var next = k + 1
                while next < sentenceStarts.count {
                    let nextEnd = next + 1 < sentenceStarts.count ? sentenceStarts[next + 1] : b
                    guard nextEnd - s <= windowCharacters else { break }
                    e = nextEnd; next += 1
                }
                guard e != lastEnd else { continue }
                lastEnd = e
                var windowContent = 0
                for i in s..<e where PromiseModel.isContent(scalars[i]) { windowContent += 1 }
                if windowContent >= minimumCharacters { out.append(Passage(start: s, end: e)) }
            }
        }
        for (i, s) in scalars.enumerated() where s == TextRun.blockBreak {
            if i > blockStart { addBlock(blockStart, i) }
            blockStart = i + 1
        }
        if scalars.count > blockStart { addBlock(blockStart, scalars.count) }
        return out
    }

    /// Whether a passage is written in clauses (a comma, a full stop …): a course title, a menu
    /// or a list of names is not flagged, however much it reads like the adverts the model
    /// learned from (on real portal pages, most of what it flagged were such titles).
    static func hasClauseMark(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        scalars.contains { s in
            switch s { case "，", "。", "！", "？", "；", "：", "、", ",", "!", "?", ";", ":": true; default: false }
        }
    }

    @inline(__always) static func endsSentence(_ s: Unicode.Scalar) -> Bool {
        switch s { case "。", "！", "？", "!", "?", "；", ";", "\n", "\u{2028}": true; default: false }
    }

    /// Reads the passages of a run the rules have just scanned: vetoes this run's rule findings
    /// (from `findingsFrom` on) in innocent-looking passages and flags promising passages that
    /// hold no finding and no suppressed match (from `suppressedFrom` on).
    func review(_ run: TextRun, _ normalized: NormalizedText, runIndex: Int, result: inout ScanResult,
                findingsFrom: Int, suppressedFrom: Int) {
        var passages = self.passages(normalized.scalars)
        guard !passages.isEmpty else { return }
        for p in passages.indices {
            let units = PromiseModel.prepared(normalized.scalars[passages[p].start..<passages[p].end])
            passages[p].hashes = PromiseModel.hashes(units)
            passages[p].score = score(hashes: passages[p].hashes)
            passages[p].runRange = Int(normalized.source[passages[p].start])..<(Int(normalized.source[passages[p].end - 1]) + 1)
        }

        // Vetoes: a finding whose every passage reads as innocent.
        var k = result.findings.count - 1
        while k >= findingsFrom {
            let finding = result.findings[k]
            let holding = passages.filter { $0.runRange.contains(finding.scalarRange.lowerBound) }
            if let best = holding.map(\.score).max(), best < vetoThreshold,
               finding.normalizations.isDisjoint(with: .deliberate) {
                result.findings.remove(at: k)
                result.suppressed.append(SuppressedMatch(
                    finding: finding,
                    reason: PromiseModel.vetoReasonPrefix + " (score \(PromiseModel.twoPlaces(best)) < \(PromiseModel.twoPlaces(vetoThreshold)))"))
            }
            k -= 1
        }

        // Flags: the best-scoring passages that overlap nothing the rules matched, and no
        // passage flagged before.
        var taken: [Range<Int>] = result.findings[findingsFrom...].map(\.scalarRange)
            + result.suppressed[suppressedFrom...].map(\.finding.scalarRange)
        let order = passages.indices.filter {
            passages[$0].score >= flagThreshold && PromiseModel.hasClauseMark(normalized.scalars[passages[$0].start..<passages[$0].end])
        }
            .sorted { (passages[$0].score, -passages[$0].start) > (passages[$1].score, -passages[$1].start) }
        for p in order {
            let passage = passages[p]
            guard !taken.contains(where: { $0.overlaps(passage.runRange) }) else { continue }
            taken.append(passage.runRange)
            result.findings.append(finding(for: passage, run, normalized, runIndex: runIndex))
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
                    : PromiseModel.hasClauseMark(slice) ? nil : "not flagged in a scan: no clause mark (a title or a menu)"
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
        let category = self.category(hashes: passage.hashes)
        let rule = rules[Category.allCases.firstIndex(of: category)!]
        let units = PromiseModel.prepared(normalized.scalars[passage.start..<passage.end])
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
