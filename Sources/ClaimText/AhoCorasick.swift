import Glibc

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

    /// 16 bytes (roughly 200,000 of them are kept for a whole crawl): a state's edges end where the
    /// next state's start (``nodes`` has one more node, after the last state, for that).
    struct Node {
        var edgeStart: Int32
        var fail: Int32
        /// Where the patterns ending at this state (its own, then those of the shorter
        /// suffixes on its failure chain) start in ``outputs``; -1 if none.
        var output: Int32
        /// Bit `key & 31` is set for every edge key.
        var keyMask: UInt32
    }

    /// The root's transitions for the BMP: the target (``Target``) in the low 32 bits and
    /// the target's `keyMask` in the high 32, so that from a first-character state a miss
    /// (back to the root: its failure link) is decided without reading its node.
    private let rootBMP: RootTable
    private let rootOther: [UInt32: Int32]
    /// One bit per BMP unit: set if some pattern starts with it. Most characters of a page
    /// start none, and this 8 KB table stays in the L1 cache where `rootBMP` (512 KB) does not.
    private let rootStarts: [UInt64]

    /// A transition target as stored: the state, with bit 31 set if patterns end there
    /// (so that the usual step, with no match, reads no output data).
    enum Target {
        static let hasOutput: UInt32 = 0x8000_0000
        /// An edge's key (a Unicode scalar value: 21 bits) beside its `hasOutput` bit.
        static let keyBits: UInt32 = 0x1F_FFFF
        @inline(__always) static func state(_ t: UInt32) -> Int32 { Int32(bitPattern: t & 0x7FFF_FFFF) }
    }
    private let nodes: [Node]
    /// Edges, `key | hasOutput`, each state's sorted by key. Edge `e` leads to state `e + 1`:
    /// the patterns are inserted in sorted order, so the trie's states are created in
    /// preorder and their breadth-first numbering orders each depth by (parent, key) — exactly
    /// the order of the edges grouped by parent —, so no target is stored (4 bytes a state).
    /// Keys are Unicode scalar values (at most 21 bits; asserted while building).
    private let edges: [UInt32]
    /// Every state's output list in one array: a hit reads one short run instead of walking
    /// the failure chain's output links through four arrays. An entry holds the pattern id
    /// (low 32 bits) and its length (bits 32–62), so that a hit needs no other lookup; bit
    /// 63 is set on a list's last entry.
    private let outputs: [UInt64]
    static let lastOutput: UInt64 = 1 << 63

    /// Builds the automaton for patterns given one array each (tests, small lists).
    init(patterns: [[UInt32]]) {
        var starts: [Int32] = [0]
        for p in patterns { starts.append(starts[starts.count - 1] + Int32(p.count)) }
        self.init(units: patterns.flatMap { $0 }, starts: starts)
    }

    /// Builds the automaton without a dictionary per state: the patterns are sorted, so
    /// one pass creates the trie with each state's edges in ascending order, and a
    /// counting sort by parent makes every state's edges contiguous.
    /// Pattern `i` is `units[starts[i] ..< starts[i + 1]]`.
    ///
    /// Building is part of every start-up (`check` compiles the lexicon each time), so the
    /// per-state arrays are filled through buffer pointers: every index comes from the
    /// construction itself.
    init(units: [UInt32], starts: [Int32]) {
        assert(units.allSatisfy { $0 <= Target.keyBits }, "automaton units are Unicode scalar values")
        let count = starts.count - 1
        patternCount = count
        let patternLengths = (0..<count).map { starts[$0 + 1] - starts[$0] }
        var order = AhoCorasick.sortedPatterns(units: units, starts: starts)
        // Building is the compile's peak of memory, which a crawl's resident set keeps: each
        // temporary array is released (`= []`) right after its last use, not at the end.

        // 1. Trie from sorted patterns: a pattern shares the path of the previous one up to
        //    their common prefix; the states on that path are remembered per depth.
        let capacity = units.count + 1
        var parentOf = [Int32](repeating: -1, count: capacity)
        var unitOf = [UInt32](repeating: 0, count: capacity)
        var depthOf = [Int32](repeating: 0, count: capacity)
        var lastOwnOf = [Int32](repeating: -1, count: capacity)   // per state: the last pattern ending there, or -1
        var previousOwn = [Int32](repeating: -1, count: order.count)  // per pattern (in `order`): the one before it at the same state
        let longest = Int(patternLengths.max() ?? 0)
        var path = [Int32](repeating: 0, count: longest + 1)   // path[d] = state at depth d of the previous pattern
        var stateCount = 1
        units.withUnsafeBufferPointer { u in
            parentOf.withUnsafeMutableBufferPointer { parentOf in
            unitOf.withUnsafeMutableBufferPointer { unitOf in
            depthOf.withUnsafeMutableBufferPointer { depthOf in
            lastOwnOf.withUnsafeMutableBufferPointer { lastOwnOf in
                var previousStart = 0, previousLength = 0
                for (rank, id) in order.enumerated() {
                    let start = Int(starts[id]), length = Int(starts[id + 1]) - start
                    var common = 0
                    while common < length, common < previousLength, u[start + common] == u[previousStart + common] { common += 1 }
                    for d in common..<length {
                        parentOf[stateCount] = path[d]
                        unitOf[stateCount] = u[start + d]
                        depthOf[stateCount] = Int32(d + 1)
                        path[d + 1] = Int32(stateCount)
                        stateCount += 1
                    }
                    let end = Int(path[length])
                    previousOwn[rank] = lastOwnOf[end]
                    lastOwnOf[end] = Int32(rank)
                    previousStart = start; previousLength = length
                }
            }}}}
        }

        // 2. States renumbered breadth first (a counting sort by depth, stable in creation
        //    order) before anything else is computed: the shallow states, which failure links
        //    and most scanning steps visit, sit together in memory. Siblings keep their
        //    ascending units (they were created in that order).
        var byDepth = [Int32](repeating: 0, count: stateCount)   // position → state
        var newOf = [Int32](repeating: 0, count: stateCount)     // state → position
        var parent = [Int32](repeating: -1, count: stateCount)   // by position, as positions
        var unitAt = [UInt32](repeating: 0, count: stateCount)
        var ownStart = [Int32](repeating: 0, count: stateCount)  // by position, into `owns`
        var ownCount = [Int32](repeating: 0, count: stateCount)
        var owns = [Int32](repeating: 0, count: order.count)
        depthOf.withUnsafeBufferPointer { depthOf in
        byDepth.withUnsafeMutableBufferPointer { byDepth in
        newOf.withUnsafeMutableBufferPointer { newOf in
            var maxDepth = 0
            for state in 0..<stateCount { maxDepth = max(maxDepth, Int(depthOf[state])) }
            var perDepth = [Int](repeating: 0, count: maxDepth + 2)
            for state in 0..<stateCount { perDepth[Int(depthOf[state]) + 1] += 1 }
            for d in 1..<perDepth.count { perDepth[d] += perDepth[d - 1] }
            for state in 0..<stateCount {
                let d = Int(depthOf[state])
                byDepth[perDepth[d]] = Int32(state)
                newOf[state] = Int32(perDepth[d])
                perDepth[d] += 1
            }
        }}}
        depthOf = []
        // Own outputs, flat, in pattern order (in creation order of the states, as before).
        var ownStartByState = [Int32](repeating: 0, count: stateCount)
        var ownCountByState = [Int32](repeating: 0, count: stateCount)
        owns.withUnsafeMutableBufferPointer { owns in
            var n = 0
            for state in 0..<stateCount {
                ownStartByState[state] = Int32(n)
                var k = lastOwnOf[state]
                while k >= 0 { owns[n] = Int32(order[Int(k)]); n += 1; k = previousOwn[Int(k)] }
                ownCountByState[state] = Int32(n) - ownStartByState[state]
                var i = Int(ownStartByState[state]), j = n - 1   // listed last first: reverse
                while i < j { owns.swapAt(i, j); i += 1; j -= 1 }
            }
        }
        lastOwnOf = []; previousOwn = []; order = []
        for position in 0..<stateCount {
            let state = Int(byDepth[position])
            parent[position] = state == 0 ? -1 : newOf[Int(parentOf[state])]
            unitAt[position] = unitOf[state]
            ownStart[position] = ownStartByState[state]
            ownCount[position] = ownCountByState[state]
        }
        parentOf = []; unitOf = []; byDepth = []; newOf = []; ownStartByState = []; ownCountByState = []

        // 3. Edges grouped by parent (counting sort over positions: units stay ascending).
        var edgeCount = [Int32](repeating: 0, count: stateCount)
        var edgeStart = [Int32](repeating: 0, count: stateCount)
        var edgeKeys = [UInt32](repeating: 0, count: max(stateCount - 1, 0))
        var edgeTargets = [Int32](repeating: 0, count: max(stateCount - 1, 0))
        var rootBMP = [Int32](repeating: 0, count: 0x10000)
        var rootOther: [UInt32: Int32] = [:]
        // 4. Failure and output links, in breadth-first order (= position order).
        var fail = [Int32](repeating: 0, count: stateCount)
        var outputLink = [Int32](repeating: -1, count: stateCount)
        parent.withUnsafeBufferPointer { parent in
        unitAt.withUnsafeBufferPointer { unitAt in
        ownCount.withUnsafeBufferPointer { ownCount in
        edgeCount.withUnsafeMutableBufferPointer { edgeCount in
        edgeStart.withUnsafeMutableBufferPointer { edgeStart in
        edgeKeys.withUnsafeMutableBufferPointer { edgeKeys in
        edgeTargets.withUnsafeMutableBufferPointer { edgeTargets in
        rootBMP.withUnsafeMutableBufferPointer { rootBMP in
        fail.withUnsafeMutableBufferPointer { fail in
        outputLink.withUnsafeMutableBufferPointer { outputLink in
            for s in 1..<max(stateCount, 1) { edgeCount[Int(parent[s])] += 1 }
            var total: Int32 = 0
            for s in 0..<stateCount { edgeStart[s] = total; total += edgeCount[s] }
            var fill = Array(edgeStart)
            for s in 1..<max(stateCount, 1) {
                let p = Int(parent[s])
                edgeKeys[Int(fill[p])] = unitAt[s]
                edgeTargets[Int(fill[p])] = Int32(s)
                fill[p] += 1
            }
            for e in Int(edgeStart[0])..<Int(edgeStart[0] + edgeCount[0]) {
                let unit = edgeKeys[e]
                if unit < 0x10000 { rootBMP[Int(unit)] = edgeTargets[e] } else { rootOther[unit] = edgeTargets[e] }
            }
            func goto(_ state: Int32, _ unit: UInt32) -> Int32 {
                if state == 0 { return unit < 0x10000 ? rootBMP[Int(unit)] : (rootOther[unit] ?? 0) }   // (the build's own table)
                var lo = Int(edgeStart[Int(state)]), hi = lo + Int(edgeCount[Int(state)])
                while lo < hi {   // each state's edges are sorted by unit
                    let mid = (lo + hi) / 2
                    if edgeKeys[mid] == unit { return edgeTargets[mid] }
                    if edgeKeys[mid] < unit { lo = mid + 1 } else { hi = mid }
                }
                return 0
            }
            for s in 1..<max(stateCount, 1) {
                let p = parent[s]
                let unit = unitAt[s]
                if p != 0 {
                    var f = fail[Int(p)]
                    while true {
                        let next = goto(f, unit)
                        if next > 0 { fail[s] = next; break }
                        if f == 0 { break }
                        f = fail[Int(f)]
                    }
                }
                let f = fail[s]
                outputLink[s] = f != 0 && ownCount[Int(f)] > 0 ? f : outputLink[Int(f)]
            }
        }}}}}}}}}}
        parent = []; unitAt = []
        // Output lists: own patterns, then the output link's list (already built: shallower).
        var outputs: [UInt64] = []
        var outputAt = [Int32](repeating: -1, count: stateCount)
        for s in 0..<stateCount {
            let link = Int(outputLink[s])
            guard ownCount[s] > 0 || link >= 0 else { continue }
            outputAt[s] = Int32(outputs.count)
            for k in Int(ownStart[s])..<Int(ownStart[s] + ownCount[s]) {
                let id = Int(owns[k])
                outputs.append(UInt64(UInt32(id)) | UInt64(UInt32(patternLengths[id])) << 32)
            }
            if link >= 0 {
                var k = Int(outputAt[link])
                while true {
                    let entry = outputs[k]
                    outputs.append(entry & ~AhoCorasick.lastOutput)
                    if entry & AhoCorasick.lastOutput != 0 { break }
                    k += 1
                }
            }
            outputs[outputs.count - 1] |= AhoCorasick.lastOutput
        }
        self.outputs = outputs.withExactCapacity()
        ownStart = []; ownCount = []; owns = []; outputLink = []

        // 5. Final layout: nodes with their edge key masks, targets flagged when patterns end there.
        var nodes = [Node](repeating: Node(edgeStart: Int32(edgeKeys.count), fail: 0, output: -1, keyMask: 0), count: stateCount + 1)
        var edges = [UInt32](repeating: 0, count: edgeKeys.count)
        let root: RootTable = nodes.withUnsafeMutableBufferPointer { nodes in
        edges.withUnsafeMutableBufferPointer { edges in
            for s in 0..<stateCount {
                let start = Int(edgeStart[s]), count = Int(edgeCount[s])
                var mask: UInt32 = 0
                for e in start..<(start + count) {
                    mask |= 1 << (edgeKeys[e] & 31)
                    assert(edgeTargets[e] == Int32(e + 1), "states are not numbered in edge order")
                }
                nodes[s] = Node(edgeStart: Int32(start), fail: fail[s],
                                output: outputAt[s], keyMask: mask)
            }
            func target(_ state: Int32) -> UInt32 {
                UInt32(bitPattern: state) | (nodes[Int(state)].output >= 0 ? Target.hasOutput : 0)
            }
            let root = RootTable()
            for unit in 0..<rootBMP.count where rootBMP[unit] != 0 {
                let state = rootBMP[unit]
                root[unit] = UInt64(target(state)) | UInt64(nodes[Int(state)].keyMask) << 32
            }
            for e in edges.indices {
                edges[e] = edgeKeys[e] | (nodes[e + 1].output >= 0 ? Target.hasOutput : 0)
            }
            return root
        }}
        self.rootBMP = root
        var starts = [UInt64](repeating: 0, count: 0x10000 / 64)
        for unit in 0..<rootBMP.count where rootBMP[unit] != 0 { starts[unit >> 6] |= 1 << UInt64(unit & 63) }
        self.rootStarts = starts
        self.rootOther = rootOther
        self.nodes = nodes
        self.edges = edges
    }

    /// Pattern ids sorted by their units (a shorter pattern before a longer one it starts),
    /// equal patterns by id; empty patterns left out. A stable radix sort on the first three
    /// units packed in one key (21 bits each, plus one so that a shorter pattern sorts first)
    /// orders almost everything; runs with equal keys are then sorted on the remaining units.
    static func sortedPatterns(units: [UInt32], starts: [Int32]) -> [Int] {
        let count = starts.count - 1
        var keys: [UInt64] = [], ids: [Int32] = []
        keys.reserveCapacity(count); ids.reserveCapacity(count)
        units.withUnsafeBufferPointer { u in
            for id in 0..<count where starts[id + 1] > starts[id] {
                let s = Int(starts[id]), e = Int(starts[id + 1])
                var key: UInt64 = 0
                for k in 0..<3 { key = key << 21 | (s + k < e ? UInt64(u[s + k]) + 1 : 0) }
                keys.append(key); ids.append(Int32(id))
            }
        }
        // LSD radix sort, 16 bits a pass (stable: equal keys keep id order).
        var keys2 = keys, ids2 = ids
        var histogram = [Int](repeating: 0, count: 0x10001)
        let n = keys.count
        histogram.withUnsafeMutableBufferPointer { histogram in
            for shift in stride(from: UInt64(0), to: 64, by: 16) {
                keys.withUnsafeMutableBufferPointer { keys in
                ids.withUnsafeMutableBufferPointer { ids in
                keys2.withUnsafeMutableBufferPointer { keys2 in
                ids2.withUnsafeMutableBufferPointer { ids2 in
                    histogram.update(repeating: 0)
                    for i in 0..<n { histogram[Int((keys[i] >> shift) & 0xFFFF) + 1] += 1 }
                    for d in 1..<histogram.count { histogram[d] += histogram[d - 1] }
                    for i in 0..<n {
                        let d = Int((keys[i] >> shift) & 0xFFFF)
                        let to = histogram[d]
                        keys2[to] = keys[i]; ids2[to] = ids[i]
                        histogram[d] = to + 1
                    }
                }}}}
                swap(&keys, &keys2); swap(&ids, &ids2)
            }
        }
        // Runs of equal keys: the rest of the units, then length, then id.
        units.withUnsafeBufferPointer { u in
        ids.withUnsafeMutableBufferPointer { ids in
            var runStart = 0
            for i in 1..<(n + 1) where i == n || keys[i] != keys[runStart] {
                if i - runStart > 1 {
                    var run = UnsafeMutableBufferPointer(rebasing: ids[runStart..<i])
                    run.sort { a, b in
                        let x = Int(starts[Int(a)]) + 3, xe = Int(starts[Int(a) + 1])
                        let y = Int(starts[Int(b)]) + 3, ye = Int(starts[Int(b) + 1])
                        var i = x, j = y
                        while i < xe, j < ye {
                            if u[i] != u[j] { return u[i] < u[j] }
                            i += 1; j += 1
                        }
                        return xe - x != ye - y ? xe - x < ye - y : a < b
                    }
                }
                runStart = i
            }
        }}
        return ids.map(Int.init)
    }

    /// The stored target (``Target``) after `unit` from non-root state `state`, or nil if it
    /// has no such edge.
    @inline(__always)
    private static func step(_ state: Int, _ nodes: UnsafeBufferPointer<Node>, _ unit: UInt32, _ edges: UnsafeBufferPointer<UInt32>) -> UInt32? {
        guard nodes[state].keyMask & (1 << (unit & 31)) != 0 else { return nil }
        let start = Int(nodes[state].edgeStart), count = Int(nodes[state + 1].edgeStart) - start
        if count <= 8 {
            for e in start..<(start + count) where edges[e] & Target.keyBits == unit {
                return UInt32(truncatingIfNeeded: e + 1) | edges[e] & Target.hasOutput
            }
            return nil
        }
        var lo = start, hi = start + count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = edges[mid] & Target.keyBits
            if k == unit { return UInt32(truncatingIfNeeded: mid + 1) | edges[mid] & Target.hasOutput }
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
                let root = rootBMP.entries
                rootStarts.withUnsafeBufferPointer { startBits in
                outputs.withUnsafeBufferPointer { outputs in
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
                                    guard startBits[Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0 else { fromRoot = false; break }
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
                            if let target = AhoCorasick.step(Int(state), nodes, unit, edges) {
                                state = Target.state(target)
                                hasOutput = target & Target.hasOutput != 0
                                break
                            }
                            state = nodes[Int(state)].fail
                        }
                        guard hasOutput else { continue }
                        var k = Int(nodes[Int(state)].output)
                        while true {
                            let entry = outputs[k]
                            let id = Int(UInt32(truncatingIfNeeded: entry))
                            let length = Int((entry & ~AhoCorasick.lastOutput) >> 32)
                            report(id, i + 1 - length, i + 1)
                            if entry & AhoCorasick.lastOutput != 0 { break }
                            k += 1
                        }
                    }
                }}
            }
        }
    }
}

