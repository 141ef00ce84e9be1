// Verifiers of constraints across several responses to one prompt (ACT class 3): agreement between answers,
// disjointness of their item sets (e.g. "what happened before E" vs "after E"), and diversity by distinct-n
// (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation Models": unique n-grams over
// all n-grams, pooled over the responses).

/// agreement: all responses are equal after stripping, case folding and collapsing whitespace.
struct Agreement: GroupVerifier {
    init(_ a: ConstraintArgs) throws {}
    func isSatisfied(_ rs: [PyText], input: PyText) -> Bool {
        let normalized = rs.map { r -> PyText in
            var out = PyText()
            for w in r.pySplitWhitespace() { if !out.isEmpty { out.append(" ") }; out.append(contentsOf: w.caseFolded) }
            return out
        }
        guard let first = normalized.first, !first.isEmpty else { return false }
        return normalized.allSatisfy { $0 == first }
    }
}

/// disjoint: the responses' item sets (split on `separator`, stripped, case-folded) share no item.
struct Disjoint: GroupVerifier {
    let separator: PyText
    init(_ a: ConstraintArgs) throws {
        separator = PyText(py: try a.optionalString("separator", default: ","))
        guard !separator.isEmpty else { throw a.error("'separator' must not be empty") }
    }
    func isSatisfied(_ rs: [PyText], input: PyText) -> Bool {
        var seen: Set<PyText> = []
        for r in rs {
            let items = Set(r.pySplit(separator).map { $0.pyStrip().caseFolded }.filter { !$0.isEmpty })
            guard seen.isDisjoint(with: items) else { return false }
            seen.formUnion(items)
        }
        return true
    }
}

/// distinct_n: |unique word n-grams| / |word n-grams| over all responses ≥ `min` (n defaults to 2).
struct DistinctN: GroupVerifier {
    let n: Int
    let minimum: Double
    init(_ a: ConstraintArgs) throws {
        n = try a.int("n", default: 2, in: 1...64)
        guard let m = try a.number("min") else { throw a.error("'min' must be a number") }
        minimum = m
    }
    /// distinct-n of a set of texts (0 when there is no n-gram).
    static func distinct(_ rs: [PyText], n: Int) -> Double {
        let grams = rs.flatMap { Extractive.ngrams(lowercasedWords($0), n) }
        return grams.isEmpty ? 0 : Double(Set(grams).count) / Double(grams.count)
    }
    func isSatisfied(_ rs: [PyText], input: PyText) -> Bool { DistinctN.distinct(rs, n: n) >= minimum }
}
