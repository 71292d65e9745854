/// A text run after character normalization, with a map back to the run.
///
/// `source[i]` is the index in the original `TextRun` of the character that
/// produced `scalars[i]` (one source character can produce several, or none:
/// removed invisible characters leave no scalar but mark the next one).
struct NormalizedText {
    var scalars: [Unicode.Scalar] = []
    var source: [Int32] = []
    /// What normalization did to the character behind each scalar.
    var flags: [NormalizationFlags] = []
    /// What was removed right before each scalar (invisible characters, combining tone marks).
    var removedBefore: [NormalizationFlags] = []

    init(_ run: TextRun, table: CharTable = .shared) {
        scalars.reserveCapacity(run.count)
        source.reserveCapacity(run.count)
        flags.reserveCapacity(run.count)
        removedBefore.reserveCapacity(run.count)
        var pending: NormalizationFlags = []
        for (i, scalar) in run.scalars.enumerated() {
            let before = scalars.count
            let f = table.normalize(scalar, into: &scalars)
            let produced = scalars.count - before
            if produced == 0 {
                pending.formUnion(f)
                continue
            }
            for k in 0..<produced {
                source.append(Int32(i))
                flags.append(f)
                removedBefore.append(k == 0 ? pending : [])
            }
            pending = []
        }
    }
}

/// The matching stream: the normalized text without noise, with barriers.
///
/// Noise (spaces, symbols, most punctuation, emoji, spinner artefacts like
/// `(pei)` after 培) is skipped, so `包 ★ 过` reads as `包过`; a run of more
/// than `maxNoise` noise characters becomes a barrier instead. Sentence ends
/// and block boundaries become sentence barriers, clause punctuation (，、：)
/// clause barriers: no phrase is ever matched across a barrier.
struct Skeleton {
    /// Content scalar values, or one of the barrier values below.
    var units: [UInt32] = []
    /// Index into the normalized text of each unit.
    var normIndex: [Int32] = []
    /// What was skipped right before each unit (noise, spinner artefacts).
    var skipped: [NormalizationFlags] = []
    /// Prefix counts of sentence and clause barriers: `sentencesBefore[i]` is
    /// how many sentence barriers are among `units[0..<i]`.
    var sentencesBefore: [Int32] = []
    var clausesBefore: [Int32] = []
    /// Like `sentencesBefore`, without question and exclamation marks
    /// (`考不过？全额退费！` is one claim across them for `~~` gaps).
    var hardSentencesBefore: [Int32] = []
    /// Whether the run contains any Han character (an all-pinyin match needs Chinese context).
    var hasHan = false

    static let sentenceBarrier: UInt32 = 0xF_0000
    static let clauseBarrier: UInt32 = 0xF_0001
    static let gapBarrier: UInt32 = 0xF_0002
    static let softSentenceBarrier: UInt32 = 0xF_0003
    static let maxNoise = 3

    enum CharClass { case content, sentence, softSentence, clause, noise }

