// LarkCompiler+Open: trailing ignored text. llguidance's lexer accepts ignored text after the last
// lexeme only while the parser could still take another lexeme there (so `1+2 ` is accepted by an
// arithmetic grammar, whose expression may continue, but `x1 ` is refused by `start: "x" INT`, which is
// complete). We build, per rule, the "open" derivations — complete ones after which another lexeme of
// the rule could still follow — in rest position (RO) and in first position (FO):
//   RO(x1…xn) = ∪_i x1…x_{i−1} RO(x_i) ε(x_{i+1}…x_n)
//   FO(x1…xn) = ∪_i ε(x1…x_{i−1}) ( FO(x_i) ε(x_{i+1}…x_n) ∪ x_i⁺ RO(x_{i+1}…x_n) )
//   RO(x{m,n}) = x{m,n−1} (if x can grow) ∪ x{m−1,n−1} RO(x)        (FO alike, first copy in first position)
// and the whole output is start⁺ | ε | FO(start) ignore⁺. Lexemes and %json values are never open; every
// derivation of a left-growing rule is (LarkCompiler+LeftGrowth). Still missed (refused though llguidance
// accepts): a complete derivation that another alternative extends, e.g. `e: t | t "+" e` after `1 `.

extension LarkCompiler {
    /// Rest-position open derivations of `e`.
    func restOpen(_ e: LarkExpr) throws -> GrammarExpr {
        switch e {
        case .alt(let xs): return .alt(try xs.map { try restOpen($0) })
        case .seq(let xs): return try restOpenSeq(xs[...])
        case let .repeat(x, lo, hi):
            guard hi != 0 else { return .nothing }
            let r = try rest(x)
            let lo1 = try nullable(x) ? 0 : max(lo - 1, 0)
            var alts = [GrammarExpr.seq([.repeat(r, min: lo1, max: hi.map { $0 - 1 }), try restOpen(x)])]
            if try canGrow(x) { alts.append(.repeat(r, min: lo, max: hi.map { $0 - 1 })) }
            return .alt(alts)
        case .name(let n, _) where file.rules[n] != nil:
            return .rule(try leftGrowing(n) ? restRule(n) : openRule(n, first: false))
        default: return .nothing
        }
    }

    private func restOpenSeq(_ xs: ArraySlice<LarkExpr>) throws -> GrammarExpr {
        var alts: [GrammarExpr] = []
        for i in xs.indices {
            guard try xs[(i + 1)...].allSatisfy({ try nullable($0) }) else { continue }
            alts.append(.seq(try xs[..<i].map { try rest($0) } + [try restOpen(xs[i])]))
        }
        return alts.isEmpty ? .nothing : .alt(alts)
    }

    /// First-position open derivations of `e` (non-empty, first lexeme plain).
    func firstOpen(_ e: LarkExpr) throws -> GrammarExpr {
        switch e {
        case .alt(let xs): return .alt(try xs.map { try firstOpen($0) })
        case .seq(let xs):
            var alts: [GrammarExpr] = []
            for i in xs.indices {
                let tail = xs[(i + 1)...]
                if try tail.allSatisfy({ try nullable($0) }) { alts.append(try firstOpen(xs[i])) }
                alts.append(.seq([try first(xs[i]), try restOpenSeq(tail)]))
                if !(try nullable(xs[i])) { break }
            }
            return .alt(alts)
        case let .repeat(x, lo, hi):
            guard hi != 0 else { return .nothing }
            let r = try rest(x), f = try first(x)
            let isNullable = try nullable(x)
            let lo1 = isNullable ? 0 : max(lo - 1, 0), lo2 = isNullable ? 0 : max(lo - 2, 0)
            var alts: [GrammarExpr] = []
            if lo <= 1 || isNullable { alts.append(try firstOpen(x)) }
            if hi.map({ $0 >= 2 }) ?? true {
                alts.append(.seq([f, .repeat(r, min: lo2, max: hi.map { $0 - 2 }), try restOpen(x)]))
            }
            if try canGrow(x), hi.map({ $0 >= 2 }) ?? true { alts.append(.seq([f, .repeat(r, min: lo1, max: hi.map { $0 - 2 })])) }
            return .alt(alts)
        case .name(let n, _) where file.rules[n] != nil:
            return .rule(try leftGrowing(n) ? firstRule(n) : openRule(n, first: true))
        default: return .nothing
        }
    }

    private func openRule(_ n: String, first: Bool) throws -> Int {
        let key = (first ? "F:" : "R:") + n
        if let id = openRules[key] { return id }
        let id = b.newRule(n + (first ? "+open" : "open"))
        openRules[key] = id
        let body = file.rules[n]?.body ?? .empty
        b.define(id, first ? try firstOpen(body) : try restOpen(body))
        return id
    }

    /// Whether `e` derives some non-empty string (all rules are assumed productive; Pruning removes the rest).
    func canGrow(_ e: LarkExpr) throws -> Bool {
        if growRules == nil {
            var m: [String: Bool] = [:]
            var changed = true
            while changed {
                changed = false
                for (n, def) in file.rules where m[n] != true {
                    if try grows(def.body, m) { m[n] = true; changed = true }
                }
            }
            growRules = m
        }
        return try grows(e, growRules ?? [:])
    }

    private func grows(_ e: LarkExpr, _ rules: [String: Bool]) throws -> Bool {
        switch e {
        case .empty: return false
        case .string(let s, _): return !s.isEmpty
        case .seq(let xs), .alt(let xs): return try xs.contains { try grows($0, rules) }
        case let .repeat(x, _, hi): return try hi != 0 && grows(x, rules)
        case .name(let n, _) where file.rules[n] != nil: return rules[n] ?? false
        default: return true
        }
    }
}
