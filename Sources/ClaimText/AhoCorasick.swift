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
    /// Patterns ending at each state (its own and those of its suffix states).
    private let outputStart: [Int32]
    private let outputCount: [Int32]
    private let outputs: [Int32]

    init(patterns: [[UInt32]]) {
        patternCount = patterns.count
        patternLengths = patterns.map { Int32($0.count) }
        // 1. Trie.
        var children: [[UInt32: Int32]] = [[:]]
        var own: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state: Int32 = 0
            for unit in pattern {
                if let next = children[Int(state)][unit] { state = next; continue }
                let next = Int32(children.count)
                children.append([:])
                own.append([])
                children[Int(state)][unit] = next
                state = next
            }
            own[Int(state)].append(Int32(id))
        }
        let stateCount = children.count
        // 2. Failure links, breadth first; outputs merged along them.
        var fail = [Int32](repeating: 0, count: stateCount)
        var merged = own
        var queue: [Int32] = []
        for (_, child) in children[0] { queue.append(child) }
        var head = 0
        while head < queue.count {
            let state = queue[head]; head += 1
            for (unit, child) in children[Int(state)] {
                queue.append(child)
                var f = fail[Int(state)]
                while true {
                    if let next = children[Int(f)][unit], next != child { fail[Int(child)] = next; break }
                    if f == 0 { fail[Int(child)] = 0; break }
                    f = fail[Int(f)]
                }
                merged[Int(child)] += merged[Int(fail[Int(child)])]
            }
        }
        // 3. Flatten.
        var rootBMP = [Int32](repeating: 0, count: 0x10000)
        var rootOther: [UInt32: Int32] = [:]
        for (unit, child) in children[0] {
            if unit < 0x10000 { rootBMP[Int(unit)] = child } else { rootOther[unit] = child }
        }
        var edgeStart = [Int32](repeating: 0, count: stateCount)
        var edgeCount = [Int32](repeating: 0, count: stateCount)
        var edgeKeys: [UInt32] = []
        var edgeTargets: [Int32] = []
        var outputStart = [Int32](repeating: 0, count: stateCount)
        var outputCount = [Int32](repeating: 0, count: stateCount)
        var outputs: [Int32] = []
        for state in 0..<stateCount {
            let sorted = children[state].sorted { $0.key < $1.key }
            edgeStart[state] = Int32(edgeKeys.count)
            edgeCount[state] = Int32(sorted.count)
            for (k, v) in sorted { edgeKeys.append(k); edgeTargets.append(v) }
            outputStart[state] = Int32(outputs.count)
            outputCount[state] = Int32(merged[state].count)
            outputs += merged[state]
        }
        self.rootBMP = rootBMP
        self.rootOther = rootOther
        self.edgeStart = edgeStart
        self.edgeCount = edgeCount
        self.edgeKeys = edgeKeys
        self.edgeTargets = edgeTargets
        self.fail = fail
        self.outputStart = outputStart
        self.outputCount = outputCount
        self.outputs = outputs
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
            let count = Int(outputCount[Int(state)])
            if count > 0 {
                let start = Int(outputStart[Int(state)])
                for k in start..<(start + count) {
                    let id = Int(outputs[k])
                    report(id, i + 1 - Int(patternLengths[id]), i + 1)
                }
            }
        }
    }
}
