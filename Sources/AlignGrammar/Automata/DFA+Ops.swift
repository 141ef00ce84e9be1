// DFA operations: trimming dead-end states, Moore minimization, and product constructions
// (intersection, difference, union) used to combine `pattern`, length, `format` and key exclusions.
// Moore's algorithm: refine the accept/reject partition by successor classes until stable
// (Hopcroft & Ullman, "Introduction to Automata Theory", §3.4); bytes are first grouped into
// classes with identical columns so each refinement pass looks at few columns, and each pass
// hashes flat signature rows (no per-state arrays), since minimization dominated schema compile time.

extension DFA {
    /// Removes unreachable states, sends states that cannot reach acceptance to the dead state,
    /// and minimizes. State 1 stays the start state.
    func trimmed(minimize: Bool = true) -> DFA {
        let n = numStates
        var rev = [[Int32]](repeating: [], count: n)
        var reach = [Bool](repeating: false, count: n)
        var stack: [Int32] = [1]
        reach[1] = true
        while let s = stack.popLast() {
            for b in 0..<256 {
                let t = trans[Int(s) * 256 + b]
                if t == 0 { continue }
                rev[Int(t)].append(s)
                if !reach[Int(t)] { reach[Int(t)] = true; stack.append(t) }
            }
        }
        var live = [Bool](repeating: false, count: n)
        stack = (0..<n).filter { reach[$0] && accepting[$0] }.map { Int32($0) }
        for s in stack { live[Int(s)] = true }
        while let s = stack.popLast() {
            for p in rev[Int(s)] where !live[Int(p)] { live[Int(p)] = true; stack.append(p) }
        }
        return minimized(live: live, minimize: minimize)
    }

    /// Moore minimization restricted to `live` states (others become dead).
    private func minimized(live: [Bool], minimize: Bool) -> DFA {
        let n = numStates
        let states = (1..<n).filter { live[$0] }
        if !live[1] {
            return DFA(numStates: 2, trans: [Int32](repeating: 0, count: 512), accepting: [false, false])
        }
        // Minimization only pays for modest automata (Moore is O(n · classes · rounds)); larger ones
        // are renumbered as they are (still trimmed: correctness never depends on minimality).
        if states.count > 4_000 || !minimize {
            var block = [Int](repeating: 0, count: n)
            for (k, s) in states.enumerated() { block[s] = k + 1 }
            return renumbered(states: states, block: block, live: live)
        }
        let classes = liveByteClasses(states, live: live)
        let blockOf = mooreBlocks(states, live: live, reps: classes)
        var block = [Int](repeating: 0, count: n)   // 0 = dead block
        for (k, s) in states.enumerated() { block[s] = Int(blockOf[k + 1]) }
        return renumbered(states: states, block: block, live: live)
    }

    /// One byte per class of bytes whose columns agree over the live states (dead targets as 0).
    private func liveByteClasses(_ states: [Int], live: [Bool]) -> [Int] {
        var hash = [UInt64](repeating: 0xcbf2_9ce4_8422_2325, count: 256)
        for s in states {
            for b in 0..<256 {
                let t = trans[s * 256 + b]
                hash[b] = (hash[b] ^ UInt64(UInt32(bitPattern: live[Int(t)] ? t : 0))) &* 0x100_0000_01b3
            }
        }
        var reps: [Int] = []
        var byHash: [UInt64: [Int]] = [:]
        for b in 0..<256 {
            let same = byHash[hash[b]]?.contains { r in
                states.allSatisfy { s in
                    let x = trans[s * 256 + b], y = trans[s * 256 + r]
                    return (live[Int(x)] ? x : 0) == (live[Int(y)] ? y : 0)
                }
            } ?? false
            if !same { reps.append(b); byHash[hash[b], default: []].append(b) }
        }
        return reps
    }

