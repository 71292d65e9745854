/// A multi-pattern Aho–Corasick automaton over Unicode scalar values.
///
/// Built once per lexicon. The root has a dense transition table for the BMP
/// (most text characters start no pattern, so the common step is one array
/// read); other states keep their few edges sorted in one flat array.
struct AhoCorasick: Sendable {
    /// Number of patterns; pattern ids are `0..<patternCount`.
    let patternCount: Int
    private let patternLengths: [Int32]

    private let rootBMP: [Int32]
    private let rootOther: [UInt32: Int32]
    private let edgeStart: [Int32]
    private let edgeCount: [Int32]
    private let edgeKeys: [UInt32]
    private let edgeTargets: [Int32]
    private let fail: [Int32]
    /// Patterns ending exactly at each state (the state spells the whole pattern).
    private let ownStart: [Int32]
    private let ownCount: [Int32]
    private let owns: [Int32]
    /// The nearest state along the failure chain that has patterns of its own
    /// (a pattern that is a suffix of this state's text), or -1.
    private let outputLink: [Int32]

    /// Builds the automaton without a dictionary per state: the patterns are sorted, so
    /// one pass creates the trie with each state's edges in ascending order, and a
    /// counting sort by parent makes every state's edges contiguous.
    init(patterns: [[UInt32]]) {
        patternCount = patterns.count
        patternLengths = patterns.map { Int32($0.count) }
        let order = patterns.indices.filter { !patterns[$0].isEmpty }.sorted {
            patterns[$0] == patterns[$1] ? $0 < $1 : patterns[$0].lexicographicallyPrecedes(patterns[$1])
        }

        // 1. Trie from sorted patterns: a pattern shares the path of the previous one up to
        //    their common prefix; the states on that path are remembered per depth.
        var parentOf: [Int32] = [-1]
        var unitOf: [UInt32] = [0]
        var depthOf: [Int32] = [0]
        var lastOwnOf: [Int32] = [-1]    // per state: the last pattern ending there, or -1
        var previousOwn: [Int32] = []    // per pattern (in `order`): the one before it at the same state
        var path: [Int32] = [0]          // path[d] = state at depth d of the previous pattern
        var previous: [UInt32] = []
        for id in order {
            let pattern = patterns[id]
            var common = 0
            while common < pattern.count, common < previous.count, pattern[common] == previous[common] { common += 1 }
            path.removeSubrange((common + 1)...)
            for d in common..<pattern.count {
                let state = Int32(parentOf.count)
                parentOf.append(path[d])
                unitOf.append(pattern[d])
                depthOf.append(Int32(d + 1))
                lastOwnOf.append(-1)
                path.append(state)
            }
            let end = Int(path[pattern.count])
            previousOwn.append(lastOwnOf[end])
            lastOwnOf[end] = Int32(previousOwn.count - 1)
            previous = pattern
        }
        let stateCount = parentOf.count

        // 2. Edges grouped by parent (counting sort; creation order keeps units ascending).
        var edgeCount = [Int32](repeating: 0, count: stateCount)
        for state in 1..<max(stateCount, 1) { edgeCount[Int(parentOf[state])] += 1 }
        var edgeStart = [Int32](repeating: 0, count: stateCount)
        var total: Int32 = 0
        for state in 0..<stateCount { edgeStart[state] = total; total += edgeCount[state] }
        var fill = edgeStart
        var edgeKeys = [UInt32](repeating: 0, count: Int(total))
        var edgeTargets = [Int32](repeating: 0, count: Int(total))
        for state in 1..<max(stateCount, 1) {
            let p = Int(parentOf[state])
            edgeKeys[Int(fill[p])] = unitOf[state]
            edgeTargets[Int(fill[p])] = Int32(state)
            fill[p] += 1
        }
        var rootBMP = [Int32](repeating: 0, count: 0x10000)
        var rootOther: [UInt32: Int32] = [:]
        for e in Int(edgeStart[0])..<Int(edgeStart[0] + edgeCount[0]) {
            let unit = edgeKeys[e]
            if unit < 0x10000 { rootBMP[Int(unit)] = edgeTargets[e] } else { rootOther[unit] = edgeTargets[e] }
        }
        self.rootBMP = rootBMP
        self.rootOther = rootOther
        self.edgeStart = edgeStart
        self.edgeCount = edgeCount
        self.edgeKeys = edgeKeys
        self.edgeTargets = edgeTargets

        // 3. Own outputs, flat.
        var ownStart = [Int32](repeating: 0, count: stateCount)
        var ownCount = [Int32](repeating: 0, count: stateCount)
        var owns: [Int32] = []
        owns.reserveCapacity(order.count)
        for state in 0..<stateCount {
            ownStart[state] = Int32(owns.count)
            var k = lastOwnOf[state]
            while k >= 0 { owns.append(Int32(order[Int(k)])); k = previousOwn[Int(k)] }
            ownCount[state] = Int32(owns.count) - ownStart[state]
            owns[Int(ownStart[state])...].reverse()   // in pattern order
        }
        self.ownStart = ownStart
        self.ownCount = ownCount
        self.owns = owns

        // 4. Failure and output links, breadth first (by depth; states are created
        //    depth-first, so order them by depth with a counting sort).
        var fail = [Int32](repeating: 0, count: stateCount)
        var outputLink = [Int32](repeating: -1, count: stateCount)
        let maxDepth = Int(depthOf.max() ?? 0)
        var perDepth = [Int](repeating: 0, count: maxDepth + 2)
        for d in depthOf { perDepth[Int(d) + 1] += 1 }
        for d in 1..<perDepth.count { perDepth[d] += perDepth[d - 1] }
        var byDepth = [Int32](repeating: 0, count: stateCount)
        for state in 0..<stateCount { let d = Int(depthOf[state]); byDepth[perDepth[d]] = Int32(state); perDepth[d] += 1 }
        func goto(_ state: Int32, _ unit: UInt32) -> Int32 {
            if state == 0 { return unit < 0x10000 ? rootBMP[Int(unit)] : (rootOther[unit] ?? 0) }
            let start = Int(edgeStart[Int(state)])
            for e in start..<(start + Int(edgeCount[Int(state)])) where edgeKeys[e] == unit { return edgeTargets[e] }
            return 0
        }
        for state in byDepth where state != 0 {
            let parent = parentOf[Int(state)]
            let unit = unitOf[Int(state)]
            if parent != 0 {
                var f = fail[Int(parent)]
                while true {
                    let next = goto(f, unit)
                    if next > 0 { fail[Int(state)] = next; break }
                    if f == 0 { break }
                    f = fail[Int(f)]
                }
            }
            let f = fail[Int(state)]
            outputLink[Int(state)] = f != 0 && ownCount[Int(f)] > 0 ? f : outputLink[Int(f)]
        }
        self.fail = fail
        self.outputLink = outputLink
    }

