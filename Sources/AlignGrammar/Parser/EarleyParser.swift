// EarleyParser: a byte-level Earley recognizer over a FlatGrammar whose terminals are DFAs. An item is
// (dot, origin, DFA state); scanning a byte steps the DFA of every item sitting at a terminal, and an
// accepting DFA state also advances the dot. The chart is a stack of sets, so undoing n bytes is
// popping n sets (rollback, and the push/pop of the token-trie walk). Nullable symbols use the
// Aycock–Horspool fix (advance over a nullable nonterminal at prediction time; "Practical Earley
// Parsing", Computer Journal 2002). The mirror in spirit is llguidance's parser/src/earley/parser.rs.

/// An Earley recognizer with a poppable chart.
public struct EarleyParser {
    let g: FlatGrammar
    // The chart: items of all sets, set k spans setStart[k] ..< setStart[k+1] (or the end).
    private var dots: [Int32] = []
    private var origins: [Int32] = []
    private var states: [Int32] = []
    private var setStart: [Int] = []
    /// Per set: an id never reused by this parser (a position popped and scanned again gets a new
    /// one). The chart is a stack, so an unchanged id at position p means sets 0...p are unchanged.
    private var setIds: [UInt64] = []
    private var nextSetId: UInt64 = 0
    // Per-set dedupe: open addressing over packed item keys, slots valid when stamp matches.
    private var slots: [UInt64]
    private var slotStamp: [UInt32]
    private var stamp: UInt32 = 0
    private var mask: Int
    /// Per finished large set: nonterminal → indices of items waiting on it (dropped when popped).
    private var waitIndex: [Int: [Int32: [Int32]]] = [:]
    /// Per rule: the closure stamp of the last set that predicted it (each rule's alternatives are
    /// added once per set, however many items wait on it).
    private var predicted: [UInt32]
    private var closureStamp: UInt32 = 0
    /// Items per set above this make `scan` fail (a pathological grammar); see `limitHit`.
    public var maxItemsPerSet = 200_000
    /// Set when a scan was refused because of `maxItemsPerSet` or the chart length limit.
    public private(set) var limitHit = false
    /// The longest input, in bytes (origins must fit the packed item key).
    public static let maxLength = 1 << 20

    /// A parser at the start of the input.
    public init(_ grammar: FlatGrammar) {
        g = grammar
        mask = 1023
        slots = [UInt64](repeating: 0, count: 1024)
        slotStamp = [UInt32](repeating: 0, count: 1024)
        predicted = [UInt32](repeating: 0, count: grammar.ruleCount)
        dots.reserveCapacity(4096); origins.reserveCapacity(4096); states.reserveCapacity(4096)
        beginSet()
        for a in g.altLo[Int(g.startRule)]..<g.altHi[Int(g.startRule)] { add(g.altStarts[Int(a)], 0) }
        _ = closure()
    }

    /// Bytes consumed so far.
    public var length: Int { setStart.count - 1 }

    /// The id of the set at position `p` (0...length); see `setIds`.
    public func setId(at p: Int) -> UInt64 { setIds[p] }

    private mutating func beginSet() {
        setStart.append(dots.count)
        setIds.append(nextSetId)
        nextSetId &+= 1
        stamp &+= 1
        if stamp == 0 { for i in slotStamp.indices { slotStamp[i] = 0 }; stamp = 1 }
    }

    @inline(__always) private func key(_ d: Int32, _ o: Int32, _ s: Int32) -> UInt64 {
        UInt64(UInt32(d)) | UInt64(UInt32(o)) << 24 | UInt64(UInt32(s)) << 44
    }

    /// Inserts an item into the current set unless present.
    @inline(__always) private mutating func insert(_ d: Int32, _ o: Int32, _ s: Int32) {
        let k = key(d, o, s)
        var h = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while slotStamp[h] == stamp {
            if slots[h] == k { return }
            h = (h + 1) & mask
        }
        slots[h] = k; slotStamp[h] = stamp
        dots.append(d); origins.append(o); states.append(s)
        if (dots.count - setStart[setStart.count - 1]) * 2 > mask { grow() }
    }

    private mutating func grow() {
        let n = (mask + 1) * 2
        mask = n - 1
        slots = [UInt64](repeating: 0, count: n)
        slotStamp = [UInt32](repeating: 0, count: n)
        stamp = 1
        for i in setStart[setStart.count - 1]..<dots.count {
            let k = key(dots[i], origins[i], states[i])
            var h = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
            while slotStamp[h] == stamp { h = (h + 1) & mask }
            slots[h] = k; slotStamp[h] = stamp
        }
    }

    /// Adds the item at `dot`, stepping over leading terminals that accept the empty string.
    @inline(__always) private mutating func add(_ dot: Int32, _ origin: Int32) {
        var d = dot
        while g.kind[Int(d)] == .terminal {
            let t = Int(g.arg[Int(d)])
            insert(d, origin, g.termStart[t])
            if !g.termNullable[t] { return }
            d += 1
        }
        insert(d, origin, 0)
    }

