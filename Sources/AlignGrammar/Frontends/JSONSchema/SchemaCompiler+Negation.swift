// SchemaCompiler+Negation: `not`, `if`/`then`/`else` and the dependency keywords as DNF
// alternatives. `not S` is pushed inward (negation normal form): S is the conjunction of its
// keywords, so ¬S is the union of each keyword's negation, and a type-specific keyword's negation
// only holds for instances of that type (¬{minimum: m} = {type: number, exclusiveMaximum: m}).
// Keywords whose negation is existential (items, additionalProperties, propertyNames, …) or a
// non-regular set are refused with an error naming `not`. Negations that need a language the public
// keywords cannot state use private `$align:` keywords read by FlatCompiler: `$align:notPattern`
// (string content matching none of the patterns), `$align:notStrings`, `$align:notNumbers` (values
// excluded) and the type name `$align:fraction` (numbers that are not integers).
// if/then/else = (I ∧ T) ∨ (¬I ∧ E) (2020-12 Core §10.2.2); dependentRequired {a: R} = ¬has(a) ∨
// required R, dependentSchemas {a: S} = ¬has(a) ∨ S, with ¬has(a) = {properties: {a: false}}
// (vacuous for non-objects, as the keywords are); draft-07 `dependencies` is either form.

extension SchemaCompiler {
    static let fractionType = "$align:fraction"

    func synthetic(_ ptr: String, _ members: [(String, JSONValue)]) -> Part {
        .flat(Located(value: .object(members.map { JSONMember($0.0, $0.1) }), ptr: ptr))
    }

    /// `dependentRequired`, `dependentSchemas`, `dependencies`, if/then/else and `not` of `s`, as DNF factors.
    func applicators(_ s: Located) throws -> [[[Part]]] {
        var factors: [[[Part]]] = []
        for key in ["dependentRequired", "dependentSchemas", "dependencies"] {
            guard let v = s.value[key] else { continue }
            guard let deps = v.members else { throw AlignGrammarError.invalidSchema(pointer: s.ptr + "/" + key, message: "expected an object") }
            for d in deps {
                let at = s.ptr + "/" + key + "/" + d.key.replacingTilde()
                let absent = synthetic(at, [("properties", .object([JSONMember(d.key, .bool(false))]))])
                switch d.value {
                case .array where key != "dependentSchemas": factors.append([[absent], [synthetic(at, [("required", d.value)])]])
                case .object where key != "dependentRequired", .bool where key != "dependentRequired": factors.append([[absent]] + (try dnf(s.child(d.value, key, d.key))))
                default: throw AlignGrammarError.invalidSchema(pointer: at, message: "expected \(key == "dependentSchemas" ? "a schema" : key == "dependentRequired" ? "an array of names" : "a schema or an array of names")")
                }
            }
        }
        if let cond = s.value["if"], s.value["then"] != nil || s.value["else"] != nil {
            let i = s.child(cond, "if")
            let then = try s.value["then"].map { try dnf(s.child($0, "then")) } ?? [[]]
            let els = try s.value["else"].map { try dnf(s.child($0, "else")) } ?? [[]]
            factors.append(try product(try dnf(i), then) + (try product(try negation(i), els)))
        }
        if let n = s.value["not"] { factors.append(try negation(s.child(n, "not"))) }
        return factors
    }

    /// DNF of ¬s.
    func negation(_ s: Located) throws -> [[Part]] {
        switch s.value {
        case .bool(let b): return b ? [] : [[]]
        case .object: break
        default: throw AlignGrammarError.invalidSchema(pointer: s.ptr, message: "a schema must be an object or a boolean")
        }
        // Drafts 04–07 ignore a `$ref`'s siblings, so ¬S is ¬target there (negating the siblings too
        // would admit instances that are invalid under those drafts).
        var members = s.value.members ?? []
        if validator.refOverridesSiblings, let r = members.last(where: { $0.key == "$ref" }) { members = [r] }
        var alts: [[Part]] = []
        for m in members {
            alts += try negateKeyword(m, s)
            if alts.count > options.maxAlternatives {
                throw AlignGrammarError.tooLarge(what: "schema alternatives (not)", limit: options.maxAlternatives)
            }
        }
        return alts
    }

