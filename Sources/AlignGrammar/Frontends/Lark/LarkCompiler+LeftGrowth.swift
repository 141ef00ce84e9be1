// LarkCompiler+LeftGrowth: rules every complete derivation of which is "open" because the rule can wrap
// itself on the left and continue, R ⇒⁺ R γ with γ able to derive a lexeme (the left-recursive
// `expr: expr "+" term | term`). After any complete R, `R γ` is a longer derivation with the same prefix,
// so trailing ignored text is allowed there (LarkCompiler+Open). Found on the left-corner graph: an edge
// R → T when an alternative of R starts (after nullable parts) with T; the edge "grows" when what follows
// T in that alternative can derive a lexeme. R is left-growing if a cycle through R has a growing edge.

extension LarkCompiler {
    /// Whether rule `n` is left-growing (computed for all rules once).
    func leftGrowing(_ n: String) throws -> Bool {
        if leftGrowth == nil {
            var edges: [String: [(String, Bool)]] = [:]
            for (r, def) in file.rules { edges[r] = try corners(def.body) }
            var out: [String: Bool] = [:]
            for r in file.rules.keys { out[r] = reachesSelfGrowing(r, edges) }
            leftGrowth = out
        }
        return leftGrowth?[n] ?? false
    }

    /// Left-corner rules of `e`, each with whether a lexeme can follow it inside `e`.
    private func corners(_ e: LarkExpr) throws -> [(String, Bool)] {
        switch e {
        case .alt(let xs): return try xs.flatMap { try corners($0) }
        case .seq(let xs):
            var out: [(String, Bool)] = []
            for (i, x) in xs.enumerated() {
                let tailGrows = try xs[(i + 1)...].contains { try canGrow($0) }
                out += try corners(x).map { ($0.0, $0.1 || tailGrows) }
                if !(try nullable(x)) { break }
            }
            return out
        case let .repeat(x, _, hi):
            let again = try (hi == nil || (hi ?? 0) > 1) && canGrow(x)
            return try corners(x).map { ($0.0, $0.1 || again) }
        case .name(let n, _) where file.rules[n] != nil: return [(n, false)]
        default: return []
        }
    }

    /// Whether a path from `r` back to `r` passes a growing edge (search over (rule, grew) states).
    private func reachesSelfGrowing(_ r: String, _ edges: [String: [(String, Bool)]]) -> Bool {
        var seen = Set<String>()
        var stack: [(String, Bool)] = [(r, false)]
        while let (q, grew) = stack.popLast() {
            for (t, g) in edges[q] ?? [] {
                let now = grew || g
                if t == r && now { return true }
                let key = t + (now ? "+" : "-")
                if seen.insert(key).inserted { stack.append((t, now)) }
            }
        }
        return false
    }
}