/// The root's BMP transition table (``AhoCorasick``): 512 KB of which a lexicon fills a few
/// thousand scattered entries. It comes zeroed from `calloc`, which maps a block that size
/// fresh from the system when it is over glibc's mmap threshold (always under `scan`'s
/// allocator policy; in `check` only while the threshold has not risen), so only the pages
/// that hold an entry become resident (an array would write all 512 KB of zeros). An entry
/// is read only for a unit that starts some pattern (``AhoCorasick/rootStarts``). Written only
/// while the automaton is built.
private final class RootTable: @unchecked Sendable {
    let entries: UnsafeMutablePointer<UInt64>

    init() {
        guard let raw = calloc(0x10000, MemoryLayout<UInt64>.stride) else { fatalError("out of memory for the automaton's root table") }
        entries = raw.bindMemory(to: UInt64.self, capacity: 0x10000)
    }

    deinit { free(entries) }

    subscript(unit: Int) -> UInt64 {
        get { entries[unit] }
        set { entries[unit] = newValue }
    }
}

extension Array {
    /// A copy whose buffer holds exactly `count` elements. An array built by appending keeps
    /// up to twice its size; the compiled lexicon's arrays live for a whole crawl.
    func withExactCapacity() -> [Element] {
        withUnsafeBufferPointer { source in
            [Element](unsafeUninitializedCapacity: source.count) { buffer, initialized in
                _ = buffer.initialize(fromContentsOf: source)
                initialized = source.count
            }
        }
    }
}
