// FlatGrammar: the compiled form the Earley parser runs on. Rules become alternatives laid out in one
// flat symbol array (a "dot" is an index into it; each alternative ends with an END marker naming its
// rule), as in llguidance's earley/grammar.rs. Nested alternatives and repeats get helper rules;
// repeats use left recursion / counting chains so Earley stays linear (right recursion would make
// completion chains quadratic). Non-productive alternatives are removed, so every live parser item
// can still be completed — the token mask then never admits a dead end.

/// A grammar lowered for the Earley parser.
public struct FlatGrammar: Sendable {
    enum Kind: UInt8 { case nonterminal, terminal, end }
    /// Per dot position: what the symbol is, and its argument (rule id, terminal id, or completed rule).
    var kind: [Kind] = []
    var arg: [Int32] = []
    /// Per rule: start dots of its alternatives (`altStarts[altRange[r]]`).
    var altStarts: [Int32] = []
    var altLo: [Int32] = []
    var altHi: [Int32] = []
    var nullable: [Bool] = []
    var ruleNames: [String] = []
    /// All terminal DFAs in one table of global states: state s, byte b → `trans[s * 256 + b]` (0 = dead).
    var trans: [Int32] = [Int32](repeating: 0, count: 256)
    var accepting: [Bool] = [false]
    /// Whether a global state has any live outgoing transition.
    var hasOut: [Bool] = [false]
    /// Per global state, its transitions in brief: `LexAutomaton.soleNone`, `soleSeveral`, or for a state
    /// with exactly one live byte `soleFlag | soleAccepts (target accepts) | byte << 32 | target`. Literal
    /// DFAs (property names, enum strings) are chains of such states; the mask walk's raw steps read this
    /// dense word instead of the 1 KB row and the target's accepting flag (`LexAutomaton+RootWalk`), and
    /// it is filled here, while the rows are copied, because reading a new literal state's row cold in
    /// the walk cost about 1 µs per live trie node at a property-name position.
    var sole: [UInt64] = [LexAutomaton.soleNone]
    var termStart: [Int32] = []
    var termNullable: [Bool] = []
    /// The dot of the start rule's END; an item there with origin 0 means "accepting".
    var acceptDot: Int32 = 0
    var startRule: Int32 = 0

    /// Number of rules.
    public var ruleCount: Int { altLo.count }
    /// Number of symbol positions.
    public var symbolCount: Int { kind.count }
    /// Number of terminal automaton states in total.
    public var terminalStateCount: Int { accepting.count }
}

extension FlatGrammar {
    /// Lowers `grammar`. Throws `emptyLanguage` if it accepts nothing, `tooLarge` past the limits.
    public init(_ grammar: Grammar, maxSymbols: Int = 4_000_000, maxStates: Int = 1_000_000) throws {
        var low = Lowering(grammar: grammar, maxSymbols: maxSymbols)
        try low.run()
        try self.init(lowered: low, terminals: grammar.terminals, maxStates: maxStates)
    }

    init(lowered low: Lowering, terminals: [DFA], maxStates: Int) throws {
        let alts = try Pruning.productiveAlternatives(low.rules, terminals: terminals, start: low.startRule)
        ruleNames = low.names
        startRule = Int32(low.startRule)
        try addTerminals(terminals, maxStates: maxStates)
        for (r, ruleAlts) in alts.enumerated() {
            altLo.append(Int32(altStarts.count))
            for a in ruleAlts {
                altStarts.append(Int32(kind.count))
                for s in a {
                    switch s {
                    case .rule(let id): kind.append(.nonterminal); arg.append(Int32(id))
                    case .term(let id): kind.append(.terminal); arg.append(Int32(id))
                    }
                }
                if r == low.startRule { acceptDot = Int32(kind.count) }
                kind.append(.end); arg.append(Int32(r))
            }
            altHi.append(Int32(altStarts.count))
        }
        nullable = Pruning.nullable(alts, terminals: terminals)
    }

    private mutating func addTerminals(_ terminals: [DFA], maxStates: Int) throws {
        for d in terminals {
            let base = Int32(accepting.count) - 1   // local state k ≥ 1 → global base + k
            if accepting.count + d.numStates > maxStates {
                throw AlignGrammarError.tooLarge(what: "terminal automaton states", limit: maxStates)
            }
            // One pass over the automaton's rows 1…: copy them shifted by `base` (0 stays dead) and note each
            // state's transition brief on the way.
            let old = trans.count
            trans.append(contentsOf: repeatElement(0, count: (d.numStates - 1) * 256))
            var briefs = [UInt64](repeating: LexAutomaton.soleNone, count: d.numStates)
            trans.withUnsafeMutableBufferPointer { out in
                d.trans.withUnsafeBufferPointer { src in
                    for s in 1..<d.numStates {
                        let row = s &* 256
                        for b in 0..<256 where src[row &+ b] != 0 {
                            let t = src[row &+ b]
                            out[old &+ row &- 256 &+ b] = t &+ base
                            briefs[s] = briefs[s] != LexAutomaton.soleNone ? LexAutomaton.soleSeveral
                                : LexAutomaton.soleFlag | (d.accepting[Int(t)] ? LexAutomaton.soleAccepts : 0)
                                    | UInt64(b) << 32 | UInt64(UInt32(bitPattern: t &+ base))
                        }
                    }
                }
            }
            for s in 1..<d.numStates {
                accepting.append(d.accepting[s])
                hasOut.append(briefs[s] != LexAutomaton.soleNone)
                sole.append(briefs[s])
            }
            termStart.append(base + 1)
            termNullable.append(d.acceptsEmpty)
        }
    }
}
