/// The pinyin spellings of the lexicon's short phrases, found without listing them.
///
/// A phrase of two to four Han characters may be written with some or all of them in
/// pinyin (包过 → bao过, 包guo, baoguo). Listing every spelling of every phrase in the main
/// automaton made ~29,000 of its ~39,000 literals, ~4 MB of a crawl's memory and a few
/// percent of the matching time. Here each phrase is kept once, as its reading (`baoguo`),
/// in a small automaton of its own. A scan reads only the neighbourhood of a run's Latin
/// letters, with every Han character written as its reading, and a hit counts only if each
/// position of the phrase is its own Han character or is written in letters — and at
/// least one is in letters: 保过 written as Han is the main automaton's business, and a
/// homophone (报国, 保国) matches the reading but not the characters.
struct PinyinSpellings: Sendable {
    /// Phrase `p` is `units[start[p] ..< start[p + 1]]`; `segment[k]` is the length of unit
    /// `k`'s part of the reading (its pinyin for a Han character, 1 for any other unit) and
    /// `isHan[k]` whether it is written as pinyin.
    private let units: [UInt32]
    private let start: [Int32]
    private let segment: [UInt8]
    private let isHan: [Bool]
    /// The literal a phrase's hits report (the matcher's payloads hang on it): one for
    /// spellings that keep a Han character or another non-letter, one for spellings in
    /// letters only (-1 if no rule of the phrase allows those).
    private let mixedLiteral: [Int32]
    private let latinLiteral: [Int32]
    /// Readings of Han characters outside ``HanPinyin/range`` that some phrase uses (from ICU
    /// at compile time; the text's characters are read the same way).
    private let otherReadings: [UInt32: [UInt32]]
    private let automaton: AhoCorasick
    /// How far (in skeleton units) a phrase can reach from a Latin letter it contains.
    private let reach: Int

    /// A spelling found: the literal it reports, its skeleton range, its Latin edges and syllables.
    struct Hit {
        var literal: Int32
        var start: Int32
        var end: Int32
        /// Bit 0: starts with a Latin letter, bit 1: ends with one, bit 2: all Latin letters.
        var edges: UInt8
        /// Its syllables in the scan's syllable list.
        var syllableFrom: Int32
        var syllableTo: Int32
    }

    var isEmpty: Bool { mixedLiteral.isEmpty }
    /// Number of phrases whose pinyin spellings are found.
    var phraseCount: Int { mixedLiteral.count }
    /// Units a phrase may reach on either side of a Latin letter it contains.
    var reachUnits: Int { reach }

    /// Collects phrases while the lexicon is compiled.
    struct Builder {
        var units: [UInt32] = []
        var start: [Int32] = [0]
        var segment: [UInt8] = []
        var isHan: [Bool] = []
        var mixedLiteral: [Int32] = []
        var latinLiteral: [Int32] = []
        var otherReadings: [UInt32: [UInt32]] = [:]
        /// Phrase index by units (-1: cannot be spelled, or cannot occur in ``alphabet``).
        var index: [[UInt32]: Int] = [:]
        /// If set, phrases that cannot occur in it are left out (``Alphabet``).
        var alphabet: Alphabet?
        var longest = 0
        /// Readings in the automaton, one per phrase, in phrase order.
        var keys: [UInt32] = []
        var keyStart: [Int32] = [0]

