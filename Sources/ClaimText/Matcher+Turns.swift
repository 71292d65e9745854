/// The asker's turns in a chat or a FAQ (``NegationCues/askers``, session 16): the customer
/// names the banned words (学员：你们有内部名额吗) and the consultant answers. Found once per run
/// on its skeleton, for the rules (``Matcher/askerTurn(_:_:_:_:_:_:_:)``) and the model
/// (``Matcher/askerTurnRanges(_:_:labels:)``) alike.
struct AskerTurn {
    /// The line's first unit (a time stamp's, or the label's).
    var lineStart: Int
    /// The label's first unit (after any time stamp) and its colon.
    var labelStart: Int
    var colon: Int
    /// The sentence barrier that ends the turn, or the skeleton's end.
    var end: Int
}

extension Matcher {
    /// The longest chat turn (units, from its line's start to its end): a longer line is a
    /// page's paragraph, not a turn.
    static let turnReach = 300

    /// A speaker's label starting at unit `p`, after at most a time stamp (`11:20 客户：`,
    /// `2024-03-05 11:20:08 客服：` — digits and the colons between them): one to six content
    /// units, then a colon (not a comma). Returns the label's first unit and its colon.
    static func speakerLabel(at p: Int, _ skeleton: Skeleton, _ scalars: [Unicode.Scalar]) -> (start: Int, colon: Int)? {
        let units = skeleton.units
        var start = p
        while start < units.count, Skeleton.isDigit(units[start])
                || (units[start] == Skeleton.clauseBarrier && start > p && Skeleton.isDigit(units[start - 1])
                    && start + 1 < units.count && Skeleton.isDigit(units[start + 1])) {
            start += 1
        }
        var q = start
        while q < units.count, q - start <= 6, units[q] < Skeleton.sentenceBarrier { q += 1 }
        guard q > start, q - start <= 6, q < units.count, units[q] == Skeleton.clauseBarrier else { return nil }
        let mark = scalars[Int(skeleton.normIndex[q])].value
        return mark == 0x3A || mark == 0xFF1A ? (start, q) : nil
    }

    /// Whether a label is one of `labels`, or a letter one numbered (Q3); a numbered person
    /// (学员A：李女士…, a showcase of students) is not.
    static func isAsker(_ label: ArraySlice<UInt32>, _ labels: [[UInt32]]) -> Bool {
        labels.contains { word in
            label.elementsEqual(word) || (word.count == 1 && Skeleton.isLatinLetter(word[0])
                && label.starts(with: word) && label.dropFirst().allSatisfy(Skeleton.isDigit))
        }
    }

    /// The asker's turns of a run, in order: a line (a line break or a page block ends it)
    /// that opens with an asker's label and a colon, up to the line's end, to a sentence opened
    /// by another label (`问：…？答：…`), or to a question mark followed by a statement (an
    /// unlabelled answer: `Q3：怎么报名？扫码即可，我们有内部名额`) — at most ``turnReach`` units.
    static func askerTurns(_ skeleton: Skeleton, _ scalars: [Unicode.Scalar], labels: [[UInt32]]) -> [AskerTurn] {
        let units = skeleton.units, barriers = skeleton.sentenceBarriers
        guard !labels.isEmpty, !units.isEmpty else { return [] }
        func isQuestionMark(_ b: Int) -> Bool {
            let v = scalars[Int(skeleton.normIndex[b])].value
            return v == 0x3F || v == 0xFF1F
        }
        /// Whether the sentence ending before unit `b` (a barrier, or the end) asks: a
        /// question mark, or 吗/么/呢 (a chat's 你们包过吗⏎).
        func asks(endingAt b: Int) -> Bool {
            if b < units.count, isQuestionMark(b) { return true }
            return b > 0 && [0x5417, 0x4E48, 0x5462].contains(units[b - 1])
        }
        var turns: [AskerTurn] = []
        var lineStart = 0, i = 0   // i: the first barrier at or after lineStart
        while lineStart < units.count {
            var j = i
            while j < barriers.count, !skeleton.endsLine(at: Int(barriers[j]), scalars) { j += 1 }
            let lineEnd = j < barriers.count ? Int(barriers[j]) : units.count
            if let label = speakerLabel(at: lineStart, skeleton, scalars), label.colon < lineEnd,
               isAsker(units[label.start..<label.colon], labels) {
                var end = lineEnd
                for k in i..<j where Int(barriers[k]) > label.colon {
                    let b = Int(barriers[k])
                    let next = k + 1 < barriers.count ? Int(barriers[k + 1]) : units.count
                    if speakerLabel(at: b + 1, skeleton, scalars) != nil || (isQuestionMark(b) && !asks(endingAt: next)) {
                        end = b
                        break
                    }
                }
                if end - lineStart <= turnReach {
                    turns.append(AskerTurn(lineStart: lineStart, labelStart: label.start, colon: label.colon, end: end))
                }
            }
            i = j + 1
            lineStart = lineEnd + 1
        }
        return turns
    }

    /// The asker's turns of a normalized run (`skeleton` is its skeleton) as ranges of its
    /// scalars (each from its line's first character to the next unit after its end, so that a
    /// sentence the model reads — with its end mark and line break — lies within).
    static func askerTurnRanges(_ skeleton: Skeleton, _ normalized: NormalizedText, labels: [[UInt32]]) -> [Range<Int>] {
        guard !labels.isEmpty else { return [] }
        let n = normalized.scalars.count, units = skeleton.units
        return askerTurns(skeleton, normalized.scalars, labels: labels).map { turn in
            let lower = Int(skeleton.normIndex[turn.lineStart])
            let upper = turn.end + 1 < units.count ? Int(skeleton.normIndex[turn.end + 1]) : n
            return lower..<max(lower, upper)
        }
    }

    /// The label of the asker's turn (``askerTurns(_:_:labels:)``) a match at `start..<end`
    /// stands in, when the turn is not answered yes (``affirmed(_:_:_:_:_:)``: `学员：包过吗？⏎顾问：包的`);
    /// nil otherwise. A match may take in the label itself (「学员：…能拿到证」 is no testimonial);
    /// one that runs on into the answer (`问：还要本人到考场吗？⏎答：不用`) is the answer's.
    func askerTurn(_ start: Int, _ end: Int, _ category: UInt16, _ breaks: [Span], _ normalized: NormalizedText,
                   _ skeleton: Skeleton, _ turns: [AskerTurn]) -> String? {
        // The last turn whose label starts at or before the match.
        var lo = 0, hi = turns.count
        while lo < hi { let mid = (lo + hi) / 2; if turns[mid].labelStart <= start { lo = mid + 1 } else { hi = mid } }
        guard lo > 0 else { return nil }
        let turn = turns[lo - 1]
        guard start < turn.end, end <= turn.end else { return nil }
        if affirmed(turn.end, category, breaks, normalized, skeleton) { return nil }
        return String(String.UnicodeScalarView(skeleton.units[turn.labelStart..<turn.colon].compactMap(Unicode.Scalar.init)))
    }
}
