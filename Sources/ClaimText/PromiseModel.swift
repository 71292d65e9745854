import Foundation

/// A statistical second reader beside the rules: a logistic regression over hashed character
/// n-grams (one to three characters of the normalized text) of a passage, trained on the
/// labelled corpora (`claimscan model train`; the features scaled by their naive-Bayes ratios
/// while fitting, the scales folded into the weights — a scan only adds weights).
///
/// Why: the rules catch the stock phrases and their disguises on unseen text (recall ~0.96–0.99
/// by style), but a promise made in words no rule has seen (考核这一关我们给您兜底) is found
/// only about half the time, and lexicon rounds written for one corpus barely move the next.
/// A model of the whole passage transfers much better (session 11, measured on corpora blind
/// to both the rules and the model; see the README). It does two things, both reported:
/// - **flag**: a passage of at least ``minimumCharacters`` characters, written in clauses (a
///   comma or a full stop: not a title or a menu), with no rule match (kept or suppressed),
///   that scores at least ``flagThreshold`` becomes a finding of rule `model.promise` in the
///   category the second table picks (severity low: to be checked by a person), with the
///   passage's score and strongest words as evidence;
/// - **veto**: a rule finding whose passage scores below ``vetoThreshold`` is moved to the
///   suppressed matches with the score as its reason — unless the phrase was deliberately
///   disguised (pinyin, noise, markup …), which is evidence of intent by itself.
///
/// The model is a file of the lexicon folder (`promise.model`); without it claimscan runs on
/// the rules alone, as with `--no-model`.
public struct PromiseModel: Sendable {
    /// log2 of the size of the promise table (hashed n-gram → weight).
    public var bits: Int
    /// Weights of the promise table, `1 << bits` of them, and the bias.
    public var weights: [Float]
    public var bias: Float
    /// log2 of the size of each category's table.
    public var categoryBits: Int
    /// Category tables, `Category.allCases.count << categoryBits` weights (category-major), and biases.
    public var categoryWeights: [Float]
    public var categoryBias: [Float]
    /// A passage without rule findings scoring at least this is flagged.
    public var flagThreshold: Float
    /// A rule finding whose passage scores below this is vetoed.
    public var vetoThreshold: Float
    /// The sentence rules' thresholds (``PromiseModel/sentenceFlagThreshold`` and its two
    /// siblings, the defaults measured in sessions 12–13): stored in the model file since
    /// session 14, as they were chosen for a model's scores, not for every model.
    public var sentenceFlagThreshold: Float
    public var sentenceCandidateThreshold: Float
    public var sentenceVetoThreshold: Float
    /// A passage whose only rule matches the rules themselves suppressed (a negation, a
    /// question, reported speech — not the model's veto) is flagged when it scores at least
    /// this; nil (a file before session 15): never. Why: a cue can misread a promise
    /// (`从来没有一个需要考第二次` negated by 从来没; `学员反映“像提前看过卷子”` taken for reported
    /// speech), and such a passage was closed to the model. High, since most suppressed matches
    /// are in notices and warnings that quote the words (README, session 15).
    public var overrideFlagThreshold: Float?
    /// Passages with fewer Han characters, letters and digits are not read (navigation
    /// fragments, buttons: nothing the model was trained on).
    public var minimumCharacters: Int
    /// A block longer than ``maximumBlock`` is read in windows of consecutive sentences of at
    /// most this many characters (the corpora's texts are mostly shorter than 200).
    public var windowCharacters: Int
    public var maximumBlock: Int
    /// What it was trained on (the header's `trained-on`: the texts and corpora).
    public var trainedOn: String

    /// The rule a model finding is reported under: `model.promise`, one value per category
    /// (the id is the same for all, so that a case keeps its identity when the category the
    /// model picks changes).
    public let rules: [Rule]

