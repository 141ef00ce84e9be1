// FlatCompiler+Arrays: prefixItems / items / minItems / maxItems (2020-12 §10.3.1). Position i's
// schema is, per conjunct, prefixItems[i] if present else items (absent = any); positions past every
// prefix use the intersection of the `items` schemas as a bounded repeat.

extension FlatCompiler {
    private func schemasAt(_ i: Int?) throws -> [Located] {
        var out: [Located] = []
        for fl in flats {
            if let i, let p = fl.value["prefixItems"] {
                guard case .array(let items) = p else { throw AlignGrammarError.invalidSchema(pointer: fl.ptr + "/prefixItems", message: "expected an array") }
                if i < items.count { out.append(fl.child(items[i], "prefixItems", String(i))); continue }
            }
            if let it = fl.value["items"] {
                if case .array = it { throw AlignGrammarError.invalidSchema(pointer: fl.ptr + "/items", message: "array form of items is not draft 2020-12 (use prefixItems)") }
                out.append(fl.child(it, "items"))
            }
        }
        return out
    }

    func arrayExpr() throws -> GrammarExpr {
        let lo = try minCount("minItems"), hi = try maxCount("maxItems")
        if let hi, hi < lo { return .nothing }
        var prefixCount = 0
        for (v, _) in values("prefixItems") { if case .array(let a) = v { prefixCount = max(prefixCount, a.count) } }
        if let hi { prefixCount = min(prefixCount, hi) }
        var elems: [GrammarExpr] = []
        for i in 0..<prefixCount { elems.append(try c.exprAll(try schemasAt(i))) }
        let item = try c.exprAll(try schemasAt(nil))
        // after(i): what may follow the i-th element (i ≥ 1 elements written).
        func after(_ i: Int) -> GrammarExpr {
            if i >= prefixCount {
                return .repeat(.seq([c.comma, item]), min: max(0, lo - i), max: hi.map { max(0, $0 - i) })
            }
            var alts: [GrammarExpr] = []
            if i >= lo { alts.append(.empty) }
            alts.append(.seq([c.comma, elems[i], after(i + 1)]))
            return .alt(alts)
        }
        var alts: [GrammarExpr] = []
        if lo == 0 { alts.append(.seq([c.b.literal("["), c.ws, c.b.literal("]")])) }
        if hi.map({ $0 >= 1 }) ?? true {
            let first = prefixCount > 0 ? elems[0] : item
            alts.append(.seq([c.b.literal("["), c.ws, first, after(1), c.ws, c.b.literal("]")]))
        }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }
}
