// ObjectCompiler+Extras: members whose keys are not declared names. Keys are partitioned by the set
// of matching patternProperties (2^k classes, k ≤ 4, each a DFA: matches these, not those, not a
// declared name, passes propertyNames); a class's value schema is its patterns' schemas, or else
// additionalProperties, intersected over conjuncts. A class whose schema is `false` is dropped.

extension ObjectCompiler {
    func extras(_ infos: [Info], names: [String], keyFilter: DFA?) throws -> GrammarExpr? {
        let owners = infos.indices.filter { !infos[$0].patterns.isEmpty }
        if owners.count > 1 {
            try c.unsupported("patternProperties", f.flats[owners[1]].ptr, "patternProperties in more than one allOf branch")
        }
        let owner = owners.first
        let patterns = owner.map { infos[$0].patterns } ?? []
        if patterns.count > 4 {
            throw AlignGrammarError.unsupportedKeyword(keyword: "patternProperties", pointer: f.flats[owner ?? 0].ptr,
                                                       reason: "more than 4 patterns")
        }
        let maxStates = c.options.maxTerminalStates
        var base = try DFA(.star(f.charRegex))
        if let k = keyFilter { base = try base.intersect(k, maxStates: maxStates) }
        if !names.isEmpty {
            base = try base.subtract(try DFA(.alt(names.map { .literal(ObjectCompiler.content($0)) })), maxStates: maxStates)
        }
        var alts: [GrammarExpr] = []
        for subset in 0..<(1 << patterns.count) {
            var schemas: [Located] = []
            var forbidden = false
            var key = base
            for (j, p) in patterns.enumerated() {
                if subset & (1 << j) != 0 { key = try key.intersect(p.1, maxStates: maxStates); schemas.append(p.0) }
                else { key = try key.subtract(p.1, maxStates: maxStates) }
            }
            if key.isEmptyLanguage { continue }
            for (i, info) in infos.enumerated() where !(i == owner && subset != 0) {
                guard let a = info.additional else { continue }
                if case .bool(false) = a.value { forbidden = true; break }
                schemas.append(a)
            }
            if forbidden { continue }
            alts.append(.seq([c.b.terminal(key.quoted()), c.colon, try c.exprAll(schemas)]))
        }
        if alts.isEmpty { return nil }
        let rule = c.b.newRule("extra member")
        c.b.define(rule, alts.count == 1 ? alts[0] : .alt(alts))
        return .rule(rule)
    }
}
