// ObjectLayout: the grammar of an object's member list as a small state machine over
// (which declared members were emitted, how many members so far). Declared order: state = next
// declared index, a required member cannot be skipped. Any order: state = bit set of emitted members
// (exact, exponential, so limited to a few members). Extra members (additional/pattern properties)
// may appear between declared ones. min/maxProperties bound the count. Commas come from the
// First/Rest split: First(s) has no leading comma, Rest(s) puts one before each member.

struct ObjectLayout {
    struct Member { var expr: GrammarExpr; var required: Bool }
    struct State: Hashable { var pos: UInt64; var count: Int }

    let c: SchemaCompiler
    let members: [Member]
    let extra: GrammarExpr?
    let minProperties: Int
    let maxProperties: Int?
    private var anyOrder: Bool

    init(c: SchemaCompiler, members: [Member], extra: GrammarExpr?, minProperties: Int, maxProperties: Int?) {
        self.c = c; self.members = members; self.extra = extra
        self.minProperties = minProperties; self.maxProperties = maxProperties
        anyOrder = c.options.propertyOrder == .any && members.count > 1
        if anyOrder && members.count > min(c.options.maxAnyOrderProperties, 20) {
            anyOrder = false
            c.warnings.append("object with \(members.count) declared properties uses declared order")
        }
    }

    private var countCap: Int { maxProperties ?? minProperties }

    private func canEnd(_ s: State) -> Bool {
        if s.count < minProperties { return false }
        for (j, m) in members.enumerated() where m.required {
            if anyOrder { if s.pos & (1 << UInt64(j)) == 0 { return false } } else if UInt64(j) >= s.pos { return false }
        }
        return true
    }

    private func moves(_ s: State) -> [(GrammarExpr, State)] {
        if let mx = maxProperties, s.count >= mx { return [] }
        let next = min(s.count + 1, max(countCap, 0))
        var out: [(GrammarExpr, State)] = []
        if anyOrder {
            for j in members.indices where s.pos & (1 << UInt64(j)) == 0 {
                out.append((members[j].expr, State(pos: s.pos | (1 << UInt64(j)), count: next)))
            }
        } else {
            var j = Int(s.pos)
            while j < members.count {
                out.append((members[j].expr, State(pos: UInt64(j + 1), count: next)))
                if members[j].required { break }
                j += 1
            }
        }
        if let e = extra { out.append((e, State(pos: s.pos, count: next))) }
        return out
    }

    /// `{` members `}`.
    func grammar() throws -> GrammarExpr {
        var rest: [State: Int] = [:]
        var work: [State] = []
        func restRule(_ s: State) -> Int {
            if let r = rest[s] { return r }
            let r = c.b.newRule("object rest"); rest[s] = r; work.append(s)
            return r
        }
        let s0 = State(pos: 0, count: 0)
        var firstAlts: [GrammarExpr] = []
        for (m, t) in moves(s0) { firstAlts.append(.seq([m, .rule(restRule(t))])) }
        while let s = work.popLast() {
            guard let r = rest[s] else { continue }
            var alts: [GrammarExpr] = canEnd(s) ? [.empty] : []
            for (m, t) in moves(s) { alts.append(.seq([c.comma, m, .rule(restRule(t))])) }
            c.b.define(r, alts.isEmpty ? .nothing : .alt(alts))
            if rest.count > 100_000 { throw AlignGrammarError.tooLarge(what: "object layout states", limit: 100_000) }
        }
        var alts: [GrammarExpr] = []
        if canEnd(s0) { alts.append(.seq([c.b.literal("{"), c.ws, c.b.literal("}")])) }
        if !firstAlts.isEmpty { alts.append(.seq([c.b.literal("{"), c.ws, .alt(firstAlts), c.ws, c.b.literal("}")])) }
        return alts.isEmpty ? .nothing : .alt(alts)
    }
}
