// SchemaCompiler: JSON Schema → GrammarExpr. A schema is expanded into a disjunction of conjunctions
// ("DNF") of flat schemas and `$ref` atoms: allOf multiplies, anyOf/oneOf add alternatives, sibling
// keywords join every alternative (llguidance's sibling-intersection approach). A conjunction that is
// a lone `$ref` becomes a rule reference, which is how recursive schemas work; a `$ref` merged with
// other keywords is inlined into a memoized conjunction rule, so recursion through it terminates.

final class SchemaCompiler {
    let root: JSONValue
    let options: JSONSchemaOptions
    let b = GrammarBuilder()
    var warnings: [String] = []
    private var refRules: [String: Int] = [:]
    private var conjunctionRules: [String: Int] = [:]
    private var inlineWidth = 1
    let refs: RefResolver
    let validator: InstanceValidator
    var cache = TerminalCache()

    /// One conjunct: a flat schema (combinators ignored) or a reference to compile as a rule.
    enum Part { case flat(Located), ref(Located), negRef(Located) }

    init(root: JSONValue, options: JSONSchemaOptions) {
        self.root = root; self.options = options
        refs = RefResolver(root: root)
        validator = InstanceValidator(refs: refs, root: root)
        b.maxTerminalStates = options.maxTerminalStates
    }

    /// Throws, or records a warning in lenient mode.
    func unsupported(_ keyword: String, _ ptr: String, _ reason: String) throws {
        if options.lenient { warnings.append("ignored '\(keyword)' at \(ptr): \(reason)"); return }
        throw AlignGrammarError.unsupportedKeyword(keyword: keyword, pointer: ptr, reason: reason)
    }

    /// The grammar of values valid under `s`.
    func expr(_ s: Located) throws -> GrammarExpr {
        let alts = try dnf(s)
        var out: [GrammarExpr] = []
        for a in alts { out.append(try conjunction(a)) }
        return out.count == 1 ? out[0] : .alt(out)
    }

    /// The grammar of values valid under all of `schemas`.
    func exprAll(_ schemas: [Located]) throws -> GrammarExpr {
        var alts: [[Part]] = [[]]
        for s in schemas { alts = try product(alts, try dnf(s)) }
        var out: [GrammarExpr] = []
        for a in alts { out.append(try conjunction(a)) }
        return out.count == 1 ? out[0] : .alt(out)
    }

    func product(_ a: [[Part]], _ b: [[Part]]) throws -> [[Part]] {
        if a.count * b.count > options.maxAlternatives {
            throw AlignGrammarError.tooLarge(what: "schema alternatives (anyOf/oneOf × allOf)", limit: options.maxAlternatives)
        }
        return a.flatMap { x in b.map { x + $0 } }
    }

    func dnf(_ s: Located) throws -> [[Part]] {
        switch s.value {
        case .bool(let v): return v ? [[]] : []
        case .object: break
        default: throw AlignGrammarError.invalidSchema(pointer: s.ptr, message: "a schema must be an object or a boolean")
        }
        if let exact = finiteEnum(s) { return exact }
        try checkKeywords(s)
        var result: [[Part]] = [[.flat(s)]]
        if let r = s.value["$ref"] {
            guard case .string(let ref) = r else { throw AlignGrammarError.invalidSchema(pointer: s.ptr + "/$ref", message: "expected a string") }
            result = try product(result, [[.ref(try refs.resolve(ref, at: s.ptr))]])
        }
        if let all = try subschemas(s, "allOf") { for x in all { result = try product(result, try dnf(x)) } }
        for factor in try applicators(s) { result = try product(result, factor) }
        if let any = try subschemas(s, "anyOf") { result = try product(result, try any.flatMap { try dnf($0) }) }
        if let one = try subschemas(s, "oneOf") {
            let branches = try one.map { try dnf($0) }
            // Exclusivity only matters among values that satisfy the sibling keywords too.
            let inContext = branches.map { br in result.flatMap { c in br.map { c + $0 } } }
            if !(try OneOfDisjointness(compiler: self).disjoint(inContext)) {
                try unsupported("oneOf", s.ptr, "branches are not provably disjoint (compiled as anyOf only when they are)")
            }
            result = try product(result, branches.flatMap { $0 })
        }
        return result
    }

