// NFA: a Thompson-style nondeterministic automaton over bytes, built from a ByteRegex. It exists only
// as the input of the subset construction in DFA.swift; edges carry byte sets, epsilon edges are separate.
// Reference: Thompson, "Regular expression search algorithm" (CACM 1968); Russ Cox's regexp1 notes.

struct NFA {
    /// Byte edges per state: (byte set, target).
    var edges: [[(ByteSet, Int32)]] = []
    /// Epsilon edges per state.
    var eps: [[Int32]] = []
    var start: Int32 = 0
    var accept: Int32 = 0
    let maxStates: Int

    init(_ regex: ByteRegex, maxStates: Int) throws {
        self.maxStates = maxStates
        start = try newState()
        accept = try newState()
        try build(regex, start, accept)
    }

    private mutating func newState() throws -> Int32 {
        if edges.count >= maxStates { throw AlignGrammarError.tooLarge(what: "NFA states", limit: maxStates) }
        edges.append([]); eps.append([])
        return Int32(edges.count - 1)
    }

    /// Adds states and edges so that the strings of `r` lead from `s` to `t`.
    private mutating func build(_ r: ByteRegex, _ s: Int32, _ t: Int32) throws {
        switch r {
        case .empty: eps[Int(s)].append(t)
        case .nothing: break
        case .bytes(let set): if !set.isEmpty { edges[Int(s)].append((set, t)) }
        case .seq(let parts):
            if parts.isEmpty { eps[Int(s)].append(t); return }
            var cur = s
            for (i, p) in parts.enumerated() {
                let next = i == parts.count - 1 ? t : try newState()
                try build(p, cur, next)
                cur = next
            }
        case .alt(let parts):
            // Each branch gets its own entry state so loops inside one branch cannot leak into another.
            for p in parts {
                let a = try newState()
                eps[Int(s)].append(a)
                try build(p, a, t)
            }
        case let .repeat(inner, lo, hi):
            try buildRepeat(inner, lo, hi, s, t)
        }
    }

    private mutating func buildRepeat(_ r: ByteRegex, _ lo: Int, _ hi: Int?, _ s: Int32, _ t: Int32) throws {
        var cur = s
        for _ in 0..<lo {
            let next = try newState()
            try build(r, cur, next)
            cur = next
        }
        if let hi {
            // Optional copies: each intermediate point may jump to the end.
            for _ in lo..<max(lo, hi) {
                eps[Int(cur)].append(t)
                let next = try newState()
                try build(r, cur, next)
                cur = next
            }
            eps[Int(cur)].append(t)
        } else {
            // Loop state m: s → m, m -r-> m, m → t.
            let m = try newState()
            eps[Int(cur)].append(m)
            let back = try newState()
            try build(r, m, back)
            eps[Int(back)].append(m)
            eps[Int(m)].append(t)
        }
    }
}
