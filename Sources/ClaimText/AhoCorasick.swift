/// A multi-pattern Aho–Corasick automaton over Unicode scalar values.
///
/// Built once per lexicon. The root has a dense transition table for the BMP
/// (most text characters start no pattern, so the common step is one array
/// read); other states keep their few edges sorted in one flat array. What a
/// step reads of a state is packed in one ``Node`` (the scan is bound
/// by cache misses on per-state data), with a small mask of the edges' keys so
/// that the usual miss costs no search.
struct AhoCorasick: Sendable {
    /// Number of patterns; pattern ids are `0..<patternCount`.
    let patternCount: Int
    private let patternLengths: [Int32]

    struct Node {
        var edgeStart: Int32
        var fail: Int32
        /// The first state whose patterns end here: this state if it has patterns of its
        /// own, else its output link; -1 if none.
        var output: Int32
        var edgeCount: Int32
        /// Bit `key & 31` is set for every edge key.
        var keyMask: UInt32
    }

    /// The root's transitions for the BMP: the target (``Target``) in the low 32 bits and
    /// the target's `keyMask` in the high 32, so that from a first-character state a miss
    /// (back to the root: its failure link) is decided without reading its node.
    private let rootBMP: [UInt64]
    private let rootOther: [UInt32: Int32]

    /// A transition target as stored: the state, with bit 31 set if patterns end there
    /// (so that the usual step, with no match, reads no output data).
    enum Target {
        static let hasOutput: UInt32 = 0x8000_0000
        @inline(__always) static func state(_ t: UInt32) -> Int32 { Int32(bitPattern: t & 0x7FFF_FFFF) }
    }
    private let nodes: [Node]
    /// Edges, `key | target << 32`, each state's sorted by key.
    private let edges: [UInt64]
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
        // Sorted by pattern, equal patterns by id (one three-way comparison per pair).
        let order = patterns.indices.filter { !patterns[$0].isEmpty }.sorted { a, b in
            patterns[a].withUnsafeBufferPointer { x in
                patterns[b].withUnsafeBufferPointer { y in
                    for k in 0..<min(x.count, y.count) where x[k] != y[k] { return x[k] < y[k] }
                    return x.count != y.count ? x.count < y.count : a < b
                }
            }
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
            if state == 0 { return unit < 0x10000 ? rootBMP[Int(unit)] : (rootOther[unit] ?? 0) }   // (the build's own table)
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
        // 5. Final layout, states renumbered breadth first: the shallow states, which most
        //    steps visit (root → first character → back), sit together in the cache.
        var newOf = [Int32](repeating: 0, count: stateCount)
        for (position, state) in byDepth.enumerated() { newOf[Int(state)] = Int32(position) }
        func renumbered(_ state: Int32) -> Int32 { state < 0 ? state : newOf[Int(state)] }
        var nodes: [Node] = []
        var edges: [UInt64] = []
        var finalOwnStart: [Int32] = [], finalOwnCount: [Int32] = [], finalOutputLink: [Int32] = []
        nodes.reserveCapacity(stateCount)
        edges.reserveCapacity(edgeKeys.count)
        for state in byDepth.map(Int.init) {
            let start = Int(edgeStart[state]), count = Int(edgeCount[state])
            var mask: UInt32 = 0
            let newStart = Int32(edges.count)
            for e in start..<(start + count) {
                mask |= 1 << (edgeKeys[e] & 31)
                edges.append(UInt64(edgeKeys[e]) | UInt64(UInt32(bitPattern: newOf[Int(edgeTargets[e])])) << 32)
            }
            nodes.append(Node(edgeStart: newStart, fail: renumbered(fail[state]),
                              output: renumbered(ownCount[state] > 0 ? Int32(state) : outputLink[state]),
                              edgeCount: Int32(count), keyMask: mask))
            finalOwnStart.append(ownStart[state])
            finalOwnCount.append(ownCount[state])
            finalOutputLink.append(renumbered(outputLink[state]))
        }
        func target(_ newState: Int32) -> UInt32 {
            UInt32(bitPattern: newState) | (nodes[Int(newState)].output >= 0 ? Target.hasOutput : 0)
        }
        var root = [UInt64](repeating: 0, count: 0x10000)
        for unit in 0..<rootBMP.count where rootBMP[unit] != 0 {
            let newState = newOf[Int(rootBMP[unit])]
            root[unit] = UInt64(target(newState)) | UInt64(nodes[Int(newState)].keyMask) << 32
        }
        for (unit, state) in rootOther { rootOther[unit] = newOf[Int(state)] }
        for e in edges.indices {
            let newState = Int32(truncatingIfNeeded: edges[e] >> 32)
            edges[e] = (edges[e] & 0xFFFF_FFFF) | UInt64(target(newState)) << 32
        }
        self.rootBMP = root
        self.rootOther = rootOther
        self.nodes = nodes
        self.edges = edges
        self.ownStart = finalOwnStart
        self.ownCount = finalOwnCount
        self.outputLink = finalOutputLink
    }