    @inline(__always)
    private func step(_ state: Int32, _ unit: UInt32) -> Int32 {
        if state == 0 {
            return unit < 0x10000 ? rootBMP[Int(unit)] : (rootOther[unit] ?? 0)
        }
        let start = Int(edgeStart[Int(state)])
        let count = Int(edgeCount[Int(state)])
        if count <= 8 {
            for e in start..<(start + count) where edgeKeys[e] == unit { return edgeTargets[e] }
            return -1
        }
        var lo = start, hi = start + count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = edgeKeys[mid]
            if k == unit { return edgeTargets[mid] }
            if k < unit { lo = mid + 1 } else { hi = mid }
        }
        return -1
    }

    /// Calls `report(patternID, start, end)` for every occurrence of every
    /// pattern in `units` (half-open ranges of unit indices), in order of end.
    func forEachMatch(in units: [UInt32], _ report: (Int, Int, Int) -> Void) {
        var state: Int32 = 0
        for (i, unit) in units.enumerated() {
            while true {
                let next = step(state, unit)
                if next >= 0 && !(state == 0 && next == 0) { state = next; break }
                if state == 0 { break }
                state = fail[Int(state)]
            }
            var out = ownCount[Int(state)] > 0 ? state : outputLink[Int(state)]
            while out > 0 {
                let start = Int(ownStart[Int(out)])
                for k in start..<(start + Int(ownCount[Int(out)])) {
                    let id = Int(owns[k])
                    report(id, i + 1 - Int(patternLengths[id]), i + 1)
                }
                out = outputLink[Int(out)]
            }
        }
    }
}