    private func refuse(_ s: Located, _ key: String) throws -> [[Part]] {
        throw AlignGrammarError.unsupportedKeyword(keyword: "not", pointer: s.ptr + "/" + key,
                                                   reason: "the negation of '\(key)' is not compiled to a grammar")
    }

    private func negateKeyword(_ m: JSONMember, _ s: Located) throws -> [[Part]] {
        let k = m.key, v = m.value, at = s.ptr
        switch k {
        case "type": return try negateType(v, at)
        case "enum", "const":
            // ¬(enum ∧ const) is read once, from `const` when both are present.
            return k == "const" || s.value["const"] == nil ? try negateValues(s, at) : []
        case "required": return try requiredNames(v, at + "/required").map { [lacking($0, at)] }
        case "if":
            guard s.value["then"] != nil || s.value["else"] != nil else { return [] }
            let then = try s.value["then"].map { try negation(s.child($0, "then")) } ?? []
            let els = try s.value["else"].map { try negation(s.child($0, "else")) } ?? []
            return try product(try dnf(s.child(v, "if")), then) + (try product(try negation(s.child(v, "if")), els))
        case "then", "else": return []
        case "dependentRequired", "dependentSchemas", "dependencies": return try negateDependencies(k, v, s)
        case "properties":
            guard let props = v.members else { throw AlignGrammarError.invalidSchema(pointer: at + "/properties", message: "expected an object") }
            return props.map { p in [synthetic(at, [("type", .string("object")), ("required", .array([.string(p.key)])),
                                                    ("properties", .object([JSONMember(p.key, .object([JSONMember("not", p.value)]))]))])] }
        case "minProperties", "maxProperties": return try negateCount(k, v, at, type: "object", "minProperties", "maxProperties")
        case "minItems", "maxItems": return try negateCount(k, v, at, type: "array", "minItems", "maxItems")
        case "minLength", "maxLength": return try negateCount(k, v, at, type: "string", "minLength", "maxLength")
        case "minimum": return [[synthetic(at, [("type", .string("number")), ("exclusiveMaximum", v)])]]
        case "maximum": return [[synthetic(at, [("type", .string("number")), ("exclusiveMinimum", v)])]]
        case "exclusiveMinimum": return [[synthetic(at, [("type", .string("number")), ("maximum", v)])]]
        case "exclusiveMaximum": return [[synthetic(at, [("type", .string("number")), ("minimum", v)])]]
        case "pattern": return [[synthetic(at, [("type", .string("string")), ("$align:notPattern", v)])]]
        case "not": return try dnf(s.child(v, "not"))
        case "allOf":
            return try (try subschemas(s, "allOf") ?? []).flatMap { try negation($0) }
        case "anyOf", "oneOf":
            let branches = try subschemas(s, k) ?? []
            if k == "oneOf", !(try OneOfDisjointness(compiler: self).disjoint(try branches.map { try dnf($0) })) { return try refuse(s, k) }
            var out: [[Part]] = [[]]
            for b in branches { out = try product(out, try negation(b)) }
            return out
        case "$ref":
            guard case .string(let ref) = v else { throw AlignGrammarError.invalidSchema(pointer: at + "/$ref", message: "expected a string") }
            return [[.negRef(try refs.resolve(ref, at: at))]]
        default:
            if Keywords.annotations.contains(k) || !(Keywords.handled.contains(k) || Keywords.unsupported.contains(k)) { return [] }
            return try refuse(s, k)
        }
    }

    private func requiredNames(_ v: JSONValue, _ at: String) throws -> [String] {
        guard case .array(let names) = v else { throw AlignGrammarError.invalidSchema(pointer: at, message: "expected an array of names") }
        return try names.map { n in
            guard case .string(let x) = n else { throw AlignGrammarError.invalidSchema(pointer: at, message: "expected an array of names") }
            return x
        }
    }