    /// The stored target (``Target``) after `unit` from a non-root state, or nil if it has
    /// no such edge.
    @inline(__always)
    private static func step(_ node: Node, _ unit: UInt32, _ edges: UnsafeBufferPointer<UInt64>) -> UInt32? {
        guard node.keyMask & (1 << (unit & 31)) != 0 else { return nil }
        let start = Int(node.edgeStart), count = Int(node.edgeCount)
        if count <= 8 {
            for e in start..<(start + count) where UInt32(truncatingIfNeeded: edges[e]) == unit { return UInt32(truncatingIfNeeded: edges[e] >> 32) }
            return nil
        }
        var lo = start, hi = start + count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = UInt32(truncatingIfNeeded: edges[mid])
            if k == unit { return UInt32(truncatingIfNeeded: edges[mid] >> 32) }
            if k < unit { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Calls `report(patternID, start, end)` for every occurrence of every
    /// pattern in `units` (half-open ranges of unit indices), in order of end.
    func forEachMatch(in units: [UInt32], _ report: (Int, Int, Int) -> Void) {
        // The arrays are read through buffer pointers: every index comes from the
        // automaton's own construction (states, edge ranges), so the checks are redundant.
        nodes.withUnsafeBufferPointer { nodes in
            edges.withUnsafeBufferPointer { edges in
                rootBMP.withUnsafeBufferPointer { root in
                    var state: Int32 = 0
                    // Right after a step from the root: the new state's key mask (from the root
                    // table), valid while `fromRoot`; such a state fails back to the root.
                    var mask: UInt32 = 0
                    var fromRoot = false
                    for (i, unit) in units.enumerated() {
                        var hasOutput = false
                        while true {
                            if state == 0 {
                                if unit < 0x10000 {
                                    let entry = root[Int(unit)]
                                    let target = UInt32(truncatingIfNeeded: entry)
                                    state = Target.state(target)
                                    hasOutput = target & Target.hasOutput != 0
                                    mask = UInt32(truncatingIfNeeded: entry >> 32)
                                    fromRoot = true
                                } else {
                                    state = rootOther[unit] ?? 0
                                    hasOutput = state > 0 && nodes[Int(state)].output >= 0
                                    fromRoot = false
                                }
                                break
                            }
                            if fromRoot, mask & (1 << (unit & 31)) == 0 { state = 0; fromRoot = false; continue }
                            fromRoot = false
                            let node = nodes[Int(state)]
                            if let target = AhoCorasick.step(node, unit, edges) {
                                state = Target.state(target)
                                hasOutput = target & Target.hasOutput != 0
                                break
                            }
                            state = node.fail
                        }
                        guard hasOutput else { continue }
                        var out = nodes[Int(state)].output
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
        }
    }
}
