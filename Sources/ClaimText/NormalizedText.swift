import CClaimTables

/// A text run after character normalization, with a map back to the run.
///
/// `source[i]` is the index in the original `TextRun` of the character that
/// produced `scalars[i]` (one source character can produce several, or none:
/// removed invisible characters leave no scalar). What normalization did is not
/// stored per scalar: it is looked up again (``flags(_:)``, ``removedBefore(_:)``)
/// for the few scalars that end up in a finding.
struct NormalizedText {
    var scalars: [Unicode.Scalar] = []
    var source: [Int32] = []
    /// The run's scalars (shared storage, not a copy).
    let original: [Unicode.Scalar]
    let table: CharTable

    init(_ run: TextRun, table: CharTable = .shared) {
        self.original = run.scalars
        self.table = table
        // Usually one scalar out per scalar in: filled in place; if expansions (ligatures,
        // ㈱) overflow the room, the growing path below starts over.
        let capacity = run.count + 64
        var source: [Int32] = []
        var fitted = true
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: capacity) { scalarBuffer, scalarCount in
            source = [Int32](unsafeUninitializedCapacity: capacity) { sourceBuffer, sourceCount in
                let written = run.scalars.withUnsafeBufferPointer { table.normalize($0, into: scalarBuffer, source: sourceBuffer) }
                fitted = written != nil
                sourceCount = written ?? 0
            }
            scalarCount = source.count
        }
        if fitted {
            self.scalars = scalars
            self.source = source
            return
        }
        var grown: [Unicode.Scalar] = []
        var grownSource: [Int32] = []
        for (i, scalar) in run.scalars.enumerated() {
            let before = grown.count
            table.normalizeFast(scalar, into: &grown)
            for _ in before..<grown.count { grownSource.append(Int32(i)) }
        }
        self.scalars = grown
        self.source = grownSource
    }

    /// What normalization did to the character behind `scalars[n]`.
    func flags(_ n: Int) -> NormalizationFlags {
        table.flags(of: original[Int(source[n])])
    }

    /// What was removed right before `scalars[n]` (invisible characters, combining
    /// tone marks): the characters between the previous producing one and this one.
    func removedBefore(_ n: Int) -> NormalizationFlags {
        let src = Int(source[n])
        if n > 0, Int(source[n - 1]) == src { return [] }
        var removed: NormalizationFlags = []
        let from = n > 0 ? Int(source[n - 1]) + 1 : 0
        for k in from..<src { removed.formUnion(table.flags(of: original[k])) }
        return removed
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
    /// Positions (ascending) of sentence barriers (hard and soft), of hard sentence
    /// barriers only (`考不过？全额退费！` is one claim across `?`/`!` for `~~` gaps),
    /// and of clause-or-sentence barriers. Kept as positions, not per-unit prefix
    /// counts: barriers are few, and only the few hits ask (by binary search).
    var sentenceBarriers: [Int32] = []
    var hardSentenceBarriers: [Int32] = []
    var clauseBarriers: [Int32] = []
    /// Positions (ascending) of content units that start a new block of stripped page
    /// text: whitespace stands between them and the content unit before (only noise in
    /// between) and one of the two is a Han character (`首页 课程中心 考试必过`). Not a
    /// barrier for phrases or pattern gaps (`报名不过 全额退费` is one claim), only for the
    /// reach of negation, report and question cues: a navigation bar, a course list or a
    /// footer is not the sentence of the course title beside it.
    var blockStarts: [Int32] = []
    /// Whether the run contains any Han character (an all-pinyin match needs Chinese context).
    var hasHan = false
    /// The position of the first Latin letter, nil if none (most runs of a Chinese page have
    /// none, and pinyin spellings are looked for only around letters).
    var firstLatinLetter: Int?

    static let sentenceBarrier: UInt32 = 0xF_0000
    static let clauseBarrier: UInt32 = 0xF_0001
    static let gapBarrier: UInt32 = 0xF_0002
    static let softSentenceBarrier: UInt32 = 0xF_0003
    static let maxNoise = 3

    enum CharClass: UInt8 { case content, sentence, softSentence, clause, noise }

    /// The class of every BMP character (a table read per character instead of range
    /// tests and, for rarer characters, Unicode property lookups): from the committed
    /// table (`CClaimTables`, checked against ``computedClassTable()`` by a test), or
    /// computed (~3 ms) if that is missing.
    static let classTable: [CharClass] = committedClassTable() ?? computedClassTable()

    static func computedClassTable() -> [CharClass] {
        (0..<0x10000).map { code in Unicode.Scalar(UInt32(code)).map(classifyComputed) ?? .noise }
    }

    static func committedClassTable() -> [CharClass]? {
        var count: Int32 = 0
        guard let runs = claim_char_classes(&count), count > 0, runs[0] == 0 else { return nil }
        var table = [CharClass](repeating: .noise, count: 0x10000)
        for k in 0..<Int(count) {
            let first = Int(runs[2 * k]), end = k + 1 < Int(count) ? Int(runs[2 * (k + 1)]) : 0x10000
            guard first < end, end <= 0x10000, let c = CharClass(rawValue: UInt8(truncatingIfNeeded: runs[2 * k + 1])) else { return nil }
            for code in first..<end { table[code] = c }
        }
        return table
    }

    @inline(__always)
    static func classify(_ s: Unicode.Scalar) -> CharClass {
        s.value < 0x10000 ? classTable[Int(s.value)] : classifyComputed(s)
    }

    /// The class of a character from its value and Unicode properties.
    static func classifyComputed(_ s: Unicode.Scalar) -> CharClass {
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

    /// `blocks: false` leaves ``blockStarts`` empty: the matcher finds them only for a run
    /// with a candidate match (``findBlockStarts(_:)``), not for every run of every page.
    init(_ text: NormalizedText, blocks: Bool = true) {
        // At most one unit per normalized scalar (a gap barrier follows four skipped ones):
        // the arrays are filled in place, without per-append checks.
        let n = text.scalars.count
        var normIndex: [Int32] = [], skipped: [NormalizationFlags] = [], hasHan = false
        var firstLatinLetter: Int?
        let units = [UInt32](unsafeUninitializedCapacity: n) { unitBuffer, unitCount in
            normIndex = [Int32](unsafeUninitializedCapacity: n) { indexBuffer, indexCount in
                skipped = [NormalizationFlags](unsafeUninitializedCapacity: n) { skippedBuffer, skippedCount in
                    var b = Builder(units: unitBuffer, normIndex: indexBuffer, skipped: skippedBuffer)
                    text.scalars.withUnsafeBufferPointer { Skeleton.build($0, text.scalars, into: &b) }
                    hasHan = b.hasHan
                    firstLatinLetter = b.firstLatinLetter >= 0 ? b.firstLatinLetter : nil
                    skippedCount = b.count
                }
                indexCount = skipped.count
            }
            unitCount = normIndex.count
        }
        units.withUnsafeBufferPointer { units in
            for k in units.indices where units[k] >= Skeleton.sentenceBarrier {
                let u = units[k], position = Int32(k)
                if u == Skeleton.gapBarrier { continue }
                if u == Skeleton.sentenceBarrier { hardSentenceBarriers.append(position) }
                if u != Skeleton.clauseBarrier { sentenceBarriers.append(position) }
                clauseBarriers.append(position)
            }
        }
        self.units = units
        self.normIndex = normIndex
        self.skipped = skipped
        self.hasHan = hasHan
        self.firstLatinLetter = firstLatinLetter
        if blocks { self.blockStarts = Skeleton.blockStarts(units, normIndex, skipped, text.scalars) }
    }

    /// Fills ``blockStarts`` (for a skeleton made with `blocks: false`).
    mutating func findBlockStarts(_ text: NormalizedText) {
        blockStarts = Skeleton.blockStarts(units, normIndex, skipped, text.scalars)
    }

    /// See ``blockStarts``.
    static func blockStarts(_ units: [UInt32], _ normIndex: [Int32], _ skipped: [NormalizationFlags], _ scalars: [Unicode.Scalar]) -> [Int32] {
        var starts: [Int32] = []
        var previous = -1   // the last content unit
        for k in units.indices {
            let u = units[k]
            if u == Skeleton.gapBarrier { continue }
            if u >= Skeleton.sentenceBarrier { previous = -1; continue }
            defer { previous = k }
            guard previous >= 0, skipped[k].contains(.noiseGap) || skipped[k].contains(.spinner),
                  isHan(units[previous]) || isHan(u) else { continue }
            var j = Int(normIndex[previous]) + 1
            let to = Int(normIndex[k])
            // A number set off by single spaces from the Chinese text around it is typography
            // (`共 146 人`, `通过率 98%`, `单元测试 1,204 项`), not a block boundary; a number
            // that ends a line of a footer or a menu (`电话：0898-1234567 上一篇`) still is one.
            if to - j == 1, scalars[j] == " " {
                if isHan(units[previous]), isDigit(u) { continue }
                if isDigit(units[previous]), isHan(u) {
                    var r = previous
                    while r > 0, isDigit(units[r - 1]) || units[r - 1] == 0x2E { r -= 1 }
                    if r > 0, isHan(units[r - 1]), Int(normIndex[r]) - Int(normIndex[r - 1]) == 2,
                       scalars[Int(normIndex[r]) - 1] == " " { continue }
                }
            }
            while j < to, !isSpace(scalars[j].value) { j += 1 }
            if j < to { starts.append(Int32(k)) }
        }
        return starts
    }

    @inline(__always)
    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    /// A line end: LF, CR, the line separator or the paragraph separator (a page block's end).
    @inline(__always)
    static func isLineEnd(_ v: UInt32) -> Bool { v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 }

    /// Whether the sentence barrier at unit `b` ends a line: a line end stands between it
    /// and the next unit (a question mark's line end is folded into its barrier).
    func endsLine(at b: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        let to = b + 1 < units.count ? Int(normIndex[b + 1]) : scalars.count
        var k = Int(normIndex[b])
        while k < to { if Skeleton.isLineEnd(scalars[k].value) { return true }; k += 1 }
        return false
    }

    /// How many lines end within `range` of `scalars` (CR LF counts once).
    static func lineEnds(in range: Range<Int>, _ scalars: [Unicode.Scalar]) -> Int {
        var count = 0
        for k in range where isLineEnd(scalars[k].value) {
            if scalars[k] == "\r", k + 1 < scalars.count, scalars[k + 1] == "\n" { continue }
            count += 1
        }
        return count
    }

    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool { v == 0x20 || v == 0x09 || v == 0x3000 || v == 0xA0 }

    /// The skeleton's arrays while they are built (a struct, so that appending needs
    /// no dynamic exclusivity checks, as captured variables would).
    struct Builder {
        let units: UnsafeMutableBufferPointer<UInt32>
        let normIndex: UnsafeMutableBufferPointer<Int32>
        let skipped: UnsafeMutableBufferPointer<NormalizationFlags>
        var count = 0
        var hasHan = false
        var firstLatinLetter = -1

        @inline(__always) var last: UInt32? { count > 0 ? units[count - 1] : nil }

        @inline(__always) mutating func push(_ unit: UInt32, _ index: Int, _ flags: NormalizationFlags) {
            precondition(count < units.count, "skeleton longer than its text")   // cannot happen; see init
            units.initializeElement(at: count, to: unit)
            normIndex.initializeElement(at: count, to: Int32(index))
            skipped.initializeElement(at: count, to: flags)
            count += 1
        }
    }

    /// One pass over the normalized scalars (`array` is the same text, for the helpers
    /// that take an array).
    static func build(_ scalars: UnsafeBufferPointer<Unicode.Scalar>, _ array: [Unicode.Scalar], into b: inout Builder) {
        let n = scalars.count
        let classes = Skeleton.classTable
        var noise = 0
        var gap: NormalizationFlags = []
        var i = 0
        while i < n {
            let s = scalars[i]
            let v = s.value
            // The common case first: a CJK ideograph right after content (no noise, nothing
            // skipped) — what `.content` below does then, without the table read and the
            // switch's indirect jump (most characters of a Chinese page).
            if v >= 0x4E00, v <= 0x9FFF, noise == 0, gap.isEmpty {
                b.hasHan = true
                b.push(v, i, [])
                i += 1
                continue
            }
            switch v < 0x10000 ? classes[Int(v)] : Skeleton.classifyComputed(s) {
            case .content:
                // Tone digits in pinyin (bao4guo4): a 1–5 right after a pinyin-looking syllable end.
                if v >= 0x31 && v <= 0x35, i > 0, Skeleton.isLatinLetter(scalars[i - 1].value),
                   i + 1 >= n || !(0x30...0x39).contains(scalars[i + 1].value),
                   Skeleton.endsPinyinSyllable(scalars[i - 1].value) {
                    gap.insert(.tone)
                    i += 1
                    continue
                }
                if noise > Skeleton.maxNoise { b.push(Skeleton.gapBarrier, i, []) ; gap = [] }
                if !b.hasHan, Skeleton.isHan(v) { b.hasHan = true }
                if b.firstLatinLetter < 0, Skeleton.isLatinLetter(v) { b.firstLatinLetter = b.count }
                b.push(v, i, noise > 0 ? gap.union(.noiseGap) : gap)
                noise = 0
                gap = []
                i += 1
            case .sentence:
                // A question at the end of a line stays a soft end: the next line is its answer
                // (`万一没过呢？` ⏎ `学费全退`), one statement for `~~` gaps, as `考不过？全额退费` is.
                if b.last == Skeleton.softSentenceBarrier, v == 0x0A || v == 0x0D || v == 0x2028,
                   scalars[Int(b.normIndex[b.count - 1])].value == 0x3F { noise = 0; gap = []; i += 1; continue }
                if b.last == Skeleton.softSentenceBarrier { b.units[b.count - 1] = Skeleton.sentenceBarrier }
                else if b.last != Skeleton.sentenceBarrier { b.push(Skeleton.sentenceBarrier, i, []) }
                noise = 0; gap = []
                i += 1
            case .softSentence:
                if b.last != Skeleton.sentenceBarrier && b.last != Skeleton.softSentenceBarrier { b.push(Skeleton.softSentenceBarrier, i, []) }
                noise = 0; gap = []
                i += 1
            case .clause:
                // A dot or comma between digits is part of a number (1.5, 1,000);
                // a dot between a letter and a digit is an abbreviation (No.1).
                if (v == 0x2E || v == 0x2C), i > 0, i + 1 < n,
                   (0x30...0x39).contains(scalars[i - 1].value), (0x30...0x39).contains(scalars[i + 1].value) {
                    // The decimal point stays (its value matters: 71.5%); a thousands comma goes.
                    if v == 0x2E { b.push(v, i, gap); gap = [] }
                    i += 1
                    continue
                }
                // … and a dot between single letters is spelling (b.a.o 过), not a clause end.
                if v == 0x2E, i > 0, i + 1 < n, Skeleton.isLatinLetter(scalars[i - 1].value),
                   (0x30...0x39).contains(scalars[i + 1].value)
                    || (Skeleton.isLatinLetter(scalars[i + 1].value)
                        && (Skeleton.letterRun(array, endingAt: i - 1) == 1 || Skeleton.letterRun(array, startingAt: i + 1) == 1)) {
                    noise += 1
                    i += 1
                    continue
                }
                if let last = b.last, last != Skeleton.sentenceBarrier, last != Skeleton.clauseBarrier { b.push(Skeleton.clauseBarrier, i, []) }
                noise = 0; gap = []
                i += 1
            case .noise:
                // Spinner artefact: `(pei)` right after a Han character.
                if v == 0x28, let last = b.last, Skeleton.isHan(last), let end = Skeleton.spinnerEnd(array, from: i) {
                    gap.insert(.spinner)
                    i = end
                    continue
                }
                noise += 1
                i += 1
            }
        }
    }

    /// Whether a Latin letter can end a pinyin syllable (before a tone digit).
    @inline(__always)
    static func endsPinyinSyllable(_ v: UInt32) -> Bool {
        switch v {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x76, 0x6E, 0x67, 0x72: return true   // a e i o u v n g r
        default: return false
        }
    }

    /// How many of `positions` (ascending) are below `index`.
    @inline(__always)
    static func count(_ positions: [Int32], below index: Int) -> Int {
        var lo = 0, hi = positions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(positions[mid]) < index { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether `positions` has no element in `a..<b`.
    @inline(__always)
    static func none(_ positions: [Int32], in a: Int, _ b: Int) -> Bool {
        let k = count(positions, below: a)
        return k == positions.count || Int(positions[k]) >= b
    }

    /// The first unit whose character stands after normalized index `n` (`units.count` if none).
    func firstUnit(after n: Int) -> Int {
        var lo = 0, hi = normIndex.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(normIndex[mid]) <= n { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Sentence barriers (hard and soft) among `units[0..<i]`.
    func sentencesBefore(_ i: Int) -> Int { Skeleton.count(sentenceBarriers, below: i) }
    /// The first sentence barrier (hard or soft) at or after unit `i`; `units.count` if none.
    func sentenceEnd(from i: Int) -> Int {
        let k = Skeleton.count(sentenceBarriers, below: i)
        return k < sentenceBarriers.count ? Int(sentenceBarriers[k]) : units.count
    }
    /// Clause-or-sentence barriers among `units[0..<i]`.
    func clausesBefore(_ i: Int) -> Int { Skeleton.count(clauseBarriers, below: i) }

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
    func sameSentence(_ a: Int, _ b: Int) -> Bool { Skeleton.none(sentenceBarriers, in: min(a, b), max(a, b)) }

    /// Whether no block of page text (see ``blockStarts``) starts between a span ending at
    /// `end` (exclusive) and one starting at `start` (`units[end...start]`).
    @inline(__always)
    /// A cue right beside the match, with only whitespace between, is in its block
    /// (`严禁 包过`, a notice written with spaces).
    func sameBlock(_ end: Int, _ start: Int) -> Bool { end >= start || Skeleton.none(blockStarts, in: end, start + 1) }

    /// Whether `units[a..<b]` contains no sentence end other than `?` and `!`.
    @inline(__always)
    func sameStatement(_ a: Int, _ b: Int) -> Bool { Skeleton.none(hardSentenceBarriers, in: min(a, b), max(a, b)) }

    /// The longest title (in units), and how far into the document a title's report cue reaches.
    static let titleLength = 60
    static let titleWindow = 3000

    /// Where the run's title ends: the first sentence end, if it is a line end (or a page
    /// block's end) at most ``titleLength`` units in (`关于查处违规培训广告的通报` ⏎ …); nil if the
    /// run does not open with such a line.
    func titleEnd(_ scalars: [Unicode.Scalar]) -> Int? {
        guard let first = sentenceBarriers.first, Int(first) <= Skeleton.titleLength, first > 0,
              units[Int(first)] == Skeleton.sentenceBarrier else { return nil }
        return Skeleton.isLineEnd(scalars[Int(normIndex[Int(first)])].value) ? Int(first) : nil
    }

    /// Whether `units[a..<b]` holds at most one sentence end other than `?` and `!` (a full
    /// stop, semicolon or line end), and no blank line: the next sentence (`~~~` gaps).
    func nextSentence(_ a: Int, _ b: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        let lo = min(a, b), hi = max(a, b)
        let first = Skeleton.count(hardSentenceBarriers, below: lo)
        let count = Skeleton.count(hardSentenceBarriers, below: hi) - first
        guard count <= 1 else { return false }
        guard count == 1 else { return true }
        let p = Int(hardSentenceBarriers[first])
        return Skeleton.lineEnds(in: Int(normIndex[p])..<scalarsAfter(p, scalars), scalars) <= 1
    }

    /// Whether no line end stands in the normalized text between units `a` and `b` (a
    /// line end folded into another sentence end — `；⏎` — counts).
    func sameParagraph(_ a: Int, _ b: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        let lo = min(a, b), hi = max(a, b)
        guard lo < hi, lo < normIndex.count else { return true }
        let from = Int(normIndex[lo]), to = hi < normIndex.count ? Int(normIndex[hi]) : scalars.count
        return !(from..<to).contains { Skeleton.isLineEnd(scalars[$0].value) }
    }

    /// Where the normalized text of the unit after `p` starts (the end of the text after the
    /// last unit): `normIndex[p] + 1 ..< scalarsAfter(p)` is what the barrier at `p` folded.
    func scalarsAfter(_ p: Int, _ scalars: [Unicode.Scalar]) -> Int {
        p + 1 < normIndex.count ? Int(normIndex[p + 1]) : scalars.count
    }

    /// How far (in units) a report cue makes a quoted phrase a mention, in other sentences.
    static let quoteReportWindow = 200

    /// How far (in units) a cue reaches into the list it introduces.
    static let listWindow = 300

    /// Whether a match starting at `start` is an item of a list introduced by a cue ending at
    /// `cueEnd`: a colon follows the cue in the cue's own sentence, and every sentence end
    /// between that colon and the match is a semicolon — the form of regulations, notices and
    /// complaint guides (`不得使用下列用语：（一）“包过”；（二）“不过退费”；…`,
    /// `如发现以下行为，可举报：（1）宣传包过；（2）代考替考`). A full stop, a question or
    /// exclamation mark, or a line end without a semicolon before it ends the list.
    /// `scalars` is the normalized text the skeleton was built from.
    func listItem(after cueEnd: Int, reaching start: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        var k = Skeleton.count(clauseBarriers, below: cueEnd)
        var colon = -1   // the colon's position
        while k < clauseBarriers.count, Int(clauseBarriers[k]) < start {
            let p = Int(clauseBarriers[k])
            let mark = scalars[Int(normIndex[p])].value
            if units[p] == Skeleton.clauseBarrier {
                if mark == 0x3A, colon < 0 { colon = p }   // :
            } else if colon < 0 {
                return false                               // the cue's sentence ended first
            } else if mark == 0x3B {
                guard continuesList(after: p, scalars) else { return false }
            } else if !(p == colon + 1 && (mark == 0x0A || mark == 0x0D || mark == 0x2028)) {
                return false                               // a sentence end other than ; (or a line end right after the colon)
            }
            k += 1
        }
        return colon >= 0
    }

    /// Whether the list goes on after the semicolon at unit `p`: no full stop folded into it
    /// (`；。`), no blank line after it, and if a line ends after it, the next line starts an
    /// item (`1.`, `（二）`, `三、`, `②`, `•` …) — a paragraph after the list is not one of its items.
    func continuesList(after p: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        let folded = (Int(normIndex[p]) + 1)..<scalarsAfter(p, scalars)
        guard !folded.contains(where: { [0x3002, 0xFF61, 0x21, 0x3F].contains(scalars[$0].value) }) else { return false }   // 。 ! ?
        let from = folded.lowerBound
        let lineEnds = Skeleton.lineEnds(in: folded, scalars)
        guard lineEnds <= 1 else { return false }
        if lineEnds == 0 { return true }
        return Skeleton.startsItem(scalars, at: from, to: scalars.count)
    }

    static let chineseNumerals: Set<UInt32> = Set("一二三四五六七八九十".unicodeScalars.map(\.value))

    /// Whether an item marker starts the first line after `from` (spaces skipped).
    static func startsItem(_ scalars: [Unicode.Scalar], at from: Int, to: Int) -> Bool {
        var k = from
        while k < to, [" ", "\t", "\u{3000}", "\n", "\r", "\u{2028}", "\u{2029}"].contains(scalars[k]) { k += 1 }
        guard k < to else { return false }
        let first = scalars[k].value
        func at(_ i: Int) -> UInt32 { i < to ? scalars[i].value : 0 }
        let numerals = Skeleton.chineseNumerals
        switch first {
        case 0x2460...0x2473, 0x2776...0x277F, 0x2780...0x2793: return true                 // ① ❶ ➀
        case 0x2D, 0x2022, 0xB7, 0x2A, 0x25CF, 0x25CB, 0x25A0, 0x25A1, 0x25C6, 0x25AA, 0x2013: return true   // - • · * ● ○ ■ □ ◆ ▪ –
        case 0x28, 0xFF08:                                                                  // ( （
            var i = k + 1
            while Skeleton.isDigit(at(i)) || numerals.contains(at(i)) { i += 1 }
            return i > k + 1 && (at(i) == 0x29 || at(i) == 0xFF09)
        default:
            var i = k
            if Skeleton.isDigit(first) {
                while Skeleton.isDigit(at(i)) { i += 1 }
                return [0x2E, 0x3001, 0x29, 0xFF09, 0xFF0E, 0x3A].contains(at(i))          // . 、 ) ） ． :
            }
            if numerals.contains(first) {
                while numerals.contains(at(i)) { i += 1 }
                return at(i) == 0x3001                                                        // 、
            }
            return false
        }
    }

    /// Whether `units[a..<b]` contains no clause or sentence barrier.
    @inline(__always)
    func sameClause(_ a: Int, _ b: Int) -> Bool { Skeleton.none(clauseBarriers, in: min(a, b), max(a, b)) }
}

/// The text tables of a plain-text run, found once per run (a table of thousands of rows is
/// walked once, not once per match in it): runs of two or more lines whose cells are split
/// by `|` or tabs, blank lines allowed between rows. A line is a row only if a cell mark
/// stands between two pieces of content on it — a tab that indents a paragraph is no cell.
struct TextTables {
    /// The lines (ranges of normalized scalars, without their line ends), in order.
    private(set) var lines: [Range<Int>] = []
    /// Per line: the index of its table's first row, or -1 if it is no row of a table.
    private(set) var header: [Int] = []

    /// `pipes`: whether `|` and `｜` mark cells as tabs do (plain text). In a web page's text
    /// only tabs do: the extractor puts one between the cells of an HTML table's row, while
    /// `|` separates the links of navigation bars.
    init(_ scalars: [Unicode.Scalar], pipes: Bool = true) {
        var start = 0
        for (i, s) in scalars.enumerated() where Skeleton.isLineEnd(s.value) {
            lines.append(start..<i)
            start = i + 1
        }
        lines.append(start..<scalars.count)
        let isRow = lines.map { line -> Bool in
            var contentBefore = false, markAfterContent = false
            for k in line {
                let s = scalars[k]
                if s == "\t" || (pipes && (s == "|" || s == "｜")) {
                    if contentBefore { markAfterContent = true }
                } else if Skeleton.classify(s) == .content {
                    if markAfterContent { return true }
                    contentBefore = true
                }
            }
            return false
        }
        header = [Int](repeating: -1, count: lines.count)
        var i = 0
        while i < lines.count {
            guard isRow[i] else { i += 1; continue }
            var members = [i], j = i + 1
            while j < lines.count {
                if lines[j].isEmpty { j += 1; continue }
                guard isRow[j] else { break }
                members.append(j)
                j += 1
            }
            if members.count >= 2 { for m in members { header[m] = i } }
            i = j
        }
    }

    /// The line holding normalized scalar `index` (a line end belongs to the line it ends).
    func line(containing index: Int) -> Int {
        var lo = 0, hi = lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lines[mid].lowerBound <= index { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The non-empty line right above a table's first row, if it is short (a caption).
    func caption(of header: Int) -> Range<Int>? {
        var k = header - 1
        while k >= 0, lines[k].isEmpty { k -= 1 }
        guard k >= 0, lines[k].count <= 40 else { return nil }
        return lines[k]
    }

}