    public init(bits: Int, weights: [Float], bias: Float, categoryBits: Int, categoryWeights: [Float], categoryBias: [Float],
                flagThreshold: Float = PromiseModel.defaultFlagThreshold, vetoThreshold: Float = PromiseModel.defaultVetoThreshold,
                minimumCharacters: Int = PromiseModel.defaultMinimumCharacters,
                windowCharacters: Int = 150, maximumBlock: Int = 200, trainedOn: String = "",
                sentenceFlagThreshold: Float = PromiseModel.sentenceFlagThreshold,
                sentenceCandidateThreshold: Float = PromiseModel.sentenceCandidateThreshold,
                sentenceVetoThreshold: Float = PromiseModel.sentenceVetoThreshold,
                overrideFlagThreshold: Float? = nil) {
        precondition(weights.count == 1 << bits && categoryWeights.count == Category.allCases.count << categoryBits
                     && categoryBias.count == Category.allCases.count)
        self.bits = bits; self.weights = weights; self.bias = bias
        self.categoryBits = categoryBits; self.categoryWeights = categoryWeights; self.categoryBias = categoryBias
        self.flagThreshold = flagThreshold; self.vetoThreshold = vetoThreshold
        self.sentenceFlagThreshold = sentenceFlagThreshold
        self.sentenceCandidateThreshold = sentenceCandidateThreshold
        self.sentenceVetoThreshold = sentenceVetoThreshold
        self.overrideFlagThreshold = overrideFlagThreshold
        self.minimumCharacters = minimumCharacters; self.windowCharacters = windowCharacters; self.maximumBlock = maximumBlock
        self.trainedOn = trainedOn
        self.rules = Category.allCases.map { category in
            Rule(id: "model.promise", category: category, severity: .low,
                 basis: "广告法第二十四条；统计模型提示，须人工核实",
                 description: "词库规则未命中，统计模型认为此段很可能含有“\(category.chineseName)”类承诺，请人工核实",
                 patterns: [], exclusions: [], exclusionLines: [], mustMatch: [], mustNotMatch: [],
                 location: SourceLocation(file: "promise.model", line: 0), negatable: false)
        }
    }

    /// The defaults of ``flagThreshold``, ``vetoThreshold`` and ``minimumCharacters``, for this
    /// initializer and ``TrainingOptions`` alike (measured: README, sessions 11–13).
    public static let defaultFlagThreshold: Float = 0.65
    public static let defaultVetoThreshold: Float = 0.20
    public static let defaultMinimumCharacters = 18

    /// The file name the lexicon loader looks for in a lexicon folder.
    public static let fileName = "promise.model"

    // MARK: Features

    /// The text a passage is read as: start and end marks around the normalized characters,
    /// every run of white space (line breaks and block breaks included) as one space.
    static func prepared(_ scalars: ArraySlice<Unicode.Scalar>) -> [UInt32] {
        prepare(scalars).units
    }

