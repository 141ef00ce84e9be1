// LarkCompiler+Rules: rule bodies in "rest" position (every lexeme may be preceded by ignored text) and
// in "first" position (non-empty derivations whose first lexeme is plain), nullability, and `%json`.

extension LarkCompiler {
    /// `e` where each lexeme may follow ignored text.
    func rest(_ e: LarkExpr) throws -> GrammarExpr {
        switch e {
        case .empty: return .empty
        case .string("", _): return .empty   // llguidance: "" is the empty string, not a lexeme
        case .seq(let xs): return .seq(try xs.map { try rest($0) })
        case .alt(let xs): return .alt(try xs.map { try rest($0) })
        case let .repeat(x, lo, hi): return .repeat(try rest(x), min: lo, max: hi)
        case let .json(text, place): return try json(text, place)
        case let .name(n, place):
            if file.rules[n] != nil { return .rule(try restRule(n)) }
            try checkDefined(n, place)
            fallthrough
        default:
            guard let l = try lexemeOf(e) else { return .nothing }
            return l.rest
        }
    }

    /// The non-empty derivations of `e` whose first lexeme has no ignored text before it.
    func first(_ e: LarkExpr) throws -> GrammarExpr {
        switch e {
        case .empty, .string("", _): return .nothing
        case .alt(let xs): return .alt(try xs.map { try first($0) })
        case .seq(let xs):
            var alts: [GrammarExpr] = []
            for (i, x) in xs.enumerated() {
                alts.append(.seq([try first(x)] + (try xs[(i + 1)...].map { try rest($0) })))
                if !(try nullable(x)) { break }
            }
            return alts.count == 1 ? alts[0] : .alt(alts)
        case let .repeat(x, lo, hi):
            if hi == 0 { return .nothing }
            let more = GrammarExpr.repeat(try rest(x), min: try nullable(x) ? 0 : max(lo - 1, 0), max: hi.map { $0 - 1 })
            return .seq([try first(x), more])
        case let .json(text, place): return try json(text, place)
        case let .name(n, place):
            if file.rules[n] != nil { return .rule(try firstRule(n)) }
            try checkDefined(n, place)
            fallthrough
        default:
            guard let l = try lexemeOf(e) else { return .nothing }
            return l.plain
        }
    }

    private func checkDefined(_ n: String, _ place: LarkPlace) throws {
        if file.terminals[n] == nil { throw fail(place, "undefined rule or terminal '\(n)'") }
    }

    /// Whether `e` derives the empty string (rules by a fixpoint over the whole file, computed once).
    func nullable(_ e: LarkExpr) throws -> Bool {
        if nullableRules == nil { nullableRules = try nullableFixpoint() }
        return try nullable(e, nullableRules ?? [:])
    }

    private func nullable(_ e: LarkExpr, _ rules: [String: Bool]) throws -> Bool {
        switch e {
        case .empty: return true
        case .seq(let xs): return try xs.allSatisfy { try nullable($0, rules) }
        case .alt(let xs): return try xs.contains { try nullable($0, rules) }
        case let .repeat(x, lo, _): return try lo == 0 || nullable(x, rules)
        case .json: return false
        case .name(let n, _) where file.rules[n] != nil: return rules[n] ?? false
        case .string(let s, _) where s.isEmpty: return true
        default:
            guard let l = try lexemeOf(e) else { return false }
            return isAcceptingEmpty(l.plain)
        }
    }

    private func nullableFixpoint() throws -> [String: Bool] {
        var m: [String: Bool] = [:]
        var changed = true
        while changed {
            changed = false
            for (n, def) in file.rules where m[n] != true {
                if try nullable(def.body, m) { m[n] = true; changed = true }
            }
        }
        return m
    }

    /// A `%json {…}` schema compiled by JSONSchemaGrammar and copied into this grammar.
    func json(_ text: String, _ place: LarkPlace) throws -> GrammarExpr {
        let key = "\(place.line):\(place.column)"
        if let r = jsonRules[key] { return .rule(r) }
        let schema: JSONValue
        do { schema = try JSONParser.parse(text) } catch let e as AlignGrammarError {
            throw fail(place, "%json: \(e)")
        }
        let sub: (grammar: Grammar, warnings: [String])
        do { sub = try JSONSchemaGrammar.compile(schema, options: options.json) } catch let e as AlignGrammarError {
            throw fail(place, "%json: \(e)")
        }
        addWarnings(sub.warnings)
        let root = splice(sub.grammar)
        jsonRules[key] = root
        return .rule(root)
    }

    /// Copies `g`'s terminals and rules into the builder; returns the id of its start rule.
    private func splice(_ g: Grammar) -> Int {
        let terms = g.terminals.map { b.terminal($0) }
        let base = g.rules.indices.map { b.newRule("json:" + g.ruleNames[$0]) }
        func map(_ e: GrammarExpr) -> GrammarExpr {
            switch e {
            case .empty, .nothing: return e
            case .terminal(let t): return terms[t]
            case .rule(let r): return .rule(base[r])
            case .seq(let xs): return .seq(xs.map(map))
            case .alt(let xs): return .alt(xs.map(map))
            case let .repeat(x, lo, hi): return .repeat(map(x), min: lo, max: hi)
            }
        }
        for (i, body) in g.rules.enumerated() { b.define(base[i], map(body)) }
        return base[g.start]
    }
}
