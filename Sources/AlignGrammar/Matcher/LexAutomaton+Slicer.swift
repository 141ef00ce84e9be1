// LexAutomaton+Slicer: root masks for positions inside a string body, llguidance's slicer
// (parser/src/earley/slicer.rs: when the lexer's current regex allows every string of a slice, the
// slice's precomputed token set is allowed wholesale and only the remaining tokens are walked).
//
// The check here is exact. A root qualifies when each of its (dot, DFA state) pairs has some n such
// that every string of at most n plain characters (`PlainChar`) keeps the DFA alive without reaching an
// accepting state and every longer one kills it (also without accepting on the way), or every string
// of up to `maxChars` plain characters stays alive without accepting (n = maxChars). No pair accepts
// inside a body token, so no pair advances, nothing completes, and the pairs step independently: the
// body tokens allowed are exactly those of at most max(n) characters, none of them needs the parser,
// and the rest trie is walked as usual. Inside a property name the generic-key pair has n = maxChars
// and the declared-name literals n = 0. Counted strings (`maxLength`) give n = characters left, so
// every position of a bounded string, a new lexer state each time, costs one bitset copy plus the
// rest walk instead of a whole-trie walk.

/// How plain characters act on one DFA state: whether some character keeps it alive, whether some
/// kills it, whether an accepting state is met on a character's bytes, and the live states after one
/// character (`overflow` when there are too many to track).
struct BodyStep {
    var live = false, dead = false, accepts = false, overflow = false
    var succ: [Int32] = []
    /// Every character keeps the state alive, none accepts.
    var allLive: Bool { live && !dead && !accepts && !overflow }
    /// Every character kills the state, none accepts on the way.
    var allDead: Bool { dead && !live && !accepts }

    /// Adds what other characters do (the union of both sets of characters).
    mutating func merge(_ o: BodyStep) {
        live = live || o.live; dead = dead || o.dead; accepts = accepts || o.accepts; overflow = overflow || o.overflow
        for t in o.succ where !succ.contains(t) {
            succ.append(t)
            if succ.count > LexAutomaton.maxBodySuccessors { overflow = true; return }
        }
    }
}

extension LexAutomaton {
    /// The frontier beyond which the check gives up (pattern-constrained strings).
    static let maxBodyFrontier = 16
    /// The most distinct successor states one character may lead to in `BodyStep.succ`.
    static let maxBodySuccessors = 64
    /// The most states `allLiveClosure` visits before giving up.
    static let maxBodyClosure = 4096

    /// For a root: the number n of characters of the body tokens it allows (see the file header),
    /// or nil if the slicer does not apply.
    mutating func bodyDepth(_ root: Int32, cap: Int) -> Int? {
        guard cap > 0 else { return nil }
        var n = 0, clean = true
        let comps = components[Int(root)]
        for c in comps {
            let s = LexAutomaton.state(c)
            if let dead = soleBody(s) { if !dead { clean = false }; continue }
            if let k = pairDepth(s, cap: cap) { n = max(n, k) } else if allLiveClosure(s) { n = cap } else { clean = false }
        }
        if clean { return n }
        // A pair that allows every body token covers the others' body tokens; they only must not
        // accept inside one (a property-name literal beside the generic-key pair).
        guard n == cap else { return nil }
        for c in comps where !neverAccepts(LexAutomaton.state(c), cap: cap) { return nil }
        return n
    }

    /// What `pairDepth` and `allLiveClosure` conclude for a state with one live byte (a literal's
    /// state), read from its `FlatGrammar.sole` word instead of a per-character analysis that a new literal
    /// position would pay for once (~2 µs): true when every plain character kills it (an ASCII byte
    /// other than a plain one or `\`: depth 0), false when it is mixed (a plain ASCII byte to a live
    /// state: one character lives, the others die, so the pair is not clean), nil otherwise.
    func soleBody(_ s: Int32) -> Bool? {
        let info = g.sole[Int(s)]
        if info == LexAutomaton.soleNone { return true }
        guard info & LexAutomaton.soleFlag != 0 else { return nil }
        let b = UInt8(truncatingIfNeeded: info >> 32), t = Int(UInt32(truncatingIfNeeded: info))
        if b >= 0x80 || b == UInt8(ascii: "\\") { return nil }
        let plain = b >= 0x20 && b != UInt8(ascii: "\"") && b != 0x7F
        if !plain { return true }
        return !(g.hasOut[t] || g.accepting[t])
    }

    /// For one pair's DFA state `s`: n such that every string of at most n plain characters keeps
    /// the DFA alive without accepting and every longer one kills it without accepting on the way
    /// (n = `cap` when all strings up to `cap` characters stay alive), or nil.
    mutating func pairDepth(_ s: Int32, cap: Int) -> Int? {
        var cur = [s]
        var next: [Int32] = []
        for c in 0..<cap {
            var live = 0, dead = 0
            next.removeAll(keepingCapacity: true)
            for s in cur {
                let step = bodyStep(s)
                if step.allDead { dead += 1 } else if step.allLive {
                    live += 1
                    for t in step.succ where !next.contains(t) { next.append(t) }
                } else {
                    return nil
                }
            }
            if dead == cur.count { return c }
            if live != cur.count || next.count > LexAutomaton.maxBodyFrontier { return nil }
            swap(&cur, &next)
        }
        return cap
    }

