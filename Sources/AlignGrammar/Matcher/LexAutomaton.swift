// LexAutomaton: the lexer half of the lexer/parser split used by the mask walk (llguidance
// docs/optimizations.md: "the lexer is a DFA over bytes; the Earley parser is consulted only at lexeme
// boundaries"). A lexer state is the set of (dot, terminal DFA state) pairs of the Earley items that sit
// on a terminal — origins left out, because scanning a byte never looks at them. Stepping a byte steps
// every pair's DFA; when a DFA accepts, the item's dot advances and predictions are followed (both are
// context-free: they depend on the grammar only). Only when an advance reaches the END of a rule —
// a completion, which needs the chart to find the waiting items — is the step a "boundary": the token
// ending there is allowed, and its subtree needs the real parser. This is xgrammar's split between
// context-independent tokens (stay inside the rule) and context-dependent ones (run past its end),
// arXiv 2411.15100 §3.1.
//
// Each pair also carries a tag: which origin list its items have when they all predate the mask walk
// (0 otherwise). A completion of tagged items only looks at the chart before the walk, so such a
// "root boundary" leads to the same parser state wherever it happens in one mask (GrammarMatcher+Mask).
//
// States are built lazily and cached in a plain transition table (256 entries per state, −1 = not yet
// computed), as llguidance's derivre caches regex derivatives. Past `maxStates` new steps answer
// "boundary", which is always correct (the parser decides), only slower.

/// The lazily built product automaton of the terminal items of Earley sets.
struct LexAutomaton {
    let g: FlatGrammar
    /// No item can take the byte.
    static let dead: Int32 = 0
    /// Some item completed its rule: the byte is allowed, what follows needs the parser.
    static let boundary: Int32 = -3
    /// A boundary where only root-derived items completed: the set after it depends on the root set
    /// and this transition alone, so one mask may reuse it (see `GrammarMatcher+Mask`).
    static let rootBoundary: Int32 = -2
    static let unknown: Int32 = -1

    /// Per state: sorted packed (dot, DFA state, tag) pairs (see `pack`). State 0 is the empty set (dead).
    private(set) var components: [[UInt64]] = [[]]
    private var ids: [[UInt64]: Int32] = [[]: 0]
    /// `trans[state * 256 + byte]`: next state, `dead`, `boundary` or `unknown`.
    private(set) var trans = [Int32](repeating: 0, count: 256)
    let maxStates: Int
    private var ruleMark: [UInt32]
    private var markStamp: UInt32 = 0
    private var scratch: [UInt64] = []
    private var ruleStack: [Int32] = []
    /// Per DFA state: how plain string characters act on it (`LexAutomaton+Slicer`).
    var bodyMemo: [Int32: BodyStep] = [:]
    /// Per (middle DFA state, plain-character sequence): the rest of the character (`tailStep`).
    var tailMemo: [Int64: BodyStep] = [:]
    /// Per DFA state: whether every plain string keeps it alive without accepting (`allLiveClosure`).
    var closureMemo: [Int32: Bool] = [:]
    /// Per DFA state: whether every state of its closure survives a lone `\` (`closureCutAlive`).
    var cutClosureMemo: [Int32: Bool] = [:]

    /// The values of a `FlatGrammar.sole` word (a terminal DFA state's transitions in brief).
    static let soleSeveral: UInt64 = 1, soleNone: UInt64 = 2, soleFlag: UInt64 = 1 << 40, soleAccepts: UInt64 = 1 << 41

    /// False when the grammar is too large for the packed pairs; every step is then a boundary.
    let enabled: Bool

    init(_ g: FlatGrammar, maxStates: Int = 20_000) {
        self.g = g
        self.maxStates = maxStates
        enabled = g.symbolCount < 1 << 22 && g.terminalStateCount < 1 << 20
        ruleMark = [UInt32](repeating: 0, count: g.ruleCount)
    }

    /// Number of states built so far.
    var stateCount: Int { components.count }

    // A pair is packed as dot (22 bits) | DFA state (20 bits) | tag (22 bits). The tag is 1 + the index
    // of the root pair an item derives from (0 for items predicted during the walk); see `internRoot`.
    @inline(__always) static func pack(_ dot: Int32, _ state: Int32, _ tag: UInt64 = 0) -> UInt64 {
        UInt64(UInt32(bitPattern: dot)) << 42 | UInt64(UInt32(bitPattern: state)) << 22 | tag
    }
    @inline(__always) static func dot(_ c: UInt64) -> Int32 { Int32(truncatingIfNeeded: c >> 42) }
    @inline(__always) static func state(_ c: UInt64) -> Int32 { Int32(truncatingIfNeeded: (c >> 22) & 0xF_FFFF) }
    @inline(__always) static func tag(_ c: UInt64) -> UInt64 { c & 0x3F_FFFF }

    /// The state after byte `b` from state `s` (`s` > 0).
    @inline(__always) mutating func step(_ s: Int32, _ b: UInt8) -> Int32 {
        let t = trans[Int(s) &* 256 &+ Int(b)]
        return t != LexAutomaton.unknown ? t : computeStep(s, b)
    }