        /// The phrase `literal`'s index (added if new) when it can be spelled: two to
        /// ``Matcher/Compiler/longestSpelledPhrase`` Han characters, all with a reading; nil otherwise.
        /// `reading` gives a Han character's toneless pinyin (false if it has none).
        mutating func phrase(_ literal: [UInt32], newLiteral: () -> Int32,
                             reading readingOf: (UInt32, inout [UInt32]) -> Bool) -> Int? {
            if let p = index[literal] { return p >= 0 ? p : nil }
            index[literal] = -1
            var hanCount = 0
            for u in literal where Skeleton.isHan(u) { hanCount += 1 }
            guard hanCount >= 2, hanCount <= Matcher.Compiler.longestSpelledPhrase else { return nil }
            var key: [UInt32] = [], segments: [UInt8] = [], han: [Bool] = []
            for u in literal {
                guard Skeleton.isHan(u) else { key.append(u); segments.append(1); han.append(false); continue }
                let before = key.count
                guard readingOf(u, &key) else { return nil }
                if !HanPinyin.range.contains(u) { otherReadings[u] = Array(key[before...]) }
                segments.append(UInt8(clamping: key.count - before)); han.append(true)
            }
            if let alphabet, !Builder.canOccur(literal, key: key, segments: segments, han: han, in: alphabet) { return nil }
            let p = mixedLiteral.count
            index[literal] = p
            units.append(contentsOf: literal); start.append(Int32(units.count))
            segment.append(contentsOf: segments); isHan.append(contentsOf: han)
            keys.append(contentsOf: key); keyStart.append(Int32(keys.count))
            mixedLiteral.append(newLiteral()); latinLiteral.append(-1)
            longest = max(longest, literal.count)
            return p
        }

        /// The literal of phrase `p`'s spellings in letters only (made on first use).
        mutating func latinLiteral(of p: Int, newLiteral: () -> Int32) -> Int32 {
            if latinLiteral[p] < 0 { latinLiteral[p] = newLiteral() }
            return latinLiteral[p]
        }

        /// Whether a phrase can occur spelled in a text made only of `alphabet`'s units: each
        /// Han character present or its reading's letters present, and one reading's.
        static func canOccur(_ literal: [UInt32], key: [UInt32], segments: [UInt8], han: [Bool], in alphabet: Alphabet) -> Bool {
            var spellable = false
            var offset = 0
            for (k, u) in literal.enumerated() {
                let length = Int(segments[k])
                defer { offset += length }
                if han[k] && alphabet.containsAll(key[offset..<(offset + length)]) { spellable = true; continue }
                if !alphabet.contains(u) { return false }
            }
            return spellable
        }

        func build() -> PinyinSpellings {
            PinyinSpellings(units: units.withExactCapacity(), start: start, segment: segment, isHan: isHan,
                            mixedLiteral: mixedLiteral, latinLiteral: latinLiteral, otherReadings: otherReadings,
                            automaton: AhoCorasick(units: keys, starts: keyStart), reach: max(longest - 1, 0))
        }
    }

    /// Finds the spellings in a skeleton's units, in order of their end (longer first at the
    /// same end, then by literal), appending their syllables to `syllables`. `firstLetter`:
    /// the position of the units' first Latin letter (``Skeleton/firstLatinLetter``).
    func hits(in text: [UInt32], firstLetter: Int?, syllables: inout [Matcher.Syllable]) -> [Hit] {
        guard !isEmpty, var i = firstLetter else { return [] }
        let n = text.count
        var hits: [Hit] = []
        var window = Window()
        while i < n {
            guard Skeleton.isLatinLetter(text[i]) else { i += 1; continue }
            // A window: this run of letters and every run within reach of it, with `reach`
            // units on each side (a phrase has at most that many other units around a letter).
            var end = i
            while end < n, Skeleton.isLatinLetter(text[end]) { end += 1 }
            var windowEnd = min(n, end + reach)
            var j = end
            while j < windowEnd {
                if Skeleton.isLatinLetter(text[j]) {
                    while j < n, Skeleton.isLatinLetter(text[j]) { j += 1 }
                    windowEnd = min(n, j + reach)
                } else {
                    j += 1
                }
            }
            scan(text, max(0, i - reach)..<windowEnd, &window, into: &hits, syllables: &syllables)
            i = windowEnd
        }
        if hits.count > 1 {
            hits.sort { ($0.end, $1.end - $1.start, $0.literal) < ($1.end, $0.end - $0.start, $1.literal) }
        }
        return hits
    }

