// LarkSyntax: the syntax tree of a Lark grammar file and its recursive-descent reader. The accepted
// forms follow Lark's own grammar (lark-parser/lark lark/load_grammar.py) with llguidance's extensions
// (docs/syntax.md at guidance-ai/llguidance): `x{n}`, `x{n,m}`, `x{n,}`, `x{,m}` beside Lark's `x~n` and
// `x~n..m`; `[x]` and `x?` for optional; `%json {…}` as an atom; `-` inside names. Constructs that would
// change the language and that we do not compile (templates, priorities, rule options such as `[lazy]`,
// special tokens, `%declare`, `%override`, `%llguidance`, `%regex`, imports other than `common`) are
// rejected with their line and column. Aliases (`-> name`) and the `?`/`!` rule prefixes only shape
// parse trees, so they are read and dropped.

/// A place in the grammar text.
struct LarkPlace { let line: Int; let column: Int }

/// An expression of a Lark rule or terminal definition.
indirect enum LarkExpr {
    case empty
    case seq([LarkExpr])
    case alt([LarkExpr])
    case `repeat`(LarkExpr, min: Int, max: Int?)
    case string(String, caseInsensitive: Bool)
    case regex(String, flags: String, LarkPlace)
    case range(String, String, LarkPlace)
    case name(String, LarkPlace)
    case json(String, LarkPlace)
}

/// One `name: body` definition.
struct LarkDefinition {
    let name: String
    let body: LarkExpr
    let place: LarkPlace
}

/// A parsed Lark file.
struct LarkFile {
    var rules: [String: LarkDefinition] = [:]
    var terminals: [String: LarkDefinition] = [:]
    var ignores: [LarkExpr] = []
}

/// Reads tokens into a `LarkFile`.
struct LarkReader {
    let toks: [LarkToken]
    var p = 0
    var file = LarkFile()
    /// Parenthesis depth: newlines inside brackets do not end a definition.
    var depth = 0

    static func read(_ text: String) throws -> LarkFile {
        var r = LarkReader(toks: try LarkLexer.tokens(text))
        while r.peek.kind != .end {
            if r.peek.kind == .newline { r.p += 1; continue }
            try r.item()
            guard r.peek.kind == .newline || r.peek.kind == .end else { throw r.err("expected the end of the line") }
        }
        return r.file
    }

    var peek: LarkToken {
        var q = p
        if depth > 0 { while toks[q].kind == .newline { q += 1 } }
        return toks[q]
    }

    mutating func take() -> LarkToken {
        if depth > 0 { while toks[p].kind == .newline { p += 1 } }
        defer { if toks[p].kind != .end { p += 1 } }
        return toks[p]
    }

    func err(_ m: String, _ t: LarkToken? = nil) -> AlignGrammarError {
        let t = t ?? peek
        return .grammarSyntax(line: t.line, column: t.column, message: m)
    }

    func unsupported(_ what: String, _ t: LarkToken) -> AlignGrammarError {
        .grammarSyntax(line: t.line, column: t.column, message: "unsupported Lark construct: \(what)")
    }

    private mutating func item() throws {
        let t = take()
        switch t.kind {
        case .rule(let n): try definition(n, t, terminal: false)
        case .terminal(let n): try definition(n, t, terminal: true)
        case .directive(let d): try directive(d, t)
        default: throw err("expected a rule, a terminal or a %directive", t)
        }
    }

    private mutating func definition(_ name: String, _ t: LarkToken, terminal: Bool) throws {
        switch peek.kind {
        case .punct("."): throw unsupported("priority on '\(name)'", peek)
        case .punct("{"): throw unsupported("template parameters on '\(name)'", peek)
        case .punct("["): throw unsupported("rule options (e.g. [lazy], [capture]) on '\(name)'", peek)
        case .punct(":"): _ = take()
        default: throw err("expected ':' after '\(name)'")
        }
        let body = try expansions()
        let def = LarkDefinition(name: name, body: body, place: LarkPlace(line: t.line, column: t.column))
        if file.rules[name] != nil || file.terminals[name] != nil { throw err("'\(name)' is defined twice", t) }
        if terminal { file.terminals[name] = def } else { file.rules[name] = def }
    }
}
