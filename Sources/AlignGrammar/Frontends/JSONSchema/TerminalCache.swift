// TerminalCache: the shared pieces of every JSON grammar — whitespace, punctuation, the canonical
// string and number terminals, and the unconstrained "any JSON value" rule — built once per schema.

struct TerminalCache {
    var ws: GrammarExpr?
    var anyValue: Int?
    var stringTerm: GrammarExpr?
    var numberTerm: GrammarExpr?
    var integerTerm: GrammarExpr?
    /// Length-bounded string terminals by bounds.
    var lengthTerms: [String: GrammarExpr] = [:]
    var charRegex: ByteRegex { ScalarEncoding.jsonString.encode(ScalarSet.any) }
}

extension SchemaCompiler {
    /// Whitespace between JSON tokens under the options.
    var ws: GrammarExpr {
        if let w = cache.ws { return w }
        let w: GrammarExpr
        switch options.whitespace {
        case .compact: w = .empty
        case .flexible(let n):
            w = (try? b.terminal(.repeat(.bytes(ByteSet(bytes: [0x20, 0x09, 0x0A, 0x0D])), min: 0, max: n))) ?? .empty
        }
        cache.ws = w
        return w
    }

    func punct(_ s: String) -> GrammarExpr { .seq([ws, b.literal(s), ws]) }
    var comma: GrammarExpr { punct(",") }
    var colon: GrammarExpr { punct(":") }

    /// `"…"` with any canonical content.
    func anyString() throws -> GrammarExpr {
        if let s = cache.stringTerm { return s }
        let s = try b.terminal(.seq([.literal("\""), .star(cache.charRegex), .literal("\"")]))
        cache.stringTerm = s
        return s
    }

    func anyNumber() throws -> GrammarExpr {
        if let s = cache.numberTerm { return s }
        let s = try b.terminal(NumberLanguage.number(nil, nil))
        cache.numberTerm = s
        return s
    }

    func anyInteger() throws -> GrammarExpr {
        if let s = cache.integerTerm { return s }
        let s = try b.terminal(NumberLanguage.integer(nil, nil))
        cache.integerTerm = s
        return s
    }

    /// The rule of every JSON value.
    func anyValue() throws -> GrammarExpr {
        if let r = cache.anyValue { return .rule(r) }
        let v = b.newRule("any value")
        cache.anyValue = v
        let member = GrammarExpr.seq([try anyString(), colon, .rule(v)])
        let object = GrammarExpr.alt([
            .seq([b.literal("{"), ws, b.literal("}")]),
            .seq([b.literal("{"), ws, member, .repeat(.seq([comma, member]), min: 0, max: nil), ws, b.literal("}")]),
        ])
        let array = GrammarExpr.alt([
            .seq([b.literal("["), ws, b.literal("]")]),
            .seq([b.literal("["), ws, .rule(v), .repeat(.seq([comma, .rule(v)]), min: 0, max: nil), ws, b.literal("]")]),
        ])
        b.define(v, .alt([b.literal("null"), b.literal("true"), b.literal("false"), try anyNumber(), try anyString(), object, array]))
        return .rule(v)
    }
}