    /// Predicts and completes items of the current set. Returns false past the item limit.
    private mutating func closure() -> Bool {
        let k = Int32(setStart.count - 1)
        closureStamp &+= 1
        if closureStamp == 0 { for r in predicted.indices { predicted[r] = 0 }; closureStamp = 1 }
        var i = setStart[Int(k)]
        while i < dots.count {
            let d = Int(dots[i])
            switch g.kind[d] {
            case .nonterminal:
                let r = Int(g.arg[d])
                if predicted[r] != closureStamp {
                    predicted[r] = closureStamp
                    for a in g.altLo[r]..<g.altHi[r] { add(g.altStarts[Int(a)], k) }
                }
                if g.nullable[r] { add(Int32(d + 1), origins[i]) }
            case .end:
                let j = Int(origins[i])
                if j != Int(k) { complete(rule: g.arg[d], from: j) }
            case .terminal:
                break
            }
            if dots.count - setStart[Int(k)] > maxItemsPerSet { return false }
            i += 1
        }
        return true
    }

    @inline(__always) private mutating func complete(rule r: Int32, from j: Int) {
        let lo = setStart[j], hi = setStart[j + 1]
        if hi - lo > EarleyParser.indexThreshold {
            // Large finished set (e.g. the prediction set of a long counted repeat): look the waiting
            // items up in an index instead of scanning, which would make long repeats quadratic.
            if waitIndex[j] == nil { waitIndex[j] = buildIndex(lo, hi) }
            for p in waitIndex[j]?[r] ?? [] { add(dots[Int(p)] + 1, origins[Int(p)]) }
            return
        }
        for p in lo..<hi {
            let d = Int(dots[p])
            if g.kind[d] == .nonterminal && g.arg[d] == r { add(Int32(d + 1), origins[p]) }
        }
    }

    /// Sets larger than this get a rule → waiting-items index on first completion into them.
    static let indexThreshold = 48

    private func buildIndex(_ lo: Int, _ hi: Int) -> [Int32: [Int32]] {
        var idx: [Int32: [Int32]] = [:]
        for p in lo..<hi where g.kind[Int(dots[p])] == .nonterminal { idx[g.arg[Int(dots[p])], default: []].append(Int32(p)) }
        return idx
    }

    /// Consumes byte `b`. Returns false (and leaves the parser unchanged) if no item can take it.
    public mutating func scan(_ b: UInt8) -> Bool {
        limitHit = false
        let from = setStart[setStart.count - 1], to = dots.count
        if setStart.count >= EarleyParser.maxLength { limitHit = true; return false }
        beginSet()
        for i in from..<to where g.kind[Int(dots[i])] == .terminal {
            let s = g.trans[Int(states[i]) &* 256 &+ Int(b)]
            if s == 0 { continue }
            if g.hasOut[Int(s)] { insert(dots[i], origins[i], s) }
            if g.accepting[Int(s)] { add(dots[i] + 1, origins[i]) }
        }
        if dots.count == setStart[setStart.count - 1] { popSet(); return false }
        if !closure() { limitHit = true; popSet(); return false }
        return true
    }

    /// Undoes the last consumed byte.
    public mutating func popSet() {
        let start = setStart.removeLast()
        setIds.removeLast()
        if !waitIndex.isEmpty { waitIndex[setStart.count] = nil }
        dots.removeSubrange(start...)
        origins.removeSubrange(start...)
        states.removeSubrange(start...)
        stamp &+= 1
    }

    /// Undoes the last `n` bytes.
    public mutating func pop(_ n: Int) {
        for _ in 0..<min(n, length) { popSet() }
    }

    /// Whether the input so far is a complete sentence.
    public var isAccepting: Bool {
        let lo = setStart[setStart.count - 1]
        for i in lo..<dots.count where dots[i] == g.acceptDot && origins[i] == 0 { return true }
        return false
    }

    /// The bytes that `scan` would accept now.
    public var allowedBytes: ByteSet {
        var set = ByteSet()
        for i in setStart[setStart.count - 1]..<dots.count where g.kind[Int(dots[i])] == .terminal {
            let base = Int(states[i]) * 256
            for b in 0..<256 where g.trans[base + b] != 0 { set.insert(UInt8(b)) }
        }
        return set
    }

    /// The current set's items that sit on a terminal, packed as `LexAutomaton.pack(dot, state,
    /// origin)` (the origin in the tag field; unsorted, possibly repeated).
    public func terminalItems(into out: inout [UInt64]) {
        out.removeAll(keepingCapacity: true)
        for i in setStart[setStart.count - 1]..<dots.count where g.kind[Int(dots[i])] == .terminal {
            out.append(LexAutomaton.pack(dots[i], states[i], UInt64(UInt32(bitPattern: origins[i]))))
        }
    }

    /// Items in the current set (for tests and statistics).
    public var currentSetSize: Int { dots.count - setStart[setStart.count - 1] }
}