    /// A window of text with each Han character written as its reading: per stream unit, the
    /// text unit it comes from, whether it is part of a reading and, at the first letter of
    /// one, the reading's length. Reused from window to window.
    private struct Window {
        var stream: [UInt32] = []
        var source: [Int32] = []
        var readingLength: [UInt8] = []
        var inReading: [Bool] = []

        mutating func clear() {
            stream.removeAll(keepingCapacity: true); source.removeAll(keepingCapacity: true)
            readingLength.removeAll(keepingCapacity: true); inReading.removeAll(keepingCapacity: true)
        }
    }

    private func scan(_ text: [UInt32], _ range: Range<Int>, _ window: inout Window, into hits: inout [Hit], syllables: inout [Matcher.Syllable]) {
        window.clear()
        for k in range {
            let u = text[k]
            let before = window.stream.count
            if Skeleton.isHan(u) {
                if HanPinyin.range.contains(u) {
                    _ = HanPinyin.appendReading(u, to: &window.stream)
                } else if let other = otherReadings[u] {
                    window.stream.append(contentsOf: other)
                }
            }
            if window.stream.count == before {
                window.stream.append(u); window.source.append(Int32(k)); window.readingLength.append(0); window.inReading.append(false)
                continue
            }
            let length = UInt8(clamping: window.stream.count - before)
            for q in before..<window.stream.count {
                window.source.append(Int32(k)); window.readingLength.append(q == before ? length : 0)
                window.inReading.append(true)
            }
        }
        let w = window
        automaton.forEachMatch(in: w.stream) { p, from, to in
            if let hit = verify(p, from, to, text, w.stream, w.source, w.readingLength, w.inReading, &syllables) { hits.append(hit) }
        }
    }

    /// Whether the reading of phrase `p` found at `stream[from..<to]` is the phrase spelled
    /// (each position its own Han character or letters, at least one in letters).
    private func verify(_ p: Int, _ from: Int, _ to: Int, _ text: [UInt32], _ stream: [UInt32], _ source: [Int32],
                        _ readingLength: [UInt8], _ inReading: [Bool], _ syllables: inout [Matcher.Syllable]) -> Hit? {
        let first = Int(source[from]), last = Int(source[to - 1])
        let syllableBase = syllables.count
        var accepted = false
        defer { if !accepted { syllables.removeSubrange(syllableBase...) } }   // a rejected hit leaves none
        var t = from, spelled = 0, allLatin = true
        for k in Int(start[p])..<Int(start[p + 1]) {
            let length = Int(segment[k]), u = units[k]
            let fromReading = inReading[t]
            if isHan[k] {
                if fromReading {
                    // The whole reading of one Han character: it must be this one.
                    guard Int(readingLength[t]) == length, text[Int(source[t])] == u else { return nil }
                    allLatin = false
                } else {
                    for q in t..<(t + length) where source[q] != source[t] + Int32(q - t) || !Skeleton.isLatinLetter(stream[q]) || text[Int(source[q])] != stream[q] {
                        return nil
                    }
                    spelled += 1
                    syllables.append(Matcher.Syllable(offset: source[t] - Int32(first), length: UInt8(clamping: length), tone: HanPinyin.tone(u)))
                }
            } else {
                // One of the phrase's own units (a letter, a digit), not part of a reading.
                guard !fromReading else { return nil }
                if !Skeleton.isLatinLetter(u) { allLatin = false }
            }
            t += length
        }
        guard spelled > 0 else { return nil }
        var literal = mixedLiteral[p]
        if allLatin {
            // An all-Latin spelling must be long enough not to be an ordinary word.
            guard latinLiteral[p] >= 0, to - from >= 6 else { return nil }
            literal = latinLiteral[p]
        }
        accepted = true
        let edges: UInt8 = (Skeleton.isLatinLetter(text[first]) ? 1 : 0) | (Skeleton.isLatinLetter(text[last]) ? 2 : 0) | (allLatin ? 4 : 0)
        return Hit(literal: literal, start: Int32(first), end: Int32(last + 1), edges: edges,
                   syllableFrom: Int32(syllableBase), syllableTo: Int32(syllables.count))
    }
}
