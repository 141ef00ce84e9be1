// Grammar: the one intermediate form every front end (GBNF, regex, JSON Schema) compiles to.
// Rules are expressions of sequences, alternatives and bounded/unbounded repeats over terminals;
// a terminal is a byte-level DFA ("lexeme"), so literal strings, byte classes and whole regexes are
// single symbols — the lexer/parser split of llguidance (docs/optimizations.md), done scannerlessly:
// the Earley parser steps each terminal's DFA byte by byte inside its items.

/// An expression in a grammar rule.
public indirect enum GrammarExpr: Sendable {
    /// The empty string.
    case empty
    /// No string (an impossible branch).
    case nothing
    /// A terminal: index into `Grammar.terminals`.
    case terminal(Int)
    /// A reference to rule `id`.
    case rule(Int)
    /// Concatenation.
    case seq([GrammarExpr])
    /// Alternatives.
    case alt([GrammarExpr])
    /// Between `min` and `max` (nil = unbounded) copies.
    case `repeat`(GrammarExpr, min: Int, max: Int?)
}

/// A context-free grammar over byte-level terminals.
public struct Grammar: Sendable {
    /// Terminal automata.
    public var terminals: [DFA]
    /// Rule bodies, indexed by rule id.
    public var rules: [GrammarExpr]
    /// Rule names (for messages and dumps).
    public var ruleNames: [String]
    /// The start rule.
    public var start: Int
}

/// Builds a `Grammar`: allocates rules, interns terminals, then checks every rule is defined.
public final class GrammarBuilder {
    private(set) var terminals: [DFA] = []
    private var rules: [GrammarExpr?] = []
    private var names: [String] = []
    private var literalIds: [[UInt8]: Int] = [:]
    /// The largest automaton a single terminal may have.
    public var maxTerminalStates = 50_000

    /// An empty builder.
    public init() {}

    /// Interns a terminal automaton.
    public func terminal(_ dfa: DFA) -> GrammarExpr {
        if dfa.isEmptyLanguage { return .nothing }
        terminals.append(dfa)
        return .terminal(terminals.count - 1)
    }

    /// Compiles a byte regex into a terminal.
    public func terminal(_ regex: ByteRegex) throws -> GrammarExpr {
        terminal(try DFA(regex, maxStates: maxTerminalStates))
    }

    /// The exact byte string as one terminal (shared between uses).
    public func literal(_ bytes: [UInt8]) -> GrammarExpr {
        if bytes.isEmpty { return .empty }
        if let id = literalIds[bytes] { return .terminal(id) }
        let e = terminal(DFA.literal(bytes))
        if case .terminal(let id) = e { literalIds[bytes] = id }
        return e
    }

    /// The exact UTF-8 text as one terminal.
    public func literal(_ text: String) -> GrammarExpr { literal(Array(text.utf8)) }

    /// Allocates a rule id; define it later with `define`.
    public func newRule(_ name: String) -> Int {
        rules.append(nil); names.append(name)
        return rules.count - 1
    }

    /// Sets the body of rule `id`.
    public func define(_ id: Int, _ body: GrammarExpr) { rules[id] = body }

    /// Whether rule `id` has a body.
    public func isDefined(_ id: Int) -> Bool { rules[id] != nil }

    /// The finished grammar starting at `start`.
    public func build(start: Int) throws -> Grammar {
        var bodies: [GrammarExpr] = []
        for (i, r) in rules.enumerated() {
            guard let r else { throw AlignGrammarError.undefinedRule(name: names[i]) }
            bodies.append(r)
        }
        return Grammar(terminals: terminals, rules: bodies, ruleNames: names, start: start)
    }
}