    @inline(__always)
    static func classify(_ s: Unicode.Scalar) -> CharClass {
        let v = s.value
        if v < 0x80 {
            switch v {
            case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x25: return .content   // digits, letters, %
            case 0x21, 0x3F: return .softSentence                                // ! ?
            case 0x0A, 0x0D, 0x3B: return .sentence                              // \n \r ;
            case 0x2C, 0x3A, 0x2E: return .clause                                // , : .
            default: return .noise
            }
        }
        switch v {
        case 0x3002, 0x2029, 0x2028, 0xFF61: return .sentence                    // 。 paragraph/line separators
        case 0x3001: return .clause                                               // 、
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0x3007, 0x20000...0x3FFFF: return .content
        // Common blocks answered without a property lookup (the hot path on real pages).
        case 0x2000...0x206F, 0x3000...0x303F, 0x2190...0x2BFF, 0xFE30...0xFE4F: return .noise   // punctuation, symbols
        case 0x0370...0x052F, 0x3040...0x30FF, 0xAC00...0xD7AF: return .content  // Greek, Cyrillic, kana, Hangul
        default: break
        }
        let p = s.properties
        if p.isAlphabetic || p.numericType != nil { return .content }
        return .noise
    }

    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || v == 0x3007 || (0x20000...0x3FFFF).contains(v)
    }

    @inline(__always)
    static func isLatinLetter(_ v: UInt32) -> Bool { (0x61...0x7A).contains(v) }

    init(_ text: NormalizedText) {
        let n = text.scalars.count
        units.reserveCapacity(n)
        normIndex.reserveCapacity(n)
        skipped.reserveCapacity(n)
        var noise = 0
        var gap: NormalizationFlags = []
        var i = 0
        func push(_ unit: UInt32, _ index: Int, _ flags: NormalizationFlags) {
            units.append(unit)
            normIndex.append(Int32(index))
            skipped.append(flags)
        }
        while i < n {
            let s = text.scalars[i]
            let v = s.value
            switch Skeleton.classify(s) {
            case .content:
                // Tone digits in pinyin (bao4guo4): a 1–5 right after a pinyin-looking syllable end.
                if (0x31...0x35).contains(v), i > 0, Skeleton.isLatinLetter(text.scalars[i - 1].value),
                   i + 1 >= n || !(0x30...0x39).contains(text.scalars[i + 1].value),
                   "aeiouvngr".unicodeScalars.contains(text.scalars[i - 1]) {
                    gap.insert(.tone)
                    i += 1
                    continue
                }
                if noise > Skeleton.maxNoise { push(Skeleton.gapBarrier, i, []) ; gap = [] }
                if Skeleton.isHan(v) { hasHan = true }
                push(v, i, noise > 0 ? gap.union(.noiseGap) : gap)
                noise = 0
                gap = []
                i += 1
            case .sentence:
                if units.last == Skeleton.softSentenceBarrier { units[units.count - 1] = Skeleton.sentenceBarrier }
                else if units.last != Skeleton.sentenceBarrier { push(Skeleton.sentenceBarrier, i, []) }
                noise = 0; gap = []
                i += 1
            case .softSentence:
                if units.last != Skeleton.sentenceBarrier && units.last != Skeleton.softSentenceBarrier { push(Skeleton.softSentenceBarrier, i, []) }
                noise = 0; gap = []
                i += 1
            case .clause:
                // A dot or comma between digits is part of a number (1.5, 1,000);
                // a dot between a letter and a digit is an abbreviation (No.1).
                if (v == 0x2E || v == 0x2C), i > 0, i + 1 < n,
                   (0x30...0x39).contains(text.scalars[i - 1].value), (0x30...0x39).contains(text.scalars[i + 1].value) {
                    // The decimal point stays (its value matters: 71.5%); a thousands comma goes.
                    if v == 0x2E { push(v, i, gap); gap = [] }
                    i += 1
                    continue
                }
                // … and a dot between single letters is spelling (b.a.o 过), not a clause end.
                if v == 0x2E, i > 0, i + 1 < n, Skeleton.isLatinLetter(text.scalars[i - 1].value),
                   (0x30...0x39).contains(text.scalars[i + 1].value)
                    || (Skeleton.isLatinLetter(text.scalars[i + 1].value)
                        && (Skeleton.letterRun(text.scalars, endingAt: i - 1) == 1 || Skeleton.letterRun(text.scalars, startingAt: i + 1) == 1)) {
                    noise += 1
                    i += 1
                    continue
                }
                if let last = units.last, last != Skeleton.sentenceBarrier, last != Skeleton.clauseBarrier { push(Skeleton.clauseBarrier, i, []) }
                noise = 0; gap = []
                i += 1
            case .noise:
                // Spinner artefact: `(pei)` right after a Han character.
                if v == 0x28, let last = units.last, Skeleton.isHan(last), let end = Skeleton.spinnerEnd(text.scalars, from: i) {
                    gap.insert(.spinner)
                    i = end
                    continue
                }
                noise += 1
                i += 1
            }
        }
        sentencesBefore = [Int32](repeating: 0, count: units.count + 1)
        clausesBefore = [Int32](repeating: 0, count: units.count + 1)
        hardSentencesBefore = [Int32](repeating: 0, count: units.count + 1)
        for (k, u) in units.enumerated() {
            let hard: Int32 = u == Skeleton.sentenceBarrier ? 1 : 0
            let soft: Int32 = u == Skeleton.softSentenceBarrier ? 1 : 0
            sentencesBefore[k + 1] = sentencesBefore[k] + hard + soft
            hardSentencesBefore[k + 1] = hardSentencesBefore[k] + hard
            clausesBefore[k + 1] = clausesBefore[k] + (u == Skeleton.clauseBarrier || hard + soft > 0 ? 1 : 0)
        }
    }

    /// Length of the run of Latin letters ending at / starting at an index.
    static func letterRun(_ scalars: [Unicode.Scalar], endingAt last: Int) -> Int {
        var k = last
        while k >= 0, isLatinLetter(scalars[k].value) { k -= 1 }
        return last - k
    }

    static func letterRun(_ scalars: [Unicode.Scalar], startingAt first: Int) -> Int {
        var k = first
        while k < scalars.count, isLatinLetter(scalars[k].value) { k += 1 }
        return k - first
    }

    /// If `scalars[open]` starts `(` + 1–7 Latin letters (+ a tone digit) + `)`, the index after `)`.
    static func spinnerEnd(_ scalars: [Unicode.Scalar], from open: Int) -> Int? {
        var j = open + 1
        var letters = 0
        while j < scalars.count, isLatinLetter(scalars[j].value) { letters += 1; j += 1 }
        guard (1...7).contains(letters) else { return nil }
        if j < scalars.count, (0x31...0x35).contains(scalars[j].value) { j += 1 }
        guard j < scalars.count, scalars[j] == ")" else { return nil }
        return j + 1
    }

    /// Whether `units[a..<b]` contains no sentence barrier.
    @inline(__always)
    func sameSentence(_ a: Int, _ b: Int) -> Bool { sentencesBefore[b] == sentencesBefore[a] }

    /// Whether `units[a..<b]` contains no sentence end other than `?` and `!`.
    @inline(__always)
    func sameStatement(_ a: Int, _ b: Int) -> Bool { hardSentencesBefore[b] == hardSentencesBefore[a] }

    /// Whether `units[a..<b]` contains no clause or sentence barrier.
    @inline(__always)
    func sameClause(_ a: Int, _ b: Int) -> Bool { clausesBefore[b] == clausesBefore[a] }
}