    /// Moore refinement over flat tables: state k (1-based position in `states`, 0 = dead) gets the
    /// block of its signature (own block, successor blocks per byte class) until no block splits.
    /// Signatures are hashed into an open-addressing table of first holders and compared in full,
    /// so no per-state array is allocated.
    private func mooreBlocks(_ states: [Int], live: [Bool], reps: [Int]) -> [Int32] {
        let m = states.count, r = reps.count, w = r + 1
        var index = [Int32](repeating: 0, count: numStates)
        for (k, s) in states.enumerated() { index[s] = Int32(k + 1) }
        var succ = [Int32](repeating: 0, count: (m + 1) * r)
        for (k, s) in states.enumerated() {
            for (c, b) in reps.enumerated() { let t = Int(trans[s * 256 + b]); succ[(k + 1) * r + c] = live[t] ? index[t] : 0 }
        }
        var block = [Int32](repeating: 0, count: m + 1)
        for (k, s) in states.enumerated() { block[k + 1] = accepting[s] ? 1 : 2 }
        var sig = [Int32](repeating: 0, count: (m + 1) * w)
        var cap = 16
        while cap < 2 * m { cap <<= 1 }
        var slots = [Int32](repeating: 0, count: cap)   // state holding the slot's signature (0 = empty)
        var next = block
        var count = 0
        while true {
            for i in 0..<cap { slots[i] = 0 }
            var newCount: Int32 = 0
            for k in 1...m {
                sig[k * w] = block[k]
                var h: UInt64 = UInt64(UInt32(bitPattern: block[k])) &* 0x9E37_79B9_7F4A_7C15
                for c in 0..<r {
                    let x = block[Int(succ[k * r + c])]
                    sig[k * w + 1 + c] = x
                    h = (h ^ UInt64(UInt32(bitPattern: x))) &* 0x100_0000_01b3
                }
                var i = Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(cap - 1))
                while true {
                    let o = Int(slots[i])
                    if o == 0 { slots[i] = Int32(k); newCount += 1; next[k] = newCount; break }
                    var same = true
                    for j in 0..<w where sig[o * w + j] != sig[k * w + j] { same = false; break }
                    if same { next[k] = next[o]; break }
                    i = (i + 1) & (cap - 1)
                }
            }
            swap(&block, &next)
            if Int(newCount) == count { break }
            count = Int(newCount)
        }
        return block
    }

    private func renumbered(states: [Int], block: [Int], live: [Bool]) -> DFA {
        // The start state's block becomes 1; others in order of first appearance. Block ids are below
        // numStates, so a flat table replaces a dictionary lookup per transition.
        var newId = [Int32](repeating: 0, count: numStates + 1)
        newId[block[1]] = 1
        var m: Int32 = 1
        for s in states where newId[block[s]] == 0 { m += 1; newId[block[s]] = m }
        let count = Int(m) + 1
        var t2 = [Int32](repeating: 0, count: count * 256)
        var acc = [Bool](repeating: false, count: count)
        var done = [Bool](repeating: false, count: count)   // one row per block: its states agree
        t2.withUnsafeMutableBufferPointer { out in
            trans.withUnsafeBufferPointer { src in
                for s in states {
                    let id = Int(newId[block[s]])
                    if done[id] { continue }
                    done[id] = true
                    acc[id] = accepting[s]
                    for b in 0..<256 {
                        let t = Int(src[s &* 256 &+ b])
                        out[id &* 256 &+ b] = live[t] ? newId[block[t]] : 0
                    }
                }
            }
        }
        return DFA(numStates: count, trans: t2, accepting: acc)
    }

    /// Bytes grouped by identical columns over all states: (class of each byte, one byte per class).
    func byteClasses() -> (classOf: [Int], reps: [Int]) {
        var hash = [UInt64](repeating: 0xcbf2_9ce4_8422_2325, count: 256)
        for s in 0..<numStates {
            for b in 0..<256 { hash[b] = (hash[b] ^ UInt64(UInt32(bitPattern: trans[s * 256 + b]))) &* 0x100_0000_01b3 }
        }
        var classOf = [Int](repeating: 0, count: 256), reps: [Int] = []
        var ids: [UInt64: [Int]] = [:]   // hash → classes with that hash (verified by column compare)
        for b in 0..<256 {
            var found = -1
            for c in ids[hash[b]] ?? [] where (0..<numStates).allSatisfy({ trans[$0 * 256 + b] == trans[$0 * 256 + reps[c]] }) {
                found = c; break
            }
            if found < 0 { found = reps.count; reps.append(b); ids[hash[b], default: []].append(found) }
            classOf[b] = found
        }
        return (classOf, reps)
    }

    /// Product automaton accepting where `accept(inSelf, inOther)` holds.
    func product(_ other: DFA, maxStates: Int, accept: (Bool, Bool) -> Bool) throws -> DFA {
        let (ca, _) = byteClasses(), (cb, _) = other.byteClasses()
        var jointIds: [Int: Int] = [:]
        var classOf = [Int](repeating: 0, count: 256), reps: [Int] = []
        for b in 0..<256 {
            let key = ca[b] << 16 | cb[b]
            if let c = jointIds[key] { classOf[b] = c } else { jointIds[key] = reps.count; classOf[b] = reps.count; reps.append(b) }
        }
        var ids: [Int64: Int32] = [0: 0]
        var pairs: [(Int32, Int32)] = [(0, 0), (1, 1)]
        ids[Int64(1) << 32 | 1] = 1
        var trans = [Int32](repeating: 0, count: 512)
        var acc = [accept(false, false), accept(accepting[1], other.accepting[1])]
        var target = [Int32](repeating: 0, count: reps.count)
        var i = 1
        while i < pairs.count {
            let (a, b) = pairs[i]
            for (c, r) in reps.enumerated() {
                let ta = next(a, r), tb = other.next(b, r)
                let key = Int64(ta) << 32 | Int64(tb)
                if let old = ids[key] { target[c] = old; continue }
                if pairs.count >= maxStates { throw AlignGrammarError.tooLarge(what: "DFA product states", limit: maxStates) }
                let id = Int32(pairs.count); ids[key] = id; pairs.append((ta, tb))
                trans.append(contentsOf: repeatElement(0, count: 256))
                acc.append(accept(accepting[Int(ta)], other.accepting[Int(tb)]))
                target[c] = id
            }
            for x in 0..<256 { trans[i * 256 + x] = target[classOf[x]] }
            i += 1
        }
        // The (0,0) pair is dead only if accept(false,false) is false; callers never ask for that.
        return DFA(numStates: pairs.count, trans: trans, accepting: acc).trimmed()
    }

    @inline(__always) func next(_ s: Int32, _ c: Int) -> Int32 { trans[Int(s) * 256 + c] }

    /// Strings in both languages (memoized per process, see `DFAMemo`).
    public func intersect(_ o: DFA, maxStates: Int = 50_000) throws -> DFA {
        try DFAMemo.shared.value(.product(self, o, op: 0, maxStates: maxStates)) {
            try product(o, maxStates: maxStates) { $0 && $1 }
        }
    }

    /// Strings in `self` but not in `o` (memoized per process).
    public func subtract(_ o: DFA, maxStates: Int = 50_000) throws -> DFA {
        try DFAMemo.shared.value(.product(self, o, op: 1, maxStates: maxStates)) {
            try product(o, maxStates: maxStates) { $0 && !$1 }
        }
    }

    /// Strings in either language (memoized per process).
    public func union(_ o: DFA, maxStates: Int = 50_000) throws -> DFA {
        try DFAMemo.shared.value(.product(self, o, op: 2, maxStates: maxStates)) {
            try product(o, maxStates: maxStates) { $0 || $1 }
        }
    }

    /// `lo…hi` repetitions of a one-symbol language (every accepted string ends the symbol, so
    /// accepting states have no way on), built directly as (count, state-in-symbol) pairs instead
    /// of through an NFA of hi copies.
    static func counted(_ sym: DFA, min lo: Int, max hi: Int) -> DFA {
        let k = sym.numStates - 1                 // symbol states 1…k; index (i, s) → 1 + i*k + (s-1)
        let n = (hi + 1) * k + 1
        var t = [Int32](repeating: 0, count: n * 256)
        var acc = [Bool](repeating: false, count: n)
        func id(_ i: Int, _ s: Int) -> Int { 1 + i * k + (s - 1) }
        for i in 0...hi { acc[id(i, 1)] = i >= lo }
        t.withUnsafeMutableBufferPointer { t in
            sym.trans.withUnsafeBufferPointer { src in
                for i in 0...hi {
                    for s in 1...k {
                        for b in 0..<256 {
                            let x = Int(src[s &* 256 &+ b])
                            if x == 0 { continue }
                            if sym.accepting[x] { if i < hi { t[id(i, s) &* 256 &+ b] = Int32(id(i + 1, 1)) } }
                            else { t[id(i, s) &* 256 &+ b] = Int32(id(i, x)) }
                        }
                    }
                }
            }
        }
        // Already minimal up to trimming (states differ by count, and `sym` is minimal); Moore would
        // need one round per count and dominated compile time for 256-character chunks.
        return DFA(numStates: n, trans: t, accepting: acc).trimmed(minimize: false)
    }
}