    func subschemas(_ s: Located, _ key: String) throws -> [Located]? {
        guard let v = s.value[key] else { return nil }
        guard case .array(let items) = v, !items.isEmpty else {
            throw AlignGrammarError.invalidSchema(pointer: s.ptr + "/" + key, message: "expected a non-empty array of schemas")
        }
        return items.enumerated().map { s.child($1, key, String($0)) }
    }

    private func checkKeywords(_ s: Located) throws {
        for m in s.value.members ?? [] where Keywords.unsupported.contains(m.key) {
            if m.key == "if", s.value["then"] == nil, s.value["else"] == nil { continue }
            try unsupported(m.key, s.ptr + "/" + m.key, "not compiled to a grammar")
        }
        if case .bool(true)? = s.value["uniqueItems"] {
            if let mx = s.value["maxItems"], case .number(let n) = mx, let v = JSONNumber(n)?.int64, v <= 1 { return }
            try unsupported("uniqueItems", s.ptr + "/uniqueItems", "uniqueness of array items is not expressible in the grammar")
        }
    }

    /// Compiles one conjunction. A reference alone becomes a rule; a reference with sibling
    /// conjuncts is inlined, and the conjunction itself is memoized as a rule (keyed by its parts'
    /// pointers and text), so a recursive reference with siblings meets its own rule again instead
    /// of expanding forever.
    func conjunction(_ parts: [Part]) throws -> GrammarExpr {
        var flats: [Located] = []
        var refParts: [(Located, Bool)] = []
        var seen = Set<String>()
        for p in parts {
            switch p {
            case .flat(let l):
                if Keywords.constrains(l.value.members ?? []), seen.insert(l.ptr + " " + l.value.serialized).inserted { flats.append(l) }
            case .ref(let l): if seen.insert("ref " + l.ptr).inserted { refParts.append((l, false)) }
            case .negRef(let l): if seen.insert("not " + l.ptr).inserted { refParts.append((l, true)) }
            }
        }
        if flats.isEmpty && refParts.isEmpty { return try anyValue() }
        if flats.isEmpty && refParts.count == 1 { return .rule(try refRule(refParts[0].0, negated: refParts[0].1)) }
        guard let (first, negated) = refParts.first else { return try FlatCompiler(self, flats).compile() }
        let key = seen.sorted().joined(separator: "\u{1}")
        if let id = conjunctionRules[key] { return .rule(id) }
        let id = b.newRule("conjunction at " + first.ptr)
        conjunctionRules[key] = id
        let rest = flats.map { Part.flat($0) } + refParts.dropFirst().map { $0.1 ? Part.negRef($0.0) : Part.ref($0.0) }
        // Nested inlining multiplies alternatives; bound the product like anyOf × allOf products.
        let alts = try negated ? negation(first) : dnf(first)
        let outer = inlineWidth
        inlineWidth *= max(alts.count, 1)
        defer { inlineWidth = outer }
        if inlineWidth > options.maxInlinedAlternatives {
            throw AlignGrammarError.tooLarge(what: "schema alternatives (references inlined with sibling keywords)", limit: options.maxInlinedAlternatives)
        }
        var out: [GrammarExpr] = []
        for alt in alts { out.append(try conjunction(rest + alt)) }
        b.define(id, out.count == 1 ? out[0] : .alt(out))
        return .rule(id)
    }

    private func refRule(_ target: Located, negated: Bool) throws -> Int {
        let key = (negated ? "not " : "") + target.ptr
        if let id = refRules[key] { return id }
        let id = b.newRule(key)
        refRules[key] = id
        if !negated { b.define(id, try expr(target)); return id }
        var out: [GrammarExpr] = []
        for a in try negation(target) { out.append(try conjunction(a)) }
        b.define(id, out.count == 1 ? out[0] : .alt(out))
        return id
    }
}
