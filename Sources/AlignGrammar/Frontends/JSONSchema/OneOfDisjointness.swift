// OneOfDisjointness: a sound test that no value satisfies two `oneOf` branches, in which case oneOf
// equals anyOf. Two conjunctions are disjoint when their type sets do not meet, their enum/const sets
// do not meet, or (for objects only) a property required by both has disjoint enum/const values (a
// discriminator), or one requires a key the other forbids (additionalProperties false, no pattern
// properties, key not declared). Branches are tested together with the oneOf's sibling keywords (the
// caller passes them in), since oneOf only has to be exclusive among values that satisfy those.
// Anything else is "not provably disjoint" (llguidance makes the same restriction).

struct OneOfDisjointness {
    let compiler: SchemaCompiler

    private struct Signature {
        var types = TypeSet.all
        var values: [JSONValue]?
        var required: Set<String> = []
        var discriminators: [String: [JSONValue]] = [:]
        /// Keys an object may have at all (nil = any key).
        var allowedKeys: Set<String>?
    }

    private func flatOf(_ p: SchemaCompiler.Part) -> Located {
        switch p { case .flat(let l), .ref(let l): return l
        case .negRef(let l): return Located(value: .bool(true), ptr: l.ptr) }
    }

    private func constValues(_ v: JSONValue) -> [JSONValue]? {
        if let c = v["const"] { return [c] }
        if case .array(let e)? = v["enum"] { return e }
        return nil
    }

    private func signature(_ conj: [SchemaCompiler.Part]) -> Signature {
        var s = Signature()
        for p in conj {
            let v = flatOf(p).value
            if let t = try? FlatCompiler(compiler, [flatOf(p)]).types() { s.types.formIntersection(t) }
            if let c = constValues(v) { s.values = c }
            if case .array(let r)? = v["required"] { for case .string(let n) in r { s.required.insert(n) } }
            for m in v["properties"]?.members ?? [] { if let c = constValues(m.value) { s.discriminators[m.key] = c } }
            if case .bool(false)? = v["additionalProperties"], v["patternProperties"] == nil {
                let keys = Set((v["properties"]?.members ?? []).map(\.key))
                s.allowedKeys = s.allowedKeys.map { $0.intersection(keys) } ?? keys
            }
        }
        return s
    }

    private static func disjoint(_ a: [JSONValue], _ b: [JSONValue]) -> Bool {
        !a.contains { x in b.contains { $0.schemaEquals(x) } }
    }

    private func disjoint(_ a: Signature, _ b: Signature) -> Bool {
        if a.types.intersection(b.types).isEmpty { return true }
        if let x = a.values, let y = b.values, Self.disjoint(x, y) { return true }
        // Discriminators only constrain objects: both branches must admit nothing else.
        guard a.types.intersection(b.types) == .object else { return false }
        for (k, x) in a.discriminators where a.required.contains(k) && b.required.contains(k) {
            if let y = b.discriminators[k], Self.disjoint(x, y) { return true }
        }
        if let keys = b.allowedKeys, !a.required.isSubset(of: keys) { return true }
        if let keys = a.allowedKeys, !b.required.isSubset(of: keys) { return true }
        return false
    }

    func disjoint(_ branches: [[[SchemaCompiler.Part]]]) throws -> Bool {
        let sigs = branches.map { $0.map(signature) }
        for i in sigs.indices {
            for j in sigs.indices where j > i {
                for a in sigs[i] { for b in sigs[j] where !disjoint(a, b) { return false } }
            }
        }
        return true
    }
}
