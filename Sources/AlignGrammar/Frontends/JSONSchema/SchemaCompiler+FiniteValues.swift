// SchemaCompiler+FiniteValues: schemas whose valid values are finitely many compile exactly through
// the instance validator. A conjunct `enum`/`const` (own, in an allOf member, behind a `$ref`, or in
// every anyOf/oneOf branch) gives a finite superset of the valid values; each candidate is checked
// against the whole schema by `InstanceValidator`, and the schema becomes the `enum` of the survivors.
// This decides keywords the grammar cannot express (`not`, `if`, `contains`, `uniqueItems`,
// dependencies…) exactly, e.g. JSONSchemaBench's `{"allOf": [{"enum": [v]}, {"not": …}]}` files.
// If any candidate is undecided the schema takes the ordinary compile path unchanged.

extension SchemaCompiler {
    /// The schema as one flat `enum` conjunct, or nil when its values are not finitely known or a
    /// candidate cannot be decided.
    func finiteEnum(_ s: Located) -> [[Part]]? {
        guard let candidates = finiteCandidates(s, depth: 0) else { return nil }
        var kept: [JSONValue] = []
        for v in candidates {
            guard let ok = validator.validate(v, s) else { return nil }
            if ok && !kept.contains(where: { $0.schemaEquals(v) }) { kept.append(v) }
        }
        if kept.isEmpty { return [] }
        return [[.flat(Located(value: .object([JSONMember("enum", .array(kept))]), ptr: s.ptr))]]
    }

    /// A finite superset of the values valid under `s`, or nil if none is evident.
    private func finiteCandidates(_ s: Located, depth: Int) -> [JSONValue]? {
        if depth > 32 { return nil }
        switch s.value {
        case .bool(false): return []
        case .object: break
        default: return nil
        }
        if let c = s.value["const"] { return [c] }
        if case .array(let items)? = s.value["enum"] { return items }
        if case .string(let r)? = s.value["$ref"], let t = try? refs.resolve(r, at: s.ptr),
           let vs = finiteCandidates(t, depth: depth + 1) { return vs }
        if case .array(let subs)? = s.value["allOf"] {
            for (i, x) in subs.enumerated() {
                if let vs = finiteCandidates(s.child(x, "allOf", String(i)), depth: depth + 1) { return vs }
            }
        }
        for key in ["anyOf", "oneOf"] {
            guard case .array(let subs)? = s.value[key] else { continue }
            var all: [JSONValue] = []
            for (i, x) in subs.enumerated() {
                guard let vs = finiteCandidates(s.child(x, key, String(i)), depth: depth + 1) else { all = []; break }
                all += vs
            }
            if !all.isEmpty { return all }
        }
        return nil
    }
}