    /// ``prepared(_:)``, and for every unit the index in `scalars` it came from (-1 for the two
    /// marks; a space: the first of its run), for cues. (A scan does not come here: it reads
    /// passages in one pass, ``score(_:scratch:)``, with the same rules.)
    static func prepare(_ scalars: ArraySlice<Unicode.Scalar>) -> (units: [UInt32], origins: [Int]) {
        var units: [UInt32] = [2], origins = [-1]
        units.reserveCapacity(scalars.count + 2)
        origins.reserveCapacity(scalars.count + 2)
        var pendingSpace = -1   // a run of spaces is written only when something follows it
        for i in scalars.indices {
            let s = scalars[i]
            if PromiseModel.isSpace(s) {
                if units.count > 1, pendingSpace < 0 { pendingSpace = i }   // none right after the start mark
                continue
            }
            if pendingSpace >= 0 {
                units.append(0x20)
                origins.append(pendingSpace)
                pendingSpace = -1
            }
            units.append(s.value >= 0x30 && s.value <= 0x39 ? 0x30 : s.value)   // every digit reads as 0: a year or a price is not a promise
            origins.append(i)
        }
        units.append(3)
        origins.append(-1)
        return (units, origins)
    }

    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Whether a character counts towards ``minimumCharacters``: Han, a Latin letter or a digit.
    @inline(__always) static func isContent(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true
        default: false
        }
    }

    /// The hash of the n-gram `units[start..<start+n]` (FNV-1a over the scalar values, seeded by n).
    @inline(__always) static func hash(_ units: UnsafeBufferPointer<UInt32>, _ start: Int, _ n: Int) -> UInt32 {
        var h = offsetBasis ^ UInt64(n)
        for k in start..<(start + n) { h = (h ^ UInt64(units[k])) &* prime }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The distinct hashes of a prepared passage's n-grams (1–3 characters; a lone space is
    /// not one), sorted.
    static func hashes(_ units: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(units.count * 3)
        units.withUnsafeBufferPointer { u in
            for i in 0..<u.count {
                if u[i] != 0x20 { out.append(hash(u, i, 1)) }
                if i + 2 <= u.count { out.append(hash(u, i, 2)) }
                if i + 3 <= u.count { out.append(hash(u, i, 3)) }
            }
        }
        out.sort()
        return out.uniqued()
    }

    /// The distinct table indices of some hashes for a table of `1 << bits` entries.
    static func indices(_ hashes: [UInt32], bits: Int) -> [Int] {
        let mask = UInt32((1 << bits) - 1)
        var out = hashes.map { Int($0 & mask) }
        out.sort()
        return out.uniqued()
    }

    // MARK: Scoring

    /// The probability that a text, read whole as one passage (no blocks, no windows, no
    /// minimum length), makes a promise (for tests; a scan reads passages).
    public func score(_ text: String) -> Float {
        score(hashes: PromiseModel.hashes(PromiseModel.prepared(ArraySlice(NormalizedText(TextRun(utf8Text: text)).scalars))))
    }

    func score(hashes: [UInt32]) -> Float {
        guard !hashes.isEmpty else { return 0 }
        return PromiseModel.sigmoid(PromiseModel.logit(hashes, weights: weights, bias: bias, bits: bits))
    }

    /// The log-odds a table gives some features: the bias plus the weights of their distinct
    /// table indices, scaled by 1/√(count) (as training's rows). Also training's first fit's.
    static func logit(_ hashes: [UInt32], weights: [Float], bias: Float, bits: Int) -> Float {
        let indices = PromiseModel.indices(hashes, bits: bits)
        guard !indices.isEmpty else { return bias }
        var sum: Double = 0
        weights.withUnsafeBufferPointer { w in for i in indices { sum += Double(w[i]) } }
        return bias + Float(sum) / Float(indices.count).squareRoot()
    }

    /// Han characters, letters and digits in some scalars (``isContent(_:)``).
    static func contentCount(_ scalars: ArraySlice<Unicode.Scalar>) -> Int {
        scalars.reduce(0) { $0 + (isContent($1) ? 1 : 0) }
    }

    /// Reusable state for ``score(_:scratch:)``: for every table index, the passage (a
    /// generation number, one byte) that last counted it — distinct features without sorting,
    /// and a clearing only every 255 passages. One byte, not more: the array is allocated per
    /// page, and two-byte stamps made the matching stage 8% slower (not isolated why).
    struct Scratch {
        var stamps: [UInt8] = []
        var generation: UInt8 = 0
    }

    /// The score of a passage of normalized scalars: the same features as
    /// `score(hashes: hashes(prepared(scalars)))` (which training uses) — every distinct n-gram
    /// of one to three units of the prepared text, a lone space not counted — computed in one
    /// pass as the prepared units are produced, without allocating: a page has thousands of passages.
    func score(_ scalars: ArraySlice<Unicode.Scalar>, scratch: inout Scratch) -> Float {
        if scratch.stamps.count != weights.count { scratch.stamps = .init(repeating: 0, count: weights.count); scratch.generation = 0 }
        if scratch.generation == .max {
            scratch.stamps.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            scratch.generation = 0
        }
        scratch.generation += 1
        let generation = scratch.generation, mask = UInt32((1 << bits) - 1)
        let (sum, distinct) = scratch.stamps.withUnsafeMutableBufferPointer { stamps in
            weights.withUnsafeBufferPointer { w in
                scalars.withUnsafeBufferPointer { text in
                    NGramReader.read(text, stamps: stamps, weights: w, generation: generation, mask: mask)
                }
            }
        }
        guard distinct > 0 else { return 0 }
        return PromiseModel.sigmoid(bias + Float(sum) / Float(distinct).squareRoot())
    }

    /// The one-pass n-gram reader behind ``score(_:scratch:)`` (a struct with a method rather
    /// than nested functions: captured variables cost a dynamic exclusivity check per access).
    struct NGramReader {
        let generation: UInt8
        let mask: UInt32

        /// The sum of the distinct features' weights, and their number.
        static func read(_ text: UnsafeBufferPointer<Unicode.Scalar>, stamps: UnsafeMutableBufferPointer<UInt8>,
                         weights w: UnsafeBufferPointer<Float>, generation: UInt8, mask: UInt32) -> (Double, Int) {
            var reader = NGramReader(generation: generation, mask: mask)
            reader.emit(2, stamps, w)
            var pendingSpace = false
            for s in text {
                if PromiseModel.isSpace(s) {
                    if reader.count > 1 { pendingSpace = true }   // no space right after the start mark
                    continue
                }
                if pendingSpace { reader.emit(0x20, stamps, w); pendingSpace = false }
                reader.emit(s.value >= 0x30 && s.value <= 0x39 ? 0x30 : s.value, stamps, w)
            }
            reader.emit(3, stamps, w)
            return (reader.sum, reader.distinct)
        }

        var sum: Double = 0
        var distinct = 0
        /// Units emitted so far, and the FNV states of the n-grams that started at the last two.
        var count = 0
        var bigramFrom1: UInt64 = 0      // the bigram starting at the last unit, after it
        var trigramFrom1: UInt64 = 0     // the trigram starting at the last unit, after it
        var trigramFrom2: UInt64 = 0     // the trigram starting at the unit before, after both

        @inline(__always) mutating func add(_ h: UInt64, _ stamps: UnsafeMutableBufferPointer<UInt8>, _ w: UnsafeBufferPointer<Float>) {
            let index = Int(UInt32(truncatingIfNeeded: h ^ (h >> 32)) & mask)
            if stamps[index] != generation {
                stamps[index] = generation
                sum += Double(w[index])
                distinct += 1
            }
        }

        @inline(__always) mutating func emit(_ x: UInt32, _ stamps: UnsafeMutableBufferPointer<UInt8>, _ w: UnsafeBufferPointer<Float>) {
            let v = UInt64(x)
            if x != 0x20 { add((PromiseModel.seed1 ^ v) &* PromiseModel.prime, stamps, w) }
            if count >= 1 { add((bigramFrom1 ^ v) &* PromiseModel.prime, stamps, w) }
            if count >= 2 { add((trigramFrom2 ^ v) &* PromiseModel.prime, stamps, w) }
            trigramFrom2 = (trigramFrom1 ^ v) &* PromiseModel.prime
            bigramFrom1 = (PromiseModel.seed2 ^ v) &* PromiseModel.prime
            trigramFrom1 = (PromiseModel.seed3 ^ v) &* PromiseModel.prime
            count += 1
        }
    }

    /// FNV-1a's 64-bit constants; an n-gram's hash starts from the basis xor n (``hash(_:_:_:)``).
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3
    static let seed1 = offsetBasis ^ 1, seed2 = offsetBasis ^ 2, seed3 = offsetBasis ^ 3

    /// The most likely category of a passage already judged a promise.
    func category(hashes: [UInt32]) -> Category {
        let indices = PromiseModel.indices(hashes, bits: categoryBits)
        let scale = 1 / Float(max(1, indices.count)).squareRoot()
        var best = 0, bestScore = -Float.infinity
        categoryWeights.withUnsafeBufferPointer { w in
            for c in 0..<Category.allCases.count {
                var sum: Float = 0
                let base = c << categoryBits
                for i in indices { sum += w[base + i] }
                let score = categoryBias[c] + sum * scale
                if score > bestScore { bestScore = score; best = c }
            }
        }
        return Category.allCases[best]
    }

    /// The passage's strongest evidence, as ranges of its normalized scalars: up to `limit`
    /// stretches of four content characters (fewer at the text's edges) whose n-grams weigh
    /// most together, strongest first, not overlapping. A single n-gram is poor evidence (我们
    /// weighs for promises everywhere); a stretch shows the words that carried the score.
    func cueRanges(_ scalars: ArraySlice<Unicode.Scalar>, limit: Int = 3, width: Int = 4) -> [Range<Int>] {
        // The prepared units, and for each the normalized index it came from (-1: a mark).
        let (units, origin) = PromiseModel.prepare(scalars)
        let mask = UInt32((1 << bits) - 1)
        func content(_ k: Int) -> Bool { Unicode.Scalar(units[k]).map(PromiseModel.isContent) ?? false }
        // gramWeight[n][i]: the weight of the n-gram starting at i (0 if it holds a non-content unit).
        var gramWeight = [[Float]](repeating: [Float](repeating: 0, count: units.count), count: 4)
        units.withUnsafeBufferPointer { u in
            for n in 1...3 where u.count >= n {
                for i in 0...(u.count - n) where (i..<(i + n)).allSatisfy(content) {
                    gramWeight[n][i] = weights[Int(PromiseModel.hash(u, i, n) & mask)]
                }
            }
        }
        var stretches: [(weight: Float, start: Int, end: Int)] = []
        for start in units.indices {
            var end = start, total: Float = 0
            while end < units.count, end - start < width, content(end) {
                end += 1
                for n in 1...3 where end - n >= start { total += gramWeight[n][end - n] }
            }
            if end - start >= 2, total > 0 { stretches.append((total, start, end)) }
        }
        stretches.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.start < $1.start }
        var chosen: [(start: Int, end: Int)] = []
        for s in stretches where chosen.count < limit {
            if chosen.contains(where: { $0.start < s.end && s.start < $0.end }) { continue }
            chosen.append((s.start, s.end))
        }
        return chosen.map { origin[$0.start]..<(origin[$0.end - 1] + 1) }
    }

    @inline(__always) static func sigmoid(_ z: Float) -> Float { 1 / (1 + exp(-z)) }
}

/// What the promise model said about a finding it made.
public struct ModelEvidence: Sendable, Hashable {
    /// The passage's score (probability of a promise, 0–1).
    public var score: Double
    /// The passage's strongest n-grams.
    public var cues: [String]
}

extension Array where Element: Equatable {
    /// The elements without adjacent repeats (on a sorted array: the distinct ones).
    func uniqued() -> [Element] {
        guard var last = first else { return [] }
        var out = [last]
        for e in dropFirst() where e != last { out.append(e); last = e }
        return out
    }
}