    /// Objects without the key `name`.
    private func lacking(_ name: String, _ at: String, having: [String] = []) -> Part {
        var ms: [(String, JSONValue)] = [("type", .string("object")), ("properties", .object([JSONMember(name, .bool(false))]))]
        if !having.isEmpty { ms.append(("required", .array(having.map { .string($0) }))) }
        return synthetic(at, ms)
    }

    /// ¬(¬has(a) ∨ X) = has(a) ∧ ¬X for every dependency a.
    private func negateDependencies(_ k: String, _ v: JSONValue, _ s: Located) throws -> [[Part]] {
        guard let deps = v.members else { throw AlignGrammarError.invalidSchema(pointer: s.ptr + "/" + k, message: "expected an object") }
        var alts: [[Part]] = []
        for d in deps {
            let at = s.ptr + "/" + k + "/" + d.key.replacingTilde()
            if case .array = d.value, k != "dependentSchemas" {
                alts += try requiredNames(d.value, at).map { [lacking($0, at, having: [d.key])] }
            } else if k != "dependentRequired" {
                let has = synthetic(at, [("type", .string("object")), ("required", .array([.string(d.key)]))])
                alts += try product([[has]], try negation(s.child(d.value, k, d.key)))
            } else { throw AlignGrammarError.invalidSchema(pointer: at, message: "expected an array of names") }
        }
        return alts
    }

    private func negateType(_ v: JSONValue, _ at: String) throws -> [[Part]] {
        let t = try FlatCompiler(self, [Located(value: .object([JSONMember("type", v)]), ptr: at)]).types()
        let rest = TypeSet.all.subtracting(t)
        var names: [JSONValue] = []
        for (n, ts) in [("null", TypeSet.null), ("boolean", .boolean), ("object", .object), ("array", .array), ("string", .string)] where rest.contains(ts) {
            names.append(.string(n))
        }
        if rest.contains(.integer) { names.append(.string(rest.contains(.fraction) ? "number" : "integer")) }
        else if rest.contains(.fraction) { names.append(.string(Self.fractionType)) }
        return names.isEmpty ? [] : [[synthetic(at, [("type", .array(names))])]]
    }

    /// ¬(enum ∩ const): every value outside the listed ones. Excluding an object or array value is refused.
    private func negateValues(_ s: Located, _ at: String) throws -> [[Part]] {
        var listed: [JSONValue] = []
        if case .array(let e)? = s.value["enum"] { listed = e }
        if let c = s.value["const"] { listed = s.value["enum"] == nil || listed.contains(where: { $0.schemaEquals(c) }) ? [c] : [] }
        if listed.contains(where: { if case .array = $0 { return true }; if case .object = $0 { return true }; return false }) {
            return try refuse(s, s.value["const"] != nil ? "const" : "enum")
        }
        var alts: [[Part]] = []
        if !listed.contains(.null) { alts.append([synthetic(at, [("type", .string("null"))])]) }
        for b in [true, false] where !listed.contains(.bool(b)) { alts.append([synthetic(at, [("const", .bool(b))])]) }
        let strings = listed.filter { if case .string = $0 { return true }; return false }
        let numbers = listed.filter { if case .number = $0 { return true }; return false }
        alts.append([synthetic(at, [("type", .string("string")), ("$align:notStrings", .array(strings))])])
        alts.append([synthetic(at, [("type", .string("number")), ("$align:notNumbers", .array(numbers))])])
        alts.append([synthetic(at, [("type", .array([.string("object"), .string("array")]))])])
        return alts
    }

    /// ¬{min: n} = {max: n − 1}, ¬{max: n} = {min: n + 1}, within the keyword's type.
    private func negateCount(_ k: String, _ v: JSONValue, _ at: String, type: String, _ minKey: String, _ maxKey: String) throws -> [[Part]] {
        guard case .number(let l) = v, let n = JSONNumber(l)?.int64, n >= 0 else {
            throw AlignGrammarError.invalidSchema(pointer: at + "/" + k, message: "expected a non-negative integer")
        }
        if k == minKey {
            return n == 0 ? [] : [[synthetic(at, [("type", .string(type)), (maxKey, .number(String(n - 1)))])]]
        }
        return [[synthetic(at, [("type", .string(type)), (minKey, .number(String(n + 1)))])]]
    }
}