    /// Whether no string of at most `cap` plain characters leads DFA state `s` through an accepting state.
    mutating func neverAccepts(_ s: Int32, cap: Int) -> Bool {
        frontierNeverAccepts(s, cap: cap) || allLiveClosure(s)
    }

    /// `neverAccepts` by following the frontier of states character by character (at most
    /// `maxBodyFrontier` states per step).
    mutating func frontierNeverAccepts(_ s: Int32, cap: Int) -> Bool {
        var cur = [s]
        var next: [Int32] = []
        for _ in 0..<cap where !cur.isEmpty {
            next.removeAll(keepingCapacity: true)
            for s in cur {
                let step = bodyStep(s)
                if step.accepts || step.overflow { return false }
                for t in step.succ where !next.contains(t) { next.append(t) }
            }
            if next.count > LexAutomaton.maxBodyFrontier { return false }
            swap(&cur, &next)
        }
        return true
    }

    /// Whether every state reachable from `s` through plain characters keeps every plain character
    /// alive without accepting on its bytes — then every plain string of any length does (the
    /// generic "not a declared name" key of an object with many properties, whose states branch
    /// on the names' first characters past what the frontier walk tracks). Memoized per state.
    mutating func allLiveClosure(_ s: Int32) -> Bool {
        if let m = closureMemo[s] { return m }
        let ok = everyClosureState(s) { $1.allLive }
        closureMemo[s] = ok
        return ok
    }

    /// Whether `holds(state, bodyStep(state))` is true for every state reachable from `s` through plain
    /// characters (false past `maxBodyClosure` states).
    mutating func everyClosureState(_ s: Int32, _ holds: (Int32, BodyStep) -> Bool) -> Bool {
        var seen: Set<Int32> = [s]
        var stack = [s]
        while let q = stack.popLast() {
            let step = bodyStep(q)
            if !holds(q, step) { return false }
            for t in step.succ where seen.insert(t).inserted {
                if seen.count > LexAutomaton.maxBodyClosure { return false }
                stack.append(t)
            }
        }
        return true
    }

    /// How plain characters act on DFA state `s` (memoized per state).
    mutating func bodyStep(_ s: Int32) -> BodyStep {
        if let m = bodyMemo[s] { return m }
        var r = BodyStep()
        var mid: [Int32] = []
        for (k, (lead, tail)) in PlainChar.sequences.enumerated() where !r.overflow {
            // States after the character's first byte, deduplicated; the rest of the character from
            // each of them is shared by every state that leads there (`tailStep`).
            mid.removeAll(keepingCapacity: true)
            for b in lead { note(g.trans[Int(s) &* 256 &+ Int(b)], &mid, final: tail.isEmpty, &r) }
            for m in mid { r.merge(tailStep(m, k)) }
        }
        bodyMemo[s] = r
        return r
    }

    /// What the bytes after the first of plain-character sequence `k` do from DFA state `m`.
    /// Memoized per (state, sequence): the multi-byte characters' middle states are few and shared
    /// (every state of a property-name DFA sends a lead byte 0xE1 to the same one), so a state's
    /// `bodyStep` costs its 256 first bytes instead of thousands of continuation bytes — the
    /// one-time `allLiveClosure` search at the first key of a large object was 0.4–2 ms.
    mutating func tailStep(_ m: Int32, _ k: Int) -> BodyStep {
        let key = Int64(m) << 8 | Int64(k)
        if let t = tailMemo[key] { return t }
        var r = BodyStep()
        var mid: [Int32] = [m], midNext: [Int32] = []
        let tail = PlainChar.sequences[k].tail
        for (i, range) in tail.enumerated() {
            midNext.removeAll(keepingCapacity: true)
            for x in mid {
                for b in range { note(g.trans[Int(x) &* 256 &+ Int(b)], &midNext, final: i == tail.count - 1, &r) }
            }
            swap(&mid, &midNext)
        }
        tailMemo[key] = r
        return r
    }

    /// Records state `t` reached by a byte: a death (0, or no way on), an accepting state, or a live
    /// state for the next byte or, at a character's end, for `r.succ`.
    @inline(__always) private func note(_ t: Int32, _ mid: inout [Int32], final: Bool, _ r: inout BodyStep) {
        if t == 0 || (!g.hasOut[Int(t)] && !g.accepting[Int(t)]) { r.dead = true; return }
        if g.accepting[Int(t)] { r.accepts = true }
        if !g.hasOut[Int(t)] { if final { r.live = true }; return }
        // Many distinct states (an enum or a pattern DFA) are not a string body: give up tracking.
        // Most characters lead where the previous one did (the free body state), so check the last
        // entry before scanning the list.
        if final {
            r.live = true
            if r.succ.last != t && !r.succ.contains(t) {
                r.succ.append(t); if r.succ.count > LexAutomaton.maxBodySuccessors { r.overflow = true }
            }
        } else if mid.last != t && !mid.contains(t) {
            mid.append(t); if mid.count > 4 * LexAutomaton.maxBodyFrontier { r.overflow = true }
        }
    }
}
