// ConstraintEvaluator: verdicts per response, the constraint satisfaction rate (CSR) and per-dataset aggregates.
//
// CSR(y) = (1/|C(x)|) Σ_{c ∈ C(x)} v_c(x, y) with v_c ∈ {0, 1} (ACT, Wang et al. 2024, arXiv 2403.06326): the share
// of the prompt's constraints a response satisfies. A cross-response constraint is judged once over all responses
// to the prompt, and its verdict counts for each of them.

/// One response's verdicts.
public struct ConstraintResult: Sendable {
    /// The prompt id.
    public let id: String
    /// The verified response.
    public let response: String
    /// (constraint type, class, satisfied), in spec order.
    public let verdicts: [(type: String, constraintClass: ConstraintClass, satisfied: Bool)]
    /// Constraint satisfaction rate in [0, 1].
    public var csr: Double { Double(verdicts.filter(\.satisfied).count) / Double(verdicts.count) }
}

/// CSR per response and aggregates.
public struct ConstraintReport: Sendable {
    /// One result per response, in input order.
    public let results: [ConstraintResult]
    /// Prompts of the spec that had no response.
    public let promptsWithoutResponses: [String]

    /// Mean CSR over responses.
    public var meanCSR: Double { results.isEmpty ? 0 : results.map(\.csr).reduce(0, +) / Double(results.count) }
    /// Share of responses satisfying every constraint.
    public var fullySatisfied: IFEvalCount {
        IFEvalCount(followed: results.filter { $0.csr == 1 }.count, total: results.count)
    }
    /// Satisfied / checked per constraint type.
    public var byType: [String: IFEvalCount] { tally { $0.type } }
    /// Satisfied / checked per constraint class.
    public var byClass: [String: IFEvalCount] { tally { $0.constraintClass.rawValue } }

    private func tally(_ key: ((type: String, constraintClass: ConstraintClass, satisfied: Bool)) -> String)
        -> [String: IFEvalCount] {
        var out: [String: IFEvalCount] = [:]
        for r in results {
            for v in r.verdicts {
                var c = out[key(v)] ?? IFEvalCount()
                c.total += 1
                if v.satisfied { c.followed += 1 }
                out[key(v)] = c
            }
        }
        return out
    }
}

/// Evaluates responses against a spec.
public enum ConstraintEvaluator {
    /// Verdicts for every response, in input order.
    /// - Throws: `AlignEvalError.invalidConstraint` for a response whose id is not in the spec.
    public static func evaluate(_ spec: ConstraintSpec, responses: [(id: String, response: String)]) throws
        -> ConstraintReport {
        let byId = Dictionary(uniqueKeysWithValues: spec.prompts.map { ($0.id, $0) })
        var groups: [String: [PyText]] = [:]
        for r in responses {
            guard byId[r.id] != nil else {
                throw AlignEvalError.invalidConstraint(prompt: r.id, type: "-", reason: "response for an id not in the spec")
            }
            groups[r.id, default: []].append(PyText(py: r.response))
        }
        // Cross-response verdicts, once per prompt.
        var groupVerdicts: [String: [Bool?]] = [:]
        for p in spec.prompts {
            guard let rs = groups[p.id] else { continue }
            let input = PyText(py: p.input)
            groupVerdicts[p.id] = p.constraints.map { c in
                if case let .group(g) = c.check { return g.isSatisfied(rs, input: input) }
                return nil
            }
        }
        let results = try responses.map { r -> ConstraintResult in
            guard let p = byId[r.id] else {
                throw AlignEvalError.invalidConstraint(prompt: r.id, type: "-", reason: "response for an id not in the spec")
            }
            let text = PyText(py: r.response), input = PyText(py: p.input)
            let verdicts = p.constraints.enumerated().map { k, c -> (String, ConstraintClass, Bool) in
                switch c.check {
                case let .single(v): return (c.type, c.constraintClass, v.isSatisfied(text, input: input))
                case .group: return (c.type, c.constraintClass, groupVerdicts[r.id]?[k] ?? false)
                }
            }
            return ConstraintResult(id: r.id, response: r.response,
                                    verdicts: verdicts.map { (type: $0.0, constraintClass: $0.1, satisfied: $0.2) })
        }
        return ConstraintReport(results: results,
                                promptsWithoutResponses: spec.prompts.map(\.id).filter { groups[$0] == nil })
    }
}
