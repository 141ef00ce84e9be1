// Lowering: GrammarExpr trees → flat alternatives of symbols, with helper rules for nested
// alternatives and repeats. Repeat shapes (chosen so Earley does O(1) work per byte):
//   x*       R ::= ε | R x              (left recursion)
//   x{m,}    R ::= C_m | R x            with C_0 ::= ε, C_j ::= C_{j-1} x
//   x{m,n}   R ::= C_m | … | C_n
// Pruning: productive-symbol and nullable fixpoints (Aho & Ullman, "The Theory of Parsing", §2.4).

enum Sym: Hashable { case rule(Int), term(Int) }

struct Lowering {
    let grammar: Grammar
    let maxSymbols: Int
    var rules: [[[Sym]]] = []
    var names: [String] = []
    var startRule = 0
    private var symbols = 0

    init(grammar: Grammar, maxSymbols: Int) {
        self.grammar = grammar; self.maxSymbols = maxSymbols
    }

    mutating func run() throws {
        rules = Array(repeating: [], count: grammar.rules.count)
        names = grammar.ruleNames
        for (i, body) in grammar.rules.enumerated() { rules[i] = try alternatives(body) }
        startRule = newRule("start'")
        rules[startRule] = [[.rule(grammar.start)]]
    }

    private mutating func newRule(_ name: String) -> Int {
        rules.append([]); names.append(name)
        return rules.count - 1
    }

    private mutating func count(_ n: Int) throws {
        symbols += n
        if symbols > maxSymbols { throw AlignGrammarError.tooLarge(what: "grammar symbols", limit: maxSymbols) }
    }

    /// The alternatives of `e` as symbol sequences (nil symbol lists mean "nothing").
    mutating func alternatives(_ e: GrammarExpr) throws -> [[Sym]] {
        switch e {
        case .empty: return [[]]
        case .nothing: return []
        case .terminal(let t): return [[.term(t)]]
        case .rule(let r): return [[.rule(r)]]
        case .alt(let items):
            var out: [[Sym]] = []
            for i in items { out += try alternatives(i) }
            return out
        case .seq(let items):
            var seq: [Sym] = []
            for i in items {
                switch i {
                case .empty: continue
                case .nothing: return []
                case .seq: let inner = try alternatives(i); if inner.isEmpty { return [] }
                    if inner.count == 1 { seq += inner[0] } else { seq.append(try symbol(i)) }
                default: seq.append(try symbol(i))
                }
            }
            try count(seq.count + 1)
            return [seq]
        case .repeat:
            return [[try symbol(e)]]
        }
    }

    /// One symbol standing for `e` (a helper rule unless `e` is already a symbol).
    mutating func symbol(_ e: GrammarExpr) throws -> Sym {
        switch e {
        case .terminal(let t): return .term(t)
        case .rule(let r): return .rule(r)
        case let .repeat(inner, lo, hi): return .rule(try repeatRule(try symbol(inner), lo, hi))
        default:
            let r = newRule("helper")
            rules[r] = try alternatives(e)
            return .rule(r)
        }
    }

    private mutating func repeatRule(_ x: Sym, _ lo: Int, _ hi: Int?) throws -> Int {
        let r = newRule("repeat")
        try count(3 * ((hi ?? lo) + 2))
        if let hi, hi < lo { return r }   // no alternatives: nothing
        var chain = [newRule("count0")]
        rules[chain[0]] = [[]]
        let top = hi ?? lo
        for j in 0..<top where j + 1 <= top {
            let c = newRule("count\(j + 1)")
            rules[c] = [[.rule(chain[j]), x]]
            chain.append(c)
        }
        if let hi {
            rules[r] = (lo...hi).map { [.rule(chain[$0])] }
        } else {
            rules[r] = [[.rule(chain[lo])], [.rule(r), x]]
        }
        return r
    }
}

enum Pruning {
    /// Alternatives whose symbols are all productive; throws `emptyLanguage` if the start rule is not.
    static func productiveAlternatives(_ rules: [[[Sym]]], terminals: [DFA], start: Int) throws -> [[[Sym]]] {
        var productive = [Bool](repeating: false, count: rules.count)
        let termOK = terminals.map { !$0.isEmptyLanguage }
        func ok(_ s: Sym) -> Bool {
            switch s { case .rule(let r): return productive[r]; case .term(let t): return termOK[t] }
        }
        var changed = true
        while changed {
            changed = false
            for (r, alts) in rules.enumerated() where !productive[r] {
                if alts.contains(where: { $0.allSatisfy(ok) }) { productive[r] = true; changed = true }
            }
        }
        if !productive[start] { throw AlignGrammarError.emptyLanguage }
        return rules.map { $0.filter { $0.allSatisfy(ok) } }
    }

    static func nullable(_ rules: [[[Sym]]], terminals: [DFA]) -> [Bool] {
        var null = [Bool](repeating: false, count: rules.count)
        func ok(_ s: Sym) -> Bool {
            switch s { case .rule(let r): return null[r]; case .term(let t): return terminals[t].acceptsEmpty }
        }
        var changed = true
        while changed {
            changed = false
            for (r, alts) in rules.enumerated() where !null[r] {
                if alts.contains(where: { $0.allSatisfy(ok) }) { null[r] = true; changed = true }
            }
        }
        return null
    }
}
