// LexAutomaton+CutEscape: tokens that end inside an escape — plain characters and then a lone `\`
// (`foo\`, `\",\`, `.*\`: 921 of the 1,804 rest tokens of MaskBench's 128k tokenizer) — decided
// wholesale at a string-body root, as the slicer decides the plain tokens (`LexAutomaton+Slicer`).
// A token of c plain characters and a `\` is allowed exactly when some pair, after those c
// characters, survives the `\` (the escape is finished by the next token). The root qualifies when
// that depends on c alone: some m such that every token with c ≤ m is allowed and none with c > m,
// and no pair accepts on the `\` (a string never ends at a backslash, so nothing would complete).
// Then the cut tokens come from `TokenSlices.cutUpTo[m]` and the walk uses the rest trie without them.

/// How one DFA state takes a lone `\`.
enum CutClass { case alive, dead, accepts }

extension LexAutomaton {
    /// m for root `root` (−1: no cut token allowed), or nil when the cut tokens must be walked.
    mutating func cutDepth(_ root: Int32, maxCut: Int) -> Int? {
        var m = -1
        var others: [Int32] = []
        for c in components[Int(root)] {
            let s = LexAutomaton.state(c)
            // A pair whose every reachable state survives `\` allows every cut token.
            if allLiveClosure(s) && closureCutAlive(s) { m = maxCut } else { others.append(s) }
        }
        var lastAlive: [Int] = []
        for s in others {
            guard let (full, last) = cutFrontier(s, upTo: maxCut) else { return nil }
            m = max(m, full - 1)
            lastAlive.append(last)
        }
        for last in lastAlive where last > m { return nil }
        return m
    }

    /// How DFA state `s` takes a lone `\`.
    func cutClass(_ s: Int32) -> CutClass { g.cutClass(s) }

    /// Whether every state reachable from `s` through plain characters survives a lone `\` without
    /// accepting (called after `allLiveClosure(s)`, so the closure fits its bound). Memoized per state.
    mutating func closureCutAlive(_ s: Int32) -> Bool {
        if let m = cutClosureMemo[s] { return m }
        let g = self.g
        let ok = everyClosureState(s) { q, _ in g.cutClass(q) == .alive }
        cutClosureMemo[s] = ok
        return ok
    }

    /// Follows the states of `s` after c = 0, 1, … plain characters (at most `maxBodyFrontier` of
    /// them). Returns (full, last): cut tokens with c < full are allowed after every c-character
    /// prefix; `last` is the largest c after which some state survives `\` (−1 if none). Nil when a
    /// state accepts on `\` or on a character, or the frontier grows too wide to follow.
    mutating func cutFrontier(_ s: Int32, upTo maxCut: Int) -> (Int, Int)? {
        var cur = [s], next: [Int32] = []
        var everyPrefix = true, full = 0, last = -1
        for c in 0...maxCut where !cur.isEmpty {
            var alive = 0
            for q in cur {
                switch cutClass(q) {
                case .accepts: return nil
                case .alive: alive += 1
                case .dead: break
                }
            }
            if alive > 0 { last = c }
            if everyPrefix && alive == cur.count && full == c { full = c + 1 }
            next.removeAll(keepingCapacity: true)
            for q in cur {
                let step = bodyStep(q)
                if step.accepts || step.overflow { return nil }
                if !step.allLive { everyPrefix = false }
                for t in step.succ where !next.contains(t) { next.append(t) }
            }
            if next.count > LexAutomaton.maxBodyFrontier { return nil }
            swap(&cur, &next)
        }
        return (full, last)
    }
}

extension FlatGrammar {
    /// How DFA state `s` takes a lone `\` (0x5C).
    func cutClass(_ s: Int32) -> CutClass {
        let t = Int(trans[Int(s) &* 256 &+ 0x5C])
        if t == 0 || (!hasOut[t] && !accepting[t]) { return .dead }
        return accepting[t] ? .accepts : .alive
    }
}