    /// The state of an Earley set's terminal items (`EarleyParser.terminalItems`, origin in the tag
    /// field). Items sharing (dot, DFA state) become one pair whose tag names their list of origins
    /// in `origins` (a per-mask table) when all of them are at most `rootPos` — items of the chart
    /// before the mask walk, whose completions depend on that chart alone — and 0 otherwise.
    mutating func intern(items: inout [UInt64], rootPos: Int, origins: inout [[Int32]: UInt64],
                         _ buf: inout [Int32]) -> Int32 {
        items.sort()
        var w = 0, i = 0
        while i < items.count {
            let head = items[i] >> 22
            buf.removeAll(keepingCapacity: true)
            var old = true
            while i < items.count && items[i] >> 22 == head {
                let o = Int32(truncatingIfNeeded: LexAutomaton.tag(items[i]))
                if buf.last != o { buf.append(o) }
                if Int(o) > rootPos { old = false }
                i += 1
            }
            var tag: UInt64 = 0
            if old {
                if let t = origins[buf] { tag = t } else if origins.count < 0x3F_FFFE {
                    tag = UInt64(origins.count + 1); origins[buf] = tag
                }
            }
            items[w] = head << 22 | tag
            w += 1
        }
        items.removeLast(items.count - w)
        return intern(&items)
    }

    /// The state of a set of pairs (sorted and deduplicated here).
    mutating func intern(_ pairs: inout [UInt64]) -> Int32 {
        pairs.sort()
        var w = 0
        for i in pairs.indices where i == 0 || pairs[i] != pairs[w - 1] { pairs[w] = pairs[i]; w += 1 }
        pairs.removeLast(pairs.count - w)
        if let id = ids[pairs] { return id }
        let id = Int32(components.count)
        components.append(pairs)
        ids[pairs] = id
        trans.append(contentsOf: repeatElement(LexAutomaton.unknown, count: 256))
        return id
    }

    private mutating func computeStep(_ s: Int32, _ b: UInt8) -> Int32 {
        var out = scratch
        out.removeAll(keepingCapacity: true)
        var walkCompletion = components.count >= maxStates || !enabled, rootCompletion = false
        markStamp &+= 1
        if markStamp == 0 { for i in ruleMark.indices { ruleMark[i] = 0 }; markStamp = 1 }
        if !walkCompletion {
            for c in components[Int(s)] {
                let dot = LexAutomaton.dot(c), tag = LexAutomaton.tag(c)
                let t = g.trans[Int(LexAutomaton.state(c)) &* 256 &+ Int(b)]
                if t == 0 { continue }
                if g.hasOut[Int(t)] { out.append(LexAutomaton.pack(dot, t, tag)) }
                if g.accepting[Int(t)] && !advance(Int(dot) + 1, tag, into: &out) {
                    if tag == 0 { walkCompletion = true; break }
                    rootCompletion = true
                }
            }
        }
        let result: Int32
        if walkCompletion { result = LexAutomaton.boundary } else if rootCompletion { result = LexAutomaton.rootBoundary }
        else if out.isEmpty { result = LexAutomaton.dead } else { result = intern(&out) }
        scratch = out
        trans[Int(s) &* 256 &+ Int(b)] = result
        return result
    }

    /// Follows an item whose dot moved to `dot` after consuming bytes, as `EarleyParser.add` and its
    /// closure would. Returns false if the walk reaches the END of the rule (a completion).
    private mutating func advance(_ dot: Int, _ tag: UInt64, into out: inout [UInt64]) -> Bool {
        var d = dot
        while true {
            switch g.kind[d] {
            case .terminal:
                let t = Int(g.arg[d])
                out.append(LexAutomaton.pack(Int32(d), g.termStart[t], tag))
                if !g.termNullable[t] { return true }
            case .nonterminal:
                let r = Int(g.arg[d])
                predict(r, into: &out)
                if !g.nullable[r] { return true }
            case .end:
                return false
            }
            d += 1
        }
    }

    /// Adds the terminal pairs of everything rule `r` predicts (iteratively: counted repeats make
    /// prediction chains thousands of rules deep). An END reached here belongs to an item predicted at
    /// this very position; Earley skips those (nullable rules are stepped over by the Aycock–Horspool
    /// rule in `advance`).
    private mutating func predict(_ r: Int, into out: inout [UInt64]) {
        var stack = ruleStack
        stack.removeAll(keepingCapacity: true)
        if ruleMark[r] != markStamp { ruleMark[r] = markStamp; stack.append(Int32(r)) }
        while let q = stack.popLast() {
            for a in g.altLo[Int(q)]..<g.altHi[Int(q)] {
                var d = Int(g.altStarts[Int(a)])
                scan: while true {
                    switch g.kind[d] {
                    case .terminal:
                        let t = Int(g.arg[d])
                        out.append(LexAutomaton.pack(Int32(d), g.termStart[t]))
                        if !g.termNullable[t] { break scan }
                    case .nonterminal:
                        let p = Int(g.arg[d])
                        if ruleMark[p] != markStamp { ruleMark[p] = markStamp; stack.append(Int32(p)) }
                        if !g.nullable[p] { break scan }
                    case .end:
                        break scan
                    }
                    d += 1
                }
            }
        }
        ruleStack = stack
    }
}
